/**
 * The sections of an instance (vars, settings, env, ...), apart from its identity: the shape a
 * resolved instance reads them through, and an overlay that replaces some (evaluated ones, values
 * filled in at run time) while the others stay as merged, unread until asked for.
 */
import type { Section as Plain } from './types.js';

/**
 * The sections of an instance. A resolved instance merges each one the first time it is read
 * (component-sections.ts), so a command that never looks at an instance's vars never merges them.
 */
export interface InstanceSections {
  readonly vars: Plain;
  readonly settings: Plain;
  readonly env: Plain;
  readonly providers: Plain;
  readonly backend: Plain;
  readonly remoteStateBackend: Plain;
  readonly metadata: Plain;
  readonly overrides: Plain;
  readonly source: Plain;
  readonly provision: Plain;
  readonly dependencies: Plain;
  readonly passthrough: Plain;
  readonly command: string;
}

/** The section fields with their names in the describe shape (passthrough spreads at the top). */
export const SECTION_FIELDS = [
  ['vars', 'vars'],
  ['settings', 'settings'],
  ['env', 'env'],
  ['providers', 'providers'],
  ['backend', 'backend'],
  ['remoteStateBackend', 'remote_state_backend'],
  ['metadata', 'metadata'],
  ['overrides', 'overrides'],
  ['source', 'source'],
  ['provision', 'provision'],
  ['dependencies', 'dependencies'],
  ['passthrough', ''],
  ['command', 'command'],
] as const satisfies readonly (readonly [keyof InstanceSections, string])[];

export type SectionField = (typeof SECTION_FIELDS)[number][0];

/** `base` with the sections in `replaced` taken from there instead; the others stay lazy. */
export function overlaySections(base: InstanceSections, replaced: Partial<InstanceSections>): InstanceSections {
  return Object.keys(replaced).length === 0 ? base : new OverlaidSections(base, replaced);
}

class OverlaidSections implements InstanceSections {
  constructor(
    private readonly base: InstanceSections,
    private readonly r: Partial<InstanceSections>,
  ) {}
  get vars(): Plain {
    return this.r.vars ?? this.base.vars;
  }
  get settings(): Plain {
    return this.r.settings ?? this.base.settings;
  }
  get env(): Plain {
    return this.r.env ?? this.base.env;
  }
  get providers(): Plain {
    return this.r.providers ?? this.base.providers;
  }
  get backend(): Plain {
    return this.r.backend ?? this.base.backend;
  }
  get remoteStateBackend(): Plain {
    return this.r.remoteStateBackend ?? this.base.remoteStateBackend;
  }
  get metadata(): Plain {
    return this.r.metadata ?? this.base.metadata;
  }
  get overrides(): Plain {
    return this.r.overrides ?? this.base.overrides;
  }
  get source(): Plain {
    return this.r.source ?? this.base.source;
  }
  get provision(): Plain {
    return this.r.provision ?? this.base.provision;
  }
  get dependencies(): Plain {
    return this.r.dependencies ?? this.base.dependencies;
  }
  get passthrough(): Plain {
    return this.r.passthrough ?? this.base.passthrough;
  }
  get command(): string {
    return this.r.command ?? this.base.command;
  }
}
