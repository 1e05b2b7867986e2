import * as YAML from 'yaml';
import { AtmosError } from './errors.js';
import { NOT_SIMPLE, parseSimpleYaml } from './yaml-fast.js';
import { YamlConvertError, YamlToJs } from './yaml-to-js.js';

/**
 * YAML as Atmos's Go reader (go-yaml v3) sees it: YAML 1.2 core schema (`yes`/`on` stay strings),
 * anchors, aliases and `<<` merge keys on.
 *
 * Custom tags:
 * - `!append` on a sequence marks the resulting array (see APPEND) so the deep merge appends it
 *   whatever the list merge strategy.
 * - Any other local tag on a scalar (`!env FOO`, `!terraform.output vpc id`) is kept as the string
 *   `"!tag value"`, which is how Atmos stores YAML functions before evaluating them.
 *
 * Alias expansion is bounded as go-yaml v3 bounds it, and conversion takes time linear in the
 * size of the file: see yaml-to-js.ts and docs/yaml.md.
 */

export { APPEND, isAppendList, markAppend } from './yaml-append.js';

/** Declared so `!append` is a known tag; the converter marks the array (yaml-to-js.ts). */
const appendTag: YAML.CollectionTag = {
  tag: '!append',
  collection: 'seq',
  resolve: (seq) => seq,
};

const PARSE_OPTIONS: YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: true,
  customTags: [appendTag],
  // Duplicate keys are found while converting (yaml-to-js.ts): the library's own check compares
  // each key with every earlier key of its map, quadratic for a map of thousands of components.
  uniqueKeys: false,
};

/**
 * Parses one YAML document into plain JS. Errors name the file and line. `knownTags`: the local
 * tags the file may use (util/yaml-tags.ts); any other is an error, as Atmos makes it. Undefined:
 * any tag is kept as text. Plain block manifests take the fast reader; the rest the full one.
 */
export function parseYaml(text: string, file: string, knownTags?: ReadonlySet<string>): unknown {
  const simple = parseSimpleYaml(text, knownTags);
  return simple === NOT_SIMPLE ? parseFullYaml(text, file, knownTags) : simple;
}

/** The full reader: every YAML construct, and the errors with their lines. */
export function parseFullYaml(text: string, file: string, knownTags?: ReadonlySet<string>): unknown {
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
  try {
    return new YamlToJs(knownTags).document(doc);
  } catch (e) {
    if (!(e instanceof YamlConvertError)) throw e;
    const line = e.offset === undefined ? undefined : lineCounter.linePos(e.offset).line;
    throw new AtmosError(e.standalone ? e.message : `invalid YAML: ${e.message}`, { file, line });
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
