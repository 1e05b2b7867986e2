/** `workdir provision|list|show|clean`: parse flags, call the app/ use case, render with report/. */
import type { CleanTarget } from '../../app/clean.js';
import { openProject } from '../../app/project.js';
import { cleanJson, formatCleanText, formatProvisionText, formatWorkdirDetails, formatWorkdirTable, provisionJson, toListJson } from '../../report/workdirs.js';
import { UsageError, formatFlag, oneInstance, positiveInt, selectionFlags, stringFlag } from '../args.js';
import type { Command } from '../types.js';

// Each command imports its own use case (copying, git, locks) when it runs: the other commands start without them.

export const workdirProvisionCommand: Command = {
  path: ['workdir', 'provision'],
  summary: 'create or refresh isolated workdirs (local sync or remote source)',
  help: `Usage: atmos-action workdir provision <component> -s <stack>
       atmos-action workdir provision --all | --stacks GLOBS | --components GLOBS [--parallelism N]

Copies each instance's base component (or fetches its \`source:\`) into
<base_path>/.workdir/terraform/<stack>-<instance>, incrementally, and prints what it did and why.
Instances without provision.workdir.enabled are skipped unless --workdir is given.
  -s, --stack STACK        the instance's stack
      --all                every deployable instance
      --stacks GLOBS       instances in stacks matching these globs (comma-separated or repeated)
      --components GLOBS   instances of components matching these globs
      --parallelism N      instances provisioned at once (default 4)
      --workdir            turn workdirs on for every selected instance
      --format FORMAT      text (default) or json`,
  options: {
    stack: { type: 'string', short: 's' },
    all: { type: 'boolean' },
    stacks: { type: 'string', multiple: true },
    components: { type: 'string', multiple: true },
    parallelism: { type: 'string' },
    workdir: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
    const parallelism = positiveInt(args.values.parallelism, 'parallelism', 4);
    const target = selectionFlags(args, 'workdir provision <component> -s <stack>, or --all');
    // This command prints one line per instance itself; the core's own per-instance info lines would repeat them.
    const quiet = { ...ctx, log: { ...ctx.log, info: ctx.log.debug } };
    const { provision } = await import('../../app/provision.js');
    const batch = await provision(
      openProject({ cwd: ctx.cwd }, quiet),
      { target, forceWorkdir: args.values.workdir === true, parallelism, howToForce: 'pass --workdir' },
      quiet,
    );
    ctx.stdout(format === 'json' ? `${JSON.stringify(provisionJson(batch), null, 2)}\n` : formatProvisionText(batch));
    return batch.outcomes.some((o) => o.error) ? 1 : 0;
  },
};

export const workdirListCommand: Command = {
  path: ['workdir', 'list'],
  summary: 'list provisioned workdirs',
  help: `Usage: atmos-action workdir list [--format table|json]

Lists the workdirs under <base_path>/.workdir/terraform with their source, version, last use and
status (incomplete, locked, local-state).
      --format FORMAT   table (default) or json`,
  options: { format: { type: 'string' } },
  maxPositionals: 0,
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['table', 'json'] as const, 'table');
    const { listWorkdirs } = await import('../../app/workdirs.js');
    const items = listWorkdirs(openProject({ cwd: ctx.cwd }, ctx));
    if (format === 'json') ctx.stdout(`${JSON.stringify(items.map(toListJson), null, 2)}\n`);
    else ctx.stdout(items.length ? `${formatWorkdirTable(items)}\n` : 'no workdirs\n');
    return 0;
  },
};

export const workdirShowCommand: Command = {
  path: ['workdir', 'show'],
  summary: "show one instance's workdir",
  help: `Usage: atmos-action workdir show <component> -s <stack> [--format text|json]

  -s, --stack STACK     the instance's stack
      --format FORMAT   text (default) or json`,
  options: { stack: { type: 'string', short: 's' }, format: { type: 'string' } },
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
    const { showWorkdir } = await import('../../app/workdirs.js');
    const { stack, component, info } = showWorkdir(openProject({ cwd: ctx.cwd }, ctx), oneInstance(args, 'workdir show <component> -s <stack>'));
    if (!info) {
      ctx.stderr(`no workdir for ${component} in stack ${stack} (run: atmos-action workdir provision ${component} -s ${stack})\n`);
      return 1;
    }
    ctx.stdout(format === 'json' ? `${JSON.stringify(toListJson(info), null, 2)}\n` : formatWorkdirDetails(info));
    return 0;
  },
};

export const workdirCleanCommand: Command = {
  path: ['workdir', 'clean'],
  summary: 'delete workdirs (never ones with local state or a held lock, unless --force)',
  help: `Usage: atmos-action workdir clean <component> -s <stack> [--dry-run] [--force]
       atmos-action workdir clean --all [--dry-run] [--force]
       atmos-action workdir clean --expired --ttl DURATION [--dry-run] [--force]

Workdirs holding local Terraform state (terraform.tfstate, terraform.tfstate.d/) or whose lock is
held by a running process are skipped, with the reason, unless --force.
  -s, --stack STACK     the instance's stack
      --all             every workdir
      --expired         workdirs not used within --ttl (30m, 2h, 7d, daily, ...; 0 = all)
      --ttl DURATION    with --expired
      --dry-run         list what would be removed
      --force           remove even with local state or a held lock
      --format FORMAT   text (default) or json`,
  options: {
    stack: { type: 'string', short: 's' },
    all: { type: 'boolean' },
    expired: { type: 'boolean' },
    ttl: { type: 'string' },
    'dry-run': { type: 'boolean' },
    force: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
    const flags = { dryRun: args.values['dry-run'] === true, force: args.values.force === true };
    const ttl = stringFlag(args.values.ttl);
    const expired = args.values.expired === true;
    const all = args.values.all === true;
    const [component, ...extra] = args.positionals;
    if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
    if (component && ttl !== undefined) {
      // `--ttl 3 weeks`: the second word is no component.
      throw new UsageError(
        `unexpected argument ${JSON.stringify(component)} after --ttl ${ttl}: a duration is one word, such as 21d or weekly (a bare number means seconds)`,
      );
    }
    if ([expired, all, !!component].filter(Boolean).length !== 1) {
      throw new UsageError('give exactly one of: <component> -s <stack>, --all, --expired --ttl DURATION');
    }
    if (expired !== (ttl !== undefined)) throw new UsageError(expired ? '--expired needs --ttl' : '--ttl only goes with --expired');
    let target: CleanTarget;
    if (component) {
      target = oneInstance(args, 'workdir clean <component> -s <stack>');
    } else {
      if (args.values.stack) throw new UsageError('-s/--stack goes with a component, not with --all or --expired');
      target = all ? { all: true } : { ttl: ttl! };
    }
    // The result below says what was removed or skipped; the core's log lines would say it twice.
    const quiet = { ...ctx, log: { ...ctx.log, info: ctx.log.debug, warn: ctx.log.debug } };
    const { clean } = await import('../../app/clean.js');
    const result = await clean(openProject({ cwd: ctx.cwd }, quiet), { target, ...flags }, quiet);
    ctx.stdout(format === 'json' ? `${JSON.stringify(cleanJson(result), null, 2)}\n` : formatCleanText(result));
    return 0;
  },
};

export const workdirCommands: Command[] = [workdirProvisionCommand, workdirListCommand, workdirShowCommand, workdirCleanCommand];
