import { childEnvironment } from '../../src/util/child-env.js';
import { secretRegistry } from '../../src/util/secrets.js';

/** What a JavaScript action's process gets from the runner, plus what a workflow commonly adds. */
const RUNNER = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/infra',
  GITHUB_OUTPUT: '/tmp/out',
  GITHUB_ENV: '/tmp/env',
  GITHUB_PATH: '/tmp/path',
  GITHUB_STATE: '/tmp/state',
  GITHUB_STEP_SUMMARY: '/tmp/summary',
  'INPUT_ENCRYPTION-KEY': 'the key',
  'INPUT_GITHUB-TOKEN': 'ghs_input',
  INPUT_COMMAND: 'plan',
  ACTIONS_RUNTIME_TOKEN: 'runtime-jwt',
  ACTIONS_RUNTIME_URL: 'https://pipelines/',
  ACTIONS_RESULTS_URL: 'https://results/',
  ACTIONS_CACHE_URL: 'https://cache/',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request',
  GITHUB_TOKEN: 'ghs_step',
  GH_TOKEN: 'ghs_gh',
  AWS_ROLE_ARN: 'arn:aws:iam::1:role/x',
  TF_CLI_CONFIG_FILE: '/etc/terraformrc',
  ATMOS_GITHUB_TOKEN: 'ghp_user_chosen',
};

describe('the environment of child processes', () => {
  it('withholds our inputs, the runtime and cache tokens, the file commands and the workflow token; keeps OIDC and the rest', () => {
    const { env, withheld } = childEnvironment(RUNNER);
    expect(Object.keys(env).sort()).toEqual([
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'ATMOS_GITHUB_TOKEN',
      'AWS_ROLE_ARN',
      'GITHUB_ACTIONS',
      'GITHUB_REPOSITORY',
      'HOME',
      'PATH',
      'TF_CLI_CONFIG_FILE',
    ]);
    expect(withheld).toContain('INPUT_ENCRYPTION-KEY');
    expect(withheld).toContain('ACTIONS_RUNTIME_TOKEN');
    expect(withheld).toContain('GITHUB_TOKEN');
  });

  it('passes a withheld variable the workflow names in ATMOS_ACTION_PASS_ENV, but never an input', () => {
    const { env } = childEnvironment({ ...RUNNER, ATMOS_ACTION_PASS_ENV: 'GITHUB_TOKEN, ACTIONS_CACHE_URL,INPUT_ENCRYPTION-KEY' });
    expect(env.GITHUB_TOKEN).toBe('ghs_step');
    expect(env.ACTIONS_CACHE_URL).toBe('https://cache/');
    expect(env.GH_TOKEN).toBeUndefined();
    expect(env['INPUT_ENCRYPTION-KEY']).toBeUndefined();
  });

  it('off GitHub Actions the user’s own GITHUB_TOKEN stays (a local github provider needs it)', () => {
    expect(childEnvironment({ PATH: '/bin', GITHUB_TOKEN: 'ghp_local' }).env.GITHUB_TOKEN).toBe('ghp_local');
  });
});

describe('the secret scrubber', () => {
  it('removes a registered value in every form we write it, and masks through the hook', () => {
    const masked: string[] = [];
    const s = secretRegistry((v) => masked.push(v));
    const key = 'p<a>ss & "word" @team #42';
    s.add(key);
    s.add('');
    s.add('short');
    expect(masked).toEqual([key, 'short']);
    for (const text of [
      `plain ${key} end`,
      `json ${JSON.stringify({ k: key })}`,
      `url ${encodeURIComponent(key)}`,
      `base64 ${Buffer.from(key).toString('base64')}`,
      'html p&lt;a&gt;ss &amp; &quot;word&quot; @\u200bteam #\u200b42',
      'markdown p\\<a\\>ss \\& "word" @\u200bteam #\u200b42',
    ]) {
      expect(s.scrub(text)).toContain('***');
      expect(s.holds(text)).toBe(true);
    }
    expect(s.scrub('nothing here, short stays')).toBe('nothing here, short stays');
  });
});
