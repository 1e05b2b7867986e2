/**
 * Which tool a component's `command` runs: OpenTofu when the binary is called `tofu`, terraform for
 * `terraform` and anything else (a path to a terraform build, a wrapper). The workflows install the
 * tool this names; the provider store keys its cache on it, because terraform and OpenTofu resolve
 * short provider addresses to different registries (registry.terraform.io, registry.opentofu.org).
 */
import path from 'node:path';

export type Tool = 'terraform' | 'tofu';

export function toolOf(command: string): Tool {
  return /^tofu(\.exe)?$/.test(path.basename(command || 'terraform')) ? 'tofu' : 'terraform';
}
