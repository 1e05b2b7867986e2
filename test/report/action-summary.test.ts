/** The action's short job summaries: what a name or a message from YAML can and cannot do to the Markdown around it. */
import { commandSummary, describeSummary, failureSummary } from '../../src/report/action-summary.js';
import { codeSpan } from '../../src/util/escape.js';

describe('action summaries', () => {
  it('a failure message holding a code fence stays inside its block', () => {
    expect(failureSummary('plan', 'bad value:\n```\nx\n```')).toBe('### atmos-action plan failed\n\n````\nbad value:\n```\nx\n```\n````\n');
  });

  it('a code span holds backticks, and a warning cannot open a table or a link', () => {
    expect(codeSpan('vpc')).toBe('`vpc`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(commandSummary('matrix', 'body\n', ['stacks "a|[b](c)" matches nothing'])).toBe(
      '### atmos-action matrix\n\n> [!WARNING]\n> stacks "a\\|\\[b\\](c)" matches nothing\n\nbody\n',
    );
  });

  it('names and messages go through the one escaping module: no bidi control in code, no mention in a warning', () => {
    expect(describeSummary({ stack: 'dev\u202e', component: 'vpc\u2066', workspace: 'dev' })).toBe('`vpc` in stack `dev`: workspace `dev`\n');
    expect(failureSummary('plan', 'bad name "abc\u202exyz"')).toBe('### atmos-action plan failed\n\n```\nbad name "abcxyz"\n```\n');
    expect(commandSummary('plan', '', ['component @platform-team/x of #12 matches nothing'])).toContain(
      '> component @\u200bplatform-team/x of #\u200b12 matches nothing',
    );
  });
});
