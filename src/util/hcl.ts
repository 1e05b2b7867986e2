/**
 * HCL files (`.hcl`, `.tf`, `.tfvars`) as values, the way Atmos reads them for `!include`
 * (docs/atmos-compatibility.md §11.5): the top-level attributes become a map, blocks are an error.
 *
 * The parser is HashiCorp's Go HCL library compiled to WebAssembly, as the npm package
 * `@cdktn/hcl2json` ships it (its `main.wasm.gz` and Go's `wasm_exec.js` glue); this module only
 * talks to it. It is loaded on the first HCL file a run reads, never at start-up: stack
 * resolution is synchronous, so the module is compiled and started synchronously (about a third of
 * a second) and kept for the rest of the process. The Go runtime runs in its own VM context, so
 * its globals (`Go`, a stub `fs` and `process`) never reach this process's.
 *
 * What a file yields, matching Atmos (which evaluates each attribute with no variables and no
 * functions, then converts the value):
 * - literal strings, numbers, booleans, null, lists and maps; a number keeps only its whole part
 *   (Atmos converts every HCL number to a 64-bit integer: `1.5` becomes `1`);
 * - an expression (`var.x`, `upper("a")`, `1 + 2`, `"${x}"`) is refused with its file and line.
 *   Atmos fails on references and function calls too; the constant ones it evaluates are a gap.
 */
import fs from 'node:fs';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { AtmosError } from './errors.js';

type Callback = (error: string | null, result: string) => void;
interface HclBridge {
  /** HCL → JSON (hcl2json's conversion: literals as JSON, other expressions as `${…}` strings). */
  parse(file: string, text: string, cb: Callback): void;
  /** One expression → its syntax tree as JSON (node types, source ranges). */
  getExpressionAst(file: string, text: string, cb: Callback): void;
}

/** A node of the syntax tree the bridge returns; `type` is empty for nodes it does not name (object keys). */
interface AstNode {
  type: string;
  children: AstNode[];
  meta?: { value?: string };
  range?: { start: { line: number } };
}

let bridge: HclBridge | undefined;
/** What the Go runtime printed (only a crash prints), for the error that follows it. */
let goOutput = '';

function loadBridge(): HclBridge {
  if (bridge) return bridge;
  // Literal URLs: the bundler copies both files next to the bundle and rewrites these paths.
  const glue = fs.readFileSync(new URL('../../node_modules/@cdktn/hcl2json/wasm/wasm_exec.js', import.meta.url), 'utf8');
  const wasm = zlib.gunzipSync(fs.readFileSync(new URL('../../node_modules/@cdktn/hcl2json/main.wasm.gz', import.meta.url)));
  const exported: Partial<HclBridge> = {};
  const print = (s: unknown) => {
    goOutput = `${goOutput}${String(s)}\n`.slice(-2000);
  };
  const sandbox: Record<string, unknown> = {
    TextEncoder,
    TextDecoder,
    crypto: globalThis.crypto,
    performance: globalThis.performance,
    console: { log: print, error: print, warn: print },
    // Go schedules a timer only while a goroutine sleeps; none of ours do, and one must never keep the process alive.
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
    clearTimeout: (t: NodeJS.Timeout) => clearTimeout(t),
    wasmBytes: wasm,
    // The Go side registers its functions on `global.__parse_terraform_config_wasm__`.
    __parse_terraform_config_wasm__: exported,
  };
  sandbox.global = sandbox;
  const context = vm.createContext(sandbox);
  vm.runInContext(glue, context, { filename: 'wasm_exec.js' });
  // Runs Go's main until it waits for calls: by then the functions are registered.
  vm.runInContext('{ const go = new Go(); go.run(new WebAssembly.Instance(new WebAssembly.Module(wasmBytes), go.importObject)); }', context);
  if (typeof exported.parse !== 'function' || typeof exported.getExpressionAst !== 'function') {
    throw new Error(`the HCL parser did not start${goOutput ? `: ${goOutput.trim()}` : ''}`);
  }
  bridge = exported as HclBridge;
  return bridge;
}

/** Calls into Go; the bridge answers synchronously, within the call. */
function call(fn: keyof HclBridge, file: string, text: string): { ok: true; value: string } | { ok: false; error: string } {
  let out: { ok: true; value: string } | { ok: false; error: string } | undefined;
  loadBridge()[fn](file, text, (error, result) => {
    out = error ? { ok: false, error } : { ok: true, value: result };
  });
  if (!out) throw new Error(`the HCL parser did not answer${goOutput ? `: ${goOutput.trim()}` : ''}`);
  return out;
}

