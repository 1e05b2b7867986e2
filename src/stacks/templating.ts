/**
 * Where the stack engine meets the Go template engine (docs/atmos-compatibility.md §11): which
 * functions each of Atmos's entry points sees, how missing keys behave there, and one compiled
 * template per distinct text for the whole run.
 *
 * Entry points (Atmos's names in brackets):
 * - `full`: import paths, import-time file rendering, name_template, terraform_workspace_template
 *   (Gomplate + Sprig + atmos, whatever the enable switches say);
 * - `component`: the component-section pass (Gomplate / Sprig only when switched on in atmos.yaml);
 * - `locals`: file-level locals (Sprig only).
 */
import type { AtmosConfig } from '../config/types.js';
import { compileTemplate, goFunc, gomplateFuncs, sprigFuncs, TemplateError, type FuncMap, type MissingKey, type Template } from '../templates/index.js';
import { AtmosError } from '../util/errors.js';
import type { Plain } from '../util/merge.js';
import { AtmosComponents, type ComponentServer } from './atmos-component.js';
import { atmosStore } from './functions/store.js';

export type FuncSet = 'full' | 'component' | 'locals';

export interface TemplatePorts {
  /** Environment for Sprig's `env`/`expandenv`. */
  env: (name: string) => string | undefined;
  /** Serves atmos.Component (absent: the call is an error). */
  components?: ComponentServer;
  /** Serves atmos.Store in component sections where a run reads values (absent: it renders as read at run time). */
  store?: (args: unknown[]) => unknown;
}

/** Atmos's `atmos` object; `Component` and `Store` are served by the resolution (atmos-component.ts, functions/store.ts). */
class AtmosFunctions {
  constructor(
    private readonly components: AtmosComponents,
    private readonly store: TemplatePorts['store'],
  ) {}
  Component(component: string, stack: string): Plain {
    return this.components.component(component, stack);
  }
  Store(...args: unknown[]): unknown {
    // Outside component sections (names, imports) nothing is read: the note, as in inspection.
    if (this.store && this.components.inComponentSection) return this.store(args);
    return atmosStore(undefined, args, () => {});
  }
  GomplateDatasource(): never {
    throw new Error('atmos.GomplateDatasource is not supported by atmos-action (datasources need the network)');
  }
}

/** `collectKeys MAP [nestedKey]`: Atmos's helper, sorted top-level keys or the keys of every `v[nestedKey]`. */
function collectKeys(m: unknown, nested?: unknown): string[] {
  if (m === null || typeof m !== 'object' || Array.isArray(m)) throw new Error('collectKeys: argument must be a map');
  const src = m as Record<string, unknown>;
  if (nested === undefined) return Object.keys(src).sort();
  const out = new Set<string>();
  for (const v of Object.values(src)) {
    const inner = v && typeof v === 'object' ? (v as Record<string, unknown>)[String(nested)] : undefined;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) for (const k of Object.keys(inner)) out.add(k);
  }
  return [...out].sort();
}

export class StackTemplates {
  private readonly compiled = new Map<string, Map<string, Template>>();
  private readonly funcSets: Record<FuncSet, FuncMap>;
  readonly delimiters: [string, string];
  /** atmos.Component for this resolution. */
  readonly components: AtmosComponents;

  constructor(
    readonly config: AtmosConfig,
    ports: TemplatePorts,
  ) {
    this.components = new AtmosComponents(ports.components);
    const atmos = { atmos: goFunc([], () => new AtmosFunctions(this.components, ports.store)), collectKeys: goFunc(['any'], collectKeys, 'any') };
    const sprig = sprigFuncs({ env: ports.env });
    const t = config.templates;
    this.funcSets = {
      full: { ...gomplateFuncs(), ...sprig, ...atmos },
      component: { ...(t.gomplate ? gomplateFuncs() : {}), ...(t.sprig ? sprig : {}), ...atmos },
      locals: { ...sprig, collectKeys: atmos.collectKeys },
    };
    this.delimiters = t.delimiters;
  }

  /** Whether `text` holds a template action for the component pass (custom delimiters honoured). */
  hasAction(text: string): boolean {
    return text.includes(this.delimiters[0]);
  }

  /** Compiled once per (function set, missing-key mode, delimiters, text). Throws TemplateError. */
  compile(text: string, set: FuncSet, missingKey: MissingKey, name: string): Template {
    // One table per function set and missing-key mode (the delimiters follow from the set): the
    // text alone is the key, so a render of a known template builds no key string.
    const table = `${set}\u0000${missingKey}`;
    let byText = this.compiled.get(table);
    if (!byText) this.compiled.set(table, (byText = new Map()));
    let t = byText.get(text);
    if (!t) {
      const delims: [string, string] = set === 'component' ? this.delimiters : ['{{', '}}'];
      t = compileTemplate(text, { name, funcs: this.funcSets[set], missingKey, delims });
      byText.set(text, t);
    }
    return t;
  }

  render(text: string, data: unknown, set: FuncSet, missingKey: MissingKey, name: string): string {
    return this.compile(text, set, missingKey, name).execute(data);
  }
}

/** A missing-key failure (`map has no entry for key`), as opposed to a syntax or function error. */
export function isMissingKeyError(e: unknown): boolean {
  return e instanceof TemplateError && /no entry for key|nil data; no entry/.test(e.message);
}

/**
 * A TemplateError as a user-facing error at the place the template is written: `valueLine` is the
 * line of the YAML value holding it (template line 1), so template line n is `valueLine + n - 1`.
 */
export function templateFailure(e: unknown, what: string, file: string | undefined, valueLine: number | undefined): AtmosError {
  if (e instanceof AtmosError) return e;
  const te = e instanceof TemplateError ? e : undefined;
  const line = valueLine !== undefined ? valueLine + (te?.line ?? 1) - 1 : undefined;
  const msg = te ? te.message : (e as Error).message;
  return new AtmosError(`${what}: ${msg}`, { file, line, cause: e });
}
