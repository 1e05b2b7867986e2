/**
 * README's Quick start plans the bundled example in place before the test suite runs (`.ci/run`
 * does the same), which leaves workdirs with terraform state under examples/. The tests that copy
 * the example must start from its files as committed all the same.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyExample, REPO_ROOT, writeTree } from '../helpers/fs.js';

function filesUnder(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => !e.isDirectory())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

it('copyExample leaves out what running the example left in it', () => {
  const example = copyExample();
  writeTree(example, {
    // What `plan --all -C examples` leaves (one workdir shown) …
    '.workdir/terraform/plat-ue2-dev-vpc/main.tf': '# vpc\n',
    '.workdir/terraform/plat-ue2-dev-vpc/.terraform/terraform.tfstate': '{}',
    '.workdir/terraform/plat-ue2-dev-vpc/terraform.tfstate.d/plat-ue2-dev-vpc/terraform.tfstate': '{}',
    // … and what terraform run by hand in a component folder would.
    'components/terraform/vpc/.terraform/terraform.tfstate': '{}',
    'components/terraform/vpc/terraform.tfstate': '{}',
    'components/terraform/vpc/terraform.tfstate.backup': '{}',
    'components/terraform/vpc/.terraform.tfstate.lock.info': '{}',
  });
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'examples'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(listed.status).toBe(0);
  const committed = listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => path.relative('examples', f))
    .sort();
  expect(filesUnder(copyExample(undefined, example))).toEqual(committed);
});
