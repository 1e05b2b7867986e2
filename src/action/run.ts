/** The action without its adapter: typed inputs and ports in, outputs set through the ports. */
import { describeComponent } from '../app/describe.js';
import { affectedMatrix, matrix, type MatrixSettings } from '../app/matrix.js';
import { matrixLegs, type Matrix } from '../graph/matrix.js';
import { openProject, type AppPorts } from '../app/project.js';
import { commandSummary, describeSummary } from '../report/action-summary.js';
import { matrixSummary } from '../report/matrix.js';
import { AtmosError } from '../util/errors.js';
import type { ActionInputs, MatrixInputs } from './inputs.js';
import type { GitHubContext, LegActionPorts } from './legs.js';
import { resolveInsideWorkspace } from './workspace-path.js';

// Every job of a workflow starts with `matrix`, and every leg runs one command: each command's own
// code (terraform, workdirs, the GitHub API, git) is loaded by that command alone, from a chunk of
// its own, so a start parses and initialises only what the command uses.
const legCommands = () => import('./legs.js');

/** What the action may do to the outside world; index.ts binds these to the runner's commands (runner-commands.ts). */
export interface ActionPorts extends AppPorts {
  /** GITHUB_WORKSPACE (or the process cwd off GitHub). */
  workspace: string;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): void;
  /** Reports one error as one annotation (on its file when it names one); does not fail the step by itself. */
  annotate(error: Error): void;
}

/**
 * Runs one command. Resolves to false when some instances failed (each already annotated once);
 * throws for an error that stops the command (the adapter annotates it once).
 */
