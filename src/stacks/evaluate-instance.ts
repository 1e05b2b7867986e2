/**
 * Step C6–C7 of Atmos's per-instance pipeline (docs/atmos-compatibility.md §11.1): the component
 * section template pass (when `templates.settings.enabled`), then the YAML functions. Both run on
 * the merged sections, after imports, inheritance, the stack name and the workspace. Strings that
 * hold neither `{{` nor a leading `!` are never touched, and untouched subtrees stay shared.
 */
import { TemplateError } from '../templates/index.js';
import { AtmosError } from '../util/errors.js';
import type { Plain } from '../util/merge.js';
import { evaluateFunction, type FunctionContext, type FunctionPorts } from './functions/evaluate.js';
import type { OutputReference } from './functions/args.js';
import { ResolvedInstance, type InstanceFields } from './instance.js';
import { mapStrings, RoundTripError, SubtreeScan, typedResult } from './section-templates.js';
import type { StackTemplates } from './templating.js';

/** The instance fields that hold sections (what the passes walk), with their describe names. */
const SECTION_FIELDS = [
  ['vars', 'vars'],
  ['settings', 'settings'],
  ['env', 'env'],
  ['providers', 'providers'],
  ['backend', 'backend'],
  ['remoteStateBackend', 'remote_state_backend'],
  ['metadata', 'metadata'],
  ['overrides', 'overrides'],
  ['source', 'source'],
  ['provision', 'provision'],
  ['dependencies', 'dependencies'],
  ['passthrough', ''],
  ['command', 'command'],
] as const satisfies readonly (readonly [keyof InstanceFields, string])[];

export interface Evaluation {
  /** null when the component pass is off (atmos.yaml or --process-templates=false). */
  templates: StackTemplates | null;
  /** null when YAML functions are off (--process-functions=false). */
  functions: FunctionPorts | null;
  /** Memoised scans: which shared subtrees hold templates / function tags at all. */
  templateScan: SubtreeScan;
  functionScan: SubtreeScan;
  /** Where a template string is written, for errors. */
  locate: (text: string) => { file?: string; line?: number };
}

export type OutputRead = OutputReference & { path: string; raw: string };

/** Evaluates templates and functions in `fields` in place; returns the output references found. */
export function evaluateInstance(fields: InstanceFields, ev: Evaluation): OutputRead[] {
  const references: OutputRead[] = [];
  if (ev.templates) {
    const templates = ev.templates;
    templates.components.within(fields.stack, fields.component, references, (reader) => renderTemplates(fields, templates, ev.locate, ev.templateScan, reader));
  }
  if (ev.functions) {
    const ctx: FunctionContext = {
      stack: fields.stack,
      component: fields.component,
      componentEnv: fields.env,
      ports: ev.functions,
      references,
      unsupported: [],
      faults: [],
      secrets: fields.passthrough.secrets as FunctionContext['secrets'],
    };
    for (const [field, name] of SECTION_FIELDS) {
      const fn = (s: string, p: string) => evaluateFunction(s, name ? (p ? `${name}.${p}` : name) : p, ctx);
      (fields as unknown as Record<string, unknown>)[field] = mapStrings(fields[field], fn, '', ev.functionScan);
    }
    for (const u of ctx.unsupported) fields.unsupported.push({ path: u.path, value: u.value, kind: 'yaml-function' });
    for (const f of ctx.faults) fields.unsupported.push({ path: f.path, value: f.message, kind: 'value-fault' });
  }
  for (const r of references) {
    fields.unsupported.push({ path: r.path, value: r.raw, kind: 'output-reference' });
  }
  return references;
}

function renderTemplates(fields: InstanceFields, templates: StackTemplates, locate: Evaluation['locate'], scan: SubtreeScan, reader: { at: string }): void {
  // The data is the section before the pass (Atmos renders against the unrendered values),
  // built on the first template found.
  let data: Plain | undefined;
  const before = { ...fields };
  const dataOf = (): Plain => {
    if (!data) {
      const { component_info: _ci, ...rest } = new ResolvedInstance(before).sections as Plain;
      data = rest;
    }
    return data;
  };
  const evaluations = templates.config.templates.evaluations;
  for (const [field, name] of SECTION_FIELDS) {
    const render = (source: string, p: string): unknown => {
      if (!templates.hasAction(source)) return undefined;
      const at = name ? (p ? `${name}.${p}` : name) : p;
      reader.at = at;
      try {
        let out = source;
        for (let i = 0; i < evaluations && templates.hasAction(out); i++) {
          out = templates.render(out, dataOf(), 'component', 'default', at);
        }
        return typedResult(source, out);
      } catch (e) {
        if (!(e instanceof TemplateError) && !(e instanceof RoundTripError)) throw e;
        const where = locate(source);
        const line = where.line !== undefined && e instanceof TemplateError ? where.line + (e.line ?? 1) - 1 : where.line;
        throw new AtmosError(`component ${fields.component} in stack ${fields.stack}: template in ${at}: ${e.message}`, {
          file: where.file,
          line,
          cause: e,
        });
      }
    };
    (fields as unknown as Record<string, unknown>)[field] = mapStrings(fields[field], render, '', scan);
  }
}
