import { matrix } from '../../app/matrix.js';
import { GITHUB_MATRIX_LIMIT, matrixLegs } from '../../graph/matrix.js';
import { openProject } from '../../app/project.js';
import { booleanFlag, formatFlag, listFlag, positiveInt } from '../args.js';
import type { Command } from '../types.js';

export const matrixCommand: Command = {
  path: ['matrix'],
  summary: 'print the GitHub Actions matrix of deployable instances',
  help: `Usage: atmos-action matrix [--stacks GLOB] [--components GLOB] [--include-abstract yes|no] [--max-legs N]

Prints {"include":[{stack, component, base_component, component_type, component_path, workdir,
workspace, stack_slug, manifest, tool, role_plan, role_apply, region}]} for enabled, non-abstract
instances, sorted by stack then component (manifest: the top-level manifest defining the instance,
empty when several do; tool: terraform or tofu; the roles and region only when the stack settings
set them). More instances than --max-legs are packed into that many legs:
{"include":[{instances, count, manifest, tool, role_plan, role_apply, region}]}, where instances
lists the leg's stack:component keys (a key repeating the previous key's stack drops "stack:").
Paths are relative to the working directory.
      --stacks GLOBS          only stacks matching these globs (comma-separated or repeated)
      --components GLOBS      only components matching these globs
      --include-abstract X    yes to list abstract instances too (default no)
      --max-legs N            at most N legs, 1 to ${GITHUB_MATRIX_LIMIT} (default ${GITHUB_MATRIX_LIMIT}, what GitHub runs in one matrix)
      --format json           the only format (JSON is what a workflow reads)`,
  options: {
    stacks: { type: 'string', multiple: true },
    components: { type: 'string', multiple: true },
    'include-abstract': { type: 'string' },
    'max-legs': { type: 'string' },
    format: { type: 'string' },
  },
  maxPositionals: 0,
  async run(args, ctx) {
    formatFlag(args.values.format, ['json'] as const, 'json');
    const includeAbstract = booleanFlag(args.values['include-abstract'], 'include-abstract', false);
    const settings = { stacks: listFlag(args.values.stacks), components: listFlag(args.values.components), includeAbstract };
    const maxLegs = positiveInt(args.values['max-legs'], 'max-legs', GITHUB_MATRIX_LIMIT);
    ctx.stdout(`${matrixLegs(matrix(openProject({ cwd: ctx.cwd }, ctx), settings, ctx), maxLegs).json}\n`);
    return 0;
  },
};
