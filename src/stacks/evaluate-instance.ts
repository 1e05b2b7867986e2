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
import { TemplateError } from '../templates/index.js';
import { AtmosError } from '../util/errors.js';
import { mapAt, type Plain } from '../util/merge.js';
import { DeferredTokenError, DeferredValue, type DeferredAt, type DeferredTokens } from './deferred.js';
import { evaluateFunction, type FunctionContext, type FunctionPorts } from './functions/evaluate.js';
import { describeShape, type InstanceIdentity } from './instance.js';
import { overlaySections, SECTION_FIELDS, type InstanceSections, type SectionField } from './instance-sections.js';
import { mapStrings, mapStringsAt, RoundTripError, SubtreeScan, typedResult } from './section-templates.js';
import type { StackTemplates } from './templating.js';
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
  if (ev.templates) {
    const templates = ev.templates;
    templates.components.within(() => renderTemplates(identity, sections, templates, ev, { replaced, reads, tagged }));
  }
  if (ev.functions) {
    const current = overlaySections(sections, replaced as Partial<InstanceSections>);
    const ctx: FunctionContext = {
      stack: identity.stack,
      component: identity.component,
      componentEnv: current.env,
      secrets: () => mapAt(current.passthrough, 'secrets'),
      ports: ev.functions,
      unsupported: [],
    };
    for (const [field, name] of SECTION_FIELDS) {
      if (!tagged.has(field) && !ev.mayHold(field, 'tag')) continue;
      const fn = (s: string, p: string) => {
        const at = name ? (p ? `${name}.${p}` : name) : p;
        const value = evaluateFunction(s, at, ctx);
        if (value instanceof DeferredValue) for (const read of value.reads) reads.push({ path: at, read });
        return value;
      };
      const before = current[field];
      const keys = tagged.has(field) ? undefined : ev.keysHolding(field, 'tag');
      const after = keys ? mapStringsAt(before, keys, fn, ev.functionScan) : mapStrings(before, fn, '', ev.functionScan);
      if (after !== before) replaced[field] = after;
    }
    for (const u of ctx.unsupported) unsupported.push({ path: u.path, value: u.value, kind: 'yaml-function' });
  }
  return { replaced: replaced as Partial<InstanceSections>, reads, unsupported };
}

interface Findings {
  replaced: Partial<Record<SectionField, unknown>>;
  reads: DeferredAt[];
  tagged: Set<SectionField>;
}

function renderTemplates(identity: InstanceIdentity, sections: InstanceSections, templates: StackTemplates, ev: Evaluation, found: Findings): void {
  // The data is the section before the pass (Atmos renders against the unrendered values); each
  // section in it is merged only if a template reads it.
  let data: Plain | undefined;
  const dataOf = (): Plain => (data ??= describeShape(identity, sections, false));
  const evaluations = templates.config.templates.evaluations;
  for (const [field, name] of SECTION_FIELDS) {
    if (!ev.mayHold(field, 'template')) continue;
    const render = (source: string, p: string): unknown => {
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
    const before = sections[field];
    const keys = ev.keysHolding(field, 'template');
    const after = keys ? mapStringsAt(before, keys, render, ev.templateScan) : mapStrings(before, render, '', ev.templateScan);
    if (after !== before) found.replaced[field] = after;
  }
}
