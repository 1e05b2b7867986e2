import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writePlanFolder } from '../../src/terraform/plan-store.js';
import { startCacheService } from '../fakes/cache-service.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { copyExample, tempDir } from '../helpers/fs.js';
import { manyEntries } from '../helpers/plans.js';

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

/** Two plan legs (dev encrypted, prod plain, as two callers might), merged like download-artifact merge-multiple. */
async function planLegs(): Promise<{ merged: string; legs: ActionRun[] }> {
  const legs = await Promise.all([
    step({ command: 'plan', stacks: 'plat-ue2-dev', 'plans-dir': 'leg-dev', 'encryption-key': KEY }),
    step({ command: 'plan', stacks: 'plat-ue2-prod', 'plans-dir': 'leg-prod' }),
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
    expect(fs.readdirSync(path.join(merged, 'plat-hue2-hprod--vpc')).sort()).toEqual(['plan-meta.json', 'result.json', 'tfplan']);
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
  });

  it('a tampered planfile (encrypted or not) stops the apply before anything is applied', async () => {
    const tampered = tempDir('atmos-action-tampered-');
    fs.cpSync(merged, tampered, { recursive: true });
    const enc = path.join(tampered, 'plat-hue2-hdev--vpc/tfplan.enc');
    const a = fs.readFileSync(enc);
    a[a.length - 30] ^= 0xff;
    fs.writeFileSync(enc, a);
    const plain = path.join(tampered, 'plat-hue2-hprod--vpc/tfplan');
    fs.appendFileSync(plain, 'x');
    const r = await step({ command: 'apply', 'plans-dir': tampered, 'encryption-key': KEY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error file=stacks\/orgs\/acme\/plat\/dev\/us-east-2\.yaml::.*plat-ue2-dev\/vpc: not applied: the planfile of plat-ue2-dev:vpc cannot be decrypted/,
    );
    expect(r.stdout).toMatch(
      /plat-ue2-prod\/vpc: not applied: the planfile's SHA-256 is [0-9a-f]{12}…, the plan recorded [0-9a-f]{12}…: it was modified after review/,
    );
    expect(r.stdout).toContain('nothing applied: 2 of 8 reviewed plan(s) no longer match');
    expect(r.summary).toContain('atmos-action apply: refused, nothing applied');
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
    expect((await step({ command: 'comment', 'plans-dir': merged, 'github-token': api.token })).code).toBe(0);
    const commentId = api.comments(REPO, PR)[0]!.id;
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

  it("after the merge, find-plans picks the run of the pull request's last commit that holds plan artifacts", async () => {
    const head = 'f'.repeat(40);
    const older = api.actions.addRun(REPO, { head_sha: head, event: 'pull_request' });
    api.actions.addArtifact(REPO, older.id, 'atmos-plans-plat-ue2-dev', Buffer.from('zip'));
    const latest = api.actions.addRun(REPO, { head_sha: head, event: 'pull_request' });
    api.actions.addArtifact(REPO, latest.id, 'atmos-plans-plat-ue2-dev', Buffer.from('zip'));
    api.actions.addArtifact(REPO, latest.id, 'atmos-plans-plat-ue2-prod', Buffer.from('zip'));
    api.actions.addRun(REPO, { head_sha: 'e'.repeat(40), event: 'pull_request' }); // another commit: never picked
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
    const checkout = copyExample();
    const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY, stack: 'plat-ue2-prod', component: 'vpc' }, checkout);
    expect(errors(r)).toEqual([]);
    expect(r.summary).toContain('1 instance(s)');
    expect(stateFiles(checkout)).toEqual(['plat-ue2-prod-vpc']);
  });

  it('apply applies exactly the reviewed planfiles, dependencies first', async () => {
    const checkout = copyExample();
    const r = await step({ command: 'apply', 'plans-dir': merged, 'encryption-key': KEY, parallelism: '4' }, checkout);
    expect(errors(r)).toEqual([]);
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
    for (const e of manyEntries(300)) {
      await writePlanFolder(dir, {
        meta: {
          instance: e.instance,
          stack: e.stack,
          component: e.component,
          commitSha: 'c'.repeat(40),
          configSha256: 'd'.repeat(64),
          lockFileSha256: null,
          stackFile: 'deploy/x',
          createdAt: '2026-01-01T00:00:00Z',
        },
        result: { instance: e.instance, stack: e.stack, component: e.component, status: e.status, reason: e.reason, plan: e.plan, durationMs: 1 },
      });
    }
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
    expect(down.stdout).toMatch(/::warning::the plan comment was not posted: GET \/repos\/acme\/infra\/issues\/7\/comments: 500/);
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
      /^::error file=stacks\/orgs\/acme\/plat\/prod\/us-east-2\.yaml::.*plan plat-ue2-prod\/elasticache-queue: plan failed: Invalid value for input variable/,
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
