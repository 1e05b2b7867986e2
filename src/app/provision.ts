/** `provision` (CLI `workdir provision`, action `command: provision`): create or refresh workdirs. */
import { isOneInstance, selectedInstances, selectionWarnings, type Selection } from '../graph/select.js';
import { generateFileNames } from '../terraform/generate-section.js';
import { AtmosError } from '../util/errors.js';
import { refuseSecretNames } from '../util/secrets.js';
import { isWorkdirEnabled } from '../util/paths.js';
import { provisionWorkdirs, type ProvisionBatch } from '../workdir/provision.js';
import type { AppPorts, Project } from './project.js';

export interface ProvisionSettings {
  target: Selection;
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
export async function provision(project: Project, settings: ProvisionSettings, ports: AppPorts): Promise<ProvisionBatch> {
  // The deploy path: abstract instances are never provisioned, so they are not resolved.
  const t = settings.target;
  for (const w of selectionWarnings(project, t)) ports.log.warn(w);
  const picked = selectedInstances(project, t);
  refuseSecretNames(picked, ports.secrets);
  const config = project.config;
  const enabled = picked.filter((i) => isWorkdirEnabled(i, settings.forceWorkdir));
  const notEnabled = picked.filter((i) => !isWorkdirEnabled(i, settings.forceWorkdir));
  if (isOneInstance(t) && notEnabled.length) {
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
      vendorBasePath: config.vendorBasePath,
      generated: config.terraform.autoGenerateFiles ? generateFileNames : undefined,
      parallelism: settings.parallelism,
      // The same deadline for the CLI and the action: ATMOS_ACTION_GIT_TIMEOUT is the one knob.
      gitTimeoutMs: ports.envSettings.gitTimeoutMs,
    },
    { exec: ports.exec, log: ports.log, clock: ports.clock, env: ports.env, githubToken: ports.envSettings.githubToken },
  );
  return { basePath: config.basePath, outcomes, notEnabled };
}
