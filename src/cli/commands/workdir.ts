/** `workdir provision|list|show|clean`: thin wrappers over src/workdir. */
import { loadAtmosConfig } from '../../config/load.js';
import { selectInstances } from '../../graph/select.js';
import { cleanProjectWorkdirs, loadProject, type CleanTarget } from '../../project.js';
import { findInstance, type ResolvedStacks } from '../../stacks/resolve.js';
import type { Instance } from '../../stacks/types.js';
import type { CleanResult } from '../../workdir/clean.js';
import { formatWorkdirTable, listWorkdirs, showWorkdir, toListJson } from '../../workdir/list.js';
import { isWorkdirEnabled, provisionWorkdirs, type ProvisionResult } from '../../workdir/provision.js';
import { parseGitTimeout } from '../../workdir/remote.js';
import { UsageError, formatFlag, listFlag, positiveInt, stringFlag } from '../args.js';
import type { CliContext, Command } from '../types.js';

function ports(ctx: CliContext) {
  return { exec: ctx.exec, log: ctx.log, clock: ctx.clock, env: ctx.env };
}

/** `-s STACK <component>` or `--all` (with optional globs): the instances a command acts on. */
function pickInstances(args: { values: Record<string, unknown>; positionals: string[] }, stacks: ResolvedStacks, verb: string): Instance[] {
  const all = args.values.all === true;
  const stack = stringFlag(args.values.stack as string | undefined);
  const [component, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (all) {
    if (component || stack) throw new UsageError(`--all cannot be combined with a component or -s; use --stacks/--components to narrow it`);
    return selectInstances(stacks.instances, {
      stacks: listFlag(args.values.stacks as string[] | undefined),
      components: listFlag(args.values.components as string[] | undefined),
    });
  }
  if (!component) throw new UsageError(`expected a component: workdir ${verb} <component> -s <stack>, or --all`);
  if (!stack) throw new UsageError('missing -s/--stack');
  return [findInstance(stacks, component, stack)];
}

function describeResult(r: ProvisionResult): string {
  const lock = r.lockFile.action === 'seeded' || r.lockFile.action === 'reseeded' ? `; .terraform.lock.hcl ${r.lockFile.action} from ${r.lockFile.from}` : '';
  const what = r.reason.startsWith(r.action) ? r.reason : `${r.action}: ${r.reason}`;
  return `${r.stack}/${r.component}: ${what}${lock}`;
}

export const workdirProvisionCommand: Command = {
  path: ['workdir', 'provision'],
  summary: 'create or refresh isolated workdirs (local sync or remote source)',
  help: `Usage: atmos-action workdir provision <component> -s <stack>
       atmos-action workdir provision --all [--stacks GLOBS] [--components GLOBS] [--parallelism N]

Copies each instance's base component (or fetches its \`source:\`) into
<base_path>/.workdir/terraform/<stack>-<instance>, incrementally, and prints what it did and why.
Instances without provision.workdir.enabled are skipped unless --workdir is given.
  -s, --stack STACK        the instance's stack
      --all                every deployable instance (narrow with --stacks/--components)
      --stacks GLOBS       with --all: stacks matching these globs
      --components GLOBS   with --all: components matching these globs
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
    const force = args.values.workdir === true;
    const { config, stacks } = loadProject({ cwd: ctx.cwd, env: ctx.env, log: ctx.log });
    const picked = pickInstances(args, stacks, 'provision');
    const enabled = picked.filter((i) => isWorkdirEnabled(i, force));
    const skipped = picked.filter((i) => !isWorkdirEnabled(i, force));
    if (!args.values.all && skipped.length) {
      throw new UsageError(`workdirs are not enabled for ${skipped[0]!.component} in stack ${skipped[0]!.stack}: set provision.workdir.enabled: true or pass --workdir`);
    }
    // This command prints one line per instance itself; the core's own per-instance info lines would repeat them.
    const quiet = { ...ports(ctx), log: { ...ctx.log, info: ctx.log.debug } };
    const gitTimeoutMs = parseGitTimeout(ctx.env.ATMOS_ACTION_GIT_TIMEOUT);
    const outcomes = await provisionWorkdirs(enabled, { basePath: config.basePath, defaultTtl: config.terraform.sourceTtl, parallelism, gitTimeoutMs }, quiet);
    const failed = outcomes.filter((o) => o.error);
    if (format === 'json') {
      const items = [
        ...outcomes.map((o) =>
          o.result ? { status: 'ok', ...o.result } : { status: 'error', stack: o.instance.stack, component: o.instance.component, error: o.error!.message },
        ),
        ...skipped.map((i) => ({ status: 'skipped', stack: i.stack, component: i.component, reason: 'workdir not enabled' })),
      ];
      ctx.stdout(`${JSON.stringify(items, null, 2)}\n`);
    } else {
      for (const o of outcomes) {
        ctx.stdout(o.result ? `${describeResult(o.result)}\n` : `${o.instance.stack}/${o.instance.component}: failed: ${o.error!.message}\n`);
      }
      if (skipped.length) ctx.stdout(`skipped ${skipped.length} instance(s) without provision.workdir.enabled (pass --workdir to include them)\n`);
    }
    return failed.length ? 1 : 0;
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
  async run(args, ctx) {
    if (args.positionals.length) throw new UsageError(`unexpected argument ${args.positionals[0]}`);
    const format = formatFlag(args.values.format, ['table', 'json'] as const, 'table');
    const config = loadAtmosConfig({ cwd: ctx.cwd, env: ctx.env });
    const items = listWorkdirs(config.basePath);
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
    const { config, stacks } = loadProject({ cwd: ctx.cwd, env: ctx.env, log: ctx.log });
    const [instance] = pickInstances({ ...args, values: { ...args.values, all: false } }, stacks, 'show');
    const info = showWorkdir(config.basePath, instance!.stack, instance!.component);
    if (!info) {
      ctx.stderr(`no workdir for ${instance!.component} in stack ${instance!.stack} (run: atmos-action workdir provision ${instance!.component} -s ${instance!.stack})\n`);
      return 1;
    }
    if (format === 'json') {
      ctx.stdout(`${JSON.stringify(toListJson(info), null, 2)}\n`);
    } else {
      const rows: [string, string | undefined][] = [
        ['component', info.component],
        ['stack', info.stack],
        ['path', info.path],
        ['source type', info.source_type],
        ['source', info.source],
        ['version', info.source_version],
        ['commit', info.source_identity],
        ['content hash', info.content_hash],
        ['created', info.created_at],
        ['updated', info.updated_at],
        ['last accessed', info.last_accessed],
        ['status', [info.complete ? 'complete' : 'incomplete (next provision redoes it)', info.locked ? 'locked' : '', info.local_state.length ? `local state: ${info.local_state.join(', ')}` : ''].filter(Boolean).join('; ')],
      ];
      ctx.stdout(rows.filter(([, v]) => v).map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`).join('\n') + '\n');
    }
    return 0;
  },
};

