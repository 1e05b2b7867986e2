/**
 * The public face of the engine: compile a template once, execute it many times.
 *
 *   const t = compileTemplate('{{ .vars.x | upper }}', { name: 'stack.yaml', funcs: sprigFuncs() });
 *   t.execute({ vars: { x: 'a' } });                       // "A"
 *   t.execute(data, { funcs: { atmos: () => atmosFor(instance) } });  // bind per call
 *
 * Functions must be known when compiling (Go rejects `{{ foo }}` at parse time when `foo` is not
 * defined); `execute` may rebind their implementations, e.g. to per-instance closures.
 */
import { BUILTINS } from './builtins.js';
import { ExecError, MissingKey, execute } from './exec.js';
import { FuncMap, GoFunc, toGoFunc } from './funcs.js';
import { ParseError, Tree, parse } from './parse.js';

export interface CompileOptions {
  /** template name used in error messages (Go: `template: NAME:LINE: ...`); default "template" */
  name?: string;
  /** custom delimiters, default `{{` and `}}` */
  delims?: [string, string];
  /** functions the template may call, besides Go's builtins (which these may replace) */
  funcs?: FuncMap;
  /** Go's `missingkey` option: `default`/`invalid` print `<no value>`, `zero`, or `error` */
  missingKey?: MissingKey;
}

export interface ExecuteOptions {
  /** implementations replacing (or adding to) the compile-time functions for this call */
  funcs?: FuncMap;
}

/** A template that failed to parse or execute; `message` is Go's own message. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: 'parse' | 'exec',
    readonly templateName: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export class Template {
  private constructor(
    readonly name: string,
    private readonly trees: Map<string, Tree>,
    private readonly funcs: Map<string, GoFunc>,
    private readonly missingKey: MissingKey,
  ) {}

  static compile(text: string, opts: CompileOptions = {}): Template {
    const name = opts.name ?? 'template';
    const funcs = functionTable(opts.funcs);
    try {
      const trees = parse(name, text, {
        leftDelim: opts.delims?.[0] || '{{',
        rightDelim: opts.delims?.[1] || '}}',
        hasFunction: (n) => funcs.has(n),
      });
      return new Template(name, trees, funcs, opts.missingKey ?? 'default');
    } catch (e) {
      if (e instanceof ParseError) {
        const m = /^template: [^\n]*?:(\d+): /.exec(e.message);
        throw new TemplateError(e.message, 'parse', name, m ? Number(m[1]) : undefined);
      }
      throw e;
    }
  }

  /** Names of the templates defined in this one (`define`/`block`), plus its own. */
  templateNames(): string[] {
    return [...this.trees.keys()].sort();
  }

  /** Renders the main template (or the defined template `name`) against `data`. */
  execute(data: unknown, opts: ExecuteOptions & { template?: string } = {}): string {
    const which = opts.template ?? this.name;
    let funcs: Pick<Map<string, GoFunc>, 'get'> = this.funcs;
    if (opts.funcs) {
      // An overlay, not a copy: binding a few functions per call stays cheap.
      const overrides = new Map(Object.entries(opts.funcs).map(([k, f]) => [k, toGoFunc(f)]));
      const base = this.funcs;
      funcs = { get: (name: string) => overrides.get(name) ?? base.get(name) };
    }
    const tree = this.trees.get(which);
    if (!tree) {
      const msg = opts.template
        ? `template: no template ${JSON.stringify(which)} associated with template ${JSON.stringify(this.name)}`
        : `template: ${which}: ${JSON.stringify(which)} is an incomplete or empty template`;
      throw new TemplateError(msg, 'exec', which);
    }
    try {
      return execute({ trees: this.trees, funcs, missingKey: this.missingKey }, tree, data);
    } catch (e) {
      if (e instanceof ExecError) throw new TemplateError(e.message, 'exec', e.templateName, e.line, e.column);
      throw e;
    }
  }
}

const tables = new WeakMap<FuncMap, Map<string, GoFunc>>();
let builtinTable: Map<string, GoFunc> | undefined;

/**
 * Builtins overlaid with `funcs`, built once per function map object (compiling thousands of
 * templates with one map is common). A map is read when first used: treat it as immutable.
 */
function functionTable(funcs: FuncMap | undefined): Map<string, GoFunc> {
  if (!funcs) return (builtinTable ??= new Map(Object.entries(BUILTINS)));
  let table = tables.get(funcs);
  if (!table) {
    table = new Map(Object.entries(BUILTINS));
    for (const [k, f] of Object.entries(funcs)) table.set(k, toGoFunc(f));
    tables.set(funcs, table);
  }
  return table;
}

export function compileTemplate(text: string, opts?: CompileOptions): Template {
  return Template.compile(text, opts);
}
