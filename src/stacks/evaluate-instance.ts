/**
 * Step C6–C7 of Atmos's per-instance pipeline (docs/atmos-compatibility.md §11.1): the component
 * section template pass (when `templates.settings.enabled`), then the YAML functions. Both run on
 * the merged sections, after imports, inheritance, the stack name and the workspace. A section
 * none of whose layers holds a template (or a function tag) is not walked, nor even merged; in
 * the others, strings that hold neither are never touched, and untouched subtrees stay shared.
 *
 * An output of another instance (`!terraform.output`, `!terraform.state`, `atmos.Component …
 * .outputs`) or a store's value (`!store`, `!store.get`, `!secret`) becomes a DeferredValue where
 * it goes, and a read of the instance (deferred.ts).
 */
import type { ListMergeStrategy } from '../config/types.js';
import { TemplateError } from '../templates/index.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { DeferredTokenError, DeferredValue, type DeferredAt, type DeferredTokens } from './deferred.js';
import { mergeResolved, type DeferredMerge } from './deferred-merge.js';
import { evaluateFunction, type FunctionContext, type FunctionPorts } from './functions/evaluate.js';
import { describeShape, type InstanceIdentity } from './instance.js';
import { overlaySections, SECTION_FIELDS, type InstanceSections, type SectionField } from './instance-sections.js';
import { mapStrings, mapStringsAt, REMOVE, RoundTripError, SubtreeScan, typedResult } from './section-templates.js';
import type { StackTemplates } from './templating.js';
import type { VersionTrack } from './versions.js';
import type { UnsupportedFeature } from './types.js';

export interface Evaluation {
  /** null when the component pass is off (atmos.yaml or --process-templates=false). */
  templates: StackTemplates | null;
  /** null when YAML functions are off (--process-functions=false). */
  functions: FunctionPorts | null;
  /** Memoised scans: which shared subtrees hold templates / function tags at all. */
  templateScan: SubtreeScan;
  functionScan: SubtreeScan;
  /** Reads in template text, for this run. */
  tokens: DeferredTokens;
  /** Whether any layer of a section may hold a template / a function tag: the others are left alone. */
  mayHold: (field: SectionField, kind: 'template' | 'tag') => boolean;
  /** The keys of a section that may hold one (undefined: any key may). */
  keysHolding: (field: SectionField, kind: 'template' | 'tag') => readonly string[] | undefined;
  /** Where a template string is written, for errors. */
  locate: (text: string) => { file?: string; line?: number };
  /** The variables set while the component's templates render (templates.settings.env). */
  templateEnv: () => Readonly<Record<string, string>> | undefined;
  /** The places of a section merged after their functions are resolved (deferred-merge.ts). */
  deferredMerges: (field: SectionField) => readonly DeferredMerge[];
  /** The instance's list merge strategy. */
  strategy: ListMergeStrategy;
  /** The versions locked in the stack's track (`!version`, `{{ .version.* }}`). */
  versions: () => VersionTrack;
}

export interface Evaluated {
  /** The sections the passes changed (the others are as merged). */
  replaced: Partial<InstanceSections>;
  reads: DeferredAt[];
  unsupported: UnsupportedFeature[];
}

/** Evaluates templates, then functions, in the sections of one instance. */
export function evaluateInstance(identity: InstanceIdentity, sections: InstanceSections, ev: Evaluation): Evaluated {
  const replaced: Partial<Record<SectionField, unknown>> = {};
  const unsupported: UnsupportedFeature[] = [];
  const reads: DeferredAt[] = [];
  /** Sections where a template rendered a function tag: the function pass looks there too. */
  const tagged = new Set<SectionField>();
  const templates = ev.templates;
  // The template data is the sections before the pass (Atmos renders against the unrendered
  // values); each section in it is merged only if a template reads it.
  let data: Plain | undefined;
  const renderer = (field: SectionField, name: string, found: Findings) =>
    templates ? templateRenderer(identity, templates, ev, field, name, () => (data ??= templateData(identity, sections, ev)), found) : undefined;
  const inTemplateScope = <T>(f: () => T): T => (templates ? templates.components.within(() => templates.withEnv(ev.templateEnv(), f)) : f());
  if (templates) {
    inTemplateScope(() => renderTemplates(sections, ev, renderer, { replaced, reads, tagged }));
  }
  if (ev.functions) {
    const current = overlaySections(sections, replaced as Partial<InstanceSections>);
    const ctx: FunctionContext = {
      stack: identity.stack,
      component: identity.component,
      componentEnv: current.env,
      secrets: () => mapAt(current.passthrough, 'secrets'),
      ports: ev.functions,
      version: (n) => ev.versions().locked(n),
      unsupported: [],
    };
    for (const [field, name] of SECTION_FIELDS) {
      if (!tagged.has(field) && !ev.mayHold(field, 'tag')) continue;
      const fn = functionEvaluator(name, ctx, reads);
      const before = current[field];
      const keys = tagged.has(field) ? undefined : ev.keysHolding(field, 'tag');
      let after = keys ? mapStringsAt(before, keys, fn, ev.functionScan) : mapStrings(before, fn, '', ev.functionScan);
      const merges = ev.deferredMerges(field);
      if (merges.length) {
        // Reads of values the merge drops are no reads: those of the merged values are listed after.
        const dropped: DeferredAt[] = [];
        const render = renderer(field, name, { replaced: {}, reads: dropped, tagged: new Set() });
        const resolve = functionEvaluator(name, ctx, dropped);
        after = inTemplateScope(() => applyDeferredMerges(after, merges, name, render, resolve, reads, ev.strategy));
      }
      if (after !== before) replaced[field] = after;
    }
    for (const u of ctx.unsupported) unsupported.push({ path: u.path, value: u.value, kind: 'yaml-function' });
  }
  return { replaced: replaced as Partial<InstanceSections>, reads, unsupported };
}

