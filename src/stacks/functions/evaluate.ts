/**
 * YAML functions evaluated after the component-section template pass (docs/atmos-compatibility.md
 * §11.5): `!env`, `!exec`, `!template`, `!repo-root`/`!git.root`, `!unset`, `!store`, `!store.get`
 * and `!secret` (store.ts, secret.ts: read when the instance runs), and the
 * output readers `!terraform.output` / `!terraform.state`, which describe/matrix/list never run:
 * they become an unresolved reference and a dependency of the reading instance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../../util/errors.js';
import { REMOVE } from '../section-templates.js';
import { parseOutputReference, splitTag, tokenize, type OutputReference } from './args.js';
import { evaluateSecret } from './secret.js';
import { evaluateStoreFunction } from './store.js';
import type { StoreValues } from './store-values.js';

import type { ExecSync } from '../../ports/exec.js';

export interface FunctionPorts {
  env: (name: string) => string | undefined;
  /** The directory a command runs from (`!exec`, `!repo-root`). */
  cwd: string;
  execSync?: ExecSync;
  /** The environment `!exec` programs get (the process environment, as in Atmos). */
  processEnv?: Record<string, string | undefined>;
  /** `!exec` results of this run by argv: each command runs once per run, not once per instance. */
  execResults?: Map<string, unknown>;
  /** Store and secret values of this run (absent: `!store` stays as written, `!secret` is masked). */
  values?: StoreValues;
}

export interface FunctionContext {
  stack: string;
  component: string;
  /** The component's merged `env` section, which `!env` reads before the process environment. */
  componentEnv: Readonly<Record<string, unknown>>;
  ports: FunctionPorts;
  /** Output references found, for the dependency edges. */
  references: (OutputReference & { path: string; raw: string })[];
  /** Functions atmos-action does not evaluate (left as text, recorded for the unsupported list). */
  unsupported: { path: string; value: string }[];
  /** Values that could not be read (a missing key, a denied call): they fail this instance only. */
  faults: { path: string; message: string }[];
  /** The component's merged `secrets:` section (`!secret` declarations). */
  secrets?: Readonly<Record<string, unknown>>;
}

const UNSUPPORTED = /^(aws\..+|git\..+|version|emulator|tags|labels(\..+)?|sops|vault)$/;
/** Atmos leaves these as strings in stacks (they work in atmos.yaml only). */
const LEFT_AS_TEXT = new Set(['cwd', 'random', 'cel', 'include', 'include.raw', 'literal', 'append']);

/** The text a describe shows for an output that is only known when the instance it belongs to has run. */
export function unresolvedReference(r: OutputReference, readerStack: string): string {
  return `!${r.fn} ${r.component} ${r.stack ?? readerStack} ${r.expression} (unresolved: read at run time)`;
}

/** The value of one string at `at`; undefined keeps it as it is, REMOVE deletes it (`!unset`). */
export function evaluateFunction(s: string, at: string, ctx: FunctionContext): unknown {
  if (s[0] !== '!') return undefined;
  const tagged = splitTag(s);
  if (!tagged) return undefined;
  const [tag, args] = tagged;
  const fail = (msg: string): never => {
    throw new AtmosError(`component ${ctx.component} in stack ${ctx.stack}: ${at}: !${tag}: ${msg}`);
  };
  switch (tag) {
    case 'env': {
      const [name, def] = tokenize(args);
      if (!name) fail('needs a variable name: !env NAME [default]');
      const own = ctx.componentEnv[name];
      if (own !== undefined && own !== null) return String(own);
      return ctx.ports.env(name) ?? def ?? '';
    }
    case 'exec': {
      if (!ctx.ports.execSync) fail('running programs is not available here');
      const argv = tokenize(args);
      if (argv.length === 0) fail('needs a command');
      if (argv.some((a) => /^(\||&&|;|>|<)$/.test(a))) {
        fail('atmos-action runs the command directly (argv, no shell): pipes, redirections and `;`/`&&` are not supported; wrap them in a script');
      }
      const key = JSON.stringify(argv);
      if (ctx.ports.execResults?.has(key)) return ctx.ports.execResults.get(key);
      const r = ctx.ports.execSync!(argv, { cwd: ctx.ports.cwd, env: ctx.ports.processEnv });
      if (r.code !== 0) fail(`${argv[0]} exited with ${r.code ?? 'a signal'}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      const out = r.stdout.replace(/\n+$/, '');
      let value: unknown = out;
      try {
        value = JSON.parse(out);
      } catch {
        // not JSON: the text
      }
      ctx.ports.execResults?.set(key, value);
      return value;
    }
    case 'template': {
      if (args === '') fail('needs a value');
      try {
        return JSON.parse(args);
      } catch {
        return args;
      }
    }
    case 'repo-root':
    case 'git.root': {
      const root = gitRoot(ctx.ports.cwd);
      if (root) return root;
      if (args) return tokenize(args)[0];
      return fail(`${ctx.ports.cwd} is not inside a git repository`);
    }
    case 'unset':
      return REMOVE;
    case 'store':
    case 'store.get':
      return evaluateStoreFunction(tag, args, s, at, ctx);
    case 'secret':
      return evaluateSecret(args, s, at, ctx);
    case 'terraform.output':
    case 'terraform.state': {
      let ref: OutputReference;
      try {
        ref = parseOutputReference(tag, args);
      } catch (e) {
        return fail((e as Error).message);
      }
      ctx.references.push({ ...ref, path: at, raw: s });
      return unresolvedReference(ref, ctx.stack);
    }
    default:
      if (UNSUPPORTED.test(tag)) ctx.unsupported.push({ path: at, value: s });
      else if (!LEFT_AS_TEXT.has(tag)) return undefined;
      return undefined;
  }
}

function gitRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
