import { describeComponent, describeStacksStreamed } from '../../app/describe.js';
import { openProject } from '../../app/project.js';
import { stacksJson, stacksYaml } from '../../report/describe-stacks.js';
import { toYaml } from '../../util/yaml.js';
import { booleanFlag, formatFlag, listFlag, oneInstance } from '../args.js';
import type { CliContext, Command } from '../types.js';

/** `--process-templates` / `--process-functions`: `true` (default) or `false`, as Atmos spells them. */
export function processFlags(values: Record<string, string | boolean | string[] | undefined>): { processTemplates: boolean; processFunctions: boolean } {
  return {
    processTemplates: booleanFlag(values['process-templates'], 'process-templates', true),
    processFunctions: booleanFlag(values['process-functions'], 'process-functions', true),
  };
}

export const PROCESS_HELP = `      --process-templates=false   do not render Go templates in component sections
      --process-functions=false   do not evaluate YAML functions (show them as written)`;

function print(ctx: CliContext, value: unknown, format: 'json' | 'yaml'): void {
  ctx.stdout(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : toYaml(value));
}

export const describeComponentCommand: Command = {
  path: ['describe', 'component'],
  summary: 'print one resolved component instance',
  help: `Usage: atmos-action describe component <component> -s <stack> [--format yaml|json]

Prints the instance as Atmos resolves it (vars, settings, env, backend, providers, metadata,
overrides, workspace, inheritance, component_info) plus \`workdir\`, its isolated workdir.
  -s, --stack STACK     canonical stack name (as Atmos names it: name:, name_pattern or name_template),
                        or the path of the manifest that defines the instance (deploy/dev)
      --format FORMAT   yaml (default) or json
${PROCESS_HELP}`,
  options: {
    stack: { type: 'string', short: 's' },
    format: { type: 'string' },
    'process-templates': { type: 'string' },
    'process-functions': { type: 'string' },
  },
  async run(args, ctx) {
    const { stack, component } = oneInstance(args, 'describe component <component> -s <stack>');
    const format = formatFlag(args.values.format, ['yaml', 'json'] as const, 'yaml');
    const project = openProject({ cwd: ctx.cwd, ...processFlags(args.values) }, ctx);
    print(ctx, describeComponent(project, { stack, component }), format);
    return 0;
  },
};

export const describeStacksCommand: Command = {
  path: ['describe', 'stacks'],
  summary: "print every stack's resolved components (Atmos's describe stacks shape)",
  help: `Usage: atmos-action describe stacks [-s STACK[,STACK]] [--components C[,C]] [--format yaml|json]

Templates and YAML functions are evaluated as for describe component; outputs of other
instances (!terraform.output, !terraform.state) are shown unresolved, except !terraform.state
values whose local state file exists.
  -s, --stack STACKS        only these stacks (canonical names, or manifest paths such as deploy/dev);
                            a stack that does not exist is an error
      --components NAMES    only these components
      --format FORMAT       yaml (default) or json
${PROCESS_HELP}`,
  options: {
    stack: { type: 'string', short: 's', multiple: true },
    components: { type: 'string', multiple: true },
    format: { type: 'string' },
    'process-templates': { type: 'string' },
    'process-functions': { type: 'string' },
  },
  maxPositionals: 0,
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['yaml', 'json'] as const, 'yaml');
    const project = openProject({ cwd: ctx.cwd, ...processFlags(args.values) }, ctx);
    const stacks = describeStacksStreamed(project, { stacks: listFlag(args.values.stack), components: listFlag(args.values.components) }, ctx);
    // One stack at a time: the output of any number of instances is never held whole.
    const chunks = format === 'json' ? stacksJson(stacks) : stacksYaml(stacks);
    if (ctx.stdoutChunks) await ctx.stdoutChunks(chunks);
    else for (const chunk of chunks) ctx.stdout(chunk);
    return 0;
  },
};
