import { matrix } from '../../app/matrix.js';
import { openProject } from '../../app/project.js';
import { booleanFlag, formatFlag, listFlag } from '../args.js';
import type { Command } from '../types.js';

export const matrixCommand: Command = {
  path: ['matrix'],
  summary: 'print the GitHub Actions matrix of deployable instances',
  help: `Usage: atmos-action matrix [--stacks GLOB] [--components GLOB] [--include-abstract yes|no]

Prints {"include":[{stack, component, base_component, component_type, component_path, workdir,
workspace, stack_slug, manifest, tool, role_plan, role_apply, region}]} for enabled, non-abstract
instances, sorted by stack then component (manifest: the top-level manifest defining the instance,
empty when several do; tool: terraform or tofu; the roles and region only when the stack settings
set them).
Paths are relative to the working directory.
      --stacks GLOBS          only stacks matching these globs (comma-separated or repeated)
      --components GLOBS      only components matching these globs
      --include-abstract X    yes to list abstract instances too (default no)
      --format json           the only format (JSON is what a workflow reads)`,
  options: {
    stacks: { type: 'string', multiple: true },
    components: { type: 'string', multiple: true },
    'include-abstract': { type: 'string' },
    format: { type: 'string' },
  },
  maxPositionals: 0,
  async run(args, ctx) {
    formatFlag(args.values.format, ['json'] as const, 'json');
    const includeAbstract = booleanFlag(args.values['include-abstract'], 'include-abstract', false);
    const settings = { stacks: listFlag(args.values.stacks), components: listFlag(args.values.components), includeAbstract };
    ctx.stdout(`${JSON.stringify(matrix(openProject({ cwd: ctx.cwd }, ctx), settings, ctx))}\n`);
    return 0;
  },
};
