import { readEnvSettings } from '../../src/app/env-settings.js';
import { parseUserCliConfig } from '../../src/providers/user-cli-config.js';
import { providerStoreRoot } from '../../src/util/paths.js';

describe("reading the user's CLI configuration for the store", () => {
  it('keeps the installation methods in order, takes plugin_cache_dir out, keeps everything else verbatim', () => {
    const text = [
      '# my config',
      'disable_checkpoint = true',
      'plugin_cache_dir = "/home/me/.terraform.d/plugin-cache"',
      'credentials "app.terraform.io" {',
      '  token = "abc{}\\"x"',
      '}',
      'provider_installation {',
      '  // the company mirror first',
      '  network_mirror {',
      '    url     = "https://mirror.example/"',
      '    include = ["registry.terraform.io/*/*", "example.com/a/b",]',
      '  }',
      '  filesystem_mirror {',
      '    path = "/opt/providers"',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/acme/*"]',
      '  }',
      '}',
      '',
    ].join('\n');
    expect(parseUserCliConfig(text, 'rc')).toEqual({
      pluginCacheDir: '/home/me/.terraform.d/plugin-cache',
      methods: [
        { kind: 'network_mirror', url: 'https://mirror.example/', include: ['registry.terraform.io/*/*', 'example.com/a/b'] },
        { kind: 'filesystem_mirror', path: '/opt/providers' },
        { kind: 'direct', exclude: ['registry.terraform.io/acme/*'] },
      ],
      extra: 'disable_checkpoint = true\ncredentials "app.terraform.io" {\n  token = "abc{}\\"x"\n}\n',
    });
  });

  it('an empty or absent configuration means terraform’s implicit methods (no provider_installation block)', () => {
    expect(parseUserCliConfig('', 'rc')).toEqual({ extra: '' });
  });

  it('refuses what it cannot carry over faithfully: dev_overrides, JSON configurations, broken syntax', () => {
    expect(() => parseUserCliConfig('provider_installation {\n  dev_overrides {\n    "a/b" = "/x"\n  }\n  direct {}\n}\n', 'rc')).toThrow(
      /^rc: provider_installation: cannot read/,
    );
    expect(() => parseUserCliConfig('{}', 'x.tfrc.json')).toThrow(/JSON CLI configurations/);
    expect(() => parseUserCliConfig('credentials "a" {\n', 'rc')).toThrow(/^rc: unbalanced/);
    expect(() => parseUserCliConfig('provider_installation {\n  network_mirror {\n  }\n}\n', 'rc')).toThrow(/missing url/);
  });
});

describe('where the store lives', () => {
  const root = (env: Record<string, string>) => readEnvSettings(env).providerStore;
  it('ATMOS_ACTION_PROVIDER_STORE, then the runner tool cache on GitHub, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(providerStoreRoot({ HOME: '/h', GITHUB_ACTIONS: 'true', RUNNER_TOOL_CACHE: '/t' }, '/set')).toBe('/set');
    expect(root({ HOME: '/h', ATMOS_ACTION_PROVIDER_STORE: '/env', GITHUB_ACTIONS: 'true', RUNNER_TOOL_CACHE: '/t' })).toEqual({ enabled: true, root: '/env' });
    expect(root({ HOME: '/h', GITHUB_ACTIONS: 'true', RUNNER_TOOL_CACHE: '/t', XDG_CACHE_HOME: '/x' })).toEqual({
      enabled: true,
      root: '/t/atmos-action/providers',
    });
    expect(root({ HOME: '/h', XDG_CACHE_HOME: '/x' })).toEqual({ enabled: true, root: '/x/atmos-action/providers' });
    expect(root({ HOME: '/h', XDG_CACHE_HOME: 'relative' })).toEqual({ enabled: true, root: '/h/.cache/atmos-action/providers' });
    expect(() => providerStoreRoot({})).toThrow(/HOME is not set/);
    expect(root({})).toEqual({ enabled: true, problem: expect.stringMatching(/HOME is not set/) });
  });

  it('ATMOS_ACTION_PROVIDER_STORE takes the one on/off vocabulary: on is the default place, never a folder named "on"', () => {
    for (const off of ['off', 'false', 'no', '0', 'OFF']) expect(root({ HOME: '/h', ATMOS_ACTION_PROVIDER_STORE: off })).toEqual({ enabled: false });
    for (const on of ['on', 'true', 'yes', '1', ' True ']) {
      expect(root({ HOME: '/h', ATMOS_ACTION_PROVIDER_STORE: on })).toEqual({ enabled: true, root: '/h/.cache/atmos-action/providers' });
    }
  });
});
