/** `workdir list` and `workdir show`: what is on disk, read without taking locks. */
import { findInstance } from '../stacks/resolve.js';
import { listWorkdirs as listOnDisk, showWorkdir as showOnDisk, type WorkdirInfo } from '../workdir/list.js';
import { loadConfig, loadProject, type AppPorts, type ProjectSettings } from './project.js';

/** Every workdir under the base path (needs atmos.yaml only, not the stacks). */
export function listWorkdirs(settings: ProjectSettings, ports: Pick<AppPorts, 'env'>): WorkdirInfo[] {
  return listOnDisk(loadConfig(settings, ports).basePath);
}

export interface ShowWorkdirSettings extends ProjectSettings {
  stack: string;
  component: string;
}

/** One instance's workdir (`info` null when it has not been provisioned), with the instance's canonical names. */
export function showWorkdir(
  settings: ShowWorkdirSettings,
  ports: Pick<AppPorts, 'env' | 'log' | 'execSync'>,
): { stack: string; component: string; info: WorkdirInfo | null } {
  const { config, stacks } = loadProject({ cwd: settings.cwd, env: ports.env, log: ports.log, execSync: ports.execSync });
  const i = findInstance(stacks, settings.component, settings.stack);
  return { stack: i.stack, component: i.component, info: showOnDisk(config.basePath, i.stack, i.component) };
}
