/** The app/ use cases in-process, on a copy of the bundled example: what the CLI and the action both call. */
import fs from 'node:fs';
import path from 'node:path';
import { clean } from '../../src/app/clean.js';
import { describeComponent, describeStacks } from '../../src/app/describe.js';
import { matrix } from '../../src/app/matrix.js';
import { readEnvSettings } from '../../src/app/env-settings.js';
import { openProject, type AppPorts } from '../../src/app/project.js';
import { provision } from '../../src/app/provision.js';
import { listWorkdirs, showWorkdir } from '../../src/app/workdirs.js';
import { fixedClock } from '../../src/ports/clock.js';
import { nodeExec } from '../../src/ports/node-exec.js';
import type { Log } from '../../src/ports/log.js';
import { cleanEnv, copyExample, tempDir } from '../helpers/fs.js';

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

let cwd: string;
let ports: AppPorts & { log: ReturnType<typeof recordingLog> };
beforeEach(() => {
  cwd = tempDir('atmos-app-');
  copyExample(cwd);
  const env = cleanEnv();
  ports = { env, envSettings: readEnvSettings(env), log: recordingLog(), clock: fixedClock('2026-04-01T00:00:00Z'), exec: nodeExec };
});

/** The project of one command on the copy. */
const open = () => openProject({ cwd }, ports);

/** Turns the example's workdirs off everywhere (they are on in its org defaults). */
function workdirsOff(): void {
  const defaults = path.join(cwd, 'stacks/orgs/acme/plat/_defaults.yaml');
  const text = fs.readFileSync(defaults, 'utf8');
  const off = text.replace(/\n {2}provision:\n {4}workdir:\n {6}enabled: true\n/, '\n');
  expect(off).not.toBe(text);
  fs.writeFileSync(defaults, off);
}

describe('app use cases', () => {
  test('matrix selects by globs, with paths relative to cwd', () => {
    const m = matrix(open(), { stacks: ['*-dev'], components: ['vpc'], includeAbstract: false }, ports);
    expect(m.include.map((e) => [e.stack, e.component, e.workdir])).toEqual([['plat-ue2-dev', 'vpc', '.workdir/terraform/plat-ue2-dev-vpc']]);
  });

  test('the templated example stack: locals, an import context and YAML functions', () => {
    const d = describeComponent(open(), { stack: 'plat-ue2-staging', component: 'vpc' });
    expect(d.vars).toMatchObject({ stage: 'staging', cidr_block: '10.20.0.0/16', name: 'vpc', availability_zones: ['a', 'b', 'c'] });
    expect(d.settings).toEqual({ ownership: { team: 'platform', contact: 'platform@example.com' } });
  });

  test('describe component names its workdir; describe stacks filters by stack', () => {
    const d = describeComponent(open(), { stack: 'plat-ue2-dev', component: 'elasticache-cache' });
    expect(d.workdir).toBe(path.join(cwd, '.workdir/terraform/plat-ue2-dev-elasticache-hcache'));
    expect(Object.keys(describeStacks(open(), { stacks: ['plat-ue2-prod'], components: [] }, ports))).toEqual(['plat-ue2-prod']);
  });

  test('provision, list, show and clean work on the same workdirs', async () => {
    const batch = await provision(
      open(),
      { target: { stacks: ['plat-ue2-dev'], components: ['vpc', 'elasticache-cache'] }, forceWorkdir: false, parallelism: 2 },
      ports,
    );
    expect(batch.outcomes.map((o) => [o.instance.component, o.result?.action])).toEqual([
      ['elasticache-cache', 'created'],
      ['vpc', 'created'],
    ]);
    expect(listWorkdirs(open()).map((w) => w.name)).toEqual(['plat-ue2-dev-elasticache-hcache', 'plat-ue2-dev-vpc']);
    expect(showWorkdir(open(), { stack: 'plat-ue2-dev', component: 'vpc' }).info?.complete).toBe(true);
    expect(showWorkdir(open(), { stack: 'plat-ue2-prod', component: 'vpc' }).info).toBeNull();
    const removed = await clean(open(), { target: { stack: 'plat-ue2-dev', component: 'vpc' }, dryRun: false, force: false }, ports);
    expect(removed.removed.map((e) => e.name)).toEqual(['plat-ue2-dev-vpc']);
    expect(listWorkdirs(open()).map((w) => w.name)).toEqual(['plat-ue2-dev-elasticache-hcache']);
  });

  test('provision: a glob selection leaves instances without workdirs alone; a named one is an error', async () => {
    workdirsOff();
    const batch = await provision(open(), { target: { stacks: ['plat-ue2-dev'], components: ['vpc'] }, forceWorkdir: false, parallelism: 1 }, ports);
    expect(batch.outcomes).toEqual([]);
    expect(batch.notEnabled.map((i) => i.component)).toEqual(['vpc']);
    await expect(provision(open(), { target: { stack: 'plat-ue2-dev', component: 'vpc' }, forceWorkdir: false, parallelism: 1 }, ports)).rejects.toThrow(
      /workdirs are not enabled for vpc in stack plat-ue2-dev/,
    );
    expect(fs.existsSync(path.join(cwd, '.workdir'))).toBe(false);
    const forced = await provision(open(), { target: { stack: 'plat-ue2-dev', component: 'vpc' }, forceWorkdir: true, parallelism: 1 }, ports);
    expect(forced.outcomes.map((o) => o.result?.action)).toEqual(['created']);
  });

  test('provision: one failing instance comes back in its outcome, the others still run, and the core logs no error itself (the entry point reports each once)', async () => {
    fs.rmSync(path.join(cwd, 'components/terraform/vpc'), { recursive: true });
    const batch = await provision(
      open(),
      { target: { stacks: ['plat-ue2-dev'], components: ['vpc', 'elasticache-cache'] }, forceWorkdir: false, parallelism: 2 },
      ports,
    );
    const byName = Object.fromEntries(batch.outcomes.map((o) => [o.instance.component, o]));
    expect(byName['elasticache-cache']!.result?.action).toBe('created');
    expect(byName.vpc!.error?.message).toMatch(/component folder .* does not exist/);
    expect(ports.log.lines.filter((l) => l.startsWith('error:'))).toEqual([]);
  });

  test('clean --all needs only atmos.yaml: a broken stack manifest does not block it', async () => {
    await provision(open(), { target: { stacks: ['plat-ue2-dev'], components: ['vpc'] }, forceWorkdir: false, parallelism: 1 }, ports);
    fs.writeFileSync(path.join(cwd, 'stacks/orgs/acme/plat/_defaults.yaml'), 'vars: [\n');
    const r = await clean(open(), { target: { all: true }, dryRun: true, force: false }, ports);
    expect(r.removed.map((e) => e.name)).toEqual(['plat-ue2-dev-vpc']);
    expect(() => matrix(open(), { stacks: [], components: [], includeAbstract: false }, ports)).toThrow(/invalid YAML/);
  });
});
