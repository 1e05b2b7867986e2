import type { CleanTarget } from '../app/clean.js';
import type { ProvisionTarget } from '../app/provision.js';
import { AtmosError } from '../util/errors.js';

/**
 * The action's inputs, parsed and validated once into a typed object (the actions/checkout way).
 * `getInput` is injected so this module needs no @actions/core and tests pass plain maps.
 */

export const ACTION_COMMANDS = ['matrix', 'describe', 'provision', 'clean', 'plan', 'comment', 'apply', 'find-plans', 'apply-matrix'] as const;
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

export interface PlanInputs extends CommonInputs {
  command: 'plan';
  target: ProvisionTarget;
  /** As given (empty: the default under RUNNER_TEMP); relative to the workspace. */
  plansDir: string;
  parallelism: number;
  encryptionKey?: string;
}

export interface CommentInputs extends CommonInputs {
  command: 'comment';
  plansDir: string;
  githubToken?: string;
  /** Pull request to comment on; default: the one of the triggering event. */
  pullRequest?: number;
  /** Tells several sticky comments on one pull request apart. */
  commentId: string;
}

export interface ApplyInputs extends CommonInputs {
  command: 'apply';
  /** Default: every plan in the plans directory. */
  target: ProvisionTarget;
  plansDir: string;
  parallelism: number;
  encryptionKey?: string;
  /** With a token, every planfile is checked against the merged pull request's plan comment. */
  githubToken?: string;
  /** The merged pull request; default: the event's, else the one merged as GITHUB_SHA. */
  pullRequest?: number;
  /** The marker of the plan comment to check against. */
  commentId: string;
}

export interface FindPlansInputs extends CommonInputs {
  command: 'find-plans';
  githubToken: string;
  /** The pull request's last commit; default: the head of the triggering pull_request event. */
  headSha?: string;
}

export interface ApplyMatrixInputs extends CommonInputs {
  command: 'apply-matrix';
  target: ProvisionTarget;
  plansDir: string;
}

/** One type per command: each carries exactly the inputs it uses, validated. */
export type ActionInputs =
  MatrixInputs | DescribeInputs | ProvisionInputs | CleanInputs | PlanInputs | CommentInputs | ApplyInputs | FindPlansInputs | ApplyMatrixInputs;

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
  plan: ['stack', 'component', 'stacks', 'components', 'plans-dir', 'parallelism', 'encryption-key'],
  comment: ['plans-dir', 'github-token', 'pull-request', 'comment-id'],
  apply: ['stack', 'component', 'stacks', 'components', 'plans-dir', 'parallelism', 'encryption-key', 'github-token', 'pull-request', 'comment-id'],
  'find-plans': ['github-token', 'head-sha'],
  'apply-matrix': ['stack', 'component', 'stacks', 'components', 'plans-dir'],
};

/** action.yml's defaults (test/unit/action-yml.test.ts keeps them in step): the runner passes these when an input is not set. */
export const INPUT_DEFAULTS: Record<string, string> = {
  'include-abstract': 'false',
  workdir: 'false',
  parallelism: '4',
  all: 'false',
  'dry-run': 'false',
  force: 'false',
  'comment-id': 'plan',
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
    throw new AtmosError(
      `input ${stray.join(', ')} does not apply to command ${command} (it reads ${uses}); remove ${stray.length === 1 ? 'it' : 'them'} from the step's with:`,
    );
  }
}

function pullRequestInput(getInput: GetInput): number | undefined {
  const pr = getInput('pull-request').trim();
  if (pr !== '' && !/^[1-9]\d*$/.test(pr)) throw new AtmosError(`input pull-request must be a pull request number, not ${JSON.stringify(pr)}`);
  return pr ? Number(pr) : undefined;
}

function commentIdInput(getInput: GetInput): string {
  const commentId = getInput('comment-id').trim() || 'plan';
  if (!/^[A-Za-z0-9._/-]+$/.test(commentId))
    throw new AtmosError(`input comment-id may hold letters, digits and . _ / - only, not ${JSON.stringify(commentId)}`);
  return commentId;
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
  const selection = (cmd: string): ProvisionTarget => {
    if ((stack === undefined) !== (component === undefined)) {
      throw new AtmosError(`command ${cmd} takes stack and component together (one instance), or neither (stacks/components globs)`);
    }
    return stack && component ? { stack, component } : globs();
  };
  switch (command) {
    case 'matrix':
      return { ...common, command, ...globs(), includeAbstract: boolInput(getInput, 'include-abstract', false) };
    case 'describe':
      if (!stack || !component) throw new AtmosError('command describe needs the inputs stack and component');
      return { ...common, command, stack, component };
    case 'plan':
    case 'apply': {
      const leg = {
        ...common,
        target: selection(command),
        plansDir: getInput('plans-dir').trim(),
        parallelism: positiveIntInput(getInput, 'parallelism', 4),
        // Taken as given: a key is never trimmed into another key.
        encryptionKey: getInput('encryption-key') || undefined,
      };
      if (command === 'plan') return { ...leg, command };
      return {
        ...leg,
        command,
        githubToken: getInput('github-token').trim() || undefined,
        pullRequest: pullRequestInput(getInput),
        commentId: commentIdInput(getInput),
      };
    }
    case 'comment':
      return {
        ...common,
        command,
        plansDir: getInput('plans-dir').trim(),
        githubToken: getInput('github-token').trim() || undefined,
        pullRequest: pullRequestInput(getInput),
        commentId: commentIdInput(getInput),
      };
    case 'find-plans': {
      const githubToken = getInput('github-token').trim();
      if (!githubToken) throw new AtmosError('command find-plans needs the input github-token (with actions: read)');
      const headSha = getInput('head-sha').trim() || undefined;
      if (headSha && !/^[0-9a-f]{40}$/.test(headSha)) throw new AtmosError(`input head-sha must be a full commit SHA, not ${JSON.stringify(headSha)}`);
      return { ...common, command, githubToken, headSha };
    }
    case 'apply-matrix':
      return { ...common, command, target: selection(command), plansDir: getInput('plans-dir').trim() };
    case 'provision': {
      const target = selection(command);
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
