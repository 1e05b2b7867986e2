/** `plan`, `apply`, `destroy`: parse flags into run settings, call app/run.ts, render with report/run.ts. */
import os from 'node:os';
import { openProject } from '../../app/project.js';
import { formatRunTable, runExitCode, runJson } from '../../report/run.js';
import type { RunAction } from '../../terraform/run-instance.js';
import { UsageError, formatFlag, positiveInt, selectionFlags, stringFlag } from '../args.js';
import { SIGNAL_EXIT_CODE, cancelOnSignals } from '../../ports/node-signals.js';
import type { Command, OptionsConfig } from '../types.js';

const SHARED_OPTIONS: OptionsConfig = {
  stack: { type: 'string', short: 's' },
  all: { type: 'boolean' },
  stacks: { type: 'string', multiple: true },
  components: { type: 'string', multiple: true },
  parallelism: { type: 'string' },
  'max-concurrency': { type: 'string' },
  'keep-going': { type: 'boolean' },
  format: { type: 'string' },
  'no-provider-store': { type: 'boolean' },
};

const SHARED_HELP = `  -s, --stack STACK          the instance's stack
      --all                  every deployable instance
      --stacks GLOBS         instances in stacks matching these globs (comma-separated or repeated)
      --components GLOBS     instances of components matching these globs
      --parallelism N        instances running at once (default: the CPU count); alias --max-concurrency
      --keep-going           after a failure, run every instance that does not depend on it (default: fail fast)
      --format FORMAT        text (default: the results table) or json
      --no-provider-store    do not use the shared provider store (also: ATMOS_ACTION_PROVIDER_STORE=off); by default each
                             provider package is installed once per machine and inits link to it (README: Provider store)`;

const EXIT_HELP = `Each instance runs in its own workdir (<base_path>/.workdir/terraform/<stack>-<instance>), provisioned
first. Instances start as soon as their dependencies (settings.depends_on, dependencies.components)
are done; terraform's output streams to stderr, prefixed [<component>@<stack>] when several run.
Ctrl-C/SIGTERM stops running terraform gracefully (state locks are released) and starts nothing new;
a second signal kills it. Exit: 0 all ok, 1 any failure, 130/143 when cancelled by SIGINT/SIGTERM`;

function runCommand(action: RunAction, summary: string, usageExtra: string, extraOptions: OptionsConfig, extraHelp: string, what: string): Command {
  return {
    path: [action],
    summary,
    help: `Usage: atmos-action ${action} <component> -s <stack>${usageExtra}
       atmos-action ${action} --all | --stacks GLOBS | --components GLOBS [--parallelism N] [--keep-going]

${what}
${EXIT_HELP}${action === 'plan' ? ', 2 with --detailed-exitcode when some instance has changes and none failed' : ''}.

${SHARED_HELP}${extraHelp}`,
    options: { ...SHARED_OPTIONS, ...extraOptions },
    async run(args, ctx) {
      const format = formatFlag(args.values.format, ['text', 'json'] as const, 'text');
      if (args.values.parallelism !== undefined && args.values['max-concurrency'] !== undefined) {
        throw new UsageError('--parallelism and --max-concurrency are the same flag; give one');
      }
      const flag = args.values.parallelism !== undefined ? 'parallelism' : 'max-concurrency';
      const parallelism = positiveInt(args.values[flag], flag, os.availableParallelism());
      const cancel = cancelOnSignals(ctx.log);
      try {
        // The runner (terraform, workdirs, the provider store) is loaded by these commands alone.
        const { runInstances } = await import('../../app/run.js');
        const report = await runInstances(
          // A run reads the values of the instances it runs (stores, secrets); inspection commands never do.
          openProject({ cwd: ctx.cwd, readValues: true }, ctx),
          {
            action,
            target: selectionFlags(args, `${action} <component> -s <stack>, or --all`),
            parallelism,
            keepGoing: args.values['keep-going'] === true,
            planfile: stringFlag(args.values.planfile),
            ...(action !== 'plan' ? { approval: { autoApprove: args.values['auto-approve'] === true, ask: ctx.ask } } : {}),
            signal: cancel.signal,
            forceSignal: cancel.forceSignal,
            ...(args.values['no-provider-store'] === true ? { providerStore: false } : {}),
          },
          ctx,
        );
        ctx.stdout(format === 'json' ? `${JSON.stringify(runJson(report), null, 2)}\n` : formatRunTable(report));
        const sig = cancel.received();
        if (sig) return SIGNAL_EXIT_CODE[sig] ?? 1;
        return runExitCode(report, { detailedExitcode: args.values['detailed-exitcode'] === true });
      } finally {
        cancel.dispose();
      }
    },
  };
}

export const planCommand = runCommand(
  'plan',
  'plan instances with terraform, in dependency order, in parallel',
  ' [--detailed-exitcode]',
  { 'detailed-exitcode': { type: 'boolean' } },
  '\n      --detailed-exitcode    exit 2 when some instance has changes and none failed',
  "Runs init, workspace select, plan -out <planfile> and show -json in each instance's workdir; the\nplan file stays there for a later apply.",
);

export const applyCommand = runCommand(
  'apply',
  'plan and apply instances, in dependency order, in parallel',
  ' [--planfile FILE] [--auto-approve]',
  { planfile: { type: 'string' }, 'auto-approve': { type: 'boolean' } },
  '\n      --planfile FILE        one instance: apply this saved plan as is (relative to its workdir, or absolute): it is the approval' +
    '\n      --auto-approve         apply without asking (also: components.terraform.apply_auto_approve: true in atmos.yaml)',
  `Plans each instance and applies exactly that plan when it has changes. On a terminal, each
instance's plan is approved first (only "yes" applies it), as terraform asks; without a terminal,
apply refuses unless --auto-approve, apply_auto_approve or --planfile says it is approved.`,
);

export const destroyCommand = runCommand(
  'destroy',
  'destroy instances, dependents first, in parallel',
  ' [--auto-approve]',
  { 'auto-approve': { type: 'boolean' } },
  '\n      --auto-approve         destroy without asking (apply_auto_approve in atmos.yaml does not cover destroy)',
  `Plans a destroy in each instance and applies it; an instance is destroyed only after every selected
instance that depends on it. On a terminal, each instance's destroy plan is approved first (only
"yes" destroys); without a terminal, destroy refuses unless --auto-approve is given.`,
);

export const runCommands: Command[] = [planCommand, applyCommand, destroyCommand];
