import fs from 'node:fs';
import path from 'node:path';
import { providerTarget } from '../../src/providers/targets.js';
import { tempDir, writeTree } from '../helpers/fs.js';

describe('which lock file decides an instance’s providers before its workdir exists', () => {
  it('the committed per-instance lock file, else the component’s, else the workdir’s own, else none', () => {
    const root = tempDir('atmos-store-targets-');
    const comp = path.join(root, 'components/terraform/app');
    const wd = path.join(root, 'wd');
    const i = { stack: 'dev', component: 'app-1', componentPath: comp };
    fs.mkdirSync(comp, { recursive: true });
    expect(providerTarget(i, wd)).toEqual({ workdir: wd, lockFile: null });
    writeTree(wd, { '.terraform.lock.hcl': 'kept' });
    expect(providerTarget(i, wd).lockFile).toBe(path.join(wd, '.terraform.lock.hcl'));
    writeTree(comp, { '.terraform.lock.hcl': 'base' });
    expect(providerTarget(i, wd).lockFile).toBe(path.join(comp, '.terraform.lock.hcl'));
    writeTree(comp, { '.dev-app-1.terraform.lock.hcl': 'mine' });
    expect(providerTarget(i, wd).lockFile).toBe(path.join(comp, '.dev-app-1.terraform.lock.hcl'));
    // A per-instance name past the file-name limit cannot exist: the component's file decides.
    expect(providerTarget({ ...i, component: 'x'.repeat(300) }, wd).lockFile).toBe(path.join(comp, '.terraform.lock.hcl'));
  });
});
