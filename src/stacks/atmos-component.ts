/**
 * `atmos.Component "<component>" "<stack>"` in templates (docs/atmos-compatibility.md §11.6): another
 * instance's resolved sections in Atmos's `describe component` shape, and its `.outputs`.
 *
 * Sections need no terraform, so describe and matrix show them. Outputs exist only once the read
 * instance has run: `.outputs.NAME` renders as an unresolved reference the runner replaces, and the
 * reader depends on the read instance (beyond Atmos, as for `!terraform.output`).
 *
 * Resolution order is not known in advance (a reader may come before the instance it reads), so
 * `resolveStacks` resolves in two passes: in the first, a reader is only noted (`defer`); in the
 * second, each noted reader is resolved again and resolves what it reads on demand, each instance
 * once per run. The chain of readers being rendered detects cycles.
 */
import { AtmosError } from '../util/errors.js';
import type { Plain } from '../util/merge.js';
import type { OutputRead } from './evaluate-instance.js';
import type { Instance } from './types.js';

/** The text shown for an output read through atmos.Component until the instance it reads has run. */
export function unresolvedComponentOutput(component: string, stack: string, name: string): string {
  return `atmos.Component ${component} ${stack} .${name} (unresolved: read at run time)`;
}

interface Reader {
  stack: string;
  component: string;
  /** The section path being rendered (for the dependency log and the unsupported list). */
  at: string;
  reads: OutputRead[];
}

const key = (component: string, stack: string) => `${component}@${stack}`;

export class AtmosComponents {
  /** `defer` (first pass): readers are noted, not served; `resolve`: served through `resolveTarget`. */
  mode: 'defer' | 'resolve' = 'defer';
  /** Set by resolveStacks for the second pass: the read instance, resolved once. */
  resolveTarget?: (component: string, stack: string) => Instance;
  /** How many first-pass calls were deferred, and the reader (`component@stack`) of the last. */
  deferrals = 0;
  lastDeferred = '';
  private readonly chain: Reader[] = [];
  private readonly served = new Map<string, Plain>();

  /** Runs `render` with `stack`/`component` as the reader atmos.Component calls are made for. */
  within<T>(stack: string, component: string, reads: OutputRead[], render: (reader: { at: string }) => T): T {
    const reader: Reader = { stack, component, at: '', reads };
    this.chain.push(reader);
    try {
      return render(reader);
    } finally {
      this.chain.pop();
    }
  }

  /** The instance whose templates are being rendered (atmos.Store reads for it), if any. */
  reader(): { stack: string; component: string } | undefined {
    return this.chain[this.chain.length - 1];
  }

  component(component: string, stack: string): Plain {
    const reader = this.chain[this.chain.length - 1];
    if (!reader) throw new Error('atmos.Component is available in component sections only');
    if (typeof component !== 'string' || typeof stack !== 'string' || component === '' || stack === '') {
      throw new Error('usage: atmos.Component "<component>" "<stack>"');
    }
    if (this.mode === 'defer') {
      this.deferrals++;
      this.lastDeferred = key(reader.component, reader.stack);
      return {};
    }
    const target = key(component, stack);
    const at = this.chain.findIndex((r) => key(r.component, r.stack) === target);
    if (at >= 0) {
      const cycle = [...this.chain.slice(at).map((r) => key(r.component, r.stack)), target].join(' → ');
      throw new AtmosError(`atmos.Component cycle: ${cycle} (an instance cannot read itself, directly or through others)`);
    }
    let sections = this.served.get(target);
    if (!sections) {
      const inst = this.resolveTarget!(component, stack);
      sections = { ...inst.sections, outputs: this.outputs(inst.component, inst.stack) };
      this.served.set(target, sections);
    }
    return sections;
  }

  /** `.outputs` of a read instance: any name renders as an unresolved reference and is recorded as a read. */
  private outputs(component: string, stack: string): Plain {
    const chain = this.chain;
    const record = (name: string): string => {
      const reader = chain[chain.length - 1];
      const raw = unresolvedComponentOutput(component, stack, name);
      reader?.reads.push({ fn: 'atmos.Component', component, stack, expression: `.${name}`, path: reader.at, raw });
      return raw;
    };
    return new Proxy({} as Plain, {
      get: (_t, p) => (typeof p === 'string' ? record(p) : undefined),
      // Asked before `get` by the template engine's map lookup: answers without recording twice.
      getOwnPropertyDescriptor: (_t, p) =>
        typeof p === 'string' ? { value: unresolvedComponentOutput(component, stack, p), enumerable: true, configurable: true, writable: false } : undefined,
      has: (_t, p) => typeof p === 'string',
    });
  }
}
