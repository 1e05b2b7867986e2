/**
 * The parser of Go's text/template (text/template/parse/parse.go): items → node trees, one per
 * template name (`define` and `block` add trees to the set); control structures here, expressions
 * in parse-pipeline.ts. Error messages are Go's.
 */
import { Item, lex } from './lex.js';
import { isEmptyTree } from './nodes.js';
import type { BranchNode, ControlNode, ListNode, Node, PipeNode } from './nodes.js';
import { ParseOptions, PipelineParser } from './parse-pipeline.js';

export { ParseError } from './parse-pipeline.js';
export type { ParseOptions } from './parse-pipeline.js';

export interface Tree {
  name: string;
  /** name of the top-level template whose text holds this tree (for error locations) */
  parseName: string;
  text: string;
  root: ListNode;
}

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

class Parser extends PipelineParser {
  constructor(
    items: Item[],
    parseName: string,
    private readonly text: string,
    opts: ParseOptions,
    private readonly set: Map<string, Tree>,
  ) {
    super(items, parseName, opts);
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
}
