import fs from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../util/suggest.js';
import { VERSION } from '../util/version.js';
import { isAtmosError } from '../util/errors.js';
import { GLOBAL_HELP, UsageError, commandWords, parseCommandArgs, stringFlag } from './args.js';
import { COMMANDS } from './commands/index.js';
import type { CliContext, Command } from './types.js';

function topHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  const lines = commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return `atmos-action: run Terraform across Atmos component instances, in parallel and safely.

Usage: atmos-action <command> [flags]

Commands:
${lines.join('\n')}

${GLOBAL_HELP}

Run "atmos-action <command> --help" for a command's flags.
`;
}

function groupHelp(prefix: string[], commands: Command[]): string {
  return topHelp(commands.filter((c) => prefix.every((w, i) => c.path[i] === w)));
}

/**
 * The CLI without its adapter: argv in, exit code out. Errors the user can fix print one clear
 * message (no stack trace unless --debug) and exit 1; usage errors exit 2.
 */
export async function main(argv: readonly string[], ctx: CliContext, commands: Command[] = COMMANDS): Promise<number> {
  let words = commandWords(argv);
  let wantsHelp = argv.includes('--help') || argv.includes('-h');
  // `help [command]` is --help spelled as a command.
  if (words[0] === 'help') {
    words = words.slice(1);
    wantsHelp = true;
  }
  if (words.length === 0 && argv.includes('--version')) {
    ctx.stdout(`atmos-action ${VERSION}\n`);
    return 0;
  }
  const command = commands.filter((c) => c.path.every((w, i) => words[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
  if (!command) {
    const prefixMatches = commands.filter((c) => words.length > 0 && words.every((w, i) => c.path[i] === w));
    if (prefixMatches.length > 0) {
      ctx.stdout(groupHelp(words, commands));
      return wantsHelp ? 0 : 2;
    }
    if (words.length === 0) {
      ctx.stdout(topHelp(commands));
      return wantsHelp ? 0 : 2;
    }
    ctx.stderr(`error: ${unknownCommand(words, commands)}\nrun: atmos-action help\n`);
    return 2;
  }
  if (wantsHelp) {
    ctx.stdout(`${command.help}\n\n${GLOBAL_HELP}\n`);
    return 0;
  }
  const debug = ctx.debug || argv.includes('--debug');
  try {
    const args = parseCommandArgs(command, argv);
    const chdir = stringFlag(args.values.chdir);
    const cwd = chdir ? path.resolve(ctx.cwd, chdir) : ctx.cwd;
    if (chdir && !isDirectory(cwd)) throw new UsageError(`-C/--chdir ${chdir}: ${fs.existsSync(cwd) ? 'is not a directory' : 'no such directory'} (${cwd})`);
    return await command.run(args, { ...ctx, cwd, debug });
  } catch (e) {
    if (isAtmosError(e)) {
      ctx.stderr(`error: ${e.describe(ctx.cwd)}\n`);
      if (debug && e.stack) ctx.stderr(`${e.stack}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    const err = e as Error;
    ctx.stderr(`error: ${err?.message ?? String(e)}\n`);
    if (debug && err?.stack) ctx.stderr(`${err.stack}\n`);
    else ctx.stderr('(run with --debug for details)\n');
    return 1;
  }
}

/** `unknown command "x"`, with the closest commands: full paths for a near miss, else the first words. */
function unknownCommand(words: string[], commands: Command[]): string {
  const typed = words.join(' ');
  const paths = commands.map((c) => c.path.join(' '));
  const known = commands.filter((c) => c.path.length > 1 && c.path[0] === words[0]);
  const hint = known.length
    ? didYouMean(
        typed,
        known.map((c) => c.path.join(' ')),
      )
    : didYouMean(words[0], [...new Set(commands.map((c) => c.path[0]))]) || didYouMean(typed, paths);
  return `unknown command "${typed}"${hint}`;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
