import { driftMarker } from '../../src/report/drift.js';
import type { ReportEntry } from '../../src/report/plan-report.js';
import type { RunStatus } from '../../src/terraform/run-instance.js';
import { startGitHubApi, type GitHubApiFake } from '../fakes/github-api.js';
import { runAction, type ActionRun } from '../helpers/action-run.js';
import { tempDir } from '../helpers/fs.js';
import { planResult, writePlanFolders } from '../helpers/plans.js';

/**
 * The drift-issues command through the bundled action against the loopback GitHub API: one issue
 * per drifted instance, opened, updated in place, closed when the drift is gone, found again by its
 * marker and label only. Plans are written as the plan legs write them (no terraform needed).
 */
const REPO = 'acme/infra';
let api: GitHubApiFake;
beforeAll(async () => {
  api = await startGitHubApi();
});
afterAll(() => api.close());

/** A plans directory of stack `prod`, as the plan legs write it: one folder per component, in the given state. */
async function plans(states: Record<string, RunStatus | { status: 'changes'; add: string[] }>): Promise<string> {
  const dir = tempDir('atmos-action-drift-');
  const entries = Object.entries(states).map(([component, s]): ReportEntry => {
    const status = typeof s === 'string' ? s : s.status;
    const add = typeof s === 'string' ? (s === 'changes' ? [`terraform_data.${component}`] : []) : s.add;
    return {
      instance: `prod:${component}`,
      stack: 'prod',
      component,
      status,
      reason: status === 'failed' ? 'Error: AccessDenied' : '',
      plan: status === 'failed' ? undefined : planResult({ add }),
    };
  });
  await writePlanFolders(dir, entries);
  return dir;
}

const drift = (dir: string, inputs: Record<string, string> = {}) =>
  runAction(
    { command: 'drift-issues', 'plans-dir': dir, 'github-token': api.token, 'max-new-issues': '1', ...inputs },
    { workspace: tempDir(), env: { GITHUB_API_URL: api.url } },
  );
const actions = (r: ActionRun) =>
  Object.fromEntries((JSON.parse(r.outputs.issues!) as { component: string; action: string }[]).map((i) => [i.component, i.action]));
const open = () =>
  api.issues
    .issues(REPO)
    .filter((i) => i.state === 'open' && !i.pull_request)
    .map((i) => i.title)
    .sort();

