import * as YAML from 'yaml';
import { AtmosError } from './errors.js';

/**
 * YAML as Atmos's Go reader (go-yaml v3) sees it: YAML 1.2 core schema (`yes`/`on` stay strings),
 * anchors, aliases and `<<` merge keys on.
 *
 * Custom tags:
 * - `!append` on a sequence marks the resulting array (see APPEND) so the deep merge appends it
 *   whatever the list merge strategy.
 * - Any other local tag on a scalar (`!env FOO`, `!terraform.output vpc id`) is kept as the string
 *   `"!tag value"`, which is how Atmos stores YAML functions before evaluating them.
 */

/** Marks an array that came from an `!append` sequence. Non-enumerable, so JSON output ignores it. */
export const APPEND: unique symbol = Symbol('atmos.append');

export function isAppendList(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[APPEND] === true;
}

export function markAppend<T extends unknown[]>(list: T): T {
  Object.defineProperty(list, APPEND, { value: true, enumerable: false });
  return list;
}

class AppendSeq extends YAML.YAMLSeq {
  override toJSON(key?: unknown, ctx?: Parameters<YAML.YAMLSeq['toJSON']>[1]): unknown[] {
    return markAppend(super.toJSON(key, ctx) as unknown[]);
  }
}

const appendTag: YAML.CollectionTag = {
  tag: '!append',
  collection: 'seq',
  nodeClass: AppendSeq,
  resolve(seq) {
    const s = new AppendSeq((seq as YAML.YAMLSeq).schema);
    s.items = (seq as YAML.YAMLSeq).items;
    s.range = (seq as YAML.YAMLSeq).range;
    return s;
  },
};

const PARSE_OPTIONS: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: true,
  customTags: [appendTag],
  uniqueKeys: true,
};

/** A tag that may sit before the first local tag: cheap test to skip the AST walk for most files. */
const LOCAL_TAG = /(^|[\s[{,:-])!(?!!)[A-Za-z]/m;

/** Parses one YAML document into plain JS. Errors name the file and line. */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new YAML.LineCounter();
  let doc: YAML.Document.Parsed;
  try {
    doc = YAML.parseDocument(text, { ...PARSE_OPTIONS, lineCounter, prettyErrors: false });
  } catch (e) {
    throw new AtmosError(`invalid YAML: ${(e as Error).message}`, { file, cause: e });
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new AtmosError(`invalid YAML: ${message}`, { file, line });
  }
  if (LOCAL_TAG.test(text)) {
    YAML.visit(doc, {
      Scalar(_key, node) {
        if (node.tag && node.tag.startsWith('!') && !node.tag.startsWith('!!')) {
          const value = node.source ?? String(node.value ?? '');
          const s = new YAML.Scalar(value === '' ? node.tag : `${node.tag} ${value}`);
          s.range = node.range;
          return s;
        }
        return undefined;
      },
    });
  }
  try {
    return doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    throw new AtmosError(`invalid YAML: ${(e as Error).message}`, { file, cause: e });
  }
}

/**
 * Line of the node at `keyPath` in `text`, or undefined. Used only on the error path, so the
 * fast path keeps no source positions in memory.
 */
export function lineOf(text: string, keyPath: readonly (string | number)[]): number | undefined {
  try {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { ...PARSE_OPTIONS, lineCounter });
    // Prefer the key's own line (where the user wrote `name:`), falling back to the value's.
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const k of keyPath) {
      if (!YAML.isMap(node) && !YAML.isSeq(node)) return line;
      if (YAML.isMap(node)) {
        const pair = node.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === String(k));
        if (!pair) return line;
        const keyNode = pair.key as YAML.Node;
        if (keyNode.range) line = lineCounter.linePos(keyNode.range[0]).line;
        node = pair.value;
      } else {
        node = node.items[Number(k)];
        const n = node as YAML.Node | undefined;
        if (n?.range) line = lineCounter.linePos(n.range[0]).line;
      }
    }
    return line;
  } catch {
    return undefined;
  }
}

/** YAML text for output (`--format yaml`), keys in the order given. */
export function toYaml(value: unknown): string {
  return YAML.stringify(value, { version: '1.2', lineWidth: 0, aliasDuplicateObjects: false });
}