export async function run(inputs: ActionInputs, ports: ActionPorts & Partial<LegActionPorts>): Promise<boolean> {
  const cwd = resolveInsideWorkspace(ports.workspace, 'working-directory', inputs.workingDirectory);
  // Warnings also go to the job summary, where a reviewer looks first.
  const warnings: string[] = [];
  const withWarnings: ActionPorts = { ...ports, log: { ...ports.log, warn: (m, where) => (warnings.push(m), ports.log.warn(m, where)) } };
  const summary = (title: string, body: string) => ports.summary(commandSummary(title, body, warnings));
  // Each command opens its one Project, with the ports its use case logs through, and passes it on.
  const open = (p: ActionPorts = withWarnings) => openProject({ cwd }, p);
  // plan and apply read the values of the instances they run (stores, secrets); the other commands never do.
  const openReading = (p: ActionPorts) => openProject({ cwd, readValues: true }, p);
  switch (inputs.command) {
    case 'matrix': {
      const selection = { stacks: inputs.stacks, components: inputs.components, includeAbstract: inputs.includeAbstract };
      const m = inputs.affected
        ? await affectedMatrixOf(open(), selection, inputs.affected, { ...withWarnings, github: ports.github })
        : matrix(open(), selection, withWarnings);
      const legs = matrixLegs(m, inputs.maxLegs);
      if (inputs.toolVersions.resolve) (await legCommands()).setToolVersionOutputs(m.include, inputs.toolVersions, cwd, ports);
      ports.setOutput('matrix', legs.json);
      ports.setOutput('count', String(legs.legs));
      ports.setOutput('instance-count', String(legs.instances));
      ports.log.info(
        legs.packed
          ? `${legs.instances} instance(s) packed into ${legs.legs} legs (max-legs ${inputs.maxLegs})`
          : `${legs.instances} instance(s) in the matrix`,
      );
      summary('matrix', matrixSummary(m.include, legs.packed ? legs.legs : undefined));
      return true;
    }
    case 'describe': {
      const d = describeComponent(open(), { stack: inputs.stack, component: inputs.component, manifest: inputs.manifest });
      ports.setOutput('result', JSON.stringify(d));
      summary('describe', describeSummary({ stack: inputs.stack, component: inputs.component, workspace: String(d.workspace) }));
      return true;
    }
    case 'provision': {
      const { provision } = await import('../app/provision.js');
      const { provisionOutput, provisionSummary } = await import('../report/workdirs.js');
      const batch = await provision(
        open(ports),
        { target: inputs.target, forceWorkdir: inputs.workdir, parallelism: inputs.parallelism, howToForce: 'set the input workdir: true' },
        ports,
      );
      if (batch.notEnabled.length) {
        ports.log.info(`${batch.notEnabled.length} instance(s) without provision.workdir.enabled skipped (set the input workdir: true to include them)`);
      }
      ports.setOutput('workdirs', JSON.stringify(provisionOutput(batch, cwd)));
      const failed = batch.outcomes.filter((o) => o.error);
      for (const o of failed) {
        const e = o.error!;
        const message = `workdir ${o.instance.stack}/${o.instance.component}: ${e.message}`;
        ports.annotate(e instanceof AtmosError ? new AtmosError(message, { file: e.file, line: e.line, chain: e.chain, kind: e.kind }) : new Error(message));
      }
      if (failed.length) ports.log.info(`${failed.length} of ${batch.outcomes.length} workdir(s) could not be provisioned`);
      summary('provision', provisionSummary(batch));
      return failed.length === 0;
    }
    case 'clean': {
      const { clean } = await import('../app/clean.js');
      const { cleanSummary } = await import('../report/workdirs.js');
      // The lines below say what happened, in the action's words; the core's own lines would repeat them with CLI flags.
      const quiet = { ...ports, log: { ...ports.log, info: ports.log.debug, warn: ports.log.debug } };
      const result = await clean(open(quiet), { target: inputs.target, dryRun: inputs.dryRun, force: inputs.force }, quiet);
      const verb = result.dryRun ? 'would remove' : 'removed';
      const who = (e: { component: string; stack: string; path: string }) => `${e.component || '?'} in stack ${e.stack || '?'} (${e.path})`;
      for (const e of result.removed) ports.log.info(`${verb} ${who(e)}`);
      for (const e of result.skipped) withWarnings.log.warn(`skipped ${who(e)}: ${e.reasons.join('; ')} (set the input force: true to delete anyway)`);
      summary('clean', cleanSummary(result));
      ports.setOutput('removed', JSON.stringify(result.removed.map((e) => e.path)));
      ports.setOutput('skipped', JSON.stringify(result.skipped.map((e) => ({ path: e.path, reasons: e.reasons }))));
      return true;
    }
    case 'plan':
      return (await legCommands()).runPlan(inputs, openReading(ports), legPorts(ports));
    case 'comment':
      return (await legCommands()).runComment(inputs, legPorts(ports));
    case 'apply':
      return (await legCommands()).runApply(inputs, openReading(ports), legPorts(ports));
    case 'find-plans':
      return (await legCommands()).runFindPlans(inputs, legPorts(ports));
    case 'apply-matrix':
      return (await legCommands()).runApplyMatrix(inputs, open(ports), legPorts(ports));
    case 'drift-issues':
      return (await import('./drift.js')).runDriftIssues(inputs, legPorts(ports));
  }
}

function legPorts(ports: ActionPorts & Partial<LegActionPorts>): LegActionPorts {
  if (!ports.github || !ports.githubApi) throw new Error('the plan, comment and apply commands need the GitHub context ports');
  return ports as LegActionPorts;
}

/**
 * `matrix` with `affected: true`: the base is `base-ref`, else the pull request's base commit; on
 * GitHub's merge commit of the pull request that is its first parent, otherwise the fork point
 * (app/git-base.ts), so only what the branch changed is planned.
 */
async function affectedMatrixOf(
  project: ReturnType<typeof openProject>,
  selection: MatrixSettings,
  affected: NonNullable<MatrixInputs['affected']>,
  ports: ActionPorts & { github?: GitHubContext },
): Promise<Matrix> {
  const base = affected.baseRef ?? ports.github?.baseSha;
  if (!base) {
    throw new AtmosError('matrix with affected: true needs a base commit: set the input base-ref (a branch, tag or commit), or run on a pull_request event');
  }
  const { matrix: m } = await affectedMatrix(
    project,
    selection,
    { base: { ref: base }, forkPoint: true, prHead: ports.github?.headSha, includeDependents: affected.includeDependents },
    ports,
  );
  return m;
}
