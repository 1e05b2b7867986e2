/**
 * Runs the bundled action (dist/action/index.js) as the runner does: a child process with INPUT_*
 * and GITHUB_* variables, a pull_request event file and real files for GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and GITHUB_STATE. Asynchronous, so loopback fakes in this process can answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, distEntry, tempDir } from './fs.js';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Reads a GITHUB_OUTPUT file written by @actions/core (name<<delimiter\nvalue\ndelimiter). */
export function readOutputs(file: string): Record<string, string> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[3]!;
  return out;
}

export interface ActionStepOptions {
  workspace: string;
  env?: Record<string, string>;
  pullRequest?: number;
}

/**
 * The environment the runner gives one step of the action (INPUT_* from `inputs`, GITHUB_*,
 * RUNNER_TEMP) with fresh files for its outputs, summary and state; `outputFile` and `summaryFile`
 * are read after the step.
 */
export function actionStep(inputs: Record<string, string>, o: ActionStepOptions): { env: Record<string, string>; outputFile: string; summaryFile: string } {
  const dir = tempDir('atmos-action-step-');
  const files = Object.fromEntries(['output', 'summary', 'state', 'env', 'path'].map((f) => [f, path.join(dir, f)]));
  for (const f of Object.values(files)) fs.writeFileSync(f, '');
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(
    event,
    JSON.stringify(
      o.pullRequest ? { action: 'synchronize', number: o.pullRequest, pull_request: { number: o.pullRequest, head: { sha: 'f'.repeat(40) } } } : {},
    ),
  );
  const env: Record<string, string> = cleanEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_OUTPUT: files.output!,
    GITHUB_STEP_SUMMARY: files.summary!,
    GITHUB_STATE: files.state!,
    GITHUB_ENV: files.env!,
    GITHUB_PATH: files.path!,
    GITHUB_EVENT_PATH: event,
    GITHUB_EVENT_NAME: o.pullRequest ? 'pull_request' : 'push',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SHA: '1234567890abcdef1234567890abcdef12345678',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
    CHECKPOINT_DISABLE: '1',
    ...o.env,
  });
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return { env, outputFile: files.output!, summaryFile: files.summary! };
}

/** Runs the bundle (or `entry`, another copy of it) as one step of a job. */
export function runAction(
  inputs: Record<string, string>,
  o: ActionStepOptions & { entry?: string; onSpawn?: (child: ChildProcess) => void },
): Promise<ActionRun> {
  const { env, outputFile, summaryFile } = actionStep(inputs, o);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [o.entry ?? distEntry('action')], { cwd: o.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    o.onSpawn?.(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, outputs: readOutputs(outputFile), summary: fs.readFileSync(summaryFile, 'utf8') }));
  });
}
