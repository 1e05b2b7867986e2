/**
 * Approval of changes nobody has reviewed (docs/terraform.md, "Approval"): `apply` without a saved
 * plan and `destroy` ask on a terminal, as terraform and Atmos do, unless `--auto-approve` (or, for
 * apply, atmos.yaml's `apply_auto_approve`); without a terminal they refuse before anything runs.
 * The terminal is a real pseudo-terminal (util-linux `script`), answered when the question shows.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { distEntry } from '../helpers/fs.js';
import { cli, makeRepo } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the CLI on a pseudo-terminal, typing `answers` one by one as each question appears. */
function onTerminal(args: string[], env: Record<string, string>, answers: string[]): Promise<{ code: number | null; out: string; asked: number }> {
  const command = [process.execPath, distEntry('cli'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    // -q quiet, -f flush, -e the command's exit code, -c the command; the typescript goes nowhere.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let answered = 0;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const asked = out.split('Enter a value:').length - 1;
      while (answered < asked) child.stdin.write(`${answers[answered++] ?? ''}\r`);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, asked: answered }));
  });
}

const QUESTION = /Only 'yes' will be accepted to approve\./;

describe('approving apply and destroy', () => {
  it('without a terminal: apply and destroy refuse before anything runs, naming the remedy; --auto-approve and apply_auto_approve approve', async () => {
    const repo = makeRepo({ a: {}, b: { dependsOn: ['a'] } });
    const apply = await cli(['apply', '--all', '-C', repo.dir], repo.env);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toMatch(
      /^error: apply asks before applying a plan nobody has reviewed, and there is no terminal to ask on: give --auto-approve, set components\.terraform\.apply_auto_approve: true in atmos\.yaml, or apply a reviewed plan with --planfile\n$/,
    );
    expect(fs.existsSync(path.join(repo.dir, '.workdir'))).toBe(false);

    // atmos.yaml's apply_auto_approve approves apply (as Atmos adds -auto-approve), not destroy
    const atmosYaml = path.join(repo.dir, 'atmos.yaml');
    fs.writeFileSync(
      atmosYaml,
      fs.readFileSync(atmosYaml, 'utf8').replace('auto_generate_backend_file: true', 'auto_generate_backend_file: true\n    apply_auto_approve: true'),
    );
    expect((await cli(['apply', '--all', '-C', repo.dir], repo.env)).code).toBe(0);
    expect(repo.readEvents()).toEqual(['start a', 'end a', 'start b', 'end b']);

    const destroy = await cli(['destroy', '--stacks', 'dev', '-C', repo.dir], repo.env);
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toMatch(/^error: destroy asks before destroying anything, and there is no terminal to ask on: give --auto-approve\n$/);
    expect(repo.readEvents()).toHaveLength(4);
    expect((await cli(['destroy', '--stacks', 'dev', '--auto-approve', '-C', repo.dir], repo.env)).code).toBe(0);
    expect(repo.readEvents().slice(4)).toEqual(['destroy b', 'destroy a']);
  }, 120_000);

  (hasScript ? it : it.skip)(
    'on a terminal: each plan with changes is asked about; only "yes" applies or destroys it',
    async () => {
      const repo = makeRepo({ a: {}, b: { dependsOn: ['a'] } });
      const apply = await onTerminal(['apply', '--all', '--parallelism', '1', '-C', repo.dir], repo.env, ['yes', 'no']);
      expect(apply.asked).toBe(2);
      expect(apply.out).toMatch(/Apply the plan of a@dev \(workspace dev-a: \+1 ~0 -0[^)]*\)\?\r?\n {2}Only 'yes' will be accepted to approve\./);
      expect(apply.out).toMatch(/Apply the plan of b@dev \(workspace dev-b: \+1 ~0 -0[^)]*\)\?/);
      expect(apply.code).toBe(1);
      expect(apply.out).toMatch(/b@dev +failed: not applied: the answer was not "yes"/);
      expect(repo.readEvents()).toEqual(['start a', 'end a']);

      // destroy: b has nothing to destroy (no question), a is asked about and destroyed
      const destroy = await onTerminal(['destroy', '--all', '-C', repo.dir], repo.env, ['yes']);
      expect(destroy.asked).toBe(1);
      expect(destroy.out).toMatch(/Destroy the plan of a@dev \(workspace dev-a: \+0 ~0 -1[^)]*\)\?/);
      expect(destroy.out).toMatch(QUESTION);
      expect(destroy.code).toBe(0);
      expect(repo.readEvents()).toEqual(['start a', 'end a', 'destroy a']);

      // --auto-approve asks nothing, on a terminal too
      const again = await onTerminal(['apply', '--all', '--auto-approve', '-C', repo.dir], repo.env, []);
      expect(again.asked).toBe(0);
      expect(again.code).toBe(0);
    },
    180_000,
  );
});
