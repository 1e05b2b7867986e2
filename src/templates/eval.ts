/**
 * Expression evaluation of Go's text/template (the evalPipeline/evalCommand/evalField/evalCall/
 * evalArg/validateType half of text/template/exec.go): Go's order of evaluation, argument
 * checking and error messages, including its distinction between a missing value (`undefined`,
 * prints `<no value>`) and a nil one (`null`).
 *
 * Longer than 300 lines on purpose: it mirrors one half of Go's exec.go function by function, so a
 * behaviour can be checked against Go's source side by side; splitting it would break that mapping.
 */
import { GO_TYPE_NAMES, GoFunc, ParamType, canBeNil } from './funcs.js';
import { nodeString } from './nodes.js';
import type { AnyNode, ArgNode, ChainNode, CommandNode, FieldNode, NumberNode, PipeNode, VariableNode } from './nodes.js';
import type { Tree } from './parse.js';
import { GoNumber, goFloat, goTypeName, isTrue, kindOf, mapGet, numValue } from './values.js';

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
export const MISSING: unique symbol = Symbol('missing');
export type Final = unknown | typeof MISSING;

export interface Variable {
  name: string;
  value: unknown;
  /** holds an element of an untyped map or slice (Go: an interface{} value) */
  iface: boolean;
}

export interface ExecContext {
  trees: Map<string, Tree>;
  /** the function lookup: per-call overrides first, then the compile-time table */
  funcs: Pick<Map<string, GoFunc>, 'get'>;
  missingKey: MissingKey;
}

/** The evaluation state shared with the statement walker (exec.ts). */
export abstract class Evaluator {
  vars: Variable[] = [];
  node: AnyNode | undefined;

  constructor(
    protected readonly ctx: ExecContext,
    protected tree: Tree,
  ) {}

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new ExecError(`template: ${name}: ${msg}`, name);
    const text = this.tree.text.slice(0, this.node.pos);
    const nl = text.lastIndexOf('\n');
    const col = nl < 0 ? Buffer.byteLength(text) : Buffer.byteLength(text.slice(nl + 1));
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    const context = nodeString(this.node);
    throw new ExecError(`template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(name)} at <${context}>: ${msg}`, name, line, col);
  }

  at(n: AnyNode): void {
    this.node = n;
  }

  protected setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        this.vars[i].iface = false;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  protected varLookup(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i];
    this.errorf(`undefined variable: ${name}`);
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

  protected evalCommand(dot: unknown, dotIface: boolean, cmd: CommandNode, final: Final): unknown {
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

  protected notAFunction(args: ArgNode[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  protected idealConstant(n: NumberNode): unknown {
    this.at(n);
    const isHex = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHex && !n.isChar && /[.eEpP]/.test(n.text)) return goFloat(n.float);
    if (n.isInt) return n.int;
    this.errorf(`${n.text} overflows int`);
  }

  protected evalFieldNode(dot: unknown, dotIface: boolean, field: FieldNode, args: ArgNode[], final: Final): unknown {
    this.at(field);
    return this.evalFieldChain(dot, dotIface, dot, dotIface, field, field.ident, args, final);
  }

  protected evalChainNode(dot: unknown, dotIface: boolean, chain: ChainNode, args: ArgNode[], final: Final): unknown {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, dotIface, 'raw', chain.node);
    return this.evalFieldChain(dot, dotIface, pipe, false, chain, chain.field, args, final);
  }

  protected evalVariableNode(dot: unknown, dotIface: boolean, v: VariableNode, args: ArgNode[], final: Final): unknown {
    this.at(v);
    const variable = this.varLookup(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return variable.value;
    }
    return this.evalFieldChain(dot, dotIface, variable.value, variable.iface, v, v.ident.slice(1), args, final);
  }

  protected evalFieldChain(
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

  protected evalField(
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

  protected evalFunction(dot: unknown, dotIface: boolean, name: string, ident: AnyNode, cmd: AnyNode, args: ArgNode[] | undefined, final: Final): unknown {
    this.at(ident);
    const fn = this.ctx.funcs.get(name);
    if (!fn) this.errorf(`${JSON.stringify(name)} is not a defined function`);
    return this.evalCall(dot, dotIface, fn, cmd, name, args, final);
  }

  protected evalCall(dot: unknown, dotIface: boolean, fn: GoFunc, node: AnyNode, name: string, allArgs: ArgNode[] | undefined, final: Final): unknown {
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
  protected evalArg(dot: unknown, dotIface: boolean, t: ParamType | 'raw', n: ArgNode): unknown {
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

  protected validateType(v: unknown, t: ParamType): unknown {
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
