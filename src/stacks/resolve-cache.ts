/**
 * What one resolution shares (created by a Stacks, passed down): the configuration, the manifest
 * reader, the template and function engine, and memo tables. Catalog definitions are the same
 * objects in every stack that imports them, so work keyed by those objects is done once per
 * resolution. Nothing outlives the resolution (no module-level state).
 */
import type { AtmosConfig } from '../config/types.js';
import type { Log } from '../ports/log.js';
import type { Plain } from '../util/merge.js';
import type { BaseLayers } from './base-components.js';
import type { ManifestReader } from './imports.js';
import type { StackEngine } from './stack-engine.js';

export class ResolutionCache {
  /**
   * Base chains per component definition. A chain depends only on the definitions it looked up,
   * so it is reused while each name it looked up still maps to the same object.
   */
  readonly baseChains = new Map<Plain, { looked: [string, unknown][]; layers: BaseLayers }>();
  /** A base's metadata as its children inherit it, per base definition. */
  readonly inheritableMetadata = new Map<Plain, Plain | undefined>();
  /** Bases + component layers of each section, per component definition (shared across stacks). */
  readonly componentParts = new Map<Plain, ComponentParts>();
  /** Backends with a defaulted prefix, per source backend and prefix: instances of one stack share one backend map. */
  readonly defaultedBackends = new Map<Plain, Map<string, Plain>>();
  /** Names already checked by safeRelativeSegments. */
  readonly checkedNames = new Set<string>();
  /** Component folders by execution component. */
  readonly componentPaths = new Map<string, string>();
}

/** What one component definition (with its bases) contributes, shared by every stack that imports it. */
export interface ComponentParts {
  bases: Plain[];
  /** Bases + component layers of each section, merged. */
  parts: Map<string, Plain>;
  /** Whether those layers hold what a scan looks for, per scan and section. */
  holds: Map<unknown, Map<string, boolean>>;
  /** Which keys of a section hold it there, per scan and section. */
  keys: Map<unknown, Map<string, string[]>>;
}

/** One resolution's shared parts. */
export interface ResolveRun {
  config: AtmosConfig;
  reader: ManifestReader;
  cache: ResolutionCache;
  /** Templates and YAML functions for this run. */
  engine: StackEngine;
  log: Log;
}