describe('drift issues, run after run', () => {
  it('opens one per drifted instance (up to max-new-issues), closes the one whose drift is gone, leaves failed plans alone', async () => {
    const gone = api.issues.seedIssue(REPO, {
      title: 'Drift: cache in prod',
      body: `${driftMarker('prod', 'cache')}\nold drift`,
      labels: ['drift'],
      user: { login: 'github-actions[bot]', type: 'Bot' },
    });
    // Neither of these is a drift issue of this run: a pull request quoting a marker, an issue without the label.
    api.issues.seedIssue(REPO, { title: 'a PR', body: driftMarker('prod', 'dns'), labels: ['drift'], pull_request: { url: 'x' } });
    const unlabelled = api.issues.seedIssue(REPO, { title: 'someone', body: driftMarker('prod', 'dns') });

    const r = await drift(await plans({ dns: 'changes', cache: 'no-changes', queue: 'failed', vpc: 'changes' }));
    expect(r.code).toBe(0);
    expect(actions(r)).toEqual({ dns: 'opened', cache: 'closed', queue: 'plan-failed', vpc: 'not-opened' });
    expect(r.outputs['has-changes']).toBe('true');
    expect(r.stdout).toMatch(/::warning::1 drifted instance\(s\) got no issue: at most 1 are opened per run \(input max-new-issues\)/);
    expect(r.summary).toContain('2 drifted instance(s), 0 without drift.');

    const dns = api.issues.issues(REPO).find((i) => i.title === 'Drift: dns in prod')!;
    expect(dns.labels).toEqual([{ name: 'drift' }]);
    expect(dns.body!.startsWith(driftMarker('prod', 'dns'))).toBe(true);
    expect(dns.body).toContain('+ terraform_data.dns');
    expect(dns.body).not.toContain(api.token);
    expect(api.issues.issues(REPO).find((i) => i.number === gone.number)).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(api.comments(REPO, gone.number)[0]!.body).toMatch(/^No drift any more: the plan of commit `1234567890ab` has no changes/);
    expect(api.issues.issues(REPO).find((i) => i.number === unlabelled.number)).toMatchObject({ state: 'open', title: 'someone' });
  });

  it('the next run updates an issue only when its plan changed, and opens the one left out', async () => {
    const before = api.calls().length;
    const same = await drift(await plans({ dns: 'changes', vpc: 'changes' }));
    expect(actions(same)).toEqual({ dns: 'unchanged', vpc: 'opened' });
    expect(
      api
        .calls()
        .slice(before)
        .filter((c) => c.startsWith('PATCH')),
    ).toEqual([]);

    const changed = await drift(await plans({ dns: { status: 'changes', add: ['terraform_data.dns', 'terraform_data.subnet'] }, vpc: 'changes' }));
    expect(actions(changed)).toEqual({ dns: 'updated', vpc: 'unchanged' });
    expect(api.issues.issues(REPO).find((i) => i.title === 'Drift: dns in prod')!.body).toContain('+ terraform_data.subnet');
    expect(open()).toEqual(['Drift: dns in prod', 'Drift: vpc in prod', 'someone']);
  });

  it('closes every issue once the plans are clean; nothing drifted means has-changes false', async () => {
    const r = await drift(await plans({ dns: 'no-changes', vpc: 'no-changes', cache: 'no-changes' }));
    expect(actions(r)).toEqual({ dns: 'closed', vpc: 'closed' });
    expect(r.outputs['has-changes']).toBe('false');
    expect(r.summary).toContain('0 drifted instance(s), 1 without drift.');
    expect(open()).toEqual(['someone']);
  });

  it('needs a token, and fails when the API does (the issues are what the run is for)', async () => {
    const dir = await plans({ dns: 'changes' });
    const none = await drift(dir, { 'github-token': '' });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/::error::command drift-issues needs the input github-token \(with issues: write\)/);
    api.failWith(500, { times: 1 });
    const down = await drift(dir);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/::error::GET \/repos\/acme\/infra\/issues: 500/);
  });
});

describe('what a drift issue shows of a name and of a secret', () => {
  it('a name cannot mention, cross-reference or reverse text in the title, body or summary; a registered secret is never posted', async () => {
    const own = await startGitHubApi();
    try {
      // git's token: registered by the entry point as a secret, like the inputs.
      const gitToken = 'ghp_gitTokenForSources0123456789abcdef';
      const component = 'cache@platform-team#12\u202e';
      const dir = await plans({ [component]: { status: 'changes', add: [`terraform_data.x["${gitToken}"]`] } });
      const r = await runAction(
        { command: 'drift-issues', 'plans-dir': dir, 'github-token': own.token },
        { workspace: tempDir(), env: { GITHUB_API_URL: own.url, ATMOS_GITHUB_TOKEN: gitToken } },
      );
      expect(r.code).toBe(0);
      const [issue] = own.issues.issues(REPO);
      expect(issue!.title).toBe('Drift: cache@\u200bplatform-team#\u200b12 in prod');
      expect(issue!.body).toContain('`cache@platform-team#12`'); // in a code span: no mention is made there; the bidi control is gone
      expect(issue!.body).toContain('| prod | cache@\u200bplatform-team#\u200b12 |');
      expect(issue!.body).not.toMatch(/\u202e/);
      expect(issue!.body).toContain('+ terraform_data.x["***"]');
      expect(r.summary).toContain('| prod | cache@\u200bplatform-team#\u200b12 |');
      expect([issue!.title, issue!.body, r.summary, r.stdout.replace(`::add-mask::${gitToken}`, ''), JSON.stringify(r.outputs)].join('\n')).not.toContain(
        gitToken,
      );
      expect(r.stdout).toContain(`::add-mask::${gitToken}`);
    } finally {
      await own.close();
    }
  });
});
