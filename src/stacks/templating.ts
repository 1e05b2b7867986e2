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
import { mapAt, type Plain } from '../util/merge.js';
import { stringValues } from '../config/load.js';
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
  /** Variables added to the environment templates see while a component section renders ({@link withEnv}). */
  private envOverlay: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly config: AtmosConfig,
    ports: TemplatePorts,
  ) {
    this.components = new AtmosComponents(ports.components);
    const atmos = { atmos: goFunc([], () => new AtmosFunctions(this.components, ports.store)), collectKeys: goFunc(['any'], collectKeys, 'any') };
    // The one environment templates read (`env`, `expandenv`): the run's, plus what withEnv adds.
    const env = (name: string): string | undefined => {
      const added = this.envOverlay;
      return added !== undefined && Object.hasOwn(added, name) ? added[name] : ports.env(name);
    };
    const sprig = sprigFuncs({ env });
    const t = config.templates;
    this.funcSets = {
      full: { ...gomplateFuncs(), ...sprig, ...atmos },
      component: { ...(t.gomplate ? gomplateFuncs() : {}), ...(t.sprig ? sprig : {}), ...atmos },
      locals: { ...sprig, collectKeys: atmos.collectKeys },
    };
    this.delimiters = t.delimiters;
  }

  /**
   * Runs `fn` with `vars` added to the environment templates see, as Atmos sets
   * `templates.settings.env` in its process while a component section renders (and restores it
   * after). Nested renders (an atmos.Component read) see the outer variables too, as in Atmos.
   */
  withEnv<T>(vars: Readonly<Record<string, string>> | undefined, fn: () => T): T {
    if (vars === undefined) return fn();
    const outer = this.envOverlay;
    this.envOverlay = outer ? { ...outer, ...vars } : vars;
    try {
      return fn();
    } finally {
      this.envOverlay = outer;
    }
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

/**
 * The variables a component's templates render with (Atmos's ProcessTmplWithDatasources): atmos.yaml
 * `templates.settings.env` with the component's `settings.templates.settings.env` over it, string
 * values only. Undefined when neither sets any.
 */
export function templateEnv(config: AtmosConfig, settings: Plain | undefined): Readonly<Record<string, string>> | undefined {
  const own = stringValues(mapAt(mapAt(mapAt(settings, 'templates'), 'settings'), 'env'));
  const global = config.templates.env;
  if (!own) return global;
  return global ? { ...global, ...own } : own;
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
