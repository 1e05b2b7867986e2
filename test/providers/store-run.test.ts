import fs from 'node:fs';
import path from 'node:path';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { openProject } from '../../src/app/project.js';
import { runInstances } from '../../src/app/run.js';
import { systemClock } from '../../src/ports/clock.js';
import { memoryLog } from '../../src/ports/log.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import { storeEntry } from '../../src/providers/entry.js';
import { tempDir } from '../helpers/fs.js';
import { TESTPROV, TESTPROV_SOURCE } from '../provider/build.js';
import { makeField, PLATFORM } from '../provider/store-fixture.js';
import { requireTerraform } from '../provider/terraform.js';

/** The store wired into the runner (`plan --all`): on by default, located by ATMOS_ACTION_PROVIDER_STORE, off on request. */
beforeAll(() => requireTerraform());

describe('plan --all with the provider store', () => {
  it('is on by default: one install, every init links to the store, lock files byte-identical; off: no store', async () => {
    const f = await makeField(tempDir('atmos-store-run-'), 4);
    const lock = await f.committedLock('1.0.0');
    const log = memoryLog();
    const env = { ...f.env, ATMOS_ACTION_PROVIDER_STORE: f.storeRoot };
    const ports = { env, envSettings: readEnvSettings(env), log, clock: systemClock, exec: nodeExec };
    const plan = (extra = {}) =>
      runInstances(openProject({ cwd: f.repo }, ports), { action: 'plan', target: { stacks: [], components: [] }, parallelism: 4, ...extra }, ports);

    const first = await plan();
    expect(first.results.map((r) => `${r.component}: ${r.status}`)).toEqual(f.instances.map((c) => `${c}: changes`));
    expect(first.providers).toMatchObject({ installs: 1, extractions: 1 });
    const entry = storeEntry(f.storeRoot, TESTPROV, '1.0.0', PLATFORM).dir;
    const workdirs = f.instances.map((c) => path.join(f.repo, '.workdir/terraform', `dev-${c.replace(/-/g, '-h')}`));
    for (const wd of workdirs) {
      expect(fs.readlinkSync(path.join(wd, '.terraform/providers', TESTPROV_SOURCE, '1.0.0', PLATFORM))).toBe(entry);
      expect(fs.readFileSync(path.join(wd, '.terraform.lock.hcl')).equals(lock)).toBe(true);
    }
    // Later runs (one instance each, to keep the test short): a warm store is a hit, nothing unpacked.
    const one = { target: { stacks: [], components: ['svc-01'] } };
    expect((await plan(one)).providers).toMatchObject({ hits: 1, extractions: 0 });

    // Off: the instances install their own copies (terraform keeps an existing link, so start from none).
    fs.rmSync(path.join(workdirs[0]!, '.terraform'), { recursive: true, force: true });
    const off = await plan({ ...one, providerStore: false });
    expect(off.providers).toBeUndefined();
    expect(off.results.map((r) => r.status)).toEqual(['changes']);
    expect(fs.lstatSync(path.join(workdirs[0]!, '.terraform/providers', TESTPROV_SOURCE, '1.0.0', PLATFORM)).isSymbolicLink()).toBe(false);
    expect(log.lines.filter((l) => /text file busy|checksum/i.test(l))).toEqual([]);
  }, 120_000);
});
