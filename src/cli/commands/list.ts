/** `list stacks` and `list components`: one shape, two listings. */
import { listComponents, listStacks, type ListSettings } from '../../app/list.js';
import { formatFlag, stringFlag } from '../args.js';
import { openProject, type Project } from '../../app/project.js';
import type { Command } from '../types.js';

function listCommand(spec: {
  what: 'stacks' | 'components';
  summary: string;
  help: string;
  filter: { name: 'component' | 'stack'; short: string };
  list: (project: Project, settings: ListSettings) => string[];
}): Command {
  return {
    path: ['list', spec.what],
    summary: spec.summary,
    help: spec.help,
    options: { [spec.filter.name]: { type: 'string', short: spec.filter.short }, format: { type: 'string' } },
    maxPositionals: 0,
    async run(args, ctx) {
      const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
      const names = spec.list(openProject({ cwd: ctx.cwd }, ctx), { [spec.filter.name]: stringFlag(args.values[spec.filter.name]) });
      ctx.stdout(format === 'json' ? `${JSON.stringify(names, null, 2)}\n` : names.map((n) => `${n}\n`).join(''));
      return 0;
    },
  };
}

export const listStacksCommand = listCommand({
  what: 'stacks',
  summary: 'list the canonical stack names',
  help: `Usage: atmos-action list stacks [-c COMPONENT] [--format text|json]

Prints each stack by the name Atmos knows it by (name:, name_pattern or name_template), one a line.
  -c, --component NAME   only stacks that define this component
      --format FORMAT    text (default) or json`,
  filter: { name: 'component', short: 'c' },
  list: listStacks,
});

export const listComponentsCommand = listCommand({
  what: 'components',
  summary: 'list the component names',
  help: `Usage: atmos-action list components [-s STACK] [--format text|json]

Prints each Atmos component name (abstract ones included), one a line.
  -s, --stack STACK     only the components of this stack
      --format FORMAT   text (default) or json`,
  filter: { name: 'stack', short: 's' },
  list: listComponents,
});
