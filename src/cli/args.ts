import { parseArgs } from 'node:util';
import { parseOneInstance, parseSelection, type Selection } from '../graph/select.js';
import type { InstanceId } from '../stacks/identity.js';
import { BOOLEAN_WORDS, parseBoolean } from '../util/boolean.js';
import { AtmosError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import type { Command, OptionsConfig, ParsedCommandArgs } from './types.js';

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: OptionsConfig = {
  chdir: { type: 'string', short: 'C' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

export const GLOBAL_HELP = `Global flags:
  -C, --chdir DIR   run as if started in DIR (where atmos.yaml is looked up)
      --debug       print stack traces for errors
  -h, --help        show help (also: atmos-action help [command])
      --version     print the version`;

export class UsageError extends AtmosError {}

/** Leading words of argv (skipping global flags and their values): the command path candidates. */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-C' || a === '--chdir') {
      i++;
      continue;
    }
    if (a.startsWith('-')) {
      if (a === '--debug' || a === '-h' || a === '--help' || a === '--version' || a.startsWith('--chdir=') || /^-C./.test(a)) continue;
      break;
    }
    words.push(a);
  }
  return words;
}

/** Parses argv for one command: its path words are removed, its own and the global flags are typed. */
export function parseCommandArgs(command: Command, argv: readonly string[]): ParsedCommandArgs {
  const rest = [...argv];
  for (const w of command.path) {
    const at = rest.indexOf(w);
    if (at >= 0) rest.splice(at, 1);
  }
  const options = { ...GLOBAL_OPTIONS, ...command.options };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${flagProblem(e as Error & { code?: string }, options)}\nrun: atmos-action ${command.path.join(' ')} --help`);
  }
  const positionals = parsed.positionals;
  if (command.maxPositionals !== undefined && positionals.length > command.maxPositionals) {
    const extra = positionals[command.maxPositionals];
    throw new UsageError(
      `unexpected argument "${extra}": atmos-action ${command.path.join(' ')} takes ${command.maxPositionals === 0 ? 'no arguments, only flags' : `at most ${command.maxPositionals}`}\nrun: atmos-action ${command.path.join(' ')} --help`,
    );
  }
  return { values: parsed.values as ParsedCommandArgs['values'], positionals };
}

/** node:util's parse errors, said in our words: which flag, what is wrong, the closest real flag. */
function flagProblem(e: Error & { code?: string }, options: OptionsConfig): string {
  const flags = Object.entries(options).flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]);
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = quoted.split('=')[0];
    return `unknown flag ${flag}${didYouMean(flag, flags)}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[\w-]+/.exec(e.message)?.[0] ?? quoted;
    return /argument missing/.test(e.message) ? `${flag} needs a value` : `${flag} does not take a value`;
  }
  return e.message;
}
/** A flag that may be given several times and/or comma-separated: `--stacks a,b --stacks c`. */
export function listFlag(v: string | boolean | string[] | undefined): string[] {
  if (v === undefined || typeof v === 'boolean') return [];
  const list = Array.isArray(v) ? v : [v];
  return list
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function stringFlag(v: string | boolean | string[] | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v[v.length - 1];
  return undefined;
}

/** A flag that takes a yes/no value (`--include-abstract yes`, `--process-templates=false`): the one boolean vocabulary. */
export function booleanFlag(v: string | boolean | string[] | undefined, name: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  const s = stringFlag(v) ?? '';
  const value = parseBoolean(s);
  if (value === undefined) throw new UsageError(`--${name} takes ${BOOLEAN_WORDS}, not ${JSON.stringify(s)}`);
  return value;
}

/**
 * `--format`, one vocabulary for every command: `json` everywhere, `yaml` where the output is a
 * document, `table` and `text` for human output (each accepted where the other is the default).
 */
export function formatFlag<T extends string>(v: string | boolean | string[] | undefined, allowed: readonly T[], fallback: T): T {
  let s = (stringFlag(v) ?? fallback).toLowerCase();
  if (s === 'table' && !allowed.includes('table' as T) && allowed.includes('text' as T)) s = 'text';
  if (s === 'text' && !allowed.includes('text' as T) && allowed.includes('table' as T)) s = 'table';
  if (s === 'yml') s = 'yaml';
  if (!(allowed as readonly string[]).includes(s)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, not ${JSON.stringify(stringFlag(v))}`);
  return s as T;
}

export function positiveInt(v: string | boolean | string[] | undefined, name: string, fallback: number): number {
  const s = stringFlag(v);
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, not ${JSON.stringify(s)}`);
  return n;
}

const usageError = (message: string) => new UsageError(message);

/** The positional component, refusing any further argument. */
function componentArg(args: ParsedCommandArgs): string | undefined {
  const [component, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  return component;
}

/**
 * `<component> -s STACK`: the one instance a command names. `usage` completes the error when the
 * component is missing (`workdir show <component> -s <stack>`).
 */
export function oneInstance(args: ParsedCommandArgs, usage: string): InstanceId {
  return parseOneInstance(
    { component: componentArg(args), stack: stringFlag(args.values.stack) },
    { noStack: 'missing -s/--stack', noComponent: `expected a component: ${usage}`, error: usageError },
  );
}

/**
 * `<component> -s STACK`, or `--all` / `--stacks GLOBS` / `--components GLOBS` (any glob implies
 * --all): what plan, apply, destroy and workdir provision run on, parsed by the one selection parser.
 */
export function selectionFlags(args: ParsedCommandArgs, usage: string): Selection {
  return parseSelection(
    {
      component: componentArg(args),
      stack: stringFlag(args.values.stack),
      all: args.values.all === true,
      stacks: listFlag(args.values.stacks),
      components: listFlag(args.values.components),
    },
    {
      emptyMeansAll: false,
      mixed: '--all/--stacks/--components select instances; they cannot be combined with a component or -s',
      noStack: 'missing -s/--stack',
      noComponent: `expected a component: ${usage}`,
      error: usageError,
    },
  );
}
