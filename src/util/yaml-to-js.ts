import * as YAML from 'yaml';
import { closeNames } from './suggest.js';
import { markAppend } from './yaml-append.js';

/**
 * Converts a parsed YAML document to plain JS in one pass, in document order.
 *
 * Why not `doc.toJS()`: the `yaml` package resolves every alias by scanning all anchors and
 * aliases that come before it, so a manifest with many `<<: *defaults` takes time quadratic in
 * its size (a 20 MB manifest took half a minute), and its alias limit counts something else than
 * Atmos's reader does. Here an anchor is a map lookup, and aliases are counted the way go-yaml v3
 * counts them (see AliasBudget and docs/yaml.md).
 *
 * Semantics kept from `doc.toJS()`: an alias yields the same JS value as its anchor (no copy), a
 * `<<` merge key copies the keys of its source maps that the map does not set itself (explicit
 * keys win wherever they stand, earlier sources win over later ones), `!append` sequences are
 * marked, and a scalar with a local tag (`!env FOO`) becomes the string `"!env FOO"`.
 */

/** A conversion failure at a source offset; the caller turns it into an error naming file and line. */
export class YamlConvertError extends Error {
  constructor(
    message: string,
    readonly offset: number | undefined,
    /** The message stands on its own (not prefixed with "invalid YAML"). */
    readonly standalone = false,
  ) {
    super(message);
  }
}

/** go-yaml v3's bounds on alias expansion (decode.go, allowedAliasRatio). */
const RATIO_RANGE_LOW = 400_000;
const RATIO_RANGE_HIGH = 4_000_000;
/** Expanded sizes are counted, never built; capping keeps the arithmetic finite for any bomb. */
const WEIGHT_CAP = 1e15;

export function allowedAliasRatio(decodes: number): number {
  if (decodes <= RATIO_RANGE_LOW) return 0.99;
  if (decodes >= RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodes - RATIO_RANGE_LOW) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW));
}

/**
 * Counts decoded nodes as go-yaml v3 does: every node decoded is one, and every node decoded
 * through an alias (the anchor's whole subtree, again, each time) is also an aliased one. It
 * refuses once aliased > 100, decoded > 1000 and aliased/decoded > allowedAliasRatio(decoded).
 */
class AliasBudget {
  decodes = 0;
  aliased = 0;

  node(offset: number | undefined): void {
    this.decodes++;
    this.check(offset);
  }

  /** An alias node (one decode) whose target expands to `weight` decodes. */
  alias(weight: number, offset: number | undefined): void {
    this.decodes = Math.min(this.decodes + 1 + weight, WEIGHT_CAP);
    this.aliased = Math.min(this.aliased + weight, WEIGHT_CAP);
    this.check(offset);
  }

  private check(offset: number | undefined): void {
    if (this.aliased > 100 && this.decodes > 1000 && this.aliased / this.decodes > allowedAliasRatio(this.decodes)) {
      const pct = (r: number): string => `${(100 * r).toFixed(2)}%`;
      const decoded = this.decodes >= WEIGHT_CAP ? 'more than 10^15' : String(this.decodes);
      throw new YamlConvertError(
        `document contains excessive aliasing: aliases would expand to ${pct(this.aliased / this.decodes)} ` +
          `of the ${decoded} nodes decoded so far, above the ${pct(allowedAliasRatio(this.decodes))} ` +
          'allowed (the limit of go-yaml v3, which Atmos uses)',
        offset,
      );
    }
  }
}

interface Anchored {
  node: YAML.Node;
  value: unknown;
  /** Decodes the anchored node takes, aliases inside it expanded; undefined while converting it. */
  weight: number | undefined;
}

const start = (node: unknown): number | undefined => (node as YAML.Node | undefined)?.range?.[0];

export class YamlToJs {
  /** The latest node defining each anchor name, as YAML scopes anchors (later ones shadow). */
  private readonly anchors = new Map<string, Anchored>();
  private readonly budget = new AliasBudget();

  /** `knownTags`: the local tags (`!env`) the file may use; any other is an error. Undefined: any. */
  constructor(private readonly knownTags?: ReadonlySet<string>) {}

  document(doc: YAML.Document.Parsed): unknown {
    this.budget.node(undefined);
    return doc.contents == null ? null : this.convert(doc.contents);
  }

