/**
 * A `source:` that is a relative folder (docs/atmos-compatibility.md §6.5), laid out like Atmos's
 * source-provisioning example: the project beside a component library, `uri: ../demo-library/weather`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeTree } from '../helpers/fs.js';
import { cli } from '../run/helpers.js';
import { requireTerraform, terraformTestEnv } from '../terraform/helpers.js';
import { readFiles } from './helpers.js';

const WEATHER = {
  'main.tf': 'variable "location" { type = string }\nresource "terraform_data" "forecast" { input = var.location }\n',
  'outputs.tf': 'output "location" { value = terraform_data.forecast.output }\n',
  'README.md': '# weather\n',
};

function layout(stack = 'weather:\n      source:\n        uri: "../demo-library/weather"\n'): { root: string; project: string } {
  const root = tempDir('atmos-local-source-');
  writeTree(root, {
    ...Object.fromEntries(Object.entries(WEATHER).map(([f, c]) => [`demo-library/weather/${f}`, c])),
    'source-provisioning/atmos.yaml':
      'base_path: "./"\ncomponents:\n  terraform:\n    base_path: "components/terraform"\n' +
      'stacks:\n  base_path: "stacks"\n  included_paths:\n    - "deploy/**/*"\n  name_template: "{{ .vars.stage }}"\n',
    'source-provisioning/stacks/deploy/dev.yaml':
      'vars:\n  stage: dev\ncomponents:\n  terraform:\n    ' +
      stack +
      '      provision:\n        workdir:\n          enabled: true\n      vars:\n        location: "San Francisco"\n',
  });
  return { root, project: path.join(root, 'source-provisioning') };
}

describe('a relative local source.uri (§6.5)', () => {
  it('provisions from the folder relative to the base path, and plans there', async () => {
    requireTerraform();
    const { root, project } = layout();
    const env = terraformTestEnv(tempDir('atmos-local-source-home-'));
    const first = await cli(['workdir', 'provision', 'weather', '-s', 'dev', '-C', project], env);
    expect(`${first.code} ${first.stderr}`).toBe('0 ');
    expect(first.stdout.trim()).toBe('dev/weather: created from ../demo-library/weather (3 files)');
    const wd = path.join(project, '.workdir/terraform/dev-weather');
    expect(readFiles(wd)).toEqual(WEATHER);
    const meta = JSON.parse(fs.readFileSync(path.join(wd, '.atmos/metadata.json'), 'utf8')) as Record<string, unknown>;
    // Atmos records a folder on this machine as a local source
    expect(meta).toMatchObject({ source_type: 'local', source_uri: '../demo-library/weather' });

    const again = await cli(['workdir', 'provision', 'weather', '-s', 'dev', '-C', project], env);
    expect(again.stdout.trim()).toBe('dev/weather: unchanged (source ../demo-library/weather is current)');

    const plan = await cli(['plan', 'weather', '-s', 'dev', '-C', project], env);
    expect(`${plan.code} ${plan.code ? plan.stderr.slice(-800) : ''}`).toBe('0 ');
    expect(plan.stdout).toMatch(/weather@dev\s+changes \+1 ~0 -0/);
    // nothing was written next to the library
    expect(fs.readdirSync(path.join(root, 'demo-library/weather')).sort()).toEqual(Object.keys(WEATHER).sort());
  }, 60_000);

  it('keeps the source hardening: a link leaving the folder is refused, and so is a folder holding the workdirs', async () => {
    const { root, project } = layout();
    fs.symlinkSync(path.join(root, 'secret.txt'), path.join(root, 'demo-library/weather/secret.tf'));
    fs.writeFileSync(path.join(root, 'secret.txt'), 'token\n');
    const env = terraformTestEnv(tempDir('atmos-local-source-home-'));
    const linked = await cli(['workdir', 'provision', 'weather', '-s', 'dev', '-C', project], env);
    expect(linked.code).toBe(1);
    expect(linked.stdout).toMatch(/^dev\/weather: failed: secret\.tf in the component source .*demo-library\/weather is a symlink to .*, outside the source/m);
    expect(fs.existsSync(path.join(project, '.workdir/terraform/dev-weather/secret.tf'))).toBe(false);

    const self = layout('weather:\n      source:\n        uri: "./"\n');
    const whole = await cli(['workdir', 'provision', 'weather', '-s', 'dev', '-C', self.project], env);
    expect(whole.code).toBe(1);
    expect(whole.stdout).toContain(`holds or is inside the workdir tree ${path.join(self.project, '.workdir')}`);
  }, 60_000);
});
