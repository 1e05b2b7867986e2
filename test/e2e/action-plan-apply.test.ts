import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseReviewLine, reviewLine } from '../../src/report/comment.js';
import type { ReportEntry } from '../../src/report/plan-report.js';
import { startCacheService } from '../fakes/cache-service.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { copyExample, tempDir } from '../helpers/fs.js';
import { manyEntries, writePlanFolders } from '../helpers/plans.js';

/**
 * The bundled example through the reusable workflows' steps, with real terraform and the bundled
 * action as a child process: two plan legs (one per stack, each into its own artifact folder), the
 * artifacts merged as download-artifact's merge-multiple does, one sticky comment, then apply of
 * exactly those plans, and the two ways an apply must refuse.
 */
const KEY = 'a passphrase, stored as a repository secret';
const PR = 7;
const REPO = 'acme/infra';
let api: GitHubApiFake;
let ws: string;

beforeAll(async () => {
  api = await startGitHubApi();
  ws = tempDir('atmos-action-e2e-ws-');
  copyExample(ws);
});
afterAll(() => api.close());

const step = (inputs: Record<string, string>, workspace = ws) =>
  runAction({ 'working-directory': '.', ...inputs }, { workspace, pullRequest: PR, env: { GITHUB_API_URL: api.url } });
const errors = (r: ActionRun) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));

/** Two plan legs, one per stack, merged like download-artifact merge-multiple. */
async function planLegs(): Promise<{ merged: string; legs: ActionRun[] }> {
  const legs = await Promise.all([
    step({ command: 'plan', stacks: 'plat-ue2-dev', 'plans-dir': 'leg-dev', 'encryption-key': KEY }),
    step({ command: 'plan', stacks: 'plat-ue2-prod', 'plans-dir': 'leg-prod', 'encryption-key': KEY }),
  ]);
  const merged = tempDir('atmos-action-merged-');
  for (const leg of legs) fs.cpSync(leg.outputs['plans-dir']!, merged, { recursive: true });
  return { merged, legs };
}

/** Workdirs holding state (the example's local backend keeps one per workspace under terraform.tfstate.d/). */
const stateFiles = (workspace = ws) =>
  fs.readdirSync(path.join(workspace, '.workdir/terraform')).filter((d) => {
    const states = path.join(workspace, '.workdir/terraform', d, 'terraform.tfstate.d');
    return fs.existsSync(states) && fs.readdirSync(states).some((w) => fs.existsSync(path.join(states, w, 'terraform.tfstate')));
  });

