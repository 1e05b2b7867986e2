import fs from 'node:fs';
import path from 'node:path';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';
import { startCacheService, type CacheServiceFake } from '../fakes/cache-service.js';

/**
 * What a pull request's code can read, through the bundled action as a child process. The
 * repository's "terraform" is a script that writes its environment to a file and fails (no real
 * terraform needed: init is the first thing it runs), and a var runs `!exec` of a script that does
 * the same. The step runs with what the runner gives a JavaScript action.
 */
const KEY = 'the-plan-encryption-key-0123456789';
/**
 * What the runner gives the step. The cache variables point at a loopback fake of the cache
 * service, so the provider store's restore misses at once instead of retrying an unreachable host.
 */
let RUNNER_ENV: Record<string, string>;
let cacheService: CacheServiceFake;
beforeAll(async () => {
  cacheService = await startCacheService();
  RUNNER_ENV = {
    ...cacheService.env(),
    ACTIONS_CACHE_URL: cacheService.url,
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/token',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
    GITHUB_TOKEN: 'ghs_stepTokenFromTheWorkflowEnv000',
    AWS_REGION: 'us-east-2',
  };
});
afterAll(() => cacheService.close());

function repo(nameTemplate: string): { dir: string; terraformEnv: string; execEnv: string } {
  const dir = tempDir('atmos-action-secrets-');
  const terraformEnv = path.join(dir, 'terraform-env.txt');
  const execEnv = path.join(dir, 'exec-env.txt');
  writeTree(dir, {
    'atmos.yaml': `base_path: "."\ncomponents:\n  terraform:\n    base_path: components\nstacks:\n  base_path: stacks\n  included_paths: ["*.yaml"]\n  name_template: ${JSON.stringify(nameTemplate)}\ntemplates:\n  settings:\n    enabled: true\n    sprig:\n      enabled: true\n`,
    'components/app/main.tf': '',
    'fake-terraform.sh': `#!/bin/sh\nenv > ${terraformEnv}\necho "Error: this is not terraform" >&2\nexit 1\n`,
    'dump-env.sh': '#!/bin/sh\nenv > "$1"\necho ok\n',
    'stacks/dev.yaml': [
      'vars:',
      '  stage: dev',
      'components:',
      '  terraform:',
      '    app:',
      `      command: ${path.join(dir, 'fake-terraform.sh')}`,
      '      vars:',
      `        exec_ok: !exec ${path.join(dir, 'dump-env.sh')} ${execEnv}`,
      '        input_key: !env INPUT_ENCRYPTION-KEY',
      '        runtime: \'{{ env "ACTIONS_RUNTIME_TOKEN" }}\'',
      '',
    ].join('\n'),
  });
  for (const f of ['fake-terraform.sh', 'dump-env.sh']) fs.chmodSync(path.join(dir, f), 0o755);
  return { dir, terraformEnv, execEnv };
}

const names = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split('=')[0])
    .filter(Boolean);

/** Every file and folder name under `dir`. */
const allNames = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).join('\n');

const posted = (r: ActionRun) => [r.stdout.replace(`::add-mask::${KEY}`, ''), r.stderr, r.summary, JSON.stringify(r.outputs)].join('\n');

