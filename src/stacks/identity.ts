/**
 * Who an instance is, in every form the project spells it: its key, the name a user reads, the
 * prefix of its log lines, its slug and its folder names. One module, so the runner, the plans
 * directory, the reports and the logs always agree. An instance is one Atmos component in one
 * stack. The folder names themselves are spelled in util/paths.ts with every other location; the
 * functions here are the way to them from an instance.
 */
import { planFolderName, workdirName } from '../util/paths.js';

/** What identifies an instance: its canonical stack name and its Atmos component name (never the base component). */
export interface InstanceId {
  readonly stack: string;
  readonly component: string;
}

/**
 * `<stack>:<component>`: the key of maps and of scheduler nodes, and the `instance` field of each
 * plan folder's metadata and of the JSON outputs, so it stays stable across runs and versions.
 */
export function instanceKey(id: InstanceId): string {
  return `${id.stack}:${id.component}`;
}

/** `<component>@<stack>`: how tables and log lines name an instance. */
export function displayName(id: InstanceId): string {
  return `${id.component}@${id.stack}`;
}

/** `[<component>@<stack>] `: what starts each line of an instance when several instances share one stream. */
export function logPrefix(id: InstanceId): string {
  return `[${displayName(id)}] `;
}

/** The instance's workdir folder, relative to the workdir root (`<stack>-<escaped component>`; util/paths.ts builds the path). */
export function workdirFolder(id: InstanceId): string {
  return workdirName(id.stack, id.component);
}

/** The instance's folder in the plans directory (`<escaped stack>--<escaped component>`; util/paths.ts builds the path). */
export function planFolder(id: InstanceId): string {
  return planFolderName(id.stack, id.component);
}

/** `<stack>-<component, / → ->`, as Atmos's describe affected names an instance: for job and artifact names (the matrix's `stack_slug`). */
export function stackSlug(id: InstanceId): string {
  return `${id.stack}-${id.component.replace(/\//g, '-')}`;
}
