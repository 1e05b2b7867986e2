import fs from 'node:fs';
import path from 'node:path';
import { parseReviewLine, reviewLine } from '../../src/report/comment.js';
import type { ReportEntry } from '../../src/report/plan-report.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { tempDir, writeTree } from '../helpers/fs.js';

/**
 * A chain of five dependent instances through the bundled action, as apply.yml runs it: apply-matrix
 * gives levels 1-4 to one job per instance and says which credentials the deeper levels' one job
 * needs; then each level's job applies its instance, and the last job applies from level 5 on.
 * Every instance is applied exactly once, in order, and every apply job (the deeper levels' one
 * too) checks its planfiles against the plan comment of the call's group, as apply.yml passes it
 * (`comment-id: plan-<group>`). Real terraform, local state.
 */
const DEEP_ROLE = 'arn:aws:iam::123456789012:role/deep-levels';
const CALL_ROLE = 'arn:aws:iam::123456789012:role/apply';
const PR = 21;
/** plan.yml's comment-id for `group: deep`, which apply.yml passes to every apply job of that group. */
const COMMENT_ID = 'plan-deep';

function chain(root: string): string {
  const step = (n: number, extra = '') =>
    `    step-${n}:\n      metadata: { component: step }\n      vars: { n: ${n} }\n` +
    (n > 1 ? `      settings:\n        depends_on:\n          1: { component: step-${n - 1} }\n${extra}` : extra);
  return writeTree(root, {
    'atmos.yaml': [
      'base_path: "."',
      'components:',
      '  terraform:',
      '    base_path: components/terraform',
      'stacks:',
      '  base_path: stacks',
      '  included_paths: ["*.yaml"]',
      '  name_pattern: "{stage}"',
      '',
    ].join('\n'),
    'components/terraform/step/main.tf':
      'variable "n" { type = number }\nvariable "stage" { type = string }\nresource "terraform_data" "step" { input = var.n }\n',
    'stacks/dev.yaml': [
      'vars: { stage: dev }',
      'components:',
      '  terraform:',
      step(1),
      step(2),
      step(3),
      step(4),
      step(
        5,
        `        integrations:\n          github:\n            gitops:\n              role: { apply: "${DEEP_ROLE}" }\n              artifact-storage: { region: eu-west-1 }\n`,
      ),
    ].join('\n'),
    '.tool-versions': '# asdf\nnodejs 24.4.0\nterraform 1.11.4\n',
  });
}

const applied = (r: ActionRun) =>
  (JSON.parse(r.outputs.summary ?? '[]') as { instance: string; status: string }[]).filter((e) => e.status === 'applied').map((e) => e.instance);
const errors = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));

