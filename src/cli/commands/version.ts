import { VERSION } from '../../util/version.js';
import type { Command } from '../types.js';

export const versionCommand: Command = {
  path: ['version'],
  summary: 'print the atmos-action version',
  help: 'Usage: atmos-action version',
  options: {},
  maxPositionals: 0,
  async run(_args, ctx) {
    ctx.stdout(`atmos-action ${VERSION}\n`);
    return 0;
  },
};
