/** atmos-action's own environment variables, read once by the entry points into typed settings. */
import fs from 'node:fs';
import path from 'node:path';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { tempDir } from '../helpers/fs.js';

describe('environment settings', () => {
  it('parse the git deadline and debug once, naming a malformed variable', () => {
    expect(readEnvSettings({}).gitTimeoutMs).toBe(600_000);
    expect(readEnvSettings({ ATMOS_ACTION_GIT_TIMEOUT: '90s' }).gitTimeoutMs).toBe(90_000);
    expect(() => readEnvSettings({ ATMOS_ACTION_GIT_TIMEOUT: '10 minutes' })).toThrow(/invalid ATMOS_ACTION_GIT_TIMEOUT "10 minutes"/);
    for (const on of ['1', 'true', 'yes', 'on']) expect(readEnvSettings({ ATMOS_ACTION_DEBUG: on }).debug).toBe(true);
    expect(readEnvSettings({ ATMOS_ACTION_DEBUG: '' }).debug).toBe(false);
    expect(() => readEnvSettings({ ATMOS_ACTION_DEBUG: 'verbose' })).toThrow('ATMOS_ACTION_DEBUG must be true or false (yes/no, on/off, 1/0), not "verbose"');
  });

  it('locate the terraform CLI configuration at once, read it on first use only, and hand out that one reading', () => {
    const home = tempDir();
    const rc = path.join(home, '.terraformrc');
    const settings = readEnvSettings({ HOME: home });
    // Written after the settings were made: nothing was read yet.
    fs.writeFileSync(rc, 'plugin_cache_dir = "/shared"\nprovider_installation {\n  direct {}\n}\n');
    const first = settings.terraformCliConfig();
    expect(first).toMatchObject({ file: rc, setsPluginCache: true, parsed: { pluginCacheDir: '/shared', methods: [{ kind: 'direct' }] } });
    // Gone or changed later in the command: every user of it still sees the one reading.
    fs.rmSync(rc);
    expect(settings.terraformCliConfig()).toBe(first);
    // TF_CLI_CONFIG_FILE wins over ~/.terraformrc; a file the store cannot read faithfully is a problem, not an error.
    const dev = path.join(home, 'dev.tfrc');
    fs.writeFileSync(dev, 'provider_installation {\n  dev_overrides {\n    "a/b" = "/x"\n  }\n}\n');
    expect(readEnvSettings({ HOME: home, TF_CLI_CONFIG_FILE: dev }).terraformCliConfig()).toMatchObject({
      file: dev,
      setsPluginCache: false,
      parsed: { problem: expect.stringContaining('dev_overrides') },
    });
  });
});
