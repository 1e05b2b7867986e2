import path from 'node:path';
import { posixRelative, selectMatrix } from '../graph/matrix.js';
import { selectInstances } from '../graph/select.js';
import type { Log } from '../ports/log.js';
import { cleanProjectWorkdirs, loadProject, type CleanTarget } from '../project.js';
import { describeComponent } from '../stacks/describe.js';
import { assertEvaluable, findInstance } from '../stacks/resolve.js';
import type { Clock } from '../ports/clock.js';
import type { Exec } from '../ports/exec.js';
import { AtmosError } from '../util/errors.js';
import { buildWorkdirPath } from '../workdir/path.js';
import { isWorkdirEnabled, provisionWorkdirs } from '../workdir/provision.js';
import { parseGitTimeout } from '../workdir/remote.js';
import type { ActionInputs } from './inputs.js';

/** What the action may do to the outside world; index.ts binds these to @actions/core. */
export interface ActionPorts {
  /** GITHUB_WORKSPACE (or the process cwd off GitHub). */
  workspace: string;
  env: Record<string, string | undefined>;
  log: Log;
  clock: Clock;
  exec: Exec;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): void;
}

/** The action's core: inputs and ports in, outputs set through the ports. */
export async function run(inputs: ActionInputs, ports: ActionPorts): Promise<void> {
  const cwd = path.resolve(ports.workspace, inputs.workingDirectory);
  if (inputs.command === 'clean') return clean(inputs, cwd, ports);
  const project = loadProject({ cwd, env: ports.env, log: ports.log, includeAbstract: inputs.command === 'describe' || (inputs.command === 'matrix' && inputs.includeAbstract) });
  switch (inputs.command) {
    case 'matrix': {
      const filter = { stacks: inputs.stacks, components: inputs.components, includeAbstract: inputs.includeAbstract };
      const matrix = selectMatrix(project.stacks.instances, project.config, cwd, filter, ports.log);
      ports.setOutput('matrix', JSON.stringify(matrix));
      ports.setOutput('count', String(matrix.include.length));
      ports.log.info(`${matrix.include.length} instance(s) in the matrix`);
      ports.summary(matrixSummary(matrix.include));
      return;
    }
    case 'describe': {
      const instance = findInstance(project.stacks, inputs.component!, inputs.stack!);
      assertEvaluable(instance);
      ports.setOutput('result', JSON.stringify(describeComponent(instance, project.config)));
      return;
    }
    case 'provision': {
      const picked =
        inputs.stack && inputs.component
          ? [findInstance(project.stacks, inputs.component, inputs.stack)]
          : selectInstances(project.stacks.instances, { stacks: inputs.stacks, components: inputs.components });
      const enabled = picked.filter((i) => isWorkdirEnabled(i, inputs.workdir));
      if (enabled.length < picked.length) {
        ports.log.info(`${picked.length - enabled.length} instance(s) without provision.workdir.enabled skipped (set the input workdir: true to include them)`);
      }
      const outcomes = await provisionWorkdirs(
        enabled,
        {
          basePath: project.config.basePath,
          defaultTtl: project.config.terraform.sourceTtl,
          parallelism: inputs.parallelism,
          gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT),
        },
        { exec: ports.exec, log: ports.log, clock: ports.clock, env: ports.env },
      );
      ports.setOutput(
        'workdirs',
        JSON.stringify(
          outcomes.map((o) => ({
            stack: o.instance.stack,
            component: o.instance.component,
            path: posixRelative(cwd, buildWorkdirPath(project.config.basePath, o.instance.stack, o.instance.component)),
            ...(o.result ? { action: o.result.action, reason: o.result.reason, changed: o.result.changed } : { action: 'failed', reason: o.error!.message }),
          })),
        ),
      );
      const failed = outcomes.filter((o) => o.error);
      if (failed.length) throw new AtmosError(`${failed.length} of ${outcomes.length} workdir(s) could not be provisioned: ${failed.map((o) => `${o.instance.stack}/${o.instance.component}`).join(', ')}`);
      return;
    }
  }
}

/** `command: clean`: removes workdirs, never ones holding local state or a held lock unless `force`. */
async function clean(inputs: ActionInputs, cwd: string, ports: ActionPorts): Promise<void> {
  const target: CleanTarget =
    inputs.stack && inputs.component
      ? { stack: inputs.stack, component: inputs.component }
      : inputs.clean.all
        ? { all: true }
        : { ttl: inputs.clean.ttl! };
  const result = await cleanProjectWorkdirs(target, { dryRun: inputs.clean.dryRun, force: inputs.clean.force }, { ...ports, cwd });
  const verb = result.dryRun ? 'would remove' : 'removed';
  for (const e of result.removed) ports.log.info(`${verb} ${e.path}`);
  for (const e of result.skipped) ports.log.warn(`skipped ${e.path}: ${e.reasons.join('; ')}`);
  ports.setOutput('removed', JSON.stringify(result.removed.map((e) => e.path)));
  ports.setOutput('skipped', JSON.stringify(result.skipped.map((e) => ({ path: e.path, reasons: e.reasons }))));
}

function matrixSummary(rows: { stack: string; component: string; base_component: string }[]): string {
  if (rows.length === 0) return '### atmos-action matrix\n\nNo instances selected.\n';
  const escape = (s: string) => s.replace(/[|`<>]/g, (c) => `\\${c}`);
  const lines = rows.slice(0, 500).map((r) => `| ${escape(r.stack)} | ${escape(r.component)} | ${escape(r.base_component)} |`);
  const more = rows.length > 500 ? `\n…and ${rows.length - 500} more\n` : '';
  return `### atmos-action matrix\n\n${rows.length} instance(s)\n\n| stack | component | base component |\n|---|---|---|\n${lines.join('\n')}\n${more}`;
}
