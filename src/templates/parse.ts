/**
 * The parser of Go's text/template (text/template/parse/parse.go): items → node trees, one per
 * template name (`define` and `block` add trees to the set). Error messages are Go's.
 */
import { Item, ItemType, itemString, lex } from './lex.js';
import { isEmptyTree } from './nodes.js';
import type { ArgNode, BranchNode, CommandNode, ControlNode, ListNode, Node, NumberNode, PipeNode, VariableNode } from './nodes.js';
import { unquoteGo } from './unquote.js';

export interface Tree {
  name: string;
  /** name of the top-level template whose text holds this tree (for error locations) */
  parseName: string;
  text: string;
  root: ListNode;
}

export class ParseError extends Error {}

export interface ParseOptions {
  leftDelim?: string;
  rightDelim?: string;
  /** names of the functions a template may call */
  hasFunction: (name: string) => boolean;
}

/** Parses `text` into its trees: the main one under `name`, plus every define/block. */
export function parse(name: string, text: string, opts: ParseOptions): Map<string, Tree> {
  const items = lex(text, {
    leftDelim: opts.leftDelim ?? '{{',
    rightDelim: opts.rightDelim ?? '}}',
    emitComment: false,
    breakOK: !opts.hasFunction('break'),
    continueOK: !opts.hasFunction('continue'),
  });
  const set = new Map<string, Tree>();
  const p = new Parser(items, name, text, opts, set);
  p.parseMain(name);
  return set;
}

class Parser {
  private i = 0;
  private last: Item;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  private actionLine = 0;

  constructor(
    private readonly items: Item[],
    private readonly parseName: string,
    private readonly text: string,
    private readonly opts: ParseOptions,
    private readonly set: Map<string, Tree>,
  ) {
    this.last = items[0];
  }

  private errorf(msg: string): never {
    throw new ParseError(`template: ${this.parseName}:${this.last.line}: ${msg}`);
  }

