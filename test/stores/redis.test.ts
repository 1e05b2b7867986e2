/**
 * `redis` stores against a real redis server (docs/stores.md): Atmos's key layout (stack delimiter
 * `/` by default), `!store.get` under `<prefix>:`, one MGET per batch, a missing key as a fault.
 * redis is optional for atmos-action's CI machines: without `redis-server` on PATH this file is
 * reported as skipped (Debian: `apt-get install redis-server`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from '@redis/client';
import { tempDir, writeTree } from '../helpers/fs.js';
import { resolveReading } from './helpers.js';

const haveRedis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
let server: ChildProcess | undefined;
let url = '';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

(haveRedis ? describe : describe.skip)('redis stores (needs redis-server on PATH)', () => {
  beforeAll(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      cwd: tempDir('atmos-action-redis-'),
      stdio: 'ignore',
    });
    const client = createClient({ url });
    for (let i = 0; ; i++) {
      try {
        await client.connect();
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await client.mSet({ 'acme/plat/dev/vpc/id': '"vpc-r"', 'acme/plat/dev/vpc/cfg': '{"a":[1,2]}', 'acme:global': 'plain' });
    await client.quit();
  });

  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it("reads !store and !store.get keys in Atmos's redis layout in one MGET, and a missing key is a fault naming it", async () => {
    const dir = tempDir('atmos-action-redis-repo-');
    writeTree(dir, {
      'atmos.yaml': `base_path: "."
components: { terraform: { base_path: components/terraform } }
stacks: { base_path: stacks, included_paths: ["deploy/*"], name_template: "{{ .vars.tenant }}/{{ .vars.stage }}" }
stores:
  cache: { kind: redis, options: { url: "${url}", prefix: acme } }
`,
      'stacks/deploy/dev.yaml': `vars: { tenant: plat, stage: dev }
components:
  terraform:
    app:
      vars:
        id: !store cache vpc id
        first: !store cache vpc cfg | query .a[0]
        global: !store.get cache global
        gone: !store cache vpc gone
`,
    });
    const { values, get, faults } = await resolveReading(dir);
    const app = get('app', 'plat/dev');
    expect(app.vars).toMatchObject({ id: 'vpc-r', first: 1, global: 'plain' });
    expect(faults('app', 'plat/dev')).toEqual([expect.stringMatching(/store cache \(redis\) key acme\/plat\/dev\/vpc\/gone: not found \(redis\.Nil: /)]);
    expect(values.stats).toMatchObject({ keys: 4, apiCalls: 1 });
  });
});
