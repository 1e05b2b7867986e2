/**
 * YAML functions evaluated after the component-section template pass (docs/atmos-compatibility.md
 * §11.5): `!env`, `!exec`, `!template`, `!repo-root`/`!git.root`, `!unset`, `!version`; the output
 * readers `!terraform.output` / `!terraform.state` and the store readers `!store`, `!store.get`,
 * `!secret` (store.ts, secret.ts), which resolution never runs: each becomes a DeferredValue, read
 * when the instance runs (an output read is also a dependency of the reading instance).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AtmosError } from '../../util/errors.js';
import { DeferredValue } from '../deferred.js';
import { REMOVE } from '../section-templates.js';
import type { Plain } from '../../util/merge.js';
import { parseOutputReference, splitTag, tokenize, type OutputReference } from './args.js';
import { secretFunction } from './secret.js';
import { storeFunction } from './store.js';

import type { ExecSync } from '../../ports/exec.js';

export interface FunctionPorts {
  env: (name: string) => string | undefined;
  /** The directory a command runs from (`!exec`, `!repo-root`). */
  cwd: string;
  execSync?: ExecSync;
  /** The environment `!exec` programs get (the process environment, as in Atmos). */
  processEnv?: Record<string, string | undefined>;
  /** `!exec` results of this run by command text: each command runs once per run, not once per instance. */
  execResults?: Map<string, unknown>;
}

export interface FunctionContext {
  stack: string;
  component: string;
  /** Where the function is written, for errors, when it belongs to no component (a file's locals). */
  where?: string;
  /** The component's merged `env` section, which `!env` reads before the process environment. */
  componentEnv: Readonly<Record<string, unknown>>;
  /** The component's merged `secrets:` section (`!secret` declarations), merged when first asked. */
  secrets?: () => Readonly<Plain> | undefined;
  ports: FunctionPorts;
  /** `!version NAME`: the version locked in the stack's track (versions.ts); absent where no stack is known. */
  version?: (name: string) => string;
  /** Functions atmos-action does not evaluate (left as text, recorded for the unsupported list). */
  unsupported: { path: string; value: string }[];
}

const UNSUPPORTED = /^(aws\..+|git\..+|emulator|tags|labels(\..+)?|sops|vault)$/;
/** Atmos leaves these as strings in stacks (they work in atmos.yaml only). */
const LEFT_AS_TEXT = new Set(['cwd', 'random', 'cel', 'include', 'include.raw', 'literal', 'append']);

/** The value of one string at `at`; undefined keeps it as it is, REMOVE deletes it (`!unset`). */
export function evaluateFunction(s: string, at: string, ctx: FunctionContext): unknown {
  if (s[0] !== '!') return undefined;
  const tagged = splitTag(s);
  if (!tagged) return undefined;
  const [tag, args] = tagged;
  const fail = (msg: string): never => {
    throw new AtmosError(`${ctx.where ?? `component ${ctx.component} in stack ${ctx.stack}`}: ${at}: !${tag}: ${msg}`);
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
      const command = args.trim();
      if (command === '') fail('needs a command');
      // Atmos runs the text through a shell (pipes, redirections, `&&` work): so do we, the manifest's
      // text as the one argument of `sh -c`, nothing of ours added to it (docs/security.md).
      if (ctx.ports.execResults?.has(command)) return ctx.ports.execResults.get(command);
      const r = ctx.ports.execSync!(['sh', '-c', command], { cwd: ctx.ports.cwd, env: ctx.ports.processEnv });
      if (r.code !== 0) fail(`\`${command}\` exited with ${r.code ?? 'a signal'}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      const out = r.stdout.replace(/\n+$/, '');
      let value: unknown = out;
      try {
        value = JSON.parse(out);
      } catch {
        // not JSON: the text
      }
      ctx.ports.execResults?.set(command, value);
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
    case 'version': {
      const [name] = tokenize(args);
      if (!name) fail('needs a dependency name: !version NAME');
      if (!ctx.version) fail('versions are read only in component sections');
      try {
        return ctx.version!(name);
      } catch (e) {
        return fail((e as Error).message);
      }
    }
    case 'store':
    case 'store.get':
      try {
        return storeFunction(tag, args, s, ctx.stack);
      } catch (e) {
        return fail((e as Error).message);
      }
    case 'secret':
      try {
        return secretFunction(args, s, ctx, ctx.secrets?.());
      } catch (e) {
        return fail((e as Error).message);
      }
    case 'terraform.output':
    case 'terraform.state': {
      let ref: OutputReference;
      try {
        ref = parseOutputReference(tag, args);
      } catch (e) {
        return fail((e as Error).message);
      }
      return new DeferredValue([{ kind: tag, component: ref.component, stack: ref.stack ?? ctx.stack, expression: ref.expression }]);
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
