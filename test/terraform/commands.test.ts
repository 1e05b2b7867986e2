import { cliConfigSetsPluginCache } from '../../src/providers/user-cli-config.js';
import { applyArgs, initArgs, planArgs, showJsonArgs, terraformEnv, workspaceSelectArgs, workspaceStep } from '../../src/terraform/commands.js';

describe('terraform argv', () => {
  it('init: -reconfigure only when asked, never prompts, the varfile only with init.pass_vars', () => {
    expect(initArgs({ reconfigure: false })).toEqual(['init', '-input=false', '-no-color']);
    expect(initArgs({ reconfigure: true, color: true, varfile: 'dev-app.terraform.tfvars.json' })).toEqual([
      'init',
      '-reconfigure',
      '-input=false',
      '-var-file',
      'dev-app.terraform.tfvars.json',
    ]);
  });

  it('plan writes a plan file with a detailed exit code; -destroy plans a destroy', () => {
    expect(planArgs({ planfile: 'dev-app.planfile', varfile: 'dev-app.terraform.tfvars.json' })).toEqual([
      'plan',
      '-out',
      'dev-app.planfile',
      '-detailed-exitcode',
      '-input=false',
      '-no-color',
      '-var-file',
      'dev-app.terraform.tfvars.json',
    ]);
    expect(planArgs({ planfile: 'p', varfile: 'v', destroy: true }).slice(0, 2)).toEqual(['plan', '-destroy']);
  });

  it('workspace select-or-create, show -json, and apply of a saved plan (positional, last)', () => {
    expect(workspaceSelectArgs('dev-app')).toEqual(['workspace', 'select', '-or-create', '-no-color', 'dev-app']);
    expect(showJsonArgs('p')).toEqual(['show', '-json', 'p']);
    expect(applyArgs('dev-app.planfile')).toEqual(['apply', '-input=false', '-no-color', 'dev-app.planfile']);
  });
});

describe('which backends get a workspace', () => {
  it('selects for state backends, not for http, not for a cloud block naming its workspace, not under TF_WORKSPACE', () => {
    for (const t of ['local', 's3', 'gcs', 'azurerm', 'remote', '']) expect(workspaceStep(t, {}, {})).toEqual({ select: true });
    expect(workspaceStep('http', {}, {})).toMatchObject({ select: false, why: expect.stringMatching(/http/) });
    expect(workspaceStep('cloud', { workspaces: { name: 'app' } }, {})).toMatchObject({ select: false });
    expect(workspaceStep('cloud', { workspaces: { tags: ['app'] } }, {})).toEqual({ select: true });
    expect(workspaceStep('s3', {}, { TF_WORKSPACE: 'prod' })).toMatchObject({ select: false, why: expect.stringMatching(/TF_WORKSPACE=prod/) });
  });
});

describe('the environment terraform runs in', () => {
  it("keeps the user's environment, lets the component env win, and always runs unattended", () => {
    const { env, notes } = terraformEnv({
      userEnv: { PATH: '/bin', AWS_PROFILE: 'user', TF_CLI_CONFIG_FILE: '/home/u/.terraformrc', TF_IN_AUTOMATION: '', GONE: undefined },
      componentEnv: { AWS_PROFILE: 'component', TF_LOG: 'WARN', RETRIES: 3, DEBUG: false },
      parallel: false,
    });
    expect(env).toEqual({
      PATH: '/bin',
      AWS_PROFILE: 'component',
      TF_CLI_CONFIG_FILE: '/home/u/.terraformrc',
      TF_LOG: 'WARN',
      RETRIES: '3',
      DEBUG: 'false',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
    expect(notes).toEqual([]);
  });

  it('keeps TF_PLUGIN_CACHE_DIR for a single run and drops it, saying why, when inits run in parallel', () => {
    const userEnv = { TF_PLUGIN_CACHE_DIR: '/cache', TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' };
    expect(terraformEnv({ userEnv, componentEnv: {}, parallel: false }).env.TF_PLUGIN_CACHE_DIR).toBe('/cache');
    const par = terraformEnv({ userEnv, componentEnv: {}, parallel: true });
    expect(par.env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect(par.env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE).toBeUndefined();
    expect(par.notes).toEqual([expect.stringMatching(/^TF_PLUGIN_CACHE_DIR=\/cache is not passed to parallel terraform runs: .*not safe/)]);
    // Set by the component instead of the user: the same rule.
    expect(terraformEnv({ userEnv: {}, componentEnv: { TF_PLUGIN_CACHE_DIR: '/c' }, parallel: true }).env.TF_PLUGIN_CACHE_DIR).toBeUndefined();
  });

  it('mentions TF_CLI_ARGS variables, which terraform adds to every command it is given', () => {
    const { notes } = terraformEnv({ userEnv: { TF_CLI_ARGS_plan: '-parallelism=2', TF_CLI_ARGSX: 'no' }, componentEnv: {}, parallel: false });
    expect(notes).toEqual(['TF_CLI_ARGS_plan is set: terraform adds "-parallelism=2" to the commands atmos-action runs']);
  });

  it('spots a plugin_cache_dir in a CLI config, ignoring comments', () => {
    expect(cliConfigSetsPluginCache('plugin_cache_dir = "$HOME/.terraform.d/plugin-cache"\n')).toBe(true);
    expect(cliConfigSetsPluginCache('  # plugin_cache_dir = "/x"\nprovider_installation {\n  direct {}\n}\n')).toBe(false);
  });
});
