/**
 * The files Atmos generates next to a root module before terraform runs: the varfile,
 * `backend.tf.json`, the `generate:` section's files (generate-section.ts) and
 * `providers_override.tf.json`, with Atmos's names and shapes. Building
 * them is pure; `writeGeneratedFiles` puts them into a workdir (never into the shared source folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '../util/atomic-fs.js';
import type { Instance, Section } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import { safeJoin } from '../util/safe-path.js';
import { generateSectionFiles, goJson } from './generate-section.js';

export const BACKEND_FILE = 'backend.tf.json';
export const PROVIDERS_OVERRIDE_FILE = 'providers_override.tf.json';

export interface GeneratedFile {
  /** Path relative to the workdir (the varfile may hold a `/` when the stack name does). */
  name: string;
  content: string;
  /** Atmos writes the varfile and the `generate:` files 0644, the two `.tf.json` files 0600. */
  mode: number;
  kind: 'varfile' | 'backend' | 'providers' | 'generate';
}

export interface GenerateOptions {
  /** `components.terraform.auto_generate_backend_file`. */
  autoGenerateBackendFile: boolean;
  /** `components.terraform.auto_generate_files`: write the `generate:` section's files (§5.8). */
  autoGenerateFiles?: boolean;
}

/** A map this module builds (resolved sections are readonly; generated ones are not). */
type MutableSection = Record<string, unknown>;

function isMap(v: unknown): v is Section {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Atmos's JSON (Go `json.MarshalIndent` over sorted maps): keys sorted, two-space indent, `<`, `>`
 * and `&` escaped, a trailing newline. Matching it byte for byte keeps files identical whichever
 * tool wrote them, so switching between Atmos and atmos-action never shows a spurious diff.
 */
export function atmosJson(value: unknown): string {
  return `${goJson(value)}\n`;
}

/** `{"terraform":{"backend":{"<type>":{…}}}}`; `cloud` is a top-level block with `{terraform_workspace}` filled in. */
export function backendConfig(instance: Pick<Instance, 'stack' | 'component' | 'backendType' | 'backend' | 'workspace'>): Section {
  const type = instance.backendType;
  if (!type) {
    throw new AtmosError(
      `component ${instance.component} in stack ${instance.stack}: auto_generate_backend_file is on but backend_type is empty; ` +
        'set backend_type (e.g. under terraform: in the stack) or turn auto_generate_backend_file off',
    );
  }
  if (type === 'cloud') {
    const filled = JSON.parse(JSON.stringify(instance.backend).replace(/\{terraform_workspace\}/g, escapeForJsonString(instance.workspace)));
    return { terraform: { cloud: filled } };
  }
  return { terraform: { backend: { [type]: instance.backend } } };
}

function escapeForJsonString(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * `{"provider": …}` where dotted keys become aliases: `{"aws":{…},"aws.use1":{…}}` →
 * `{"provider":{"aws":[{…base…},{"alias":"use1",…}]}}`, base first, then aliases sorted by key.
 */
export function providersOverride(providers: Section): Section {
  const byName = new Map<string, { base?: unknown; aliases: [string, Section][] }>();
  for (const key of Object.keys(providers)) {
    const dot = key.indexOf('.');
    const name = dot < 0 ? key : key.slice(0, dot);
    const entry = byName.get(name) ?? { aliases: [] };
    byName.set(name, entry);
    if (dot < 0) entry.base = providers[key];
    else entry.aliases.push([key, isMap(providers[key]) ? (providers[key] as Section) : {}]);
  }
  const out: MutableSection = {};
  for (const [name, { base, aliases }] of byName) {
    if (aliases.length === 0) {
      out[name] = base;
      continue;
    }
    const list: unknown[] = base === undefined ? [] : [base];
    for (const [key, body] of aliases.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      list.push({ alias: key.slice(key.indexOf('.') + 1), ...body });
    }
    out[name] = list;
  }
  return { provider: out };
}

/** Every file Atmos would generate for this instance, in the order it writes them. */
export function generatedFiles(instance: Pick<Instance, 'varfileName'> & Parameters<typeof generateSectionFiles>[0], opts: GenerateOptions): GeneratedFile[] {
  const files: GeneratedFile[] = [{ name: instance.varfileName, content: atmosJson(instance.vars), mode: 0o644, kind: 'varfile' }];
  if (opts.autoGenerateBackendFile) {
    files.push({ name: BACKEND_FILE, content: atmosJson(backendConfig(instance)), mode: 0o600, kind: 'backend' });
  }
  if (opts.autoGenerateFiles) {
    for (const f of generateSectionFiles(instance)) files.push({ ...f, mode: 0o644, kind: 'generate' });
  }
  if (Object.keys(instance.providers).length > 0) {
    files.push({ name: PROVIDERS_OVERRIDE_FILE, content: atmosJson(providersOverride(instance.providers)), mode: 0o600, kind: 'providers' });
  }
  return files;
}

export interface WrittenFile {
  name: string;
  /** Absolute path. */
  path: string;
  kind: GeneratedFile['kind'];
  /** The file was missing or held different content before this write. */
  changed: boolean;
}

/**
 * Writes the files into `workdir` atomically (temp + rename), so a concurrent reader sees the old
 * file or the new one, never half. Names go through the path sanitiser: a stack name with `..`
 * cannot place a varfile outside the workdir.
 */
export async function writeGeneratedFiles(workdir: string, files: readonly GeneratedFile[]): Promise<WrittenFile[]> {
  const written: WrittenFile[] = [];
  for (const f of files) {
    const abs = safeJoin(workdir, f.name, 'generated file name');
    let before: string | undefined;
    try {
      before = await fs.promises.readFile(abs, 'utf8');
    } catch {
      before = undefined;
    }
    await fs.promises.mkdir(path.dirname(abs), { recursive: true });
    await atomicWriteFile(abs, f.content, f.mode);
    // writeFile's mode is filtered by the umask; Atmos's modes are part of the contract (0600 keeps backend secrets private).
    await fs.promises.chmod(abs, f.mode);
    written.push({ name: f.name, path: abs, kind: f.kind, changed: before !== f.content });
  }
  return written;
}
