/** `!terraform.state` / `!terraform.output` read by the runner (docs/atmos-compatibility.md §11.6), with real terraform. */
import fs from 'node:fs';
import path from 'node:path';
import { cli, jsonResults, makeRepo } from './helpers.js';

describe('output references at run time', () => {
  it('the reader runs after the instance it reads (no depends_on declared) and gets its outputs from the local state', async () => {
    const repo = makeRepo({ app: { vars: { name: '!terraform.state vpc .name' } }, vpc: {}, other: { vars: { name: '!terraform.output vpc name' } } });
    const plan = await cli(['plan', '--all', '--parallelism', '3', '--format', 'json', '-C', repo.dir], repo.env);
    expect(plan.code).toBe(1);
    expect(jsonResults(plan).app).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no state yet \(not provisioned\)/) });

    const apply = await cli(['apply', '--all', '--parallelism', '3', '--format', 'json', '-C', repo.dir], repo.env);
    expect(apply.stderr).toContain('app (stack dev) depends on vpc (stack dev): it reads its output .name (!terraform.state at vars.name)');
    expect(apply.code).toBe(0);
    // read once per run, though two instances read it
    expect(apply.stderr.match(/read the outputs of vpc@dev/g)).toHaveLength(1);
    const state = (name: string) => JSON.parse(fs.readFileSync(path.join(repo.dir, '.workdir/terraform', name, 'terraform.tfstate.d', name, 'terraform.tfstate'), 'utf8'));
    expect(state('dev-app').outputs.name.value).toBe('vpc');
    expect(state('dev-other').outputs.name.value).toBe('vpc');
    const ev = repo.readEvents();
    expect(ev.indexOf('end vpc')).toBeLessThan(ev.lastIndexOf('start vpc'));
  }, 120_000);
});
