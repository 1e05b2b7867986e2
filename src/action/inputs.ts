import { AtmosError } from '../util/errors.js';

/**
 * The action's inputs, parsed and validated once into a typed object (the actions/checkout way).
 * `getInput` is injected so this module needs no @actions/core and tests pass plain maps.
 */

export const ACTION_COMMANDS = ['matrix', 'describe', 'provision', 'clean'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export interface ActionInputs {
  command: ActionCommand;
  /** Directory holding (or below) atmos.yaml, relative to GITHUB_WORKSPACE. */
  workingDirectory: string;
  stacks: string[];
  components: string[];
  includeAbstract: boolean;
  /** For single-instance commands (describe, provision, clean). */
  stack?: string;
  component?: string;
  /** Turn workdirs on for every selected instance, whatever provision.workdir.enabled says. */
  workdir: boolean;
  parallelism: number;
  /** clean: what to remove. */
  clean: { all: boolean; ttl?: string; dryRun: boolean; force: boolean };
  debug: boolean;
}

export type GetInput = (name: string) => string;

function list(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function boolInput(getInput: GetInput, name: string, fallback: boolean): boolean {
  const raw = getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  throw new AtmosError(`input ${name} must be true or false, not ${JSON.stringify(raw)}`);
}

function positiveIntInput(getInput: GetInput, name: string, fallback: number): number {
  const raw = getInput(name).trim();
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new AtmosError(`input ${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

export function parseInputs(getInput: GetInput): ActionInputs {
  const command = (getInput('command').trim() || 'matrix') as ActionCommand;
  if (!ACTION_COMMANDS.includes(command)) {
    throw new AtmosError(`input command must be one of ${ACTION_COMMANDS.join(', ')}, not ${JSON.stringify(command)}`);
  }
  const inputs: ActionInputs = {
    command,
    workingDirectory: getInput('working-directory').trim() || '.',
    stacks: list(getInput('stacks')),
    components: list(getInput('components')),
    includeAbstract: boolInput(getInput, 'include-abstract', false),
    stack: getInput('stack').trim() || undefined,
    component: getInput('component').trim() || undefined,
    workdir: boolInput(getInput, 'workdir', false),
    parallelism: positiveIntInput(getInput, 'parallelism', 4),
    clean: {
      all: boolInput(getInput, 'all', false),
      ttl: getInput('ttl').trim() || undefined,
      dryRun: boolInput(getInput, 'dry-run', false),
      force: boolInput(getInput, 'force', false),
    },
    debug: boolInput(getInput, 'debug', false),
  };
  if (command === 'describe' && (!inputs.stack || !inputs.component)) {
    throw new AtmosError('command describe needs the inputs stack and component');
  }
  if (command === 'provision' && (inputs.stack === undefined) !== (inputs.component === undefined)) {
    throw new AtmosError('command provision takes stack and component together (one instance), or neither (stacks/components globs)');
  }
  if (command === 'clean') {
    const modes = [inputs.clean.all, inputs.clean.ttl !== undefined, inputs.stack !== undefined || inputs.component !== undefined];
    if (modes.filter(Boolean).length !== 1) {
      throw new AtmosError('command clean needs exactly one of: stack and component, all: true, or ttl (e.g. 7d) for expired workdirs');
    }
    if (modes[2] && (!inputs.stack || !inputs.component)) throw new AtmosError('command clean needs both stack and component');
  }
  return inputs;
}