describe('plan legs → one PR comment → apply exactly what was reviewed', () => {
  /**
   * The reviewed plans every test here starts from; no test relies on another having run. Nothing
   * is applied in `ws`, so the refusals can check that it holds no state; the applies run in a
   * fresh checkout of their own, as the apply job after the merge does.
   */
  let run: { merged: string; legs: ActionRun[] };
  let merged: string;
  beforeAll(async () => {
    run = await planLegs();
    merged = run.merged;
  });

  /** The sticky comment showing `merged`'s plans, as reviewers saw them before the merge (posted or updated now). */
  const reviewedComment = async () => {
    const r = await step({ command: 'comment', 'plans-dir': merged, 'github-token': api.token });
    expect(r.code).toBe(0);
    return api.comments(REPO, PR)[0]!;
  };

  it('each plan leg writes one folder per instance and sets its outputs; the key never shows', () => {
    for (const leg of run.legs) {
      expect(errors(leg)).toEqual([]);
      expect(leg.code).toBe(0);
      expect(leg.outputs['has-changes']).toBe('true');
      expect(leg.stdout.replace(`::add-mask::${KEY}`, '')).not.toContain(KEY);
      expect(leg.summary).toContain('4 instance(s): 4 with changes, 0 without, 0 failed.');
      expect(leg.stdout).toMatch(/::group::plan plat-ue2-\w+ \/ vpc: changes/);
    }
    expect(run.legs[0]!.stdout.startsWith(`::add-mask::${KEY}`)).toBe(true); // registered before anything else runs
    const summary = JSON.parse(run.legs[0]!.outputs.summary!) as { instance: string; add: number; status: string }[];
    expect(summary).toContainEqual({
      instance: 'plat-ue2-dev:vpc',
      stack: 'plat-ue2-dev',
      component: 'vpc',
      status: 'changes',
      add: 1,
      change: 0,
      destroy: 0,
      replace: 0,
    });
    expect(fs.readdirSync(merged).sort()).toEqual([
      'plat-hue2-hdev--elasticache-hcache',
      'plat-hue2-hdev--elasticache-hqueue',
      'plat-hue2-hdev--elasticache-hsessions',
      'plat-hue2-hdev--vpc',
      'plat-hue2-hprod--elasticache-hcache',
      'plat-hue2-hprod--elasticache-hqueue',
      'plat-hue2-hprod--elasticache-hsessions',
      'plat-hue2-hprod--vpc',
    ]);
    expect(fs.readdirSync(path.join(merged, 'plat-hue2-hdev--vpc')).sort()).toEqual(['plan-meta.json', 'result.json', 'tfplan.enc']);
    expect(fs.readdirSync(path.join(merged, 'plat-hue2-hprod--vpc')).sort()).toEqual(['plan-meta.json', 'result.json', 'tfplan.enc']);
    const meta = JSON.parse(fs.readFileSync(path.join(merged, 'plat-hue2-hdev--vpc/plan-meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({
      instance: 'plat-ue2-dev:vpc',
      commitSha: '1234567890abcdef1234567890abcdef12345678',
      encrypted: true,
      terraformVersion: expect.stringMatching(/^1\./),
      // the root module's committed lock file (the example ships the one `terraform providers lock` writes)
      lockFileSha256: createHash('sha256')
        .update(fs.readFileSync(path.join(ws, 'components/terraform/vpc/.terraform.lock.hcl')))
        .digest('hex'),
      files: {
        'components/terraform/vpc/main.tf': expect.stringMatching(/^[0-9a-f]{64}$/),
        '(generated) backend.tf.json': expect.stringMatching(/^[0-9a-f]{64}$/),
        '(generated) plat-ue2-dev-vpc.terraform.tfvars.json': expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(meta.planfileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.configSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the comment job posts one sticky comment with every leg', async () => {
    const r = await step({ command: 'comment', 'plans-dir': merged, 'github-token': api.token });
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const comments = api.comments(REPO, PR);
    expect(comments).toHaveLength(1);
    expect(r.outputs['comment-id']).toBe(String(comments[0]!.id));
    const body = comments[0]!.body;
    expect(body.startsWith('<!-- atmos-action:plan -->')).toBe(true);
    expect(body).toContain('8 instance(s): 8 with changes');
    expect(body).toMatch(/\| plat-ue2-prod \| elasticache-queue \| 1 \/ 0 \/ 0 \| 📝 changes \| `[0-9a-f]{12}` \|/);
    expect(body).toContain('[workflow run](https://github.com/acme/infra/actions/runs/4242)');
    expect(body).not.toContain(api.token);
    // The review record: every planfile's full SHA-256, as apply will check it.
    const shown = parseReviewLine(body) as { plans: Record<string, string> };
    const metas = fs
      .readdirSync(merged)
      .map((d) => JSON.parse(fs.readFileSync(path.join(merged, d, 'plan-meta.json'), 'utf8')) as { instance: string; planfileSha256: string });
    expect(shown.plans).toEqual(Object.fromEntries(metas.map((m) => [m.instance, m.planfileSha256])));
  });

  /** A copy of the merged plans to break. */
  const copyOfPlans = () => {
    const dir = tempDir('atmos-action-tampered-');
    fs.cpSync(merged, dir, { recursive: true });
    return dir;
  };
  const editMeta = (folder: string, edit: (m: Record<string, unknown>) => void) => {
    const file = path.join(folder, 'plan-meta.json');
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(m);
    fs.writeFileSync(file, JSON.stringify(m));
  };

  it('a tampered sealed planfile, or one moved to another instance with its hash, stops the apply before anything is applied', async () => {
    const tampered = copyOfPlans();
    const enc = path.join(tampered, 'plat-hue2-hdev--vpc/tfplan.enc');
    const a = fs.readFileSync(enc);
    a[a.length - 30] ^= 0xff;
    fs.writeFileSync(enc, a);
    // Two instances' sealed planfiles swapped, together with the hashes recorded for them.
    const [cache, sessions] = ['plat-hue2-hprod--elasticache-hcache', 'plat-hue2-hprod--elasticache-hsessions'].map((d) => path.join(tampered, d));
    const [ec, es] = [cache!, sessions!].map((d) => fs.readFileSync(path.join(d, 'tfplan.enc')));
    const [hc, hs] = [cache!, sessions!].map(
      (d) => (JSON.parse(fs.readFileSync(path.join(d, 'plan-meta.json'), 'utf8')) as { planfileSha256: string }).planfileSha256,
    );
    fs.writeFileSync(path.join(cache!, 'tfplan.enc'), es!);
    fs.writeFileSync(path.join(sessions!, 'tfplan.enc'), ec!);
    editMeta(cache!, (m) => (m.planfileSha256 = hs));
    editMeta(sessions!, (m) => (m.planfileSha256 = hc));
    const r = await step({ command: 'apply', 'plans-dir': tampered, 'encryption-key': KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error file=stacks\/orgs\/acme\/plat\/dev\/us-east-2\.yaml,line=10::.*plat-ue2-dev\/vpc: not applied: the planfile of plat-ue2-dev:vpc cannot be decrypted/,
    );
    for (const c of ['elasticache-cache', 'elasticache-sessions']) {
      expect(r.stdout).toMatch(
        new RegExp(`plat-ue2-prod/${c}: not applied: the planfile of plat-ue2-prod:${c} cannot be decrypted: .*moved from another instance's folder`),
      );
    }
    expect(r.stdout).toContain('nothing applied: 3 of 8 reviewed plan(s) no longer match');
    expect(r.summary).toContain('atmos-action apply: refused, nothing applied');
    expect(stateFiles()).toEqual([]);
  });

  it('with the key, a plan that is not sealed is refused, even with a matching hash', async () => {
    const unsealed = copyOfPlans();
    const folder = path.join(unsealed, 'plat-hue2-hdev--vpc');
    const evil = Buffer.from('a planfile whose resource runs a local-exec');
    fs.rmSync(path.join(folder, 'tfplan.enc'));
    fs.writeFileSync(path.join(folder, 'tfplan'), evil);
    editMeta(folder, (m) => {
      m.encrypted = false;
      m.planfileSha256 = createHash('sha256').update(evil).digest('hex');
    });
    const r = await step({ command: 'apply', 'plans-dir': unsealed, 'encryption-key': KEY });
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toMatch(/plat-ue2-dev\/vpc: not applied: the plan is not sealed: with encryption-key set, apply takes sealed plans only/);
    expect(stateFiles()).toEqual([]);
  });

  it('a plan folder without metadata, a link, or a second folder for one instance stops the apply, naming each', async () => {
    const plans = path.join(tempDir('atmos-action-broken-'), 'plans');
    fs.cpSync(merged, plans, { recursive: true });
    fs.rmSync(path.join(plans, 'plat-hue2-hdev--elasticache-hcache/plan-meta.json'));
    fs.renameSync(path.join(plans, 'plat-hue2-hdev--elasticache-hqueue'), path.join(plans, '..', 'elsewhere'));
    fs.symlinkSync(path.join(plans, '..', 'elsewhere'), path.join(plans, 'plat-hue2-hdev--elasticache-hqueue'));
    fs.cpSync(path.join(plans, 'plat-hue2-hdev--vpc'), path.join(plans, 'plat-hue2-hdev--vpc-hcopy'), { recursive: true });
    // Even a job that applies another instance refuses: the directory is not what was reviewed.
    const r = await step({ command: 'apply', 'plans-dir': plans, 'encryption-key': KEY, stack: 'plat-ue2-prod', component: 'vpc' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      [
        'holds what is not a complete plan, so nothing is applied:',
        '  plat-hue2-hdev--elasticache-hcache: has no plan-meta.json: its plan job did not finish, or the artifact was altered',
        '  plat-hue2-hdev--elasticache-hqueue: is a symbolic link, not a plan folder: a plans directory holds only the folders plan jobs write',
        '  plat-hue2-hdev--vpc-hcopy: holds the plan of plat-ue2-dev:vpc, whose folder is plat-hue2-hdev--vpc',
      ].join('%0A'),
    );
    expect(stateFiles()).toEqual([]);
  });

  it('without the key the apply says the plans are not authenticated, in the log and the summary', async () => {
    const r = await step({ command: 'apply', 'plans-dir': merged });
    expect(r.code).toBe(1); // the sealed plans need the key
    expect(r.stdout).toMatch(/::warning::The plans are not authenticated: without encryption-key, anyone who can write the plan artifacts could have changed/);
    expect(r.summary).toMatch(/> \[!WARNING\]\n> The plans are not authenticated/);
    expect(r.stdout).toMatch(/::warning::The planfiles were not checked against the pull request's plan comment, because apply has no github-token/);
    expect(r.summary).toContain("were not checked against the pull request's plan comment");
    expect(stateFiles()).toEqual([]);
  });

  it('the code of the component changed since the plan stops the apply, naming the file', async () => {
    const main = path.join(ws, 'components/terraform/vpc/main.tf');
    const before = fs.readFileSync(main, 'utf8');
    fs.appendFileSync(main, '\n# a change nobody reviewed\n');
    try {
      const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY });
      expect(r.code).toBe(1);
      expect(errors(r)).toEqual([
        expect.stringMatching(/plat-ue2-dev\/vpc: not applied: the code changed since the plan \(components\/terraform\/vpc\/main.tf changed\): plan again/),
        expect.stringMatching(/plat-ue2-prod\/vpc: not applied: the code changed since the plan \(components\/terraform\/vpc\/main.tf changed\)/),
        expect.stringMatching(/nothing applied: 2 of 8/),
      ]);
    } finally {
      fs.writeFileSync(main, before);
    }
    expect(stateFiles()).toEqual([]);
  });

  it('another terraform version than the plan was made with stops the apply, naming both', async () => {
    const bin = tempDir('atmos-action-tf-');
    const real = execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim();
    fs.writeFileSync(
      path.join(bin, 'terraform'),
      `#!/bin/sh\nif [ "$1" = version ]; then echo '{"terraform_version":"1.99.0"}'; exit 0; fi\nexec ${real} "$@"\n`,
      { mode: 0o755 },
    );
    const r = await runAction(
      { 'working-directory': '.', command: 'apply', 'plans-dir': merged, 'encryption-key': KEY },
      { workspace: ws, pullRequest: PR, env: { GITHUB_API_URL: api.url, PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toMatch(/not applied: terraform version 1\.\d+\.\d+ → 1\.99\.0 since the plan: apply with 1\.\d+\.\d+, or plan again/);
    expect(stateFiles()).toEqual([]);
  });

  it('with a token, a planfile the pull request’s comment did not show, or showed with another hash, is refused', async () => {
    const ours = await reviewedComment();
    const original = ours.body;
    const shown = parseReviewLine(original) as { plans: Record<string, string> };
    const edited = { ...shown.plans, 'plat-ue2-dev:vpc': 'e'.repeat(64) };
    delete (edited as Record<string, string>)['plat-ue2-prod:vpc'];
    api.editComment(
      REPO,
      ours.id,
      original.replace(
        reviewLine(Object.entries(shown.plans).map(([instance, planfileSha256]) => ({ instance, planfileSha256 }) as ReportEntry)),
        reviewLine(Object.entries(edited).map(([instance, planfileSha256]) => ({ instance, planfileSha256 }) as ReportEntry)),
      ),
    );
    try {
      const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY, 'github-token': api.token });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /checking every planfile against the plan comment of pull request #7 \(https:\/\/github.com\/acme\/infra\/pull\/7#issuecomment-\d+\)/,
      );
      expect(errors(r)).toEqual([
        expect.stringMatching(
          /plat-ue2-dev\/vpc: not applied: its planfile \([0-9a-f]{12}…\) is not the one the plan comment of pull request #7 .* showed \(eeeeeeeeeeee…\)/,
        ),
        expect.stringMatching(/plat-ue2-prod\/vpc: not applied: the plan comment of pull request #7 .* does not list this plan: it was not reviewed/),
        expect.stringMatching(/nothing applied: 2 of 8/),
      ]);
      expect(r.stdout).not.toMatch(/::warning::The planfiles were not checked/);
    } finally {
      api.editComment(REPO, ours.id, original);
    }
    expect(stateFiles()).toEqual([]);
  });

  it('a wrong key stops it too', async () => {
    const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': 'not the key' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the encryption-key differs from the one it was planned with');
    expect(stateFiles()).toEqual([]);
  });

  /** The dev stack manifest edited after the review, for one apply, then put back. */
  async function applyWithEditedStack(edit: (text: string) => string): Promise<ActionRun> {
    const file = path.join(ws, 'stacks/orgs/acme/plat/dev/us-east-2.yaml');
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, edit(before));
    try {
      return await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY });
    } finally {
      fs.writeFileSync(file, before);
    }
  }

  it('a stack file changed after the plan stops the apply and says what differs', async () => {
    const r = await applyWithEditedStack((t) => t.replace('10.10.0.0/16', '10.99.0.0/16'));
    expect(r.code).toBe(1);
    expect(errors(r)).toEqual([
      expect.stringMatching(
        /plat-ue2-dev\/vpc: not applied: the resolved configuration changed since the plan \(stack file orgs\/acme\/plat\/dev\/us-east-2 or what it imports\): plan again/,
      ),
      expect.stringMatching(/nothing applied: 1 of 8/),
    ]);
    expect(stateFiles()).toEqual([]);
  });

  it('a locked instance refuses the apply', async () => {
    const r = await applyWithEditedStack((t) => t.replace('    vpc:\n', '    vpc:\n      metadata:\n        locked: true\n'));
    expect(r.code).toBe(1);
    expect(errors(r)[0]).toMatch(/plat-ue2-dev\/vpc: not applied: locked \(metadata.locked: true\): apply is refused/);
    expect(stateFiles()).toEqual([]);
  });

  it('a lock file changed after the plan stops the apply too', async () => {
    const lock = path.join(ws, 'components/terraform/vpc/.terraform.lock.hcl');
    const committed = fs.readFileSync(lock);
    fs.writeFileSync(lock, '# This file is maintained automatically by "terraform init".\n');
    try {
      const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY });
      expect(r.code).toBe(1);
      expect(errors(r)).toEqual([
        expect.stringMatching(/plat-ue2-dev\/vpc: not applied: the provider lock file changed since the plan \([0-9a-f]{12}… → [0-9a-f]{12}…\): plan again/),
        expect.stringMatching(/plat-ue2-prod\/vpc: not applied: the provider lock file changed since the plan/),
        expect.stringMatching(/nothing applied: 2 of 8/),
      ]);
      expect(stateFiles()).toEqual([]);
    } finally {
      fs.writeFileSync(lock, committed);
    }
  });

  it('a second plan run updates the same comment in place', async () => {
    const commentId = (await reviewedComment()).id;
    const posts = () => api.calls().filter((c) => c.startsWith('POST'));
    const postedBefore = posts().length;
    const again = await planLegs();
    const r = await step({ command: 'comment', 'plans-dir': again.merged, 'github-token': api.token });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/plan comment (updated|unchanged)/);
    const comments = api.comments(REPO, PR);
    expect(comments.map((c) => c.id)).toEqual([commentId]);
    expect(posts()).toHaveLength(postedBefore);
  });

  it("after the merge, find-plans picks the run of the pull request's last commit that holds plan artifacts, and never another pull request's", async () => {
    const head = 'f'.repeat(40);
    const of = (number: number) => [{ number, head: { ref: 'feature', sha: head }, base: { ref: 'main', sha: 'b'.repeat(40) } }];
    const older = api.actions.addRun(REPO, { head_sha: head, event: 'pull_request', pull_requests: of(PR) });
    api.actions.addArtifact(REPO, older.id, 'atmos-plans-plat-ue2-dev', Buffer.from('zip'));
    const latest = api.actions.addRun(REPO, { head_sha: head, event: 'pull_request', pull_requests: of(PR) });
    api.actions.addArtifact(REPO, latest.id, 'atmos-plans-plat-ue2-dev', Buffer.from('zip'));
    api.actions.addArtifact(REPO, latest.id, 'atmos-plans-plat-ue2-prod', Buffer.from('zip'));
    // Newer still: another pull request whose head is the same commit. Its plans are not ours.
    const other = api.actions.addRun(REPO, { head_sha: head, event: 'pull_request', pull_requests: of(PR + 1) });
    api.actions.addArtifact(REPO, other.id, 'atmos-plans-plat-ue2-dev', Buffer.from('zip'));
    api.actions.addRun(REPO, { head_sha: 'e'.repeat(40), event: 'pull_request', pull_requests: of(PR) }); // another commit: never picked
    const r = await step({ command: 'find-plans', 'github-token': api.token });
    expect(errors(r)).toEqual([]);
    expect(r.outputs['run-id']).toBe(String(latest.id));
    expect(r.summary).toContain(`Run ${latest.id} (commit \`ffffffffffff\`): 2 plan artifact(s).`);
    const none = await step({ command: 'find-plans', 'github-token': api.token, 'head-sha': 'd'.repeat(40) });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/::error::no successful plan run with atmos-plans-\* artifacts for the last commit dddddddddddd of pull request #7/);
  });

  it('apply-matrix puts each instance in a dependency level, for one apply job per instance', async () => {
    const r = await step({ command: 'apply-matrix', 'plans-dir': merged });
    expect(r.code).toBe(0);
    // elasticache-* depend on vpc (settings.depends_on); the queue also on sessions (dependencies.components).
    expect(r.outputs.depth).toBe('3');
    expect(r.summary).toContain('| 3 | plat-ue2-prod | elasticache-queue |');
    const levels = JSON.parse(r.outputs.levels!) as { include: { instance: string }[] }[];
    expect(levels.map((l) => l.include.map((i) => i.instance).sort())).toEqual([
      ['plat-ue2-dev:vpc', 'plat-ue2-prod:vpc'],
      ['plat-ue2-dev:elasticache-cache', 'plat-ue2-dev:elasticache-sessions', 'plat-ue2-prod:elasticache-cache', 'plat-ue2-prod:elasticache-sessions'],
      ['plat-ue2-dev:elasticache-queue', 'plat-ue2-prod:elasticache-queue'],
    ]);
  });

  it('one job per instance: apply with stack and component applies only that plan', async () => {
    await reviewedComment();
    const checkout = copyExample();
    const r = await step(
      { command: 'apply', 'plans-dir': merged, 'encryption-key': KEY, 'github-token': api.token, stack: 'plat-ue2-prod', component: 'vpc' },
      checkout,
    );
    expect(errors(r)).toEqual([]);
    expect(r.summary).toContain('1 instance(s)');
    expect(stateFiles(checkout)).toEqual(['plat-ue2-prod-vpc']);
  });

  it('apply applies exactly the reviewed planfiles, dependencies first', async () => {
    await reviewedComment();
    const checkout = copyExample();
    const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY, 'github-token': api.token, parallelism: '4' }, checkout);
    expect(errors(r)).toEqual([]);
    expect(r.stdout).not.toMatch(/not authenticated|were not checked against/);
    expect(r.code).toBe(0);
    expect(r.summary).toContain('8 instance(s): 8 with changes, 0 without, 0 failed.');
    expect(r.summary).toMatch(/\| plat-ue2-dev \| vpc \| 1 \/ 0 \/ 0 \| 🚀 applied \|/);
    const groups = Array.from(r.stdout.matchAll(/^::group::apply (\S+) \/ (\S+): (\w+)/gm)).map((m) => `${m[1]}/${m[2]}`);
    expect(groups).toHaveLength(8);
    expect(stateFiles(checkout)).toHaveLength(8);
    // Dependencies first: vpc's state was written before any cluster's, sessions' before queue's.
    const written = (wd: string) => {
      const states = path.join(checkout, '.workdir/terraform', wd, 'terraform.tfstate.d');
      return fs.statSync(path.join(states, fs.readdirSync(states)[0]!, 'terraform.tfstate')).mtimeMs;
    };
    for (const c of ['elasticache-hcache', 'elasticache-hsessions', 'elasticache-hqueue'])
      expect(written('plat-ue2-dev-vpc')).toBeLessThan(written(`plat-ue2-dev-${c}`));
    expect(written('plat-ue2-dev-elasticache-hsessions')).toBeLessThan(written('plat-ue2-dev-elasticache-hqueue'));
    expect(r.stdout.replace(`::add-mask::${KEY}`, '')).not.toContain(KEY);
  });
});