/** The first `file:LINE,COL` position in an HCL diagnostic. */
function diagnosticLine(message: string, file: string): number | undefined {
  const at = message.indexOf(`${file}:`);
  const m = at >= 0 ? /^:(\d+),\d+/.exec(message.slice(at + file.length)) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The top-level attributes of an HCL file as a map. `file` names the file in errors (and is the
 * name HCL's diagnostics use); every error carries it and, where known, the line.
 */
export function parseHclAttributes(text: string, file: string): Record<string, unknown> {
  const parsed = call('parse', file, text);
  if (!parsed.ok) {
    const detail = parsed.error.replace(/^parse config: \[(.*)\]$/s, '$1');
    throw new AtmosError(`${file}: invalid HCL: ${detail}`, { file, line: diagnosticLine(detail, file) });
  }
  // The body again, as one object expression: blocks do not parse there (Atmos allows attributes
  // only), and its syntax tree tells literals from expressions. The leading probe item keeps an
  // attribute named `for` from being read as a for-expression, and every line where it was.
  const wrapped = `{ atmos_action_probe = null\n${text}\n}`;
  const tree = call('getExpressionAst', file, wrapped);
  if (!tree.ok) {
    // The bridge quotes the whole input before the diagnostics: drop it, it may hold anything.
    const quoted = `getExpressionAst errors on input string '${wrapped}': `;
    const detail = tree.error.startsWith(quoted) ? tree.error.slice(quoted.length) : tree.error;
    const line = diagnosticLine(detail, file);
    const block = line ? /^\s*([A-Za-z_][\w-]*)/.exec(text.split('\n')[line - 1] ?? '')?.[1] : undefined;
    throw new AtmosError(
      `${file}${line ? `:${line}` : ''}: ${block ? `the block \`${block} { … }\`` : 'a block'} cannot be read as a value: ` +
        'Atmos reads only top-level attributes (name = value) from .hcl, .tf and .tfvars files',
      { file, line },
    );
  }
  const root = JSON.parse(tree.value) as AstNode;
  for (let i = 3; i < root.children.length; i += 2) {
    const value = root.children[i]!;
    const bad = firstExpression(value);
    if (bad) {
      const line = bad.range?.start.line;
      throw new AtmosError(
        `${file}${line ? `:${line}` : ''}: \`${bad.meta?.value ?? '?'}\` is an expression; atmos-action reads literal values only from HCL files ` +
          '(strings, numbers, booleans, null, lists and maps): write the value itself',
        { file, line },
      );
    }
  }
  return toAtmosValue(JSON.parse(parsed.value)) as Record<string, unknown>;
}

/**
 * The first node under `node` that is not a literal: what hcl2json turned into a `${…}` string.
 * Literals are the ones it converts to JSON values: plain values, strings without interpolation,
 * a sign before a number, lists and maps of literals.
 */
function firstExpression(node: AstNode): AstNode | undefined {
  const allLiteral = (nodes: AstNode[]) => nodes.map(firstExpression).find((n) => n !== undefined);
  switch (node.type) {
    case 'literalValue':
      return undefined;
    case 'template':
      return node.children.every((c) => c.type === 'literalValue') ? undefined : node;
    case 'templateWrap':
    case 'tuple':
      return allLiteral(node.children);
    case 'unaryOp':
      return node.children.length === 1 && node.children[0]!.type === 'literalValue' ? undefined : node;
    case 'object': {
      // Children alternate key, value. A key node has no type; it has children only when it is not a plain name.
      for (let i = 0; i < node.children.length; i += 2) {
        const key = node.children[i]!;
        const bad = allLiteral(key.children) ?? (node.children[i + 1] ? firstExpression(node.children[i + 1]!) : undefined);
        if (bad) return bad;
      }
      return undefined;
    }
    default:
      return node;
  }
}

/** hcl2json's JSON → the value Atmos sees: its `$${`/`%%{` escapes undone, numbers whole. */
function toAtmosValue(v: unknown): unknown {
  if (typeof v === 'string') return unescapeTemplate(v);
  if (typeof v === 'number') return Math.trunc(v) || 0;
  if (Array.isArray(v)) return v.map(toAtmosValue);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [unescapeTemplate(k), toAtmosValue(x)]));
  }
  return v;
}

function unescapeTemplate(s: string): string {
  return s.includes('$${') || s.includes('%%{') ? s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : s;
}

/** One `module` block of a Terraform file: its source and version as written. */
export interface ModuleCall {
  name: string;
  source: string;
  /** Absent for a module without `version` (local folders, git sources). */
  version?: string;
}

/** The `module` calls of a Terraform file (`.tf`, or `.tf.json` when `json`), for `describe affected`'s `component.module` rule. */
export function terraformModuleCalls(text: string, file: string, json = false): ModuleCall[] {
  let body: unknown;
  if (json) {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new AtmosError(`${file}: invalid JSON: ${(e as Error).message}`, { file });
    }
  } else {
    const parsed = call('parse', file, text);
    if (!parsed.ok) {
      const detail = parsed.error.replace(/^parse config: \[(.*)\]$/s, '$1');
      throw new AtmosError(`${file}: invalid HCL: ${detail}`, { file, line: diagnosticLine(detail, file) });
    }
    body = JSON.parse(parsed.value);
  }
  const modules = (body as { module?: unknown } | null)?.module;
  if (modules === null || typeof modules !== 'object') return [];
  const out: ModuleCall[] = [];
  // hcl2json gives {name: [block]}; Terraform's JSON syntax allows {name: block} too.
  for (const [name, blocks] of Object.entries(modules as Record<string, unknown>)) {
    for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
      const b = block as { source?: unknown; version?: unknown } | null;
      if (typeof b?.source !== 'string') continue;
      out.push({ name, source: b.source, ...(typeof b.version === 'string' && b.version !== '' && { version: b.version }) });
    }
  }
  return out;
}
