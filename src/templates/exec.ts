/**
 * The executor of Go's text/template (text/template/exec.go): walks a parsed tree against data.
 * Follows Go's order of evaluation, argument checking and error messages, including its
 * distinction between a missing value (`undefined`, prints `<no value>`) and a nil one (`null`).
 */
import { formatValue } from './fmt.js';
import { GO_TYPE_NAMES, GoFunc, ParamType, canBeNil } from './funcs.js';
import { nodeString } from './nodes.js';
import type { AnyNode, ArgNode, BranchNode, ChainNode, CommandNode, FieldNode, ListNode, Node, NumberNode, PipeNode, TemplateNode, VariableNode } from './nodes.js';
import type { Tree } from './parse.js';
import { GoNumber, goFloat, goTypeName, isTrue, kindOf, mapGet, mapKeys, numValue } from './values.js';

export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

export class ExecError extends Error {
  constructor(
    message: string,
    readonly templateName: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** The final (piped) argument is absent. */
const MISSING: unique symbol = Symbol('missing');
type Final = unknown | typeof MISSING;

const MAX_DEPTH = 100000;

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

interface Variable {
  name: string;
  value: unknown;
  /** holds an element of an untyped map or slice (Go: an interface{} value) */
  iface: boolean;
}

export interface ExecContext {
  trees: Map<string, Tree>;
  funcs: Map<string, GoFunc>;
  missingKey: MissingKey;
}

export function execute(ctx: ExecContext, tree: Tree, data: unknown): string {
  const s = new State(ctx, tree);
  // Execute(nil) runs with no value as dot.
  const dot = data === null ? undefined : data;
  s.vars = [{ name: '$', value: dot, iface: false }];
  try {
    s.walk(dot, false, tree.root);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      s.node = undefined;
      s.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    }
    throw e;
  }
  return s.out;
}

class State {
  out = '';
  vars: Variable[] = [];
  node: AnyNode | undefined;
  depth = 0;

  constructor(
    private readonly ctx: ExecContext,
    private tree: Tree,
  ) {}

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecError(`template: ${name}: ${msg}`, name);
    const text = this.tree.text.slice(0, this.node.pos);
    const nl = text.lastIndexOf('\n');
    const col = nl < 0 ? Buffer.byteLength(text) : Buffer.byteLength(text.slice(nl + 1));
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    const context = nodeString(this.node);
    throw new ExecError(
      `template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(name)} at <${context}>: ${msg}`,
      name,
      line,
      col,
    );
  }

  at(n: AnyNode): void {
    this.node = n;
  }

