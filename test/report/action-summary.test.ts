/** The action's short job summaries: what a name or a message from YAML can and cannot do to the Markdown around it. */
import { codeSpan, commandSummary, failureSummary } from '../../src/report/action-summary.js';

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
});
