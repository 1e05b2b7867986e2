import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { REPO_ROOT } from '../helpers/fs.js';

/**
 * Every workflow file through GitHub's own workflow parser (the schema the service validates
 * against, published as @actions/workflow-parser), plus the rules the project sets itself.
 */
const dir = path.join(REPO_ROOT, '.github/workflows');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

type Step = { uses?: string; with?: Record<string, unknown> };
type Job = { steps?: Step[]; permissions?: Record<string, string>; concurrency?: { group: string }; uses?: string };

describe('workflow files', () => {
  it.each(files)('%s passes the GitHub Actions workflow parser without errors', (f) => {
    const result = parseWorkflow({ name: f, content: read(f) }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it.each([
    ['an unknown job key', 'timeout-minutes: 60', 'timeout-minutez: 60'],
    ['a broken expression', 'matrix: ${{ fromJSON(needs.prepare.outputs.levels)[0] }}', 'matrix: ${{ fromJSON(needs.prepare.outputs.levels)[0 }}'],
    ['an unknown context', 'secrets.encryption-key', 'secretz.encryption-key'],
  ])('the parser catches %s (so the check above can fail)', (_what, from, to) => {
    const broken = read('apply.yml').replace(from, to);
    expect(broken).not.toBe(read('apply.yml'));
    const result = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it.each(files)('%s pins every third-party action by a full commit SHA', (f) => {
    const wf = parse(read(f)) as { jobs: Record<string, Job> };
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.uses || step.uses.startsWith('./')) continue;
        expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
      }
    }
  });
});

describe('the reusable workflows', () => {
  const plan = parse(read('plan.yml')) as { on: { workflow_call: { secrets: Record<string, unknown> } }; jobs: Record<string, Job> };
  const apply = parse(read('apply.yml')) as { on: { workflow_call: { secrets: Record<string, unknown> } }; jobs: Record<string, Job> };

  it('are callable and take the encryption key as a secret', () => {
    expect(Object.keys(plan.on.workflow_call.secrets)).toEqual(['encryption-key']);
    expect(Object.keys(apply.on.workflow_call.secrets)).toEqual(['encryption-key']);
  });

  it('grant pull-requests: write only to the comment job, actions: read only where plans are downloaded from another run, pull-requests: read where plans are checked against the comment', () => {
    for (const [name, job] of Object.entries(plan.jobs)) {
      expect(`${name}: ${JSON.stringify(job.permissions ?? {})}`).toBe(
        name === 'report' ? `${name}: {"contents":"read","pull-requests":"write"}` : `${name}: {}`,
      );
    }
    for (const [name, job] of Object.entries(apply.jobs)) {
      const applies = name !== 'prepare';
      expect(`${name}: ${JSON.stringify(job.permissions)}`).toBe(`${name}: {"contents":"read","actions":"read"${applies ? ',"pull-requests":"read"' : ''}}`);
    }
  });

  it('every apply step checks the planfiles against the pull request’s plan comment (it has the token)', () => {
    const applySteps = Object.values(apply.jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.with?.command === 'apply'));
    expect(applySteps).toHaveLength(5);
    for (const s of applySteps) expect(s.with!['github-token']).toBe('${{ github.token }}');
  });

  it('plan legs upload one artifact each; the comment job merges them all', () => {
    const upload = plan.jobs.plan!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.with!.name).toBe('atmos-plans-${{ strategy.job-index }}');
    const download = plan.jobs.report!.steps!.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(download.with).toMatchObject({ pattern: 'atmos-plans-*', 'merge-multiple': true });
  });

  it('apply jobs run per instance in a concurrency group of that instance, level after level', () => {
    const levels = Object.keys(apply.jobs).filter((k) => k.startsWith('level-'));
    expect(levels).toEqual(['level-1', 'level-2', 'level-3', 'level-4']);
    for (const l of levels) expect(apply.jobs[l]!.concurrency!.group).toBe('atmos-apply-${{ github.repository }}-${{ matrix.instance }}');
    expect((apply.jobs['level-2'] as { needs: string[] }).needs).toEqual(['prepare', 'level-1']);
  });
});
