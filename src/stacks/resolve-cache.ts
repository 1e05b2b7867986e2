/**
 * Memo tables of one resolution, created by resolveStacks and passed down: catalog definitions are
 * the same objects in every stack that imports them, so work keyed by those objects is done once
 * per resolution. Nothing outlives the resolution (no module-level state).
 */
import type { Plain } from '../util/merge.js';
import type { BaseLayers } from './base-components.js';

export class ResolutionCache {
  /**
   * Base chains per component definition. A chain depends only on the definitions it looked up,
   * so it is reused while each name it looked up still maps to the same object.
   */
  readonly baseChains = new Map<Plain, { looked: [string, unknown][]; layers: BaseLayers }>();
  /** A base's metadata as its children inherit it, per base definition. */
  readonly inheritableMetadata = new Map<Plain, Plain | undefined>();
  /** Bases + component layers of each section, per component definition (shared across stacks). */
  readonly componentParts = new Map<Plain, { bases: Plain[]; parts: Map<string, Plain> }>();
  /** Backends with a defaulted prefix, per source backend and prefix: instances of one stack share one backend map. */
  readonly defaultedBackends = new Map<Plain, Map<string, Plain>>();
}
