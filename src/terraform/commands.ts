/**
 * What the runner asks terraform (or OpenTofu) to do, as argv arrays, and the environment it runs
 * in. Pure: nothing here spawns, reads files or reads process.env.
 */
import type { Section } from '../stacks/types.js';

export interface ArgsStyle {
  /** Keep terraform's colours (GitHub renders them); off by default so logs and files stay plain. */
  color?: boolean;
}

const colorArgs = (s: ArgsStyle): string[] => (s.color ? [] : ['-no-color']);

export interface InitOptions extends ArgsStyle {
  reconfigure: boolean;
  /** `components.terraform.init.pass_vars`: hand the varfile to init too. */
  varfile?: string;
  /** `-lock=false`: take no state lock (an init that only reads another instance's state). */
  noLock?: boolean;
}

export function initArgs(o: InitOptions): string[] {
  return [
    'init',
    ...(o.reconfigure ? ['-reconfigure'] : []),
    '-input=false',
    ...(o.noLock ? ['-lock=false'] : []),
    ...colorArgs(o),
    ...(o.varfile ? ['-var-file', o.varfile] : []),
  ];
}

/** `workspace select -or-create` (terraform ≥ 1.4, every OpenTofu): one process instead of select-then-new. */
export function workspaceSelectArgs(workspace: string, s: ArgsStyle = {}): string[] {
  return ['workspace', 'select', '-or-create', ...colorArgs(s), workspace];
}

/** Fallback for binaries without `-or-create`, as Atmos does when select fails. */
export function workspaceNewArgs(workspace: string, s: ArgsStyle = {}): string[] {
  return ['workspace', 'new', ...colorArgs(s), workspace];
}

export interface PlanOptions extends ArgsStyle {
  planfile: string;
  varfile: string;
  destroy?: boolean;
}

/** `-detailed-exitcode`: 0 no changes, 1 error, 2 changes. */
export function planArgs(o: PlanOptions): string[] {
  return ['plan', ...(o.destroy ? ['-destroy'] : []), '-out', o.planfile, '-detailed-exitcode', '-input=false', ...colorArgs(o), '-var-file', o.varfile];
}

export function showJsonArgs(planfile: string): string[] {
  return ['show', '-json', planfile];
}

/** A saved plan is applied as is: no approval prompt, no varfile (the plan carries its variables). */
export function applyArgs(planfile: string, s: ArgsStyle = {}): string[] {
  return ['apply', '-input=false', ...colorArgs(s), planfile];
}

/** `version -json`: the version apply compares with the one a plan was made with (OpenTofu prints the same key). */
export function versionArgs(): string[] {
  return ['version', '-json'];
}

/** `terraform_version` from `version -json` output, or null. */
export function parseVersionJson(stdout: string): string | null {
  try {
    const v = (JSON.parse(stdout) as { terraform_version?: unknown }).terraform_version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

/**
 * Whether the runner selects a workspace for this backend. Every state backend with workspaces
 * (local, s3, gcs, azurerm, remote, consul, pg, kubernetes, cos, oss, …) gets one; `http` has only
 * `default` (Atmos skips it too); a `cloud` block naming one fixed workspace (`workspaces.name`)
 * selects it itself. A user's `TF_WORKSPACE` already selects, and terraform refuses `workspace
 * select` while it is set.
 */
export function workspaceStep(
  backendType: string,
  backend: Section,
  env: Record<string, string | undefined>,
): { select: true } | { select: false; why: string } {
  if (backendType === 'http') return { select: false, why: 'the http backend has no workspaces' };
  if (backendType === 'cloud') {
    const ws = backend.workspaces;
    if (typeof ws === 'object' && ws !== null && typeof (ws as Section).name === 'string') {
      return { select: false, why: 'the cloud block names its workspace' };
    }
  }
  if (env.TF_WORKSPACE) return { select: false, why: `TF_WORKSPACE=${env.TF_WORKSPACE} is set in the environment` };
  return { select: true };
}

/** Variables the runner always sets: terraform knows it runs unattended and never prompts. */
export const AUTOMATION_ENV = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' } as const;

export interface TerraformEnvInput {
  /** The user's environment (credentials, proxies, TF_CLI_CONFIG_FILE for mirrors). */
  userEnv: Record<string, string | undefined>;
  /** The instance's resolved `env` section (atmos.yaml `env:` already merged under it). */
  componentEnv: Section;
  /** Several inits may run at once (parallelism > 1). */
  parallel: boolean;
}

export interface TerraformEnv {
  env: Record<string, string>;
  /** What the runner changed about the user's environment and why, one sentence each, for the log. */
  notes: string[];
}

function envValue(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/**
 * The environment terraform runs in: the user's, then the component's `env` section, then
 * TF_IN_AUTOMATION and TF_INPUT. Under parallel runs a TF_PLUGIN_CACHE_DIR is dropped: terraform's
 * plugin cache unzips in place and is not safe for concurrent writers (corrupt packages, poisoned
 * lock files), so each instance then installs into its own `.terraform/`. Atmos drops it the same
 * way for concurrent runs.
 */
export function terraformEnv(input: TerraformEnvInput): TerraformEnv {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.userEnv)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(input.componentEnv)) if (v !== undefined && v !== null) env[k] = envValue(v);
  Object.assign(env, AUTOMATION_ENV);
  const notes: string[] = [];
  // Terraform appends these to the commands the runner builds; worth a line when a plan behaves oddly.
  for (const k of Object.keys(env)
    .filter((k) => /^TF_CLI_ARGS(_|$)/.test(k))
    .sort()) {
    notes.push(`${k} is set: terraform adds "${env[k]}" to the commands atmos-action runs`);
  }
  if (input.parallel && env.TF_PLUGIN_CACHE_DIR !== undefined) {
    notes.push(
      `TF_PLUGIN_CACHE_DIR=${env.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
        'for concurrent inits, so each instance installs its providers into its own .terraform/ instead',
    );
    delete env.TF_PLUGIN_CACHE_DIR;
    delete env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
  }
  return { env, notes };
}
