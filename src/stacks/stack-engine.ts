/**
 * The templates and YAML functions of one resolution, and the two name templates Atmos renders
 * before the component pass: `stacks.name_template` (docs/atmos-compatibility.md §11.2) and
 * `metadata.terraform_workspace_template`. Both see the component section *before* templates run
 * and always have Gomplate + Sprig.
 */
import { atmosYamlLine } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Plain } from '../util/merge.js';
import { lineOf } from '../util/yaml.js';
import { DeferredTokens } from './deferred.js';
import type { FunctionPorts } from './functions/evaluate.js';
import type { ManifestReader } from './imports.js';
import { SubtreeScan } from './section-templates.js';
import { isMissingKeyError, StackTemplates, templateFailure, type TemplatePorts } from './templating.js';

export interface StackEngine {
  templates: StackTemplates;
  /** The component-section pass runs (`templates.settings.enabled` and not --process-templates=false). */
  componentPass: boolean;
  /** YAML functions are evaluated (null: --process-functions=false). */
  functions: FunctionPorts | null;
  /** The ports of YAML functions in `locals`, which Atmos evaluates whatever --process-functions says. */
  localsFunctions: FunctionPorts;
  templateScan: SubtreeScan;
  functionScan: SubtreeScan;
  /** Reads of other instances' outputs inside template text, for this run. */
  tokens: DeferredTokens;
}

export interface EngineOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  execSync?: FunctionPorts['execSync'];
  /** `--process-templates` (default true): the component-section pass. */
  processTemplates?: boolean;
  /** `--process-functions` (default true): YAML functions. */
  processFunctions?: boolean;
}

/** `serve`: what the resolution serves templates (atmos.Component, and atmos.Store where a run reads values). */
export function createEngine(config: AtmosConfig, opts: EngineOptions, serve: Pick<TemplatePorts, 'components' | 'store'> = {}): StackEngine {
  const env = opts.env ?? {};
  const ports: TemplatePorts = { env: (n) => env[n], ...serve };
  const templates = new StackTemplates(config, ports);
  const functions: FunctionPorts = {
    env: ports.env,
    cwd: opts.cwd ?? config.basePath,
    execSync: opts.execSync,
    processEnv: env,
    execResults: new Map(),
  };
  return {
    templates,
    tokens: new DeferredTokens(),
    templateScan: new SubtreeScan((s) => templates.hasAction(s)),
    functionScan: new SubtreeScan((s) => s.startsWith('!')),
    componentPass: config.templates.enabled && opts.processTemplates !== false,
    functions: opts.processFunctions === false ? null : functions,
    localsFunctions: functions,
  };
}

/**
 * The stack name from `stacks.name_template`. A missing var (missingkey=error) gives undefined,
 * so the caller falls back to name_pattern / the file name; `ignore_missing_template_values`
 * renders `<no value>` instead, as Atmos does. Any other failure names atmos.yaml and the manifest.
 */
export function renderNameTemplate(engine: StackEngine, template: string, data: Plain, manifest: string): string | undefined {
  const config = engine.templates.config;
  const missing = config.templates.ignoreMissingTemplateValues ? 'default' : 'error';
  try {
    const out = engine.templates.render(template, data, 'full', missing, 'name_template');
    return out === '' ? undefined : out;
  } catch (e) {
    if (isMissingKeyError(e)) return undefined;
    const from = config.stacks.nameTemplateFrom;
    const what = `stacks.name_template${from?.env ? ` (from ${from.env})` : ''}, rendering the stack name of ${manifest}`;
    throw templateFailure(
      e,
      what,
      from?.env ? undefined : (from?.file ?? config.configFile ?? undefined),
      from?.env ? undefined : atmosYamlLine(config.configFile, ['stacks', 'name_template']),
    );
  }
}

/** `metadata.terraform_workspace_template` (missingkey=error), `/` replaced by `-` as Atmos does. */
export function renderWorkspaceTemplate(engine: StackEngine, template: string, data: Plain, reader: ManifestReader, top: string, component: string): string {
  try {
    const ws = engine.templates.render(template, data, 'full', 'error', 'terraform_workspace_template');
    return ws.replace(/\//g, '-');
  } catch (e) {
    const where = locate(reader, top, component);
    throw templateFailure(e, `component ${component} in stack ${String(data.stack)}: metadata.terraform_workspace_template`, where.file, where.line);
  }
}

/** The file and line of `metadata.terraform_workspace_template` of a component (the top file or an import). */
function locate(reader: ManifestReader, top: string, component: string): { file?: string; line?: number } {
  const keyPath = ['components', 'terraform', component, 'metadata', 'terraform_workspace_template'];
  for (const f of [top, ...reader.transitiveImports(top).reverse()]) {
    const text = reader.textOf(f);
    const line = text && text.includes('terraform_workspace_template') ? lineOf(text, keyPath) : undefined;
    if (line !== undefined && text && lineOf(text, keyPath.slice(0, 4)) !== line) return { file: f, line };
  }
  return { file: top };
}