  walk(dot: unknown, dotIface: boolean, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, dotIface, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'text':
        this.out += node.text;
        return;
      case 'list':
        for (const n of node.nodes) this.walk(dot, dotIface, n);
        return;
      case 'if':
      case 'with':
        return this.walkIfOrWith(dot, dotIface, node);
      case 'range':
        return this.walkRange(dot, dotIface, node);
      case 'template':
        return this.walkTemplate(dot, dotIface, node);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
      case 'comment':
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(dot: unknown, dotIface: boolean, node: BranchNode): void {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, dotIface, node.pipe);
      if (isTrue(val)) {
        if (node.type === 'with') this.walk(val, false, node.list);
        else this.walk(dot, dotIface, node.list);
      } else if (node.elseList) this.walk(dot, dotIface, node.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: unknown, dotIface: boolean, r: BranchNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, dotIface, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      const one = (index: unknown, elem: unknown, elemIface: boolean): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) {
            this.setVar(decl[0].ident[0], decl.length > 1 ? index : elem);
          } else this.setTopVar(1, elem, elemIface);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
          else this.setTopVar(2, index, false);
        }
        try {
          this.walk(elem, elemIface, r.list);
        } catch (e) {
          if (e === BREAK) return false;
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
        return true;
      };
      switch (kindOf(val)) {
        case 'slice': {
          const list = val as unknown[];
          if (list.length === 0) break;
          const iface = goTypeName(val) === '[]interface {}';
          for (let i = 0; i < list.length; i++) if (!one(i, list[i], iface)) break;
          return;
        }
        case 'map': {
          const keys = mapKeys(val);
          if (keys.length === 0) break;
          const iface = goTypeName(val).endsWith('interface {}');
          for (const k of keys) if (!one(k, mapGet(val, k), iface)) break;
          return;
        }
        case 'int': {
          // Go 1.22+: range over an integer.
          if (decl.length > 1) this.errorf(`can't use ${formatValue(val)} to iterate over more than one variable`);
          const n = numValue(val);
          if (n <= 0) break;
          for (let i = 0; i < n; i++) if (!one(i, i, false)) break;
          return;
        }
        case 'invalid':
        case 'nil':
          break;
        default:
          this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (r.elseList) this.walk(dot, dotIface, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: unknown, dotIface: boolean, node: TemplateNode): void {
    const { name, pipe } = node;
    const tree = this.ctx.trees.get(name);
    if (!tree) this.errorf(`template ${JSON.stringify(name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = pipe ? this.evalPipeline(dot, dotIface, pipe) : undefined;
    const saved = { tree: this.tree, vars: this.vars };
    this.depth++;
    this.tree = tree;
    this.vars = [{ name: '$', value: newDot, iface: false }];
    try {
      this.walk(newDot, false, tree.root);
    } catch (e) {
      // JavaScript's stack ends long before Go's depth limit; report it the way Go does.
      if (e instanceof RangeError) {
        this.tree = saved.tree;
        this.at(node);
        this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
      }
      throw e;
    } finally {
      this.depth--;
      this.tree = saved.tree;
      this.vars = saved.vars;
    }
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        this.vars[i].iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n];
    v.value = value;
    v.iface = iface;
  }

  private varLookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    this.errorf(`undefined variable: ${name}`);
  }

  private printValue(n: AnyNode, v: unknown): void {
    this.at(n);
    if (v === undefined) this.out += '<no value>';
    else if (typeof v === 'string') this.out += v;
    else if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${goTypeName(v)}`);
    else this.out += formatValue(v);
  }

  evalPipeline(dot: unknown, dotIface: boolean, pipe: PipeNode): unknown {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, dotIface, cmd, value);
      // Go digs a value out of its interface{}: a nil interface becomes "no value".
      if (value === null) value = undefined;
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value, iface: false });
    }
    return value;
  }

  private evalCommand(dot: unknown, dotIface: boolean, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, dotIface, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, dotIface, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, dotIface, first.ident, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, dotIface, first);
      case 'variable':
        return this.evalVariableNode(dot, dotIface, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.val;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      // falls through (errorf throws)
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  private idealConstant(n: NumberNode): unknown {
    this.at(n);
    const isHex = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHex && !n.isChar && /[.eEpP]/.test(n.text)) return goFloat(n.float);
    if (n.isInt) return n.int;
    this.errorf(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: unknown, dotIface: boolean, field: FieldNode, args: ArgNode[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dotIface, dot, dotIface, field, field.ident, args, final);
  }

  private evalChainNode(dot: unknown, dotIface: boolean, chain: ChainNode, args: ArgNode[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, dotIface, 'raw', chain.node);
    return this.evalFieldChain(dot, dotIface, pipe, false, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: unknown, dotIface: boolean, v: VariableNode, args: ArgNode[], final: Final): unknown {
    this.at(v);
    const variable = this.varLookup(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(dot, dotIface, variable.value, variable.iface, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(
    dot: unknown,
    dotIface: boolean,
    receiver: unknown,
    receiverIface: boolean,
    node: AnyNode,
    ident: string[],
    args: ArgNode[],
    final: Final,
  ): unknown {
    const n = ident.length;
    let r = receiver;
    let iface = receiverIface;
    for (let i = 0; i < n - 1; i++) {
      r = this.evalField(dot, dotIface, ident[i], node, [], MISSING, r, iface);
      iface = true;
    }
    return this.evalField(dot, dotIface, ident[n - 1], node, args, final, r, iface);
  }

  private evalField(
    dot: unknown,
    dotIface: boolean,
    name: string,
    node: AnyNode,
    args: ArgNode[],
    final: Final,
    receiver: unknown,
    receiverIface: boolean,
  ): unknown {
    if (receiver === undefined) {
      if (this.ctx.missingKey === 'error') this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const kind = kindOf(receiver);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (kind === 'struct') {
      const member = (receiver as Record<string, unknown>)[name];
      if (typeof member === 'function') {
        const method: GoFunc = { params: [], variadic: 'any', fn: (...a: unknown[]) => member.apply(receiver, a) };
        return this.evalCall(dot, dotIface, method, node, name, args, final);
      }
      if (name in (receiver as object)) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return member;
      }
    } else if (kind === 'map') {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const v = mapGet(receiver, name);
      if (v !== undefined) return v;
      switch (this.ctx.missingKey) {
        case 'zero':
          return goTypeName(receiver) === 'map[string]string' ? '' : null;
        case 'error':
          this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
        // falls through (errorf throws)
        default:
          return undefined;
      }
    }
    this.errorf(`can't evaluate field ${name} in type ${receiverIface ? 'interface {}' : goTypeName(receiver)}`);
  }

  private evalFunction(
    dot: unknown,
    dotIface: boolean,
    name: string,
    ident: AnyNode,
    cmd: AnyNode,
    args: ArgNode[] | undefined,
    final: Final,
  ): unknown {
    this.at(ident);
    const fn = this.ctx.funcs.get(name);
    if (!fn) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, dotIface, fn, cmd, name, args, final);
  }

  private evalCall(
    dot: unknown,
    dotIface: boolean,
    fn: GoFunc,
    node: AnyNode,
    name: string,
    allArgs: ArgNode[] | undefined,
    final: Final,
  ): unknown {
    const args = allArgs ? allArgs.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.variadic ? fn.params.length : args.length;
    if (fn.variadic) {
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
    } else if (numIn !== fn.params.length) {
      this.errorf(`wrong number of args for ${name}: want ${fn.params.length} got ${numIn}`);
    }
    if (fn.builtin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, dotIface, 'value', a);
        if (v === null) v = undefined;
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, dotIface, fn.params[i], args[i]));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, dotIface, fn.variadic, args[i]));
    if (final !== MISSING) {
      let t: ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      else t = fn.params[fn.params.length - 1];
      argv.push(this.validateType(final, t));
    }
    let result: unknown;
    try {
      result = fn.fn(...argv);
    } catch (e) {
      if (e instanceof ExecError) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return result === undefined && !fn.builtin ? null : result;
  }

  /** Evaluates an argument for a parameter of type `t` (`raw`: no check, as for a chain's head). */
  private evalArg(dot: unknown, dotIface: boolean, t: ParamType | 'raw', n: ArgNode): unknown {
    this.at(n);
    const check = (v: unknown) => (t === 'raw' ? v : this.validateType(v, t));
    switch (n.type) {
      case 'dot':
        return check(dot);
      case 'nil':
        if (t === 'raw' || canBeNil(t)) return t === 'value' ? undefined : null;
        this.errorf(`cannot assign nil to ${GO_TYPE_NAMES[t]}`);
      // falls through (errorf throws)
      case 'field':
        return check(this.evalFieldNode(dot, dotIface, n, [n], MISSING));
      case 'variable':
        return check(this.evalVariableNode(dot, dotIface, n, [], MISSING));
      case 'pipe':
        return check(this.evalPipeline(dot, dotIface, n));
      case 'identifier':
        return check(this.evalFunction(dot, dotIface, n.ident, n, n, undefined, MISSING));
      case 'chain':
        return check(this.evalChainNode(dot, dotIface, n, [], MISSING));
    }
    switch (t) {
      case 'bool':
        if (n.type === 'bool') return n.val;
        this.errorf(`expected bool; found ${nodeString(n)}`);
      // falls through (errorf throws)
      case 'float64':
        if (n.type === 'number' && n.isFloat) return goFloat(n.float);
        this.errorf(`expected float; found ${nodeString(n)}`);
      // falls through (errorf throws)
      case 'int':
      case 'int64':
        if (n.type === 'number' && n.isInt) return t === 'int' ? n.int : new GoNumber('int64', n.int);
        this.errorf(`expected integer; found ${nodeString(n)}`);
      // falls through (errorf throws)
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
      // falls through (errorf throws)
      case 'any':
      case 'value':
      case 'raw':
        if (n.type === 'bool') return n.val;
        if (n.type === 'number') return this.idealConstant(n);
        if (n.type === 'string') return n.text;
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${GO_TYPE_NAMES[t as ParamType]}`);
  }

  private validateType(v: unknown, t: ParamType): unknown {
    if (t === 'value') return v;
    if (v === undefined) {
      if (canBeNil(t)) return null;
      this.errorf(`invalid value; expected ${GO_TYPE_NAMES[t]}`);
    }
    if (t === 'any') return v;
    const want = GO_TYPE_NAMES[t];
    const got = v === null ? 'interface {}' : goTypeName(v);
    if (got !== want) this.errorf(`wrong type for value; expected ${want}; got ${got}`);
    return t === 'int' || t === 'int64' || t === 'float64' ? numValue(v) : v;
  }
}

export type { ListNode };
