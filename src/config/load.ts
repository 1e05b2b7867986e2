import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { deepMerge, isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { readUtf8File } from '../util/text-file.js';
import { AtmosError } from '../util/errors.js';
import { listFilesRecursive } from '../util/walk.js';
import { lineOf, parseYaml } from '../util/yaml.js';
import { parseAuth, parseStores } from './stores.js';
import type { AtmosConfig, ListMergeStrategy, TemplatesSettings } from './types.js';
import { ATMOS_YAML_TAGS } from '../util/yaml-tags.js';

/**
 * atmos.yaml → AtmosConfig, as Atmos 1.226 reads it.
 *
 * Discovery, first found wins: `ATMOS_CLI_CONFIG_PATH` (a directory), then `atmos.yaml` or
 * `.atmos.yaml` in the working directory, then in each parent directory. The system and home
 * directory configs Atmos also merges are deliberately not read: a CI run must not depend on
 * the runner's home. `import:` entries and `.atmos.d/` beside the file are merged under it.
 */

const CONFIG_NAMES = ['atmos.yaml', '.atmos.yaml'];

/** Built-in defaults when no atmos.yaml exists (Atmos `pkg/config/default.go`). */
const DEFAULT_CONFIG: Plain = {
  base_path: '',
  stacks: {
    base_path: 'stacks',
    included_paths: ['orgs/**/*'],
    excluded_paths: ['**/_defaults.yaml'],
    name_pattern: '{tenant}-{environment}-{stage}',
  },
  components: {
    terraform: {
      base_path: 'components/terraform',
      auto_generate_backend_file: true,
      init_run_reconfigure: true,
      deploy_run_init: true,
    },
  },
};

export interface LoadConfigOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

export function findConfigFile(cwd: string, env: Record<string, string | undefined>): string | null {
  const fromEnv = env.ATMOS_CLI_CONFIG_PATH;
  if (fromEnv) {
    const dir = path.resolve(cwd, fromEnv);
    const direct = fs.existsSync(dir) && fs.statSync(dir).isFile() ? dir : undefined;
    const found = direct ?? CONFIG_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (!found) throw new AtmosError(`ATMOS_CLI_CONFIG_PATH=${fromEnv}: no atmos.yaml in ${dir}`);
    return found;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    const found = CONFIG_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
    if (found) return found;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readYamlMap(file: string): Plain {
  let text: string;
  try {
    text = readUtf8File(file);
  } catch (e) {
    if (e instanceof AtmosError) throw e;
    throw new AtmosError(`cannot read ${file}: ${(e as Error).message}`, { file });
  }
  const v = parseYaml(text, file, ATMOS_YAML_TAGS);
  if (v === null || v === undefined) return {};
  if (!isPlainMap(v)) throw new AtmosError('expected a map at the top level', { file, line: 1 });
  return v;
}

/** The config file merged over its `import:` entries and `.atmos.d/` (the file itself wins). */
function readConfigTree(file: string, seen: Set<string> = new Set()): Plain {
  if (seen.has(file)) throw new AtmosError('atmos.yaml import cycle', { file, chain: [...seen, file] });
  seen.add(file);
  const own = readYamlMap(file);
  const dir = path.dirname(file);
  const layers: Plain[] = [];
  const atmosD = path.join(dir, '.atmos.d');
  if (seen.size === 1 && fs.existsSync(atmosD)) {
    for (const f of listYamlFiles(atmosD)) layers.push(readConfigTree(f, seen));
  }
  const imports = own.import;
  if (imports !== undefined) {
    if (!Array.isArray(imports)) throw new AtmosError('`import` must be a list of paths', { file });
    for (const entry of imports) {
      if (typeof entry !== 'string') throw new AtmosError('`import` entries must be strings', { file });
      if (/^[a-z]+:\/\//i.test(entry)) throw new AtmosError(`remote atmos.yaml imports are not supported: ${entry}`, { file });
      const target = path.resolve(dir, entry);
      const matches = /[*?[{]/.test(entry) ? globFiles(dir, entry) : [target];
      for (const m of matches) {
        if (!fs.existsSync(m)) throw new AtmosError(`imported config ${entry} not found (${m})`, { file });
        layers.push(readConfigTree(m, new Set(seen)));
      }
    }
  }
  const { import: _ignored, ...rest } = own;
  return deepMerge([...layers, rest]);
}

function listYamlFiles(dir: string): string[] {
  return listFilesRecursive(dir, (name) => /\.ya?ml$/.test(name));
}

function globFiles(dir: string, pattern: string): string[] {
  const m = picomatch(path.resolve(dir, pattern), { dot: true });
  return listYamlFiles(dir).filter((f) => m(f));
}

function findGitRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** base_path rules of docs/atmos-compatibility.md §1.1. */
function resolveBasePath(raw: string, fromEnv: boolean, configDir: string, cwd: string): string {
  if (path.isAbsolute(raw)) return path.normalize(raw);
  if (fromEnv) return path.resolve(cwd, raw);
  const first = raw.split(/[\\/]/)[0];
  if (first === '.' || first === '..') return path.resolve(configDir, raw);
  const gitRoot = findGitRoot(configDir);
  if (gitRoot && fs.existsSync(path.join(gitRoot, raw))) return path.resolve(gitRoot, raw);
  return path.resolve(configDir, raw);
}

function str(v: unknown, what: string, file: string | null): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new AtmosError(`${what} must be a string`, { file: file ?? undefined });
  return v;
}

function bool(v: unknown, fallback: boolean): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v === 'true';
  return fallback;
}

function envBool(env: Record<string, string | undefined>, name: string): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  return v === 'true' || v === '1';
}

function strList(v: unknown, what: string, file: string | null): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new AtmosError(`${what} must be a list of strings`, { file: file ?? undefined });
  }
  return v as string[];
}

export function loadAtmosConfig(opts: LoadConfigOptions): AtmosConfig {
  const cwd = path.resolve(opts.cwd);
  const env = opts.env;
  const configFile = findConfigFile(cwd, env);
  const raw = configFile ? readConfigTree(configFile) : DEFAULT_CONFIG;
  const configDir = configFile ? path.dirname(configFile) : cwd;
  const where = configFile;

  const baseFromEnv = env.ATMOS_BASE_PATH;
  const basePath = configFile
    ? resolveBasePath(baseFromEnv ?? str(raw.base_path, 'base_path', where) ?? '', baseFromEnv !== undefined, configDir, cwd)
    : path.resolve(cwd, baseFromEnv ?? '.');

  const stacksRaw = mapAt(raw, 'stacks') ?? {};
  const stacksBase = path.resolve(basePath, env.ATMOS_STACKS_BASE_PATH ?? str(stacksRaw.base_path, 'stacks.base_path', where) ?? '');
  const listFromEnv = (name: string) =>
    env[name]
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const included = listFromEnv('ATMOS_STACKS_INCLUDED_PATHS') ?? strList(stacksRaw.included_paths, 'stacks.included_paths', where);
  const excluded = listFromEnv('ATMOS_STACKS_EXCLUDED_PATHS') ?? strList(stacksRaw.excluded_paths, 'stacks.excluded_paths', where);
  const inherit = mapAt(stacksRaw, 'inherit') ?? {};

  const tfRaw = mapAt(mapAt(raw, 'components'), 'terraform') ?? {};
  const tfBaseRel = env.ATMOS_COMPONENTS_TERRAFORM_BASE_PATH ?? str(tfRaw.base_path, 'components.terraform.base_path', where) ?? '';
  const settings = mapAt(raw, 'settings') ?? {};
  const strategy = (str(settings.list_merge_strategy, 'settings.list_merge_strategy', where) ?? 'replace') as ListMergeStrategy;
  if (!['replace', 'append', 'merge'].includes(strategy)) {
    throw new AtmosError(`settings.list_merge_strategy must be replace, append or merge, not ${JSON.stringify(strategy)}`, {
      file: where ?? undefined,
    });
  }
  const templates = templatesSettings(mapAt(mapAt(raw, 'templates'), 'settings') ?? {}, where);
  const pick = (envName: string, key: string, fallback: boolean) => envBool(env, envName) ?? bool(tfRaw[key], fallback);

  return {
    configFile,
    configDir,
    basePath,
    stacks: {
      basePath: stacksBase,
      includedPaths: included.map((p) => path.resolve(stacksBase, p)),
      excludedPaths: excluded.map((p) => path.resolve(stacksBase, p)),
      namePattern: env.ATMOS_STACKS_NAME_PATTERN ?? str(stacksRaw.name_pattern, 'stacks.name_pattern', where) ?? undefined,
      nameTemplate: env.ATMOS_STACKS_NAME_TEMPLATE ?? str(stacksRaw.name_template, 'stacks.name_template', where) ?? undefined,
      nameTemplateFrom: nameTemplateSource(configFile, env),
      inheritMetadata: bool(inherit.metadata, true),
      inheritSource: bool(inherit.source, true),
    },
    terraform: {
      basePath: path.resolve(basePath, tfBaseRel),
      basePathRelative: tfBaseRel,
      command: (env.ATMOS_COMPONENTS_TERRAFORM_COMMAND || str(tfRaw.command, 'components.terraform.command', where)) ?? 'terraform',
      autoGenerateBackendFile: pick('ATMOS_COMPONENTS_TERRAFORM_AUTO_GENERATE_BACKEND_FILE', 'auto_generate_backend_file', false),
      autoGenerateFiles: bool(tfRaw.auto_generate_files, false),
      initRunReconfigure: pick('ATMOS_COMPONENTS_TERRAFORM_INIT_RUN_RECONFIGURE', 'init_run_reconfigure', false),
      deployRunInit: pick('ATMOS_COMPONENTS_TERRAFORM_DEPLOY_RUN_INIT', 'deploy_run_init', false),
      applyAutoApprove: pick('ATMOS_COMPONENTS_TERRAFORM_APPLY_AUTO_APPROVE', 'apply_auto_approve', false),
      initPassVars: envBool(env, 'ATMOS_COMPONENTS_TERRAFORM_INIT_PASS_VARS') ?? bool(mapAt(tfRaw, 'init')?.pass_vars, false),
      planSkipPlanfile: envBool(env, 'ATMOS_COMPONENTS_TERRAFORM_PLAN_SKIP_PLANFILE') ?? bool(mapAt(tfRaw, 'plan')?.skip_planfile, false),
      workspacesEnabled: bool(tfRaw.workspaces_enabled, true),
      workspacePrefixSeparator: str(mapAt(tfRaw, 'workspace')?.prefix_separator, 'workspace.prefix_separator', where) ?? '-',
      sourceTtl: str(mapAt(tfRaw, 'source')?.ttl, 'components.terraform.source.ttl', where),
    },
    listMergeStrategy: strategy,
    templatesEnabled: templates.enabled,
    templates,
    env: mapAt(raw, 'env') ?? {},
    describeIncludeEmpty: bool(mapAt(mapAt(raw, 'describe'), 'settings')?.include_empty, true),
    vendorBasePath: vendorBasePath(env.ATMOS_VENDOR_BASE_PATH || str(mapAt(raw, 'vendor')?.base_path, 'vendor.base_path', where), basePath),
    stores: parseStores(raw.stores, where),
    auth: parseAuth(raw.auth),
    raw,
  };
}

/** Atmos joins `vendor.base_path` onto the absolute base path (an absolute value stays as it is). */
function vendorBasePath(value: string | undefined, basePath: string): string | undefined {
  return value ? path.resolve(basePath, value) : undefined;
}

function templatesSettings(t: Record<string, unknown>, where: string | null): TemplatesSettings {
  const delims = t.delimiters;
  let delimiters: [string, string] = ['{{', '}}'];
  if (delims !== undefined && delims !== null) {
    if (!Array.isArray(delims) || delims.length !== 2 || delims.some((d) => typeof d !== 'string' || d === '')) {
      throw new AtmosError('templates.settings.delimiters must be a list of two non-empty strings', { file: where ?? undefined });
    }
    delimiters = [delims[0] as string, delims[1] as string];
  }
  const evaluations = typeof t.evaluations === 'number' && Number.isInteger(t.evaluations) && t.evaluations > 0 ? t.evaluations : 1;
  return {
    enabled: bool(t.enabled, false),
    sprig: bool(mapAt(t, 'sprig')?.enabled, false),
    gomplate: bool(mapAt(t, 'gomplate')?.enabled, false),
    evaluations,
    delimiters,
    ignoreMissingTemplateValues: bool(t.ignore_missing_template_values, false),
    env: stringValues(t.env),
  };
}

/** The string values of a map (Atmos keeps only those of a template `env`); undefined when there are none. */
export function stringValues(v: unknown): Record<string, string> | undefined {
  if (!isPlainMap(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return Object.keys(out).length ? out : undefined;
}

/**
 * Where `stacks.name_template` comes from: the env override, or atmos.yaml. Its line is looked up
 * only when an error needs it (renderNameTemplate): finding it means parsing atmos.yaml a second
 * time with positions, which every command would otherwise pay at start.
 */
function nameTemplateSource(configFile: string | null, env: Record<string, string | undefined>): { file?: string; env?: string } | undefined {
  if (env.ATMOS_STACKS_NAME_TEMPLATE) return { env: 'ATMOS_STACKS_NAME_TEMPLATE' };
  return configFile ? { file: configFile } : undefined;
}

/** The line of `keyPath` in atmos.yaml, when it is written there (for warnings and errors that point at it). */
export function atmosYamlLine(configFile: string | null, keyPath: readonly string[]): number | undefined {
  if (!configFile) return undefined;
  try {
    return lineOf(fs.readFileSync(configFile, 'utf8'), keyPath);
  } catch {
    return undefined;
  }
}
