/**
 * The Sprig function library (Masterminds/sprig v3, as Atmos installs it with `sprig.enabled`).
 * Environment and clock come in through ports; nothing here reads `process.env`. Build the map
 * once and reuse it: templates compiled with the same map object share one function table.
 */
import type { GoFunc } from '../funcs.js';
import { collectionFuncs } from './collections.js';
import { miscFuncs, type SprigPorts } from './misc.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';

export type { SprigPorts };

export interface SprigOptions {
  /** environment for `env`/`expandenv` (default: an empty environment) */
  env?: (name: string) => string | undefined;
  /** clock for `now`, `date` (default: the system clock) */
  clock?: { now(): Date };
}

export function sprigFuncs(opts: SprigOptions = {}): Record<string, GoFunc> {
  const ports: SprigPorts = {
    env: opts.env ?? (() => undefined),
    now: opts.clock ? () => opts.clock!.now() : () => new Date(),
  };
  return { ...stringFuncs(), ...collectionFuncs(), ...miscFuncs(ports), ...semverFuncs() };
}
