import type { CleanTarget } from '../app/clean.js';
import { GITHUB_MATRIX_LIMIT } from '../graph/matrix.js';
import { parseInstanceKeys } from '../graph/pack.js';
import { isOneInstance, parseOneInstance, parseSelection, type Selection } from '../graph/select.js';
import { BOOLEAN_WORDS, parseBoolean } from '../util/boolean.js';
import { AtmosError } from '../util/errors.js';

/**
 * A group keeps the artifacts of several calls in one run apart (app/find-plans.ts). Its names hold
 * no `.`, so the prefix `atmos-plans-<group>.` of one group never matches another group's artifacts.
 */
const PLAN_GROUP = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The action's inputs, parsed and validated once into a typed object (the actions/checkout way).
 * `getInput` is injected so this module needs no @actions/core and tests pass plain maps.
 */

export const ACTION_COMMANDS = ['matrix', 'describe', 'provision', 'clean', 'plan', 'comment', 'apply', 'find-plans', 'apply-matrix', 'drift-issues'] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

interface CommonInputs {
  /** Directory holding (or below) atmos.yaml, relative to GITHUB_WORKSPACE. */
  workingDirectory: string;
  /** Debug messages and stack traces in the log. */
  debug: boolean;
}

/** For the workflows' install steps: the version of each tool the instances run (app/tool-versions.ts). */
export interface ToolVersionInputs {
  /** Resolve them (outputs terraform-version, opentofu-version); a needed tool without a version fails the step. */
  resolve: boolean;
  terraform?: string;
  tofu?: string;
}

export interface MatrixInputs extends CommonInputs {
  command: 'matrix';
  stacks: string[];
  components: string[];
  includeAbstract: boolean;
  toolVersions: ToolVersionInputs;
  /** More instances than this are packed into this many legs (graph/pack.ts). */
  maxLegs: number;
  /** Only the instances affected since the base (app/affected.ts); undefined: every selected instance. */
  affected?: { baseRef?: string; includeDependents: boolean };
}

export interface DescribeInputs extends CommonInputs {
  command: 'describe';
  stack: string;
  component: string;
  /** The instance's top-level manifest (a matrix entry's `manifest`), relative to working-directory. */
  manifest?: string;
}

export interface ProvisionInputs extends CommonInputs {
  command: 'provision';
  /** stack + component, or the stacks/components globs. */
  target: Selection;
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
  target: Selection;
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
  target: Selection;
  plansDir: string;
  parallelism: number;
  encryptionKey?: string;
  /** Only the instances of this dependency level (1-based) and deeper; 1 = all. */
  fromLevel: number;
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
  /** Only the artifacts of this group (`atmos-plans-<group>.<leg>`); default: every plan artifact. */
  group?: string;
}

export interface ApplyMatrixInputs extends CommonInputs {
  command: 'apply-matrix';
  target: Selection;
  plansDir: string;
  /** How many levels get one job per instance (output levels); the deeper ones are applied in one job. Default: all. */
  levelJobs?: number;
  /** A level with more instances than this is packed into this many legs. */
  maxLegs: number;
  /** For the deeper levels' one job, the role/region of instances whose stack settings name none (outputs aws-role, aws-region). */
  awsRole?: string;
  awsRegion?: string;
  toolVersions: ToolVersionInputs;
}

export interface DriftIssuesInputs extends CommonInputs {
  command: 'drift-issues';
  plansDir: string;
  githubToken: string;
  /** The label every drift issue carries (and the listing filters on). */
  issueLabel: string;
  /** New issues opened in one run at most (0: no limit); the rest are listed in the job summary. */
  maxNewIssues: number;
}

/** One type per command: each carries exactly the inputs it uses, validated. */
export type ActionInputs =
  | MatrixInputs
  | DescribeInputs
  | ProvisionInputs
  | CleanInputs
  | PlanInputs
  | CommentInputs
  | ApplyInputs
  | FindPlansInputs
  | ApplyMatrixInputs
  | DriftIssuesInputs;