describe('the comment step with a 300-instance plan', () => {
  it('posts a body GitHub accepts: under 65,536 characters, the whole table kept, and says where the full plans are', async () => {
    const dir = tempDir('atmos-action-300-');
    await writePlanFolders(dir, manyEntries(300));
    const r = await runAction(
      { command: 'comment', 'plans-dir': dir, 'github-token': api.token },
      { workspace: ws, pullRequest: 300, env: { GITHUB_API_URL: api.url } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/::warning/);
    const [c] = api.comments(REPO, 300);
    expect(c!.body.length).toBeLessThanOrEqual(65_536);
    expect(c!.body.match(/^\| org-/gm)).toHaveLength(300);
    expect(c!.body).toContain('This report was shortened to fit.');
  });

  it('without a token, or when the API fails, the step warns and succeeds', async () => {
    const none = await step({ command: 'comment', 'plans-dir': tempDir() });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/::warning::no github-token/);
    api.failWith(500, { times: 1 });
    const down = await step({ command: 'comment', 'plans-dir': tempDir(), 'github-token': api.token });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/::warning::the plan comment was not posted: GET \/user: 500/);
  });
});

describe('a plan that fails', () => {
  it('fails its step with an annotation on the stack manifest, and the comment shows it apart from the others', async () => {
    const dir = tempDir('atmos-action-e2e-fail-');
    copyExample(dir);
    const manifest = path.join(dir, 'stacks/orgs/acme/plat/prod/us-east-2.yaml');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('num_nodes: 3', 'num_nodes: many'));
    const env = { GITHUB_API_URL: api.url };
    const plan = await runAction({ command: 'plan', stacks: 'plat-ue2-prod', components: 'elasticache-*' }, { workspace: dir, pullRequest: 9, env });
    expect(plan.code).toBe(1);
    const annotations = plan.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^::error file=stacks\/orgs\/acme\/plat\/prod\/us-east-2\.yaml,line=14::.*plan plat-ue2-prod\/elasticache-queue: plan failed: Invalid value for input variable/,
    );
    expect(plan.summary).toContain('3 instance(s): 2 with changes, 0 without, 1 failed.');
    const comment = await runAction(
      { command: 'comment', 'plans-dir': plan.outputs['plans-dir']!, 'github-token': api.token },
      { workspace: dir, pullRequest: 9, env },
    );
    expect(comment.code).toBe(0);
    const body = api.comments(REPO, 9)[0]!.body;
    expect(body).toContain('| plat-ue2-prod | elasticache-queue | – | ❌ failed | – |');
    expect(body).toMatch(/<details open><summary>❌ <b>plat-ue2-prod \/ elasticache-queue<\/b>: failed<\/summary>/);
  });
});

