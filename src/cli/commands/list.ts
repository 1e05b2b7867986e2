/** `list stacks` and `list components`. */
import { listComponents, listStacks } from '../../app/list.js';
import { formatFlag, stringFlag } from '../args.js';
import type { CliContext, Command } from '../types.js';

function printNames(ctx: CliContext, names: string[], format: 'text' | 'json'): void {
  ctx.stdout(format === 'json' ? `${JSON.stringify(names, null, 2)}\n` : names.map((n) => `${n}\n`).join(''));
}

export const listStacksCommand: Command = {
  path: ['list', 'stacks'],
  summary: 'list the canonical stack names',
  help: `Usage: atmos-action list stacks [-c COMPONENT] [--format text|json]

Prints each stack by the name Atmos knows it by (name:, name_pattern or name_template), one a line.
  -c, --component NAME   only stacks that define this component
      --format FORMAT    text (default) or json`,
  options: { component: { type: 'string', short: 'c' }, format: { type: 'string' } },
  maxPositionals: 0,
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
    printNames(ctx, listStacks({ cwd: ctx.cwd, component: stringFlag(args.values.component) }, ctx), format);
    return 0;
  },
};

export const listComponentsCommand: Command = {
  path: ['list', 'components'],
  summary: 'list the component names',
  help: `Usage: atmos-action list components [-s STACK] [--format text|json]

Prints each Atmos component name (abstract ones included), one a line.
  -s, --stack STACK     only the components of this stack
      --format FORMAT   text (default) or json`,
  options: { stack: { type: 'string', short: 's' }, format: { type: 'string' } },
  maxPositionals: 0,
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
    printNames(ctx, listComponents({ cwd: ctx.cwd, stack: stringFlag(args.values.stack) }, ctx), format);
    return 0;
  },
};
