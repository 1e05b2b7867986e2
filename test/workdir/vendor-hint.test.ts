/**
 * A missing component folder in a repository that vendors its components (docs/atmos-compatibility.md
 * §6.8), laid out like Atmos's demo-vendoring example: the error names the vendor source that fills
 * the folder and the command that does it.
 */
import path from 'node:path';
import { cleanEnv, runDist, tempDir, writeTree } from '../helpers/fs.js';

const VENDOR = `apiVersion: atmos/v1
kind: AtmosVendorConfig
metadata:
  name: demo-vendoring
spec:
  imports: []
  sources:
    - component: "weather"
      source: "github.com/cloudposse/atmos.git//examples/demo-library/{{ .Component }}?ref={{.Version}}"
      version: "main"
      targets:
        - "components/terraform/{{ .Component }}/{{.Version}}"
    - component: "ipinfo"
      source: "github.com/cloudposse/atmos.git//examples/demo-library/{{ .Component }}?ref={{.Version}}"
      version: "main"
      targets:
        - path: "components/terraform/{{ .Component }}/{{.Version}}"
          version: "v2"
`;

function repo(vendor: Record<string, string>, vendorSetting = ''): string {
  return writeTree(tempDir('atmos-vendor-hint-'), {
    'atmos.yaml':
      'base_path: "./"\ncomponents:\n  terraform:\n    base_path: "components/terraform"\n' +
      'stacks:\n  base_path: "stacks"\n  included_paths:\n    - "deploy/**/*"\n  name_template: "{{.vars.stage}}"\n' +
      vendorSetting,
    'stacks/deploy/dev.yaml':
      'vars:\n  stage: dev\ncomponents:\n  terraform:\n' +
      '    weather:\n      metadata:\n        component: weather/main\n' +
      '    ipinfo:\n      metadata:\n        component: ipinfo/v2\n' +
      '    myapp:\n      vars:\n        location: Stockholm\n',
    ...vendor,
  });
}

const provision = (dir: string, component: string) =>
  runDist('cli', ['workdir', 'provision', component, '-s', 'dev', '--workdir', '-C', dir], { env: cleanEnv() });

describe('a missing component folder that a vendor manifest provides (§6.8)', () => {
  it('names the vendor source, its version and target, and the atmos vendor pull command', () => {
    const dir = repo({ 'vendor.yaml': VENDOR });
    const r = provision(dir, 'weather');
    expect(r.code).toBe(1);
    expect(r.stdout.trim()).toBe(
      `dev/weather: failed: the component folder ${path.join(dir, 'components/terraform/weather/main')} of component weather in stack dev does not exist; ` +
        'it is vendored: vendor.yaml lists component weather, source github.com/cloudposse/atmos.git//examples/demo-library/weather?ref=main at version main, ' +
        'into components/terraform/weather/main. Run `atmos vendor pull --component weather` to fill it, then run again',
    );
    // a target's own version picks the folder and the ref
    expect(provision(dir, 'ipinfo').stdout).toContain(
      'lists component ipinfo, source github.com/cloudposse/atmos.git//examples/demo-library/ipinfo?ref=v2 at version v2, into components/terraform/ipinfo/v2.',
    );
    // a folder no source vendors: said so
    expect(provision(dir, 'myapp').stdout.trim()).toBe(
      `dev/myapp: failed: the component folder ${path.join(dir, 'components/terraform/myapp')} of component myapp in stack dev does not exist; ` +
        'the vendor manifest (vendor.yaml) lists no source for it',
    );
  });

  it('reads vendor.base_path from atmos.yaml, a folder of manifests included', () => {
    const dir = repo(
      { 'vendor/one.yaml': VENDOR.replace(/ {4}- component: "ipinfo"[\s\S]*/, ''), 'vendor/two.yml': VENDOR },
      'vendor:\n  base_path: "./vendor"\n',
    );
    const r = provision(dir, 'ipinfo');
    expect(r.stdout).toContain('it is vendored: vendor/two.yml lists component ipinfo');
    expect(provision(dir, 'weather').stdout).toContain('it is vendored: vendor/one.yaml lists component weather');
  });

  it('without a vendor manifest the message stays as it was', () => {
    const r = provision(repo({}), 'weather');
    expect(r.stdout).toMatch(/of component weather in stack dev does not exist$/m);
  });
});
