import { GITHUB_MATRIX_LIMIT, buildMatrix } from '../../graph/matrix.js';
import { selectInstances } from '../../graph/select.js';
import { loadProject } from '../../project.js';
import { listFlag, yesNo } from '../args.js';
import type { Command } from '../types.js';

export const matrixCommand: Command = {
  path: ['matrix'],
  summary: 'print the GitHub Actions matrix of deployable instances',
  help: `Usage: atmos-action matrix [--stacks GLOB] [--components GLOB] [--include-abstract yes|no]

Prints {"include":[{stack, component, base_component, component_type, component_path, workdir,
workspace, stack_slug}]} for enabled, non-abstract instances, sorted by stack then component.
Paths are relative to the working directory.
      --stacks GLOBS          only stacks matching these globs (comma-separated or repeated)
      --components GLOBS      only components matching these globs
      --include-abstract X    yes to list abstract instances too (default no)`,
  options: {
    stacks: { type: 'string', multiple: true },
    components: { type: 'string', multiple: true },
    'include-abstract': { type: 'string' },
  },
  async run(args, ctx) {
    const includeAbstract = yesNo(args.values['include-abstract'], 'include-abstract', false);
    const { config, stacks } = loadProject({ cwd: ctx.cwd, env: ctx.env, log: ctx.log, includeAbstract });
    const selected = selectInstances(stacks.instances, {
      stacks: listFlag(args.values.stacks),
      components: listFlag(args.values.components),
      includeAbstract,
    });
    for (const i of selected) {
      if (i.unsupported.length) {
        ctx.log.warn(`${i.component} (stack ${i.stack}) uses ${i.unsupported[0].value} (${i.unsupported[0].path}), which atmos-action does not evaluate yet; its plan will fail`);
      }
    }
    if (selected.length > GITHUB_MATRIX_LIMIT) {
      ctx.log.warn(`the matrix has ${selected.length} legs; GitHub runs at most ${GITHUB_MATRIX_LIMIT} per matrix: narrow it with --stacks/--components`);
    }
    ctx.stdout(`${JSON.stringify(buildMatrix(selected, config, ctx.cwd))}\n`);
    return 0;
  },
};
