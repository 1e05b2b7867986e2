/** `workdir list` and `workdir show`: what is on disk, read without taking locks. */
import { listWorkdirs as listOnDisk, showWorkdir as showOnDisk, type WorkdirInfo } from '../workdir/list.js';
import type { Project } from './project.js';

/** Every workdir under the base path (needs atmos.yaml only, not the stacks). */
export function listWorkdirs(project: Project): WorkdirInfo[] {
  return listOnDisk(project.config.basePath);
}

export interface ShowWorkdirSettings {
  stack: string;
  component: string;
}

/** One instance's workdir (`info` null when it has not been provisioned), with the instance's canonical names. */
export function showWorkdir(project: Project, settings: ShowWorkdirSettings): { stack: string; component: string; info: WorkdirInfo | null } {
  const i = project.stacks.instance(settings.component, settings.stack);
  return { stack: i.stack, component: i.component, info: showOnDisk(project.config.basePath, i.stack, i.component) };
}