export type GetInput = (name: string) => string;

function list(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function boolInput(getInput: GetInput, name: string, fallback: boolean): boolean {
  const raw = getInput(name).trim();
  if (raw === '') return fallback;
  const value = parseBoolean(raw);
  if (value === undefined) throw new AtmosError(`input ${name} must be ${BOOLEAN_WORDS}, not ${JSON.stringify(raw)}`);
  return value;
}

function positiveIntInput(getInput: GetInput, name: string, fallback: number, min = 1): number {
  const raw = getInput(name).trim();
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new AtmosError(`input ${name} must be ${min === 0 ? 'a whole number (0 or more)' : 'a positive integer'}, not ${JSON.stringify(raw)}`);
  return n;
}

function affectedInputs(getInput: GetInput): MatrixInputs['affected'] {
  const on = boolInput(getInput, 'affected', false);
  const baseRef = getInput('base-ref').trim() || undefined;
  const includeDependents = boolInput(getInput, 'include-dependents', false);
  if (!on) {
    const stray = [baseRef && 'base-ref', includeDependents && 'include-dependents'].filter(Boolean);
    if (stray.length) throw new AtmosError(`input ${stray.join(', ')} applies with affected: true only`);
    return undefined;
  }
  return { baseRef, includeDependents };
}

function maxLegsInput(getInput: GetInput): number {
  const n = positiveIntInput(getInput, 'max-legs', GITHUB_MATRIX_LIMIT);
  if (n > GITHUB_MATRIX_LIMIT)
    throw new AtmosError(`input max-legs must be at most ${GITHUB_MATRIX_LIMIT} (GitHub runs at most ${GITHUB_MATRIX_LIMIT} jobs per matrix), not ${n}`);
  return n;
}

function toolVersionInputs(getInput: GetInput): ToolVersionInputs {
  return {
    resolve: boolInput(getInput, 'tool-versions', false),
    terraform: getInput('terraform-version').trim() || undefined,
    tofu: getInput('opentofu-version').trim() || undefined,
  };
}

/** Inputs each command reads, beyond command, working-directory and debug. Any other one set is refused, not ignored. */
const INPUTS_OF: Record<ActionCommand, readonly string[]> = {
  matrix: [
    'stacks',
    'components',
    'include-abstract',
    'tool-versions',
    'terraform-version',
    'opentofu-version',
    'max-legs',
    'affected',
    'base-ref',
    'include-dependents',
  ],
  describe: ['stack', 'component', 'manifest'],
  provision: ['stack', 'component', 'manifest', 'stacks', 'components', 'workdir', 'parallelism'],
  clean: ['stack', 'component', 'all', 'ttl', 'dry-run', 'force'],
  plan: ['stack', 'component', 'instances', 'manifest', 'stacks', 'components', 'plans-dir', 'parallelism', 'encryption-key'],
  comment: ['plans-dir', 'github-token', 'pull-request', 'comment-id'],
  apply: [
    'stack',
    'component',
    'instances',
    'manifest',
    'stacks',
    'components',
    'plans-dir',
    'parallelism',
    'encryption-key',
    'from-level',
    'github-token',
    'pull-request',
    'comment-id',
  ],
  'find-plans': ['github-token', 'head-sha', 'group'],
  'apply-matrix': [
    'stack',
    'component',
    'stacks',
    'components',
    'plans-dir',
    'level-jobs',
    'aws-role',
    'aws-region',
    'tool-versions',
    'terraform-version',
    'opentofu-version',
    'max-legs',
  ],
  'drift-issues': ['plans-dir', 'github-token', 'issue-label', 'max-new-issues'],
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
  'from-level': '1',
  'tool-versions': 'false',
  'issue-label': 'drift',
  'max-new-issues': '10',
  'max-legs': String(GITHUB_MATRIX_LIMIT),
  affected: 'false',
  'include-dependents': 'false',
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
  const manifest = getInput('manifest').trim() || undefined;
  const instances = getInput('instances').trim() || undefined;
  if (manifest && (!stack || !component) && !instances) {
    throw new AtmosError('input manifest names the manifest of one instance (give it with stack and component) or of a packed leg (with instances)');
  }
  const globs = () => ({ stacks: list(getInput('stacks')), components: list(getInput('components')) });
  // One instance (with its manifest, when given), a packed leg's instances, or globs; none: every deployable instance.
  const selection = (cmd: string): Selection => {
    if (instances) {
      const others = ['stack', 'component', 'stacks', 'components'].filter((n) => getInput(n).trim() !== '');
      if (others.length) throw new AtmosError(`command ${cmd} takes instances (a packed matrix leg) alone, not with ${others.join(', ')}`);
      return { instances: parseInstanceKeys(instances), ...(manifest ? { manifests: list(manifest) } : {}) };
    }
    const together = `command ${cmd} takes stack and component together (one instance), or neither (stacks/components globs)`;
    const picked = parseSelection(
      { stack, component, ...globs() },
      {
        emptyMeansAll: true,
        mixed: `command ${cmd} takes stack and component (one instance) or stacks/components (globs), not both`,
        noStack: together,
        noComponent: together,
      },
    );
    return manifest && isOneInstance(picked) ? { ...picked, manifest } : picked;
  };
  switch (command) {
    case 'matrix':
      return {
        ...common,
        command,
        ...globs(),
        includeAbstract: boolInput(getInput, 'include-abstract', false),
        toolVersions: toolVersionInputs(getInput),
        maxLegs: maxLegsInput(getInput),
        affected: affectedInputs(getInput),
      };
    case 'describe': {
      const needs = 'command describe needs the inputs stack and component';
      return { ...common, command, ...parseOneInstance({ stack, component }, { noStack: needs, noComponent: needs }), ...(manifest ? { manifest } : {}) };
    }
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
        fromLevel: positiveIntInput(getInput, 'from-level', 1),
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
      const group = getInput('group').trim() || undefined;
      if (group && !PLAN_GROUP.test(group))
        throw new AtmosError(`input group may hold letters, digits, _ and - only (at most 64), not ${JSON.stringify(group)}`);
      return { ...common, command, githubToken, headSha, group };
    }
    case 'apply-matrix':
      return {
        ...common,
        command,
        target: selection(command),
        plansDir: getInput('plans-dir').trim(),
        levelJobs: getInput('level-jobs').trim() === '' ? undefined : positiveIntInput(getInput, 'level-jobs', 0, 0),
        awsRole: getInput('aws-role').trim() || undefined,
        awsRegion: getInput('aws-region').trim() || undefined,
        toolVersions: toolVersionInputs(getInput),
        maxLegs: maxLegsInput(getInput),
      };
    case 'drift-issues': {
      const githubToken = getInput('github-token').trim();
      if (!githubToken) throw new AtmosError('command drift-issues needs the input github-token (with issues: write)');
      const issueLabel = getInput('issue-label').trim() || 'drift';
      if (!/^[^,\n]{1,50}$/.test(issueLabel))
        throw new AtmosError(`input issue-label must be one label name (no commas, at most 50 characters), not ${JSON.stringify(issueLabel)}`);
      return {
        ...common,
        command,
        plansDir: getInput('plans-dir').trim(),
        githubToken,
        issueLabel,
        maxNewIssues: positiveIntInput(getInput, 'max-new-issues', 10, 0),
      };
    }
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
      const both = 'command clean needs both stack and component';
      const target: CleanTarget = modes[2] ? parseOneInstance({ stack, component }, { noStack: both, noComponent: both }) : all ? { all: true } : { ttl: ttl! };
      return { ...common, command, target, dryRun: boolInput(getInput, 'dry-run', false), force: boolInput(getInput, 'force', false) };
    }
  }
}
