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
  type Reusable = {
    on: { workflow_call: { inputs: Record<string, { default?: unknown }>; secrets: Record<string, unknown> } };
    jobs: Record<string, Job & { needs?: string | string[]; if?: string; strategy?: { matrix: string }; 'runs-on': string; environment?: string }>;
  };
  const load = (f: string) => parse(read(f)) as Reusable;
  const plan = load('plan.yml');
  const apply = load('apply.yml');
  const drift = load('drift.yml');
  const RUNS_ON = "${{ startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on }}";

  it('are callable and take the encryption key and the cloud environment as secrets', () => {
    for (const wf of [plan, apply, drift]) expect(Object.keys(wf.on.workflow_call.secrets)).toEqual(['encryption-key', 'cloud-env']);
  });

  it('grant each job only what it uses: id-token to the plan and apply jobs, pull-requests to the comment (write) and the applies (read), issues to the drift issues', () => {
    const grants = (wf: Reusable) => Object.fromEntries(Object.entries(wf.jobs).map(([name, job]) => [name, job.permissions ?? {}]));
    expect(grants(plan)).toEqual({
      matrix: {},
      plan: { contents: 'read', 'id-token': 'write' },
      report: { contents: 'read', 'pull-requests': 'write' },
    });
    expect(grants(drift)).toEqual({
      matrix: {},
      plan: { contents: 'read', 'id-token': 'write' },
      issues: { contents: 'read', issues: 'write' },
    });
    // pull-requests: read: every apply job checks the planfiles against the pull request's plan comment.
    const applying = { contents: 'read', actions: 'read', 'id-token': 'write', 'pull-requests': 'read' };
    expect(grants(apply)).toEqual({
      prepare: { contents: 'read', actions: 'read' },
      'one-job': applying,
      'level-1': applying,
      'level-2': applying,
      'level-3': applying,
      'level-4': applying,
      'deeper-levels': applying,
    });
  });

  it('every apply step, the deeper levels one too, checks the planfiles against the plan comment of its group (it has the token)', () => {
    const applySteps = Object.values(apply.jobs).flatMap((j) => (j.steps ?? []).filter((s) => s.with?.command === 'apply'));
    expect(applySteps).toHaveLength(6);
    const planCommentId = plan.jobs.report!.steps!.find((s) => s.with?.command === 'comment')!.with!['comment-id'];
    for (const s of applySteps) {
      expect(s.with!['github-token']).toBe('${{ github.token }}');
      // The same marker plan.yml's comment step wrote, from the same inputs (group, comment-id).
      expect(s.with!['comment-id']).toBe(planCommentId);
    }
    expect(apply.on.workflow_call.inputs['comment-id']!.default).toBe('');
  });

  it('run every job on the runs-on input, and the apply jobs in the environment input', () => {
    for (const wf of [plan, apply, drift]) {
      expect(wf.on.workflow_call.inputs['runs-on']!.default).toBe('ubuntu-latest');
      for (const [name, job] of Object.entries(wf.jobs)) expect(`${name}: ${job['runs-on']}`).toBe(`${name}: ${RUNS_ON}`);
    }
    for (const [name, job] of Object.entries(apply.jobs))
      expect(`${name}: ${job.environment ?? ''}`).toBe(`${name}: ${name === 'prepare' ? '' : '${{ inputs.environment }}'}`);
  });

  it('assume AWS roles with the official action, pinned, per instance from the matrix else from the input', () => {
    const creds = (job: Job) => job.steps!.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    for (const [wf, role] of [
      [plan.jobs.plan!, 'matrix.role_plan || inputs.aws-role'],
      [drift.jobs.plan!, 'matrix.role_plan || inputs.aws-role'],
      [apply.jobs['level-1']!, 'matrix.role_apply || inputs.aws-role'],
      [apply.jobs['deeper-levels']!, 'needs.prepare.outputs.aws-role'],
      [apply.jobs['one-job']!, 'needs.prepare.outputs.aws-role'],
    ] as const) {
      const [step] = creds(wf);
      expect(step!.uses).toBe('aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c'); // v6.2.3
      expect(step!.with!['role-to-assume']).toBe(`\${{ ${role} }}`);
    }
  });

  it('install OpenTofu with its official action, pinned, for the legs whose tool is tofu', () => {
    for (const job of [plan.jobs.plan!, drift.jobs.plan!, apply.jobs['level-1']!]) {
      const tofu = job.steps!.find((s) => s.uses?.startsWith('opentofu/setup-opentofu@')) as Step & { if: string };
      expect(tofu.uses).toBe('opentofu/setup-opentofu@a1320f892987e89d278cc92dc5adc984fb93aca4'); // v2.0.2
      expect(tofu.if).toBe("matrix.tool == 'tofu'");
      expect(tofu.with).toMatchObject({
        tofu_version: '${{ needs.' + (job === apply.jobs['level-1'] ? 'prepare' : 'matrix') + '.outputs.opentofu-version }}',
      });
    }
  });

  it("name the plan artifacts after the group, so two calls in one run never read each other's plans", () => {
    for (const wf of [plan, drift]) {
      const upload = wf.jobs.plan!.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
      expect(upload.with!.name).toBe('atmos-plans-${{ inputs.group }}.${{ strategy.job-index }}');
      const last = Object.values(wf.jobs).at(-1)!;
      const download = last.steps!.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
      expect(download.with).toMatchObject({ pattern: 'atmos-plans-${{ inputs.group }}.*', 'merge-multiple': true });
    }
    const find = apply.jobs.prepare!.steps!.find((s) => s.with?.command === 'find-plans')!;
    expect(find.with!.group).toBe('${{ inputs.group }}');
    expect(plan.jobs.report!.steps!.find((s) => s.with?.command === 'comment')!.with!['comment-id']).toContain('inputs.comment-id');
  });

  it('apply jobs run per instance in a concurrency group of that instance (a packed leg: of that leg), level after level', () => {
    const levels = Object.keys(apply.jobs).filter((k) => k.startsWith('level-'));
    expect(levels).toEqual(['level-1', 'level-2', 'level-3', 'level-4']);
    for (const [n, l] of levels.entries()) {
      expect(apply.jobs[l]!.concurrency!.group).toBe(
        `atmos-apply-\${{ github.repository }}-\${{ matrix.instance || format('{0}-level-${n + 1}-leg-{1}', inputs.group, strategy.job-index) }}`,
      );
    }
    expect(apply.jobs['level-2']!.needs).toEqual(['prepare', 'level-1']);
    expect(apply.jobs['deeper-levels']!.needs).toEqual(['prepare', 'level-4']);
  });
});
