/**
 * Variables holding a secret stay out of files on disk, as Atmos keeps them out of its varfile: a
 * top-level variable whose value contains a masked value anywhere (nested, or composed into a longer
 * string) is handed to terraform as `TF_VAR_<name>` instead (strings as they are, anything else as
 * JSON, which terraform reads as HCL).
 */
import type { Section } from '../stacks/types.js';
import type { Secrets } from '../util/secrets.js';

export interface SecretVarSplit {
  /** What the varfile holds. */
  fileVars: Section;
  /** `TF_VAR_<name>` for each variable left out of it. */
  env: Record<string, string>;
}

export function splitSecretVars(vars: Section, secrets: Secrets | undefined): SecretVarSplit {
  if (!secrets || secrets.values().length === 0) return { fileVars: vars, env: {} };
  const fileVars: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(vars)) {
    if (secrets.holdsIn(value)) env[`TF_VAR_${name}`] = typeof value === 'string' ? value : JSON.stringify(value);
    else fileVars[name] = value;
  }
  return Object.keys(env).length === 0 ? { fileVars: vars, env } : { fileVars, env };
}
