/**
 * Cycles between output readers (docs/atmos-compatibility.md §11.6). Atmos describes the instance a
 * `!terraform.state`, `!terraform.output` or `atmos.Component … .outputs` reads before reading it,
 * so readers that come back to themselves (a reads b, b reads a; or a reads itself) fail with a
 * circular-dependency error. Resolution keeps those reads for run time, so the chain is followed
 * here instead: each definition once per command.
 */
import { AtmosError } from '../util/errors.js';
import { readLabel, type DeferredAt, type DeferredRead } from './deferred.js';
import type { Instance } from './types.js';

/** What following reads needs from the resolver, for definitions of type `D`. */
export interface ReadChainPorts<D> {
  /** The instance a definition resolves to (throws its own error). */
  resolve(def: D): Pick<Instance, 'enabled' | 'reads'>;
  /** The definition a read of `reader` names, if it exists. */
  target(read: DeferredRead, reader: D): D | undefined;
  /** `component@stack`. */
  name(def: D): string;
  /** Where a place of the definition (`vars.x`) is written. */
  locate(def: D, at: string): { file?: string; line?: number; chain?: string[] };
}

interface Step<D> {
  def: D;
  at: DeferredAt;
}

export class ReadChains<D> {
  /** Definitions already followed: undefined when no chain from them comes back, else the cycle error. */
  private readonly checked = new Map<D, AtmosError | undefined>();

  constructor(private readonly ports: ReadChainPorts<D>) {}

  /**
   * Forgets every chain followed: an instance resolved again (with store values read since) may
   * read other instances than it did, so a chain through it may now come back where it did not.
   */
  forget(): void {
    this.checked.clear();
  }

  /**
   * Throws the circular-dependency error when the reads from `def` come back to an instance on the
   * way: an error of every instance on it. A disabled instance's reads are not followed (Atmos does
   * not evaluate them); an instance read that does not exist, or does not resolve, is its reader's
   * or its own error, reported when it is asked for.
   */
  check(def: D, trail: readonly Step<D>[] = []): void {
    if (this.checked.has(def)) {
      const known = this.checked.get(def);
      if (known) throw known;
      return;
    }
    const again = trail.findIndex((t) => t.def === def);
    if (again >= 0) throw this.cycle(trail.slice(again));
    let instance: Pick<Instance, 'enabled' | 'reads'>;
    try {
      instance = this.ports.resolve(def);
    } catch {
      return;
    }
    try {
      if (instance.enabled) {
        for (const at of instance.reads) {
          const target = this.ports.target(at.read, def);
          if (target !== undefined) this.check(target, [...trail, { def, at }]);
        }
      }
    } catch (e) {
      this.checked.set(def, e as AtmosError);
      throw e;
    }
    this.checked.set(def, undefined);
  }

  /** Atmos's circular-dependency error, naming each reader and what it reads, at the first one's value. */
  private cycle(steps: Step<D>[]): AtmosError {
    const names = [...steps, steps[0]!].map((s) => this.ports.name(s.def));
    const lines = steps.map((s) => `  ${this.ports.name(s.def)} reads ${s.at.path}: ${readLabel(s.at.read)}`);
    return new AtmosError(
      `circular dependency between output readers: ${names.join(' → ')}\n${lines.join('\n')}\n` +
        'an instance cannot read its own outputs, directly or through others: read in one direction only',
      this.ports.locate(steps[0]!.def, steps[0]!.at.path),
    );
  }
}
