/**
 * `atmos.Component "<component>" "<stack>"` in templates (docs/atmos-compatibility.md §11.6): another
 * instance's resolved sections in Atmos's `describe component` shape, and its `.outputs`.
 *
 * Sections need no terraform, so describe and matrix show them. The instance read is resolved on
 * demand, once per run, by the resolver that serves these calls (resolve.ts); a cycle of readers is
 * found there. Outputs exist only once the read instance has run: `.outputs.NAME` is a read known
 * at run time (deferred.ts), and the reader depends on the read instance (beyond Atmos, as for
 * `!terraform.output`).
 */
import type { Plain } from '../util/merge.js';
import type { DeferredTokens } from './deferred.js';

/** Serves `atmos.Component` calls: the sections of the instance read, `.outputs` included. */
export type ComponentServer = (component: string, stack: string) => Plain;

export class AtmosComponents {
  /** Component sections being rendered: atmos.Component works inside them only. */
  private rendering = 0;

  constructor(private readonly serve?: ComponentServer) {}

  /** Runs `render` (a component section template pass), in which atmos.Component calls are served. */
  within<T>(render: () => T): T {
    this.rendering++;
    try {
      return render();
    } finally {
      this.rendering--;
    }
  }

  /** Whether a component section is being rendered (atmos.Store reads there only). */
  get inComponentSection(): boolean {
    return this.rendering > 0;
  }

  component(component: string, stack: string): Plain {
    if (this.rendering === 0 || !this.serve) throw new Error('atmos.Component is available in component sections only');
    if (typeof component !== 'string' || typeof stack !== 'string' || component === '' || stack === '') {
      throw new Error('usage: atmos.Component "<component>" "<stack>"');
    }
    return this.serve(component, stack);
  }
}

/** `.outputs` of an instance read through atmos.Component: any name is a read, known at run time only. */
export function componentOutputs(component: string, stack: string, tokens: DeferredTokens): Plain {
  const token = (name: string) => tokens.token({ kind: 'atmos.Component', component, stack, expression: `.${name}` });
  return new Proxy({} as Plain, {
    get: (_t, p) => (typeof p === 'string' ? token(p) : undefined),
    // Asked before `get` by the template engine's map lookup.
    getOwnPropertyDescriptor: (_t, p) => (typeof p === 'string' ? { value: token(p), enumerable: true, configurable: true, writable: false } : undefined),
    has: (_t, p) => typeof p === 'string',
  });
}