describe('a five-level dependency chain through apply-matrix and the apply jobs', () => {
  let ws: string;
  let api: GitHubApiFake;
  const step = (inputs: Record<string, string>) =>
    runAction({ 'working-directory': '.', 'plans-dir': 'plans', ...inputs }, { workspace: ws, pullRequest: PR, env: { GITHUB_API_URL: api.url } });
  /** An apply job as apply.yml runs it: with the workflow token and the group's comment-id. */
  const applyJob = (inputs: Record<string, string>) => step({ command: 'apply', 'github-token': api.token, 'comment-id': COMMENT_ID, ...inputs });
  /** The group's sticky comment, showing the plans as the comment job posted them (posted or updated now). */
  const reviewedComment = async () => {
    const r = await step({ command: 'comment', 'github-token': api.token, 'comment-id': COMMENT_ID });
    expect(r.code).toBe(0);
    return api.comments('acme/infra', PR).find((c) => c.body.startsWith(`<!-- atmos-action:${COMMENT_ID} -->`))!;
  };

  beforeAll(async () => {
    api = await startGitHubApi();
    ws = chain(tempDir('atmos-action-levels-'));
    const plan = await step({ command: 'plan', parallelism: '5' });
    expect(errors(plan)).toEqual([]);
    expect(plan.code).toBe(0);
  }, 120_000);
  afterAll(() => api.close());

  it('apply-matrix: levels 1-4 one job per instance, the credentials and tool version of the deeper levels', async () => {
    const r = await step({ command: 'apply-matrix', 'level-jobs': '4', 'aws-role': CALL_ROLE, 'aws-region': 'us-east-2', 'tool-versions': 'true' });
    expect(errors(r)).toEqual([]);
    expect(r.outputs.depth).toBe('5');
    const levels = JSON.parse(r.outputs.levels!) as { include: Record<string, string>[] }[];
    expect(levels.map((l) => l.include.map((i) => i.instance))).toEqual([['dev:step-1'], ['dev:step-2'], ['dev:step-3'], ['dev:step-4']]);
    expect(levels[0]!.include[0]).toEqual({ stack: 'dev', component: 'step-1', instance: 'dev:step-1', manifest: 'stacks/dev.yaml', tool: 'terraform' });
    // Level 5's one job: its instance's own role and region, not the call's.
    expect([r.outputs['aws-role'], r.outputs['aws-region']]).toEqual([DEEP_ROLE, 'eu-west-1']);
    expect([r.outputs['terraform-version'], r.outputs['opentofu-version']]).toEqual(['1.11.4', '']);
    expect(r.stdout).toContain('terraform 1.11.4 (from .tool-versions:3)');
    expect(r.stdout).toContain('levels 1–4 one job per instance, levels 5–5 (1) in one job, in order');
  }, 60_000);

  it('in one job, instances that need different roles are refused before anything runs, naming them', async () => {
    const r = await step({ command: 'apply-matrix', 'level-jobs': '0', 'aws-role': CALL_ROLE });
    expect(r.code).toBe(1);
    expect(errors(r).join('\n')).toMatch(
      new RegExp(`which assumes one role, but they need different ones: ${CALL_ROLE} for dev:step-1, dev:step-2, dev:step-3, …; ${DEEP_ROLE} for dev:step-5`),
    );
    expect(r.outputs.levels).toBeUndefined();
  }, 60_000);

  it('the deeper levels job refuses a planfile the group’s plan comment did not show, before anything is applied', async () => {
    const ours = await reviewedComment();
    const shown = parseReviewLine(ours.body) as { plans: Record<string, string> };
    const pairs = (plans: Record<string, string>) => Object.entries(plans).map(([instance, planfileSha256]) => ({ instance, planfileSha256 }) as ReportEntry);
    api.editComment(
      'acme/infra',
      ours.id,
      ours.body.replace(reviewLine(pairs(shown.plans)), reviewLine(pairs({ ...shown.plans, 'dev:step-5': 'e'.repeat(64) }))),
    );
    try {
      const r = await applyJob({ 'from-level': '5' });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/checking every planfile against the plan comment of pull request #21/);
      expect(errors(r)[0]).toMatch(
        /dev\/step-5: not applied: its planfile \([0-9a-f]{12}…\) is not the one the plan comment of pull request #21 .* showed \(eeeeeeeeeeee…\)/,
      );
      expect(applied(r)).toEqual([]);
    } finally {
      api.editComment('acme/infra', ours.id, ours.body);
    }
  }, 60_000);

  it('each level job applies its instance, the last job level 5 on: every instance exactly once, in order', async () => {
    await reviewedComment();
    const runs: string[][] = [];
    for (let k = 1; k <= 4; k++) {
      // As the reusable workflow's level jobs call it: with the level entry's manifest.
      const r = await applyJob({ stack: 'dev', component: `step-${k}`, manifest: 'stacks/dev.yaml' });
      expect(errors(r)).toEqual([]);
      runs.push(applied(r));
    }
    const deeper = await applyJob({ 'from-level': '5' });
    expect(errors(deeper)).toEqual([]);
    // The deeper levels' job checks the comment too: no warning that the check was skipped.
    expect(deeper.stdout).toMatch(/checking every planfile against the plan comment of pull request #21/);
    expect(deeper.stdout).not.toMatch(/were not checked against/);
    expect(deeper.stdout).toContain('1 instance(s) in dependency level(s) 5–5, applied in order');
    runs.push(applied(deeper));
    expect(runs).toEqual([['dev:step-1'], ['dev:step-2'], ['dev:step-3'], ['dev:step-4'], ['dev:step-5']]);
    const withState = (d: string) =>
      fs
        .readdirSync(path.join(ws, '.workdir/terraform', d), { recursive: true })
        .some((f) => path.basename(String(f)) === 'terraform.tfstate' && !String(f).startsWith('.terraform/'));
    expect(fs.readdirSync(path.join(ws, '.workdir/terraform')).filter(withState).sort()).toEqual([
      'dev-step-h1',
      'dev-step-h2',
      'dev-step-h3',
      'dev-step-h4',
      'dev-step-h5',
    ]);
    // Beyond the deepest level there is nothing left to apply, and that is not an error.
    const beyond = await applyJob({ 'from-level': '6' });
    expect(beyond.code).toBe(0);
    expect(beyond.outputs.summary).toBe('[]');
  }, 180_000);
});
