/** `describe affected`: Atmos's command, on the same flags and output fields. */
import { openProject } from '../../app/project.js';
import { buildMatrix, GITHUB_MATRIX_LIMIT, matrixLegs, soleManifestRule } from '../../graph/matrix.js';
import { toYaml } from '../../util/yaml.js';
import { UsageError, formatFlag, stringFlag } from '../args.js';
import type { Command } from '../types.js';
import { PROCESS_HELP, processFlags } from './describe.js';

/** Atmos's default base: the remote's default branch as this clone knows it. */
const DEFAULT_REF = 'refs/remotes/origin/HEAD';

export const describeAffectedCommand: Command = {
  path: ['describe', 'affected'],
  summary: 'list the instances a change between two commits affects (Atmos describe affected)',
  help: `Usage: atmos-action describe affected [--ref REF | --sha SHA | --repo-path PATH] [--include-dependents]
       [--include-settings] [-s STACK] [--exclude-locked] [--format json|yaml|matrix]

Compares HEAD's stacks (the working tree) with the base commit's, by Atmos's rules: a changed
metadata, settings or compared section (vars, env, providers, backend, …), a changed file under the
component's folder or a local module it calls, a changed file or folder it declares as a dependency.
Instances the base has and HEAD does not are listed with deleted: true. The changed files are the
difference between the two commits (uncommitted edits are not among them). The base's tree is read
from git into a temp folder; the working tree is never touched.
      --ref REF              the base: a git ref (default ${DEFAULT_REF}); fetched from origin when missing
      --sha SHA              the base: a commit
      --repo-path PATH       the base: another checkout (its HEAD and working tree)
      --include-dependents   each item gets the tree of instances that depend on it (dependencies
                             and output references), and included_in_dependents
      --include-settings     each item carries its settings section
  -s, --stack STACK          only this stack
      --exclude-locked       leave out locked instances (metadata.locked: true)
      --format FORMAT        json (default), yaml, or matrix: the GitHub matrix of the affected
                             instances (and their dependents with --include-dependents), never the deleted ones
${PROCESS_HELP}`,
  options: {
    ref: { type: 'string' },
    sha: { type: 'string' },
    'repo-path': { type: 'string' },
    'include-dependents': { type: 'boolean' },
    'include-settings': { type: 'boolean' },
    stack: { type: 'string', short: 's' },
    'exclude-locked': { type: 'boolean' },
    format: { type: 'string' },
    'process-templates': { type: 'string' },
    'process-functions': { type: 'string' },
  },
  maxPositionals: 0,
  async run(args, ctx) {
    const format = formatFlag(args.values.format, ['json', 'yaml', 'matrix'] as const, 'json');
    const ref = stringFlag(args.values.ref);
    const sha = stringFlag(args.values.sha);
    const repoPath = stringFlag(args.values['repo-path']);
    if ([ref, sha, repoPath].filter((v) => v !== undefined).length > 1) throw new UsageError('give one of --ref, --sha and --repo-path');
    const project = openProject({ cwd: ctx.cwd, ...processFlags(args.values) }, ctx);
    // git and the comparison are loaded by this command alone.
    const { describeAffected, affectedInstances } = await import('../../app/affected.js');
    const result = await describeAffected(
      project,
      {
        base: repoPath !== undefined ? { repoPath } : sha !== undefined ? { sha } : { ref: ref ?? DEFAULT_REF },
        includeDependents: args.values['include-dependents'] === true,
        includeSettings: args.values['include-settings'] === true,
        stack: stringFlag(args.values.stack),
        excludeLocked: args.values['exclude-locked'] === true,
      },
      ctx,
    );
    if (format === 'matrix') {
      const matrix = buildMatrix(affectedInstances(result), project.config, project.cwd, soleManifestRule(project.stacks.instanceNames()));
      ctx.stdout(`${matrixLegs(matrix, GITHUB_MATRIX_LIMIT).json}\n`);
    } else {
      ctx.stdout(format === 'json' ? `${JSON.stringify(result.items, null, 2)}\n` : toYaml(result.items));
    }
    return 0;
  },
};