  private next(): Item {
    const it = this.items[Math.min(this.i, this.items.length - 1)];
    this.i++;
    this.last = it;
    return it;
  }
  private backup(n = 1): void {
    this.i -= n;
  }
  private peek(): Item {
    const it = this.next();
    this.backup();
    return it;
  }
  private nextNonSpace(): Item {
    let it: Item;
    do it = this.next();
    while (it.type === 'space');
    return it;
  }
  private peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }
  private expect(type: ItemType, context: string): Item {
    const it = this.nextNonSpace();
    if (it.type !== type) this.unexpected(it, context);
    return it;
  }
  private unexpected(it: Item, context: string): never {
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

  private newTree(name: string): Tree {
    return { name, parseName: this.parseName, text: this.text, root: { type: 'list', pos: 0, nodes: [] } };
  }

  /** parse.add: a later non-empty definition of a name is an error within one parse. */
  private add(tree: Tree): void {
    const old = this.set.get(tree.name);
    if (!old || isEmptyTree(old.root)) {
      this.set.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) this.errorf(`template: multiple definition of template ${JSON.stringify(tree.name)}`);
  }

  parseMain(name: string): void {
    const tree = this.newTree(name);
    tree.root.pos = this.peek().pos;
    while (this.peek().type !== 'EOF') {
      if (this.peek().type === 'leftDelim') {
        this.next();
        if (this.nextNonSpace().type === 'define') {
          this.parseDefinition();
          continue;
        }
        // back up to the delimiter (spaces included)
        while (this.items[this.i - 1].type !== 'leftDelim') this.i--;
        this.i--;
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.errorf(`unexpected {{${n.type}}}`);
      tree.root.nodes.push(n);
    }
    this.add(tree);
  }

  private withFreshScope<T>(f: () => T): T {
    const saved = { vars: this.vars, rangeDepth: this.rangeDepth };
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return f();
    } finally {
      this.vars = saved.vars;
      this.rangeDepth = saved.rangeDepth;
    }
  }

  private parseDefinition(): void {
    const context = 'define clause';
    const nameItem = this.nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') this.unexpected(nameItem, context);
    const tree = this.newTree(this.unquote(nameItem.val));
    this.expect('rightDelim', context);
    this.withFreshScope(() => {
      const [list, end] = this.itemList();
      if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
      tree.root = list;
    });
    this.add(tree);
  }

  private itemList(): [ListNode, ControlNode] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'EOF') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    this.errorf('unexpected EOF');
  }

  private textOrAction(): Node {
    const it = this.nextNonSpace();
    switch (it.type) {
      case 'text':
        return { type: 'text', pos: it.pos, text: it.val };
      case 'leftDelim': {
        this.actionLine = it.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      case 'comment':
        return { type: 'comment', pos: it.pos, text: it.val };
      default:
        this.unexpected(it, 'input');
    }
  }

  private action(): Node {
    const it = this.nextNonSpace();
    switch (it.type) {
      case 'block':
        return this.blockControl();
      case 'break':
      case 'continue': {
        const t = this.nextNonSpace();
        if (t.type !== 'rightDelim') this.unexpected(t, `{{${it.type}}}`);
        if (this.rangeDepth === 0) this.errorf(`{{${it.type}}} outside {{range}}`);
        return { type: it.type, pos: it.pos, line: it.line };
      }
      case 'else':
        return this.elseControl();
      case 'end': {
        const t = this.expect('rightDelim', 'end');
        return { type: 'end', pos: t.pos, line: t.line };
      }
      case 'if':
      case 'range':
      case 'with':
        return this.parseControl(it.type);
      case 'template':
        return this.templateControl();
    }
    this.backup();
    const t = this.peek();
    return { type: 'action', pos: t.pos, line: t.line, pipe: this.pipeline('command', 'rightDelim') };
  }

  private elseControl(): ControlNode {
    const peek = this.peekNonSpace();
    // "{{else if ...}}" / "{{else with ...}}" are read as "{{else}}{{if ...}}"
    if (peek.type === 'if' || peek.type === 'with') return { type: 'else', pos: peek.pos, line: peek.line };
    const t = this.expect('rightDelim', 'else');
    return { type: 'else', pos: t.pos, line: t.line };
  }

  private parseControl(context: 'if' | 'range' | 'with'): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        const pk = this.peekNonSpace().type;
        if ((context === 'if' && pk === 'if') || (context === 'with' && pk === 'with')) {
          this.nextNonSpace();
          elseList = { type: 'list', pos: next.pos, nodes: [this.parseControl(context)] };
        } else {
          const [l, end] = this.itemList();
          if (end.type !== 'end') this.errorf(`expected end; found {{${end.type}}}`);
          elseList = l;
        }
      }
      return { type: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  private parseTemplateName(it: Item, context: string): string {
    if (it.type === 'string' || it.type === 'rawString') return this.unquote(it.val);
    this.unexpected(it, context);
  }

  private templateControl(): Node {
    const context = 'template clause';
    const it = this.nextNonSpace();
    const name = this.parseTemplateName(it, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: it.pos, line: it.line, name, pipe };
  }

  private blockControl(): Node {
    const context = 'block clause';
    const it = this.nextNonSpace();
    const name = this.parseTemplateName(it, context);
    const pipe = this.pipeline(context, 'rightDelim');
    const tree = this.newTree(name);
    this.withFreshScope(() => {
      const [list, end] = this.itemList();
      if (end.type !== 'end') this.errorf(`unexpected {{${end.type}}} in ${context}`);
      tree.root = list;
    });
    this.add(tree);
    return { type: 'template', pos: it.pos, line: it.line, name, pipe };
  }

  private pipeline(context: string, end: ItemType): PipeNode {
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

  private checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].type)) {
        this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  private command(): CommandNode {
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

  private operand(): ArgNode | undefined {
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
        const s = node.type === 'string' ? node.quoted : node.type === 'number' ? node.text : node.type === 'bool' ? String(node.val) : node.type === 'dot' ? '.' : 'nil';
        this.errorf(`unexpected . after term ${JSON.stringify(s)}`);
      }
    }
    return { type: 'chain', pos, node, field: fields };
  }

  private term(): ArgNode | undefined {
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

  private newVariable(pos: number, name: string): VariableNode {
    return { type: 'variable', pos, ident: name.split('.') };
  }

  private unquote(s: string): string {
    const r = unquoteGo(s);
    if (r === undefined) this.errorf('invalid syntax');
    return r;
  }

  private newNumber(it: Item): NumberNode {
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

/** strconv.ParseInt(text, 0, 64), limited to what a JS number holds exactly. */
function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return undefined;
  let body = m[2];
  if (body.includes('_')) {
    if (!/^0[xXoObB]?_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$|^[1-9][0-9]*(_[0-9]+)*$/.test(body)) return undefined;
    body = body.replace(/_/g, '');
  }
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) v = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) v = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body.slice(1), 8);
  else v = Number(body);
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return undefined;
  return m[1] === '-' ? -v : v;
}

function parseGoFloat(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(t)) return Number(t);
  if (/^[+-]?0[xX]/.test(t)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
    if (!m) return undefined;
    const mant = parseInt((m[2] || '0') + (m[3] || ''), 16) / 16 ** (m[3]?.length ?? 0);
    const v = mant * 2 ** Number(m[4]);
    return m[1] === '-' ? -v : v;
  }
  return undefined;
}

/** End of the first (possibly escaped) character in a rune literal: strconv.UnquoteChar's extent. */
function charEnd(text: string): number {
  if (text[1] !== '\\') return 1 + (text.codePointAt(1)! > 0xffff ? 2 : text.length > 1 && text[1] !== "'" ? 1 : 0);
  const e = text[2];
  if (e === 'x') return 5;
  if (e === 'u') return 7;
  if (e === 'U') return 11;
  if (e >= '0' && e <= '7') return 5;
  return 3;
}