describe('what pull-request code sees, and what we post', () => {
  it('terraform, a command override, !exec and templates get no input, no runtime token, no file command and no workflow token; OIDC stays', async () => {
    const { dir, terraformEnv, execEnv } = repo('{{ .vars.stage }}-{{ env "INPUT_ENCRYPTION-KEY" }}');
    const r = await runAction({ command: 'plan', stacks: '*', 'encryption-key': KEY, 'plans-dir': 'plans' }, { workspace: dir, env: RUNNER_ENV });
    expect(r.code).toBe(1); // the fake terraform fails init
    for (const file of [terraformEnv, execEnv]) {
      const seen = names(file);
      expect(seen.filter((n) => /^INPUT_|^ACTIONS_(RUNTIME|RESULTS|CACHE)|^GITHUB_(TOKEN|OUTPUT|ENV|PATH|STATE|STEP_SUMMARY)$/.test(n))).toEqual([]);
      expect(seen).toEqual(expect.arrayContaining(['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'AWS_REGION', 'HOME', 'PATH']));
      expect(fs.readFileSync(file, 'utf8')).not.toContain(KEY);
    }
    // The name template and the vars read the same filtered environment: empty.
    const summary = JSON.parse(r.outputs.summary!) as { stack: string }[];
    expect(summary.map((s) => s.stack)).toEqual(['dev-']);
    const varfile = (fs.readdirSync(path.join(dir, '.workdir/terraform'), { recursive: true }) as string[]).find((f) => f.endsWith('.tfvars.json'))!;
    const vars = JSON.parse(fs.readFileSync(path.join(dir, '.workdir/terraform', varfile), 'utf8')) as Record<string, string>;
    expect(vars).toMatchObject({ exec_ok: 'ok', input_key: '', runtime: '' });
    expect(posted(r)).not.toContain(KEY);
    expect(posted(r)).not.toContain(RUNNER_ENV.ACTIONS_RUNTIME_TOKEN);
    expect(allNames(dir)).not.toContain(KEY);
  });

  it('a secret that reaches a name through the environment is never written: not in a folder name, output, summary or annotation', async () => {
    const { dir, terraformEnv } = repo('{{ .vars.stage }}-{{ env "PLAN_SECRET" }}');
    // The workflow hands the same secret to a variable the name template reads.
    const r = await runAction(
      { command: 'plan', stacks: '*', 'encryption-key': KEY, 'plans-dir': 'plans' },
      { workspace: dir, env: { ...RUNNER_ENV, PLAN_SECRET: KEY } },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::component app in stack dev-\*\*\*: the name holds the value of a secret input/);
    expect(posted(r)).not.toContain(KEY);
    expect(fs.existsSync(terraformEnv)).toBe(false); // nothing ran
    expect(allNames(dir)).not.toContain(KEY);
  });

  it("git's token, which children keep (ATMOS_GITHUB_TOKEN), is a secret too: a matrix name holding it is refused, a matrix field holding it is scrubbed", async () => {
    const GIT_TOKEN = 'ghp_gitTokenForSources0123456789abcdef';
    const env = { ...RUNNER_ENV, ATMOS_GITHUB_TOKEN: GIT_TOKEN };
    const shown = (r: ActionRun) => posted(r).replace(`::add-mask::${GIT_TOKEN}`, '');
    const named = await runAction({ command: 'matrix' }, { workspace: repo('{{ .vars.stage }}-{{ env "ATMOS_GITHUB_TOKEN" }}').dir, env });
    expect(named.code).toBe(1);
    expect(named.stdout).toContain(`::add-mask::${GIT_TOKEN}`);
    expect(named.stdout).toMatch(/::error::component app in stack dev-\*\*\*: the name holds the value of a secret/);
    expect(named.outputs.matrix).toBeUndefined();
    expect(shown(named)).not.toContain(GIT_TOKEN);

    // The matrix's role fields come from the stack settings, which a template can fill from the environment.
    const { dir } = repo('{{ .vars.stage }}');
    const stack = path.join(dir, 'stacks/dev.yaml');
    fs.appendFileSync(stack, '      settings:\n        integrations: { github: { gitops: { role: { plan: \'{{ env "ATMOS_GITHUB_TOKEN" }}\' } } } }\n');
    const field = await runAction({ command: 'matrix' }, { workspace: dir, env });
    expect(field.code).toBe(0);
    const [entry] = (JSON.parse(field.outputs.matrix!) as { include: Record<string, string>[] }).include;
    expect(entry).toMatchObject({ stack: 'dev', component: 'app', manifest: 'stacks/dev.yaml', role_plan: '***' });
    expect(shown(field)).not.toContain(GIT_TOKEN);
  });
});
