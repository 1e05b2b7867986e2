/**
 * The stack-level layers of one top-level manifest, the first thing Atmos's processor extracts:
 * the import-merged tree's root sections, its `terraform` section, the root metadata every
 * component inherits, the component definitions and the manifest's `name:`. Merged stack-wide
 * heads (root + terraform layers of a section) are kept here, once per stack.
 */
import type { AtmosConfig } from '../config/types.js';
import { mapAt, type Plain } from '../util/merge.js';
import type { ManifestReader } from './imports.js';
import { ROOT_METADATA_KEYS } from './manifest-validate.js';
import { stackFileName } from './manifests.js';

export class StackLayers {
  /** Manifest file name (§1.3), the stack name of last resort. */
  readonly stackFile: string;
  readonly root: Plain;
  readonly tf: Plain;
  readonly rootMetadata: Plain;
  /** `components.terraform` of the tree: every definition this stack sees, abstract ones included. */
  readonly components: Plain;
  /** The manifest's own `name:`, which names the stack (§1.3). */
  readonly manifestName?: string;
  /** Root + terraform layers of a section, merged once per stack (under the config's list strategy). */
  readonly heads = new Map<string, Plain>();
  /** Whether the stack-level layers of a section hold what a scan looks for, per scan and section. */
  readonly headHolds = new Map<unknown, Map<string, boolean>>();
  /** The keys of a section whose stack-level values hold what a scan looks for, per scan and section. */
  readonly headKeys = new Map<unknown, Map<string, string[]>>();
  /** The manifest relative to the base path, for messages. */
  readonly label: string;
  private overrides?: Map<string, Plain>;
  private textFlags?: { tags: boolean; templates: boolean };

  constructor(
    /** Absolute path of the top-level manifest. */
    readonly file: string,
    private readonly config: AtmosConfig,
    private readonly reader: ManifestReader,
  ) {
    const tree = reader.tree(file);
    this.stackFile = stackFileName(config.stacks.basePath, file);
    this.root = tree;
    this.tf = mapAt(tree, 'terraform') ?? {};
    this.rootMetadata = pick(mapAt(tree, 'metadata') ?? {}, ROOT_METADATA_KEYS);
    this.components = mapAt(mapAt(tree, 'components'), 'terraform') ?? {};
    this.manifestName = typeof tree.name === 'string' && tree.name !== '' ? tree.name : undefined;
    this.label = reader.rel(file);
  }

  /** The file-scoped overrides that reach component `name` in this stack (§2.4). */
  overridesOf(name: string): Plain {
    this.overrides ??= this.reader.componentOverrides(this.file);
    return this.overrides.get(name) ?? {};
  }

  /**
   * Whether any file of this manifest's tree, or atmos.yaml's `env`, holds a YAML function tag (`!`)
   * or the template delimiter at all: a cheap test on the text before any section is scanned.
   */
  mayHold(kind: 'tags' | 'templates'): boolean {
    if (!this.textFlags) {
      const delimiter = this.config.templates.delimiters[0];
      const env = JSON.stringify(this.config.env);
      this.textFlags = {
        tags: env.includes('!') || this.reader.treeTextHas(this.file, '!'),
        templates: env.includes(delimiter) || this.reader.treeTextHas(this.file, delimiter),
      };
    }
    return this.textFlags[kind];
  }
}

function pick(m: Plain, keys: string[]): Plain {
  const out: Plain = {};
  for (const k of keys) if (k in m) out[k] = m[k];
  return out;
}
