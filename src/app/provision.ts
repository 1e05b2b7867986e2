/** `provision` (CLI `workdir provision`, action `command: provision`): create or refresh workdirs. */
import { emptySelectionWarnings, selectInstances } from '../graph/select.js';
import { findInstance } from '../stacks/resolve.js';
import { AtmosError } from '../util/errors.js';
import { refuseSecretNames } from '../util/secrets.js';
import { isWorkdirEnabled, provisionWorkdirs, type ProvisionBatch } from '../workdir/provision.js';
import { parseGitTimeout } from '../workdir/remote.js';
import { loadProject, type AppPorts, type ProjectSettings } from './project.js';

/** One named instance, or every deployable instance the globs select. */
export type ProvisionTarget = { stack: string; component: string } | { stacks: string[]; components: string[] };

export interface ProvisionSettings extends ProjectSettings {
  target: ProvisionTarget;
  /** Turn workdirs on for every selected instance, whatever `provision.workdir.enabled` says. */
  forceWorkdir: boolean;
  /** Instances provisioned at once. */
  parallelism: number;
  /** How the entry point turns workdirs on for one run, in its own words ("pass --workdir", "set the input workdir: true"). */
  howToForce?: string;
}

/**
 * A named instance without workdirs enabled is an error (the user asked for that workdir; both
 * entry points fail, naming the setting), while a glob selection skips such instances and says so.
 * Per-instance failures do not throw: they come back in `outcomes`, the others still run.
 */
export async function provision(settings: ProvisionSettings, ports: AppPorts): Promise<ProvisionBatch> {
  // The deploy path: abstract instances are never provisioned, so they are not resolved.
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, execSync: ports.execSync, includeAbstract: false });
  const t = settings.target;
  if (!('component' in t)) for (const w of emptySelectionWarnings(stacks.instances, t)) ports.log.warn(w);
  const picked =
    'component' in t ? [findInstance(stacks, t.component, t.stack)] : selectInstances(stacks.instances, { stacks: t.stacks, components: t.components });
  refuseSecretNames(picked, ports.secrets);
  const enabled = picked.filter((i) => isWorkdirEnabled(i, settings.forceWorkdir));
  const notEnabled = picked.filter((i) => !isWorkdirEnabled(i, settings.forceWorkdir));
  if ('component' in t && notEnabled.length) {
    const i = notEnabled[0]!;
    throw new AtmosError(
      `workdirs are not enabled for ${i.component} in stack ${i.stack}: set provision.workdir.enabled: true, or turn them on for this run (${settings.howToForce ?? 'CLI --workdir, action input workdir: true'})`,
    );
  }
  const outcomes = await provisionWorkdirs(
    enabled,
    {
      basePath: config.basePath,
      defaultTtl: config.terraform.sourceTtl,
      parallelism: settings.parallelism,
      // The same deadline for the CLI and the action: the environment variable is the one knob.
      gitTimeoutMs: parseGitTimeout(ports.env.ATMOS_ACTION_GIT_TIMEOUT),
    },
    { exec: ports.exec, log: ports.log, clock: ports.clock, env: ports.env, githubToken: ports.githubToken },
  );
  return { basePath: config.basePath, outcomes, notEnabled };
}
