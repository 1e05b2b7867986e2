/**
 * The statement walker of Go's text/template (the walk half of text/template/exec.go): text,
 * actions, if/with/range (with break/continue), template calls. Expressions: eval.ts.
 */
import { Evaluator, ExecError, type ExecContext } from './eval.js';
import { formatValue } from './fmt.js';
import { nodeString } from './nodes.js';
import type { AnyNode, BranchNode, Node, TemplateNode } from './nodes.js';
import type { Tree } from './parse.js';
import { goTypeName, isTrue, kindOf, mapGet, mapKeys, numValue } from './values.js';

export { ExecError };
export type { ExecContext, MissingKey } from './eval.js';

const MAX_DEPTH = 100000;
class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

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

class State extends Evaluator {
  out = '';
  depth = 0;

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

  private setTopVar(n: number, value: unknown, iface: boolean): void {
    const v = this.vars[this.vars.length - n];
    v.value = value;
    v.iface = iface;
  }

  private printValue(n: AnyNode, v: unknown): void {
    this.at(n);
    if (v === undefined) this.out += '<no value>';
    else if (typeof v === 'string') this.out += v;
    else if (typeof v === 'function') this.errorf(`can't print ${nodeString(n)} of type ${goTypeName(v)}`);
    else this.out += formatValue(v);
  }
}
