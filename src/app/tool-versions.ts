/**
 * The terraform / OpenTofu version a workflow installs for the tools the selected instances run.
 * In order: the input (`terraform-version`, `opentofu-version`); else the nearest version file,
 * looked for from the working directory up to the repository root:
 *   terraform: `.terraform-version` (tfenv), else a `terraform` line of `.tool-versions` (asdf, mise)
 *   OpenTofu:  `.opentofu-version` (tofuenv, setup-opentofu), else an `opentofu` line of `.tool-versions`
 * A tool the instances need with no version anywhere is an error naming both ways to set one: a
 * silent "latest" would change what a plan runs with from one day to the next.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Tool } from '../config/tool.js';
import { AtmosError } from '../util/errors.js';

export const VERSION_FILES: Record<Tool, { own: string; toolVersionsName: string; input: string; label: string }> = {
  terraform: { own: '.terraform-version', toolVersionsName: 'terraform', input: 'terraform-version', label: 'terraform' },
  tofu: { own: '.opentofu-version', toolVersionsName: 'opentofu', input: 'opentofu-version', label: 'OpenTofu' },
};
const TOOL_VERSIONS = '.tool-versions';

/** What setup-terraform and setup-opentofu accept: a version or a constraint (`1.11.4`, `~1.10`, `>=1.9`, `latest`), one token. */
const VERSION = /^[0-9A-Za-z.~^<>=*+-]{1,64}$/;

export interface ToolVersionSettings {
  /** Where the search starts (the working directory). */
  cwd: string;
  /** Where it stops (the repository root, GITHUB_WORKSPACE); the search never leaves it. */
  root: string;
  /** The inputs; empty means not given. */
  inputs: Partial<Record<Tool, string>>;
}

export interface ToolVersion {
  version: string;
  /** `input terraform-version`, or the file (and line) it came from. */
  from: string;
}

function checked(version: string, from: string): ToolVersion {
  if (!VERSION.test(version)) {
    throw new AtmosError(`${from}: ${JSON.stringify(version)} is not a version the setup actions take (e.g. 1.11.4, ~1.10, latest)`);
  }
  return { version, from };
}

/** The directories from `cwd` up to `root`, nearest first (only `root` when cwd is outside it). */
function upward(cwd: string, root: string): string[] {
  const dirs: string[] = [];
  const rel = path.relative(root, cwd);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return [root];
  for (let d = cwd; ; d = path.dirname(d)) {
    dirs.push(d);
    if (d === root || d === path.dirname(d)) break;
  }
  return dirs;
}

function readText(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The version of `tool` in one directory's files, if any. */
function fromDirectory(dir: string, tool: Tool, root: string): ToolVersion | undefined {
  const names = VERSION_FILES[tool];
  const shown = (file: string) => path.relative(root, file) || file;
  const own = path.join(dir, names.own);
  const ownText = readText(own);
  if (ownText !== undefined) {
    const line = ownText.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#'));
    if (line) return checked(line.trim(), shown(own));
  }
  const tv = path.join(dir, TOOL_VERSIONS);
  const lines = readText(tv)?.split(/\r?\n/) ?? [];
  for (const [i, raw] of lines.entries()) {
    const [name, version] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (name === names.toolVersionsName && version) return checked(version, `${shown(tv)}:${i + 1}`);
  }
  return undefined;
}

/**
 * The version to install for each tool in `needed`; `users` names an instance per tool for the
 * error when none is found.
 */
export function toolVersions(needed: ReadonlyMap<Tool, string>, s: ToolVersionSettings): Partial<Record<Tool, ToolVersion>> {
  const out: Partial<Record<Tool, ToolVersion>> = {};
  for (const [tool, user] of needed) {
    const names = VERSION_FILES[tool];
    const input = s.inputs[tool]?.trim();
    const found = input
      ? checked(input, `input ${names.input}`)
      : upward(s.cwd, s.root)
          .map((d) => fromDirectory(d, tool, s.root))
          .find(Boolean);
    if (!found) {
      throw new AtmosError(
        `${user} runs ${names.label}, but no ${names.label} version is set: set the input ${names.input}, or commit a ${names.own} file ` +
          `(or a "${names.toolVersionsName} <version>" line in ${TOOL_VERSIONS}) at the repository root`,
      );
    }
    out[tool] = found;
  }
  return out;
}
