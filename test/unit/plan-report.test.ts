import { commentBody, commentMarker, COMMENT_LIMIT } from '../../src/report/comment.js';
import { planSummary } from '../../src/report/plan-summary.js';
import { renderPlanReport, type ReportEntry } from '../../src/report/plan-report.js';
import { manyEntries, planResult } from '../helpers/plans.js';

const base = (stack: string, component: string) => ({ instance: `${stack}:${component}`, stack, component });

describe('the sticky comment', () => {
  const entries: ReportEntry[] = [
    {
      ...base('dev', 'vpc'),
      status: 'changes',
      reason: '',
      plan: planResult({ add: ['aws_vpc.this'], replace: ['aws_subnet.a'], outputs: [{ name: 'db_password', action: 'create', sensitive: true }] }),
      planfileSha256: 'f'.repeat(64),
    },
    { ...base('dev', 'cache'), status: 'no-changes', reason: 'no changes', plan: planResult({}), planfileSha256: 'e'.repeat(64) },
    { ...base('prod', 'db'), status: 'failed', reason: 'init failed:\nError: Backend configuration changed' },
  ];

  it('starts with the hidden marker, has one row per instance, and shows failures and no-changes distinctly', () => {
    const body = commentBody(entries, { commitSha: '0123456789abcdef', runUrl: 'https://github.com/acme/infra/actions/runs/9' });
    expect(body.startsWith(commentMarker())).toBe(true);
    expect(body).toContain('| dev | vpc | 2 / 0 / 1 | 📝 changes | `ffffffffffff` |');
    expect(body).toContain('| dev | cache | 0 / 0 / 0 | ✅ no changes | `eeeeeeeeeeee` |');
    expect(body).toContain('| prod | db | – | ❌ failed | – |');
    // A failure is open; a plan with changes is collapsed; no section for an instance without changes.
    expect(body).toMatch(/<details open><summary>❌ <b>prod \/ db<\/b>: failed<\/summary>\n\n```\ninit failed:\nError: Backend configuration changed\n```/);
    expect(body).toMatch(
      /<details><summary><b>dev \/ vpc<\/b>: 1 to add, 0 to change, 0 to destroy, 1 to replace<\/summary>\n\n```diff\n! aws_subnet.a \(replace\)\n\+ aws_vpc.this\n\+ output.db_password \(sensitive\)\n```/,
    );
    expect(body).not.toMatch(/dev \/ cache/);
    expect(body).toContain('Commit `0123456789ab`');
    expect(body).not.toContain('shortened');
  });

  it('escapes names from YAML and never lets an address close its code block', () => {
    const body = commentBody([{ ...base('dev|<b>', 'x'), status: 'changes', reason: '', plan: planResult({ add: ['null_resource.a["```</details>"]'] }) }], {});
    expect(body).toContain('| dev\\|\\<b\\> | x |');
    expect(body).toContain('````diff\n+ null_resource.a["```</details>"]\n````');
  });

  it('names holding HTML cannot add markup, close our sections or hide the rest; mentions, issue links and bidi controls are neutralised', () => {
    const hostile = [
      { stack: 'dev', component: '<img src=x onerror=alert(1)>' },
      { stack: 'dev', component: 'x</summary></details><h1>APPROVED</h1><details><summary>' },
      { stack: 'dev', component: 'hide <!-- the rest' },
      { stack: 'dev @octocat @acme/admins', component: 'fixes #123' },
      { stack: 'dev', component: 'evil\u202egnp.exe' },
    ];
    const forged: ReportEntry[] = hostile.flatMap(({ stack, component }) => [
      { ...base(stack, component), status: 'changes' as const, reason: '', plan: planResult({ add: ['terraform_data.a'] }) },
      { ...base(stack, `${component}-failed`), status: 'failed' as const, reason: 'Error: boom\u202e' },
    ]);
    const body = commentBody(forged, {});
    // Our own markup only: one <details> per section, the marker and the review line the only HTML comments, no tags from names.
    // (In table cells, a backslash before `<` makes it text: only an unescaped `<` is markup.)
    expect(body.match(/(?<!\\)<details/g)).toHaveLength(forged.length);
    expect(body.match(/(?<!\\)<\/details>/g)).toHaveLength(forged.length);
    expect(body.match(/(?<!\\)<!--/g)).toEqual(['<!--', '<!--']); // the marker and the review line
    expect(body).not.toMatch(/(?<!\\)<(img|h1)/);
    expect(body).toContain('<b>dev / &lt;img src=x onerror=alert(1)&gt;</b>');
    expect(body).toContain('x&lt;/summary&gt;&lt;/details&gt;&lt;h1&gt;APPROVED&lt;/h1&gt;');
    expect(body).toContain('| dev | \\<img src=x onerror=alert(1)\\> |');
    // No mention, team mention or issue reference survives in tables or summaries (GitHub links none inside code blocks).
    expect(body).not.toMatch(/@(?!\u200b)[A-Za-z0-9]/);
    expect(body).not.toMatch(/#(?!\u200b)\d/);
    expect(body).toContain('@\u200bacme/admins');
    expect(body).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(planSummary(forged, { title: 't' })).not.toMatch(/(?<!\\)<(img|h1)|@(?!\u200b)[A-Za-z0-9]|[\u202a-\u202e]/);
  });

  it('keeps 300 instances under 65,536 characters: the whole table stays, the largest sections are cut first, and it says where the rest is', () => {
    const many = manyEntries(300);
    const body = commentBody(many, { runUrl: 'https://github.com/acme/infra/actions/runs/9' });
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect([...body].length).toBeLessThanOrEqual(COMMENT_LIMIT);
    for (const e of many) expect(body).toContain(`| ${e.stack} | ${e.component} |`);
    expect(body).toContain('This report was shortened to fit. The full plans are in the job summary');
    // The biggest plans (i % 7 == 6: 61 resources) are cut to a stub; every failure is still shown in full.
    expect(body).toMatch(/service-006<\/b>: 📝 changes \(too large for this report\)/);
    for (const e of many.filter((x) => x.status === 'failed')) expect(body).toContain(e.reason);
    // The smallest ones (one resource) keep their full section.
    expect(body).toContain('+ module.service-000.aws_resource.item["key-0-with-a-fairly-long-name"]');
  });

  it('with thousands of instances even the table is cut, failures and changes first', () => {
    const many = manyEntries(3000, 1);
    const body = commentBody(many, {});
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toMatch(/\| …and \d+ more instance\(s\) \|/);
    for (const e of many.filter((x) => x.status === 'failed')) expect(body).toContain(`| ${e.stack} | ${e.component} |`);
  });
});

describe('the size budget', () => {
  it('counts the line breaks between sections: the report never exceeds its limit, whatever the limit', () => {
    const entries = manyEntries(60, 1);
    const full = renderPlanReport(entries, { title: 't', limit: 1e9, measure: (s) => s.length, whereFull: 'w' });
    // Limits just below the full size, where the sections alone fit but not with their separators.
    for (let limit = full.length - 120; limit <= full.length + 5; limit++) {
      const out = renderPlanReport(entries, { title: 't', limit, measure: (s) => s.length, whereFull: 'w' });
      expect({ limit, size: out.length, over: out.length > limit }).toEqual({ limit, size: out.length, over: false });
    }
  });
});

describe('the job summary', () => {
  it('keeps within 1 MiB (UTF-8 bytes) for a huge plan', () => {
    const summary = planSummary(manyEntries(300, 400), { title: 'atmos-action plan' });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024);
    expect(summary).toContain('This report was shortened to fit.');
  });
  it('is complete when it fits', () => {
    const summary = planSummary(manyEntries(20), { title: 'atmos-action plan' });
    expect(summary).not.toContain('shortened');
    expect(summary).toContain('service-013.aws_resource.item["key-60-with-a-fairly-long-name"]');
  });
});
