import type { CleanTarget } from '../app/clean.js';
import type { ProvisionTarget } from '../app/provision.js';
import { AtmosError } from '../util/errors.js';

/**
 * The action's inputs, parsed and validated once into a typed object (the actions/checkout way).
 * `getInput` is injected so this module needs no @actions/core and tests pass plain maps.
 */

export const ACTION_COMMANDS = ['matrix', 'describe', 'provision', 'clean'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

interface CommonInputs {
  /** Directory holding (or below) atmos.yaml, relative to GITHUB_WORKSPACE. */
  workingDirectory: string;
  /** Debug messages and stack traces in the log. */
  debug: boolean;
}

export interface MatrixInputs extends CommonInputs {
  command: 'matrix';
  stacks: string[];
  components: string[];
  includeAbstract: boolean;
}

export interface DescribeInputs extends CommonInputs {
  command: 'describe';
  stack: string;
  component: string;
}

export interface ProvisionInputs extends CommonInputs {
  command: 'provision';
  /** stack + component, or the stacks/components globs. */
  target: ProvisionTarget;
  /** Turn workdirs on for every selected instance, whatever provision.workdir.enabled says. */
  workdir: boolean;
  parallelism: number;
}

export interface CleanInputs extends CommonInputs {
  command: 'clean';
  target: CleanTarget;
  dryRun: boolean;
  force: boolean;
}

/** One type per command: each carries exactly the inputs it uses, validated. */
export type ActionInputs = MatrixInputs | DescribeInputs | ProvisionInputs | CleanInputs;

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

/** Inputs each command reads, beyond command, working-directory and debug. Any other one set is refused, not ignored. */
const INPUTS_OF: Record<ActionCommand, readonly string[]> = {
  matrix: ['stacks', 'components', 'include-abstract'],
  describe: ['stack', 'component'],
  provision: ['stack', 'component', 'stacks', 'components', 'workdir', 'parallelism'],
  clean: ['stack', 'component', 'all', 'ttl', 'dry-run', 'force'],
};

/** action.yml's defaults (test/unit/action-yml.test.ts keeps them in step): the runner passes these when an input is not set. */
export const INPUT_DEFAULTS: Record<string, string> = {
  'include-abstract': 'false',
  workdir: 'false',
  parallelism: '4',
  all: 'false',
  'dry-run': 'false',
  force: 'false',
};

function refuseInputsThatDoNotApply(getInput: GetInput, command: ActionCommand): void {
  const known = new Set(Object.values(INPUTS_OF).flat());
  const isSet = (name: string) => {
    const v = getInput(name).trim();
    return v !== '' && v !== (INPUT_DEFAULTS[name] ?? '');
  };
  const stray = [...known].filter((name) => !INPUTS_OF[command].includes(name) && isSet(name));
  if (stray.length) {
    const uses = INPUTS_OF[command].join(', ');
    throw new AtmosError(`input ${stray.join(', ')} does not apply to command ${command} (it reads ${uses}); remove ${stray.length === 1 ? 'it' : 'them'} from the step's with:`);
  }
}

export function parseInputs(getInput: GetInput): ActionInputs {
  const command = (getInput('command').trim() || 'matrix') as ActionCommand;
  if (!ACTION_COMMANDS.includes(command)) {
    throw new AtmosError(`input command must be one of ${ACTION_COMMANDS.join(', ')}, not ${JSON.stringify(command)}`);
  }
  refuseInputsThatDoNotApply(getInput, command);
  const common: CommonInputs = { workingDirectory: getInput('working-directory').trim() || '.', debug: boolInput(getInput, 'debug', false) };
  const stack = getInput('stack').trim() || undefined;
  const component = getInput('component').trim() || undefined;
  const globs = () => ({ stacks: list(getInput('stacks')), components: list(getInput('components')) });
  switch (command) {
    case 'matrix':
      return { ...common, command, ...globs(), includeAbstract: boolInput(getInput, 'include-abstract', false) };
    case 'describe':
      if (!stack || !component) throw new AtmosError('command describe needs the inputs stack and component');
      return { ...common, command, stack, component };
    case 'provision': {
      if ((stack === undefined) !== (component === undefined)) {
        throw new AtmosError('command provision takes stack and component together (one instance), or neither (stacks/components globs)');
      }
      const target: ProvisionTarget = stack && component ? { stack, component } : globs();
      return { ...common, command, target, workdir: boolInput(getInput, 'workdir', false), parallelism: positiveIntInput(getInput, 'parallelism', 4) };
    }
    case 'clean': {
      const all = boolInput(getInput, 'all', false);
      const ttl = getInput('ttl').trim() || undefined;
      const modes = [all, ttl !== undefined, stack !== undefined || component !== undefined];
      if (modes.filter(Boolean).length !== 1) {
        throw new AtmosError('command clean needs exactly one of: stack and component, all: true, or ttl (e.g. 7d) for expired workdirs');
      }
      if (modes[2] && (!stack || !component)) throw new AtmosError('command clean needs both stack and component');
      const target: CleanTarget = stack && component ? { stack, component } : all ? { all: true } : { ttl: ttl! };
      return { ...common, command, target, dryRun: boolInput(getInput, 'dry-run', false), force: boolInput(getInput, 'force', false) };
    }
  }
}
