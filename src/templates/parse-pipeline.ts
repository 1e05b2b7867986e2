/**
 * The expression half of Go's template parser (text/template/parse/parse.go): the item stream
 * with Go's look-ahead, and pipelines, commands, operands and terms. Control structures: parse.ts.
 */
import { Item, ItemType, itemString } from './lex.js';
import { charEnd, parseGoFloat, parseGoInt, unquoteGo } from './literals.js';
import type { ArgNode, CommandNode, NumberNode, PipeNode, VariableNode } from './nodes.js';

export class ParseError extends Error {}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** names of the functions a template may call */
  hasFunction: (name: string) => boolean;
}

export abstract class PipelineParser {
  protected i = 0;
  protected last: Item;
  protected vars: string[] = ['$'];
  protected rangeDepth = 0;
  protected actionLine = 0;

  constructor(
    protected readonly items: Item[],
    protected readonly parseName: string,
    protected readonly opts: ParseOptions,
  ) {
    this.last = items[0];
  }

  protected errorf(msg: string): never {
    throw new ParseError(`template: ${this.parseName}:${this.last.line}: ${msg}`);
  }

  protected next(): Item {
    const it = this.items[Math.min(this.i, this.items.length - 1)];
    this.i++;
    this.last = it;
    return it;
  }
  protected backup(n = 1): void {
    this.i -= n;
  }
  protected peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }
  protected nextNonSpace(): Item {
    let it: Item;
    do it = this.next();
    while (it.type === 'space');
    return it;
  }
  protected peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }
  protected expect(type: ItemType, context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }
  protected unexpected(it: Item, context: string): never {
    if (it.type === 'error') {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== it.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (it.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(`${itemString(it)}${extra}`);
    }
    this.errorf(`unexpected ${itemString(it)} in ${context}`);
  }

  protected pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, line: first.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== 'variable') break;
      const before = this.i;
      this.nextNonSpace();
      const afterVar = this.peek();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push(this.newVariable(v.pos, v.val));
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const pk = this.peekNonSpace().type;
          if (pk === 'variable' || pk === 'rightDelim' || pk === 'rightParen') continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else {
        void afterVar;
        this.i = before;
      }
      break;
    }
    for (;;) {
      const it = this.nextNonSpace();
      if (it.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (it.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(it, context);
      }
    }
  }

  protected checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  protected command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const it = this.next();
      if (it.type === 'space') continue;
      if (it.type === 'rightDelim' || it.type === 'rightParen') this.backup();
      else if (it.type !== 'pipe') this.unexpected(it, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  protected operand(): ArgNode | undefined {
    const node = this.term();
    if (!node) return undefined;
    if (this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot': {
        const s =
          node.type === 'string'
            ? node.quoted
            : node.type === 'number'
              ? node.text
              : node.type === 'bool'
                ? String(node.val)
                : node.type === 'dot'
                  ? '.'
                  : 'nil';
        this.errorf(`unexpected . after term ${JSON.stringify(s)}`);
      }
    }
    return { type: 'chain', pos, node, field: fields };
  }

  protected term(): ArgNode | undefined {
    const it = this.nextNonSpace();
    switch (it.type) {
      case 'identifier':
        if (!this.opts.hasFunction(it.val)) this.errorf(`function ${JSON.stringify(it.val)} not defined`);
        return { type: 'identifier', pos: it.pos, ident: it.val };
      case 'dot':
        return { type: 'dot', pos: it.pos };
      case 'nil':
        return { type: 'nil', pos: it.pos };
      case 'variable': {
        const v = this.newVariable(it.pos, it.val);
        if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${JSON.stringify(v.ident[0])}`);
        return v;
      }
      case 'field':
        return { type: 'field', pos: it.pos, ident: it.val.slice(1).split('.') };
      case 'bool':
        return { type: 'bool', pos: it.pos, val: it.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.newNumber(it);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: it.pos, quoted: it.val, text: this.unquote(it.val) };
    }
    this.backup();
    return undefined;
  }

  protected newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') };
  }

  protected unquote(s: string): string {
    const r = unquoteGo(s);
    if (r === undefined) this.errorf('invalid syntax');
    return r;
  }

  protected newNumber(it: Item): NumberNode {
    const text = it.val;
    const n: NumberNode = { type: 'number', pos: it.pos, text, isInt: false, isFloat: false, isChar: false, int: 0, float: 0 };
    if (it.type === 'charConstant') {
      const first = unquoteGo(text.slice(0, charEnd(text)) + "'");
      if (first === undefined) this.errorf('invalid syntax');
      const r = unquoteGo(text);
      if (r === undefined || [...r].length !== 1) this.errorf(`malformed character constant: ${text}`);
      const cp = r.codePointAt(0)!;
      return { ...n, isInt: true, isFloat: true, isChar: true, int: cp, float: cp };
    }
    if (text.endsWith('i')) this.errorf(`complex numbers are not supported: ${JSON.stringify(text)}`);
    const int = parseGoInt(text);
    if (int !== undefined) return { ...n, isInt: true, isFloat: true, int, float: int };
    const f = parseGoFloat(text);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${JSON.stringify(text)}`);
      const isInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63;
      return { ...n, isFloat: true, float: f, isInt, int: isInt ? f : 0 };
    }
    this.errorf(`illegal number syntax: ${JSON.stringify(text)}`);
  }
}