function printClean(ctx: CliContext, r: CleanResult): void {
  const verb = r.dryRun ? 'would remove' : 'removed';
  for (const e of r.removed) ctx.stdout(`${verb} ${e.path}${e.why ? ` (${e.why})` : ''}\n`);
  for (const e of r.skipped) ctx.stdout(`skipped ${e.path}: ${e.reasons.join('; ')}\n`);
  for (const m of r.missing) ctx.stdout(`no workdir for ${m.component} in stack ${m.stack}\n`);
  if (r.skipped.length) ctx.stdout(`${r.skipped.length} workdir(s) skipped; --force deletes them anyway\n`);
  if (!r.removed.length && !r.skipped.length && !r.missing.length) ctx.stdout('nothing to clean\n');
}

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
    if ([expired, all, !!component].filter(Boolean).length !== 1) {
      throw new UsageError('give exactly one of: <component> -s <stack>, --all, --expired --ttl DURATION');
    }
    if (expired !== (ttl !== undefined)) throw new UsageError(expired ? '--expired needs --ttl' : '--ttl only goes with --expired');
    let target: CleanTarget;
    if (component) {
      const stack = stringFlag(args.values.stack);
      if (!stack) throw new UsageError('missing -s/--stack');
      target = { stack, component };
    } else {
      if (args.values.stack) throw new UsageError('-s/--stack goes with a component, not with --all or --expired');
      target = all ? { all: true } : { ttl: ttl! };
    }
    const result = await cleanProjectWorkdirs(target, flags, ctx);
    if (format === 'json') ctx.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else printClean(ctx, result);
    return 0;
  },
};

export const workdirCommands: Command[] = [workdirProvisionCommand, workdirListCommand, workdirShowCommand, workdirCleanCommand];