describe('the provider store around a plan job', () => {
  it('is restored from the Actions cache under the lock-file key before the plan, and a cache outage is only a warning', async () => {
    const service = await startCacheService();
    try {
      const dir = tempDir('atmos-action-e2e-cache-');
      copyExample(dir);
      const env = { ...service.env(), GITHUB_API_URL: api.url, RUNNER_TOOL_CACHE: tempDir('atmos-action-toolcache-') };
      const r = await runAction({ command: 'plan', stack: 'plat-ue2-dev', component: 'vpc' }, { workspace: dir, pullRequest: 11, env });
      expect(errors(r)).toEqual([]);
      expect(r.code).toBe(0);
      const lookups = service.requests
        .filter((q) => q.path.endsWith('/GetCacheEntryDownloadURL'))
        .map((q) => q.json as { key: string; restore_keys: string[] });
      expect(lookups).toHaveLength(1);
      expect(lookups[0]!.key).toMatch(/^atmos-action-providers-terraform-linux-(amd64|arm64)-[0-9a-f]{16,64}$/);
      expect(lookups[0]!.restore_keys).toEqual([expect.stringMatching(/^atmos-action-providers-terraform-linux-(amd64|arm64)-$/)]);
      // The example needs no provider (terraform_data is built in): the store did not change, nothing is uploaded.
      expect(service.calls()).not.toContain('CreateCacheEntry');

      await service.close();
      const down = await runAction({ command: 'plan', stack: 'plat-ue2-dev', component: 'vpc' }, { workspace: dir, pullRequest: 11, env });
      expect(down.code).toBe(0);
      expect(down.stdout).toMatch(/::warning::(Failed to restore|.*provider store not restored)/);
      expect(down.stdout).not.toMatch(/::error/);
    } finally {
      await service.close().catch(() => {});
    }
  });
});
