import type { Command } from '../types.js';
import { describeAffectedCommand } from './affected.js';
import { describeComponentCommand, describeStacksCommand } from './describe.js';
import { listComponentsCommand, listStacksCommand } from './list.js';
import { matrixCommand } from './matrix.js';
import { runCommands } from './run.js';
import { versionCommand } from './version.js';
import { workdirCommands } from './workdir.js';

/** Every leaf command, in the order --help lists them. */
export const COMMANDS: Command[] = [
  describeComponentCommand,
  describeStacksCommand,
  describeAffectedCommand,
  listStacksCommand,
  listComponentsCommand,
  matrixCommand,
  ...runCommands,
  ...workdirCommands,
  versionCommand,
];
