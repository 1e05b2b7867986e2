/** What changed between a stored plan and the checkout apply runs in, in words a user acts on. Pure. */
import type { PlanFingerprint, PlanMetadata } from './plan-store.js';

/** At most this many changed files are named in one message; the rest are counted. */
const NAMED_FILES = 5;

/**
 * Differences between what was planned and the present, one sentence each, naming what changed;
 * empty when apply may go on.
 */
export function planDrift(meta: PlanMetadata, now: PlanFingerprint): string[] {
  const out: string[] = [];
  if (meta.configSha256 !== now.configSha256) {
    out.push(`the resolved configuration changed since the plan (stack file ${meta.stackFile} or what it imports): plan again`);
  }
  if (meta.lockFileSha256 !== now.lockFileSha256) {
    const show = (h: string | null) => (h ? `${h.slice(0, 12)}…` : 'none');
    out.push(`the provider lock file changed since the plan (${show(meta.lockFileSha256)} → ${show(now.lockFileSha256)}): plan again`);
  }
  const changes: string[] = [];
  for (const [file, hash] of Object.entries(meta.files)) {
    if (!(file in now.files)) changes.push(`${file} removed`);
    else if (now.files[file] !== hash) changes.push(`${file} changed`);
  }
  for (const file of Object.keys(now.files)) if (!(file in meta.files)) changes.push(`${file} added`);
  if (changes.length) {
    const more = changes.length > NAMED_FILES ? `, and ${changes.length - NAMED_FILES} more` : '';
    out.push(`the code changed since the plan (${changes.slice(0, NAMED_FILES).join(', ')}${more}): plan again`);
  }
  if (meta.terraformVersion && meta.terraformVersion !== now.terraformVersion) {
    out.push(
      `terraform version ${meta.terraformVersion} → ${now.terraformVersion ?? 'unknown'} since the plan: apply with ${meta.terraformVersion}, or plan again`,
    );
  }
  return out;
}
