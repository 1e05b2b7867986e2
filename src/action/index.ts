/** Action adapter: the only module that talks to the runner (runner-commands.ts) and reads process.env for the action. */
import * as core from './runner-commands.js';
import { readEnvSettings } from '../app/env-settings.js';
import { systemClock } from '../ports/clock.js';
import type { Log } from '../ports/log.js';
import { nodeCloud } from '../ports/node-cloud.js';
import { nodeExec } from '../ports/node-exec.js';
import { nodeExecSync } from '../ports/node-exec-sync.js';
import { nodeGitHub } from '../ports/node-github.js';
import { cancelOnSignals } from '../ports/node-signals.js';
import { actionsCacheStore } from '../ports/actions-cache.js';
import fs from 'node:fs';
import os from 'node:os';
import { ConfigurationErrors, displayPath, isAtmosError } from '../util/errors.js';
import { childEnvironment } from '../util/child-env.js';
import { logSafe } from '../util/log-safe.js';
import { secretRegistry } from '../util/secrets.js';
import { parseInputs, type ActionInputs } from './inputs.js';
import type { GitHubContext } from './legs.js';
import { failureSummary } from '../report/action-summary.js';
import { run } from './run.js';
import { repositoryRoot } from './workspace-path.js';

const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
/** Annotation paths are relative to this: the repository root once the inputs are read (workspace-path.ts). */
let annotationRoot = workspace;
/** Masked in the log as they are registered, and scrubbed from every output, summary, annotation and comment. */
const secrets = secretRegistry((v) => core.setSecret(v));
/** What we print: no secret, no workflow command, no forged line. */
const safe = (m: string) => logSafe(secrets.scrub(m));

/** One annotation per error: on the file (repository-relative, so it lands in the PR) when the error names one. */
function annotate(e: unknown, debug: boolean): void {
  if (e instanceof ConfigurationErrors) {
    for (const one of e.errors) annotate(one, debug);
    return;
  }
  if (isAtmosError(e)) {
    core.error(safe(e.describe(annotationRoot)), e.file ? { file: displayPath(e.file, annotationRoot), startLine: e.line } : {});
  } else {
    core.error(safe((e as Error)?.message ?? String(e)));
  }
  const stack = (e as Error)?.stack;
  if (stack) (debug ? core.info : core.debug)(safe(stack));
}

function log(debug: boolean): Log {
  // core.info prints as is (the others escape line breaks); logSafe keeps any level from becoming a
  // workflow command or forging a line (util/log-safe.ts).
  return {
    // The debug input shows debug messages without the runner's step-debug setting.
    debug: (m) => (debug ? core.info(safe(m)) : core.debug(safe(m))),
    info: (m) => core.info(safe(m)),
    warn: (m, where) => core.warning(safe(m), where ? { file: displayPath(where.file, annotationRoot), startLine: where.line } : {}),
    error: (m) => core.error(safe(m)),
  };
}

/** The pull request of the triggering event (pull_request, pull_request_target, issue_comment on a PR): number, head and base commits. */
function eventPullRequest(): { number?: number; headSha?: string; baseSha?: string } {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return {};
  try {
    const event = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { sha?: unknown } };
      issue?: { number?: unknown; pull_request?: unknown };
    };
    const n = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
    const sha = event.pull_request?.head?.sha;
    const base = event.pull_request?.base?.sha;
    return {
      number: typeof n === 'number' ? n : undefined,
      headSha: typeof sha === 'string' ? sha : undefined,
      baseSha: typeof base === 'string' ? base : undefined,
    };
  } catch {
    return {};
  }
}

function githubContext(): GitHubContext {
  const e = process.env;
  const pr = eventPullRequest();
  return {
    repository: e.GITHUB_REPOSITORY || undefined,
    sha: e.GITHUB_SHA || undefined,
    pullRequest: pr.number,
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    runUrl:
      e.GITHUB_REPOSITORY && e.GITHUB_RUN_ID
        ? `${e.GITHUB_SERVER_URL || 'https://github.com'}/${e.GITHUB_REPOSITORY}/actions/runs/${e.GITHUB_RUN_ID}`
        : undefined,
    runnerTemp: e.RUNNER_TEMP || os.tmpdir(),
  };
}

async function main(): Promise<void> {
  let inputs: ActionInputs | undefined;
  // A cancelled job: the runner sends SIGINT (then SIGTERM). terraform runs in its own process group,
  // so it hears of it only through us: forward it, so it stops gracefully and releases state locks.
  const cancel = cancelOnSignals(log(false));
  try {
    // Masked before anything could print them.
    for (const secret of ['encryption-key', 'github-token']) secrets.add(core.getInput(secret));
    inputs = parseInputs((name) => core.getInput(name));
    annotationRoot = repositoryRoot(workspace, inputs.workingDirectory);
    const debug = inputs.debug;
    const envSettings = readEnvSettings(process.env);
    secrets.add(envSettings.githubToken);
    const child = childEnvironment(process.env);
    if (child.withheld.length) log(debug).debug(`not passed to terraform, !exec and templates: ${child.withheld.join(', ')}`);
    const ok = await run(inputs, {
      workspace,
      env: child.env,
      envSettings,
      secrets,
      log: log(debug),
      clock: systemClock,
      exec: nodeExec,
      execSync: nodeExecSync,
      cloud: nodeCloud(),
      setOutput: (name, value) => core.setOutput(name, secrets.scrub(value)),
      summary: (md) => {
        if (process.env.GITHUB_STEP_SUMMARY) core.summary.addRaw(secrets.scrub(md), true);
      },
      annotate: (e) => annotate(e, debug),
      github: githubContext(),
      githubApi: (token) => nodeGitHub({ apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com', token }),
      group: (title, fn) => core.group(safe(title), fn),
      cache: actionsCacheStore(),
      cancellation: cancel,
    });
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.write();
    const sig = cancel.received();
    if (sig) core.error(`cancelled by ${sig}: running terraform was stopped, nothing new was started`);
    if (!ok || sig) process.exitCode = core.ExitCode.Failure;
  } catch (e) {
    annotate(e, inputs?.debug ?? false);
    process.exitCode = core.ExitCode.Failure;
    // A failed run still leaves a job summary saying why.
    if (process.env.GITHUB_STEP_SUMMARY) {
      const text = isAtmosError(e) ? e.describe(annotationRoot) : ((e as Error)?.message ?? String(e));
      // Inputs that did not parse have no command to name: the step failed on them.
      await core.summary.addRaw(failureSummary(inputs ? inputs.command : 'input validation', safe(text)), true).write();
    }
  } finally {
    cancel.dispose();
  }
}

await main();