  private convert(node: unknown): unknown {
    if (YAML.isAlias(node)) return this.aliasValue(node);
    const n = node as YAML.Node;
    if (this.knownTags && n.tag && n.tag.startsWith('!') && !n.tag.startsWith('!!') && !this.knownTags.has(n.tag)) this.unknownTag(n);
    const entry: Anchored | undefined = n.anchor ? { node: n, value: undefined, weight: undefined } : undefined;
    const before = this.budget.decodes;
    if (entry) this.anchors.set(n.anchor as string, entry);
    this.budget.node(start(n));
    let value: unknown;
    if (YAML.isScalar(n)) value = scalarValue(n);
    else if (YAML.isMap(n)) value = this.map(n);
    else if (YAML.isSeq(n)) value = this.seq(n);
    else if (YAML.isPair(n))
      value = this.map({ items: [n] } as unknown as YAML.YAMLMap); // `[a: 1]`
    else throw new YamlConvertError('unsupported YAML node', start(n));
    if (entry) {
      entry.value = value;
      entry.weight = this.budget.decodes - before;
    }
    return value;
  }

  private unknownTag(n: YAML.Node): never {
    const close = closeNames(n.tag as string, this.knownTags as ReadonlySet<string>, 2);
    const hint = close.length ? `did you mean ${close.map((t) => `'${t}'`).join(' or ')}?` : `supported tags: ${[...(this.knownTags ?? [])].join(', ')}`;
    throw new YamlConvertError(`unsupported YAML tag '${n.tag}' (${hint})`, start(n), true);
  }

  private anchored(alias: YAML.Alias): Anchored {
    const entry = this.anchors.get(alias.source);
    if (!entry) throw new YamlConvertError(`unknown anchor "${alias.source}" (an anchor must come before its aliases)`, start(alias));
    if (entry.weight === undefined) throw new YamlConvertError(`anchor "${alias.source}" contains an alias to itself`, start(alias));
    return entry;
  }

  private aliasValue(alias: YAML.Alias): unknown {
    const entry = this.anchored(alias);
    this.budget.alias(entry.weight as number, start(alias));
    return entry.value;
  }

  private map(map: YAML.YAMLMap): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const explicit = new Set<string>();
    for (const pair of map.items) {
      if (isMergeKey(pair.key)) {
        this.mergeInto(out, pair.value);
        continue;
      }
      const key = this.key(pair.key);
      if (explicit.has(key)) throw new YamlConvertError('Map keys must be unique', start(pair.key));
      explicit.add(key);
      const value = pair.value == null ? this.nullValue() : this.convert(pair.value);
      if (key in out) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  private seq(seq: YAML.YAMLSeq): unknown[] {
    const out: unknown[] = [];
    for (const item of seq.items) out.push(item == null ? this.nullValue() : this.convert(item));
    return seq.tag === '!append' ? markAppend(out) : out;
  }

  /** An empty value (`key:` with nothing after it) is a null node to go-yaml too. */
  private nullValue(): null {
    this.budget.node(undefined);
    return null;
  }

  private key(node: unknown): string {
    const v = node == null ? this.nullValue() : this.convert(node);
    if (v === null) return '';
    if (typeof v === 'object') throw new YamlConvertError('a map key must be a scalar', start(node));
    return String(v);
  }

  /** `<<: source`, `<<: *alias` or `<<: [sources]`: copies the keys the map does not set itself. */
  private mergeInto(out: Record<string, unknown>, value: unknown): void {
    const sources = YAML.isSeq(value) ? value.items : [value];
    for (const src of sources) {
      const targetNode = YAML.isAlias(src) ? this.anchored(src).node : src;
      if (!YAML.isMap(targetNode)) throw new YamlConvertError('Merge sources must be maps or map aliases', start(src));
      const merged = this.convert(src) as Record<string, unknown>;
      for (const k of Object.keys(merged)) {
        if (Object.prototype.hasOwnProperty.call(out, k)) continue; // set explicitly or by an earlier source
        Object.defineProperty(out, k, { value: merged[k], writable: true, enumerable: true, configurable: true });
      }
    }
  }
}

function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && (typeof key.value === 'symbol' || (key.type === 'PLAIN' && key.value === '<<'));
}

/** A scalar's JS value; a local tag (`!env FOO`) keeps the tag in the string, as Atmos stores YAML functions. */
function scalarValue(node: YAML.Scalar): unknown {
  const tag = node.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) {
    const text = node.source ?? String(node.value ?? '');
    return text === '' ? tag : `${tag} ${text}`;
  }
  return node.value;
}