type StringFn = (s: string, p: string) => unknown;

/** The sections in the describe shape, with `.version` (the stack's locked versions) read only if a template does. */
function templateData(identity: InstanceIdentity, sections: InstanceSections, ev: Evaluation): Plain {
  const data = describeShape(identity, sections, false);
  if ('version' in data) return data;
  let refs: Plain | undefined;
  return Object.defineProperty(data, 'version', { enumerable: true, configurable: true, get: () => (refs ??= ev.versions().refs()) });
}

/** The function pass over one section: each string's value, its reads recorded at their place. */
function functionEvaluator(name: string, ctx: FunctionContext, reads: DeferredAt[]): StringFn {
  return (s, p) => {
    const at = name ? (p ? `${name}.${p}` : name) : p;
    const value = evaluateFunction(s, at, ctx);
    if (value instanceof DeferredValue) for (const read of value.reads) reads.push({ path: at, read });
    return value;
  };
}

/**
 * Atmos's deferred merge (deferred-merge.ts): each place's layer values resolved as the section
 * was (templates, then functions), then merged, replacing what the plain merge put there.
 */
function applyDeferredMerges(
  section: unknown,
  merges: readonly DeferredMerge[],
  name: string,
  render: StringFn | undefined,
  fn: StringFn,
  reads: DeferredAt[],
  strategy: ListMergeStrategy,
): unknown {
  let out = section;
  for (const { path, layers } of merges) {
    const place = path.join('.');
    const at = name ? `${name}.${place}` : place;
    // The reads of what the plain merge put there are replaced by those of the merged value.
    const kept = reads.filter((r) => r.path !== at && !r.path.startsWith(`${at}.`) && !r.path.startsWith(`${at}[`));
    reads.length = 0;
    reads.push(...kept);
    const resolve = (s: string, p: string): unknown => {
      const sub = p ? `${place}.${p}` : place;
      const rendered = render?.(s, sub);
      const text = rendered === undefined ? s : rendered;
      if (typeof text !== 'string') return text;
      const value = fn(text, sub);
      return value === undefined ? text : value;
    };
    const merged = mergeResolved(
      layers.map((l) => mapStrings(l, resolve)),
      strategy,
    );
    out = setAt(out, path, merged);
    readsIn(merged, at, reads);
  }
  return out;
}

/** The reads of the deferred values in `value`, at their places. */
function readsIn(value: unknown, at: string, reads: DeferredAt[]): void {
  if (value instanceof DeferredValue) for (const read of value.reads) reads.push({ path: at, read });
  else if (Array.isArray(value)) value.forEach((v, i) => readsIn(v, `${at}[${i}]`, reads));
  else if (isPlainMap(value)) for (const [k, v] of Object.entries(value)) readsIn(v, `${at}.${k}`, reads);
}

/** `section` with `value` at `path` (copy on write); unchanged when a parent is not a map. */
function setAt(section: unknown, path: readonly string[], value: unknown): unknown {
  if (!isPlainMap(section)) return section;
  const [k, ...rest] = path;
  const next = rest.length ? setAt(section[k], rest, value) : value;
  if (next === section[k]) return section;
  const copy = { ...section };
  if (next === REMOVE) delete copy[k];
  else copy[k] = next;
  return copy;
}

interface Findings {
  replaced: Partial<Record<SectionField, unknown>>;
  reads: DeferredAt[];
  tagged: Set<SectionField>;
}

/** The template pass over one section: each string with a template action, rendered. */
function templateRenderer(
  identity: InstanceIdentity,
  templates: StackTemplates,
  ev: Evaluation,
  field: SectionField,
  name: string,
  dataOf: () => Plain,
  found: Findings,
): StringFn {
  const evaluations = templates.config.templates.evaluations;
  return (source, p) => {
    if (!templates.hasAction(source)) return undefined;
    const at = name ? (p ? `${name}.${p}` : name) : p;
    try {
      let out = source;
      for (let i = 0; i < evaluations && templates.hasAction(out); i++) {
        out = templates.render(out, dataOf(), 'component', 'default', at);
      }
      // An output read by atmos.Component is known at run time only: a typed value, not text.
      const deferred = ev.tokens.decode(out);
      if (deferred) {
        for (const read of deferred.reads) found.reads.push({ path: at, read });
        return deferred;
      }
      if (out.startsWith('!')) found.tagged.add(field);
      return typedResult(source, out);
    } catch (e) {
      if (!(e instanceof TemplateError) && !(e instanceof RoundTripError) && !(e instanceof DeferredTokenError)) throw e;
      const where = ev.locate(source);
      const line = where.line !== undefined && e instanceof TemplateError ? where.line + (e.line ?? 1) - 1 : where.line;
      throw new AtmosError(`component ${identity.component} in stack ${identity.stack}: template in ${at}: ${e.message}`, {
        file: where.file,
        line,
        cause: e,
      });
    }
  };
}

function renderTemplates(
  sections: InstanceSections,
  ev: Evaluation,
  renderer: (field: SectionField, name: string, found: Findings) => StringFn | undefined,
  found: Findings,
): void {
  for (const [field, name] of SECTION_FIELDS) {
    if (!ev.mayHold(field, 'template')) continue;
    const render = renderer(field, name, found)!;
    const before = sections[field];
    const keys = ev.keysHolding(field, 'template');
    const after = keys ? mapStringsAt(before, keys, render, ev.templateScan) : mapStrings(before, render, '', ev.templateScan);
    if (after !== before) found.replaced[field] = after;
  }
}
