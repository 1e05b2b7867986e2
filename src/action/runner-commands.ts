/**
 * The part of the runner's protocol for JavaScript actions that this action uses: inputs from
 * `INPUT_*` variables, workflow commands on stdout (`::error file=…::`, `::add-mask::`,
 * `::group::`), outputs and the job summary appended to the files the runner names
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`).
 *
 * Same names, formats and escaping as `@actions/core` 3, which it replaces in the action's entry
 * point: importing `@actions/core` loads its HTTP client (undici, tunnel, http2, tls) and
 * `@actions/exec` at every start, for an OIDC helper this action never calls; that was over half
 * of the start-up of a command like `matrix`. test/unit/runner-commands.test.ts checks every
 * function against `@actions/core` byte for byte. (`@actions/cache` still logs through its own
 * `@actions/core`, loaded with it only when the cache is used.)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { EOL } from 'node:os';

export enum ExitCode {
  Success = 0,
  Failure = 1,
}

/** Where an annotation points; the fields of `@actions/core`'s AnnotationProperties. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::command k=v,k=v::message` on stdout; properties without a value are left out. */
function issue(command: string, message: string, properties: Record<string, string | number | undefined> = {}): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

function annotationProperties(p: AnnotationProperties): Record<string, string | number | undefined> {
  return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
}

/** The input's value, trimmed; '' when the workflow did not set it. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}

/** Masks `secret` in every later line of the job log. */
export function setSecret(secret: string): void {
  issue('add-mask', secret);
}

/** Appends `name<<delimiter` / value / `delimiter` to GITHUB_OUTPUT (a random delimiter the value cannot contain). */
export function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT || '';
  if (!file) {
    process.stdout.write(EOL);
    issue('set-output', value, { name });
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  fs.appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function debug(message: string): void {
  issue('debug', message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issue('warning', message, annotationProperties(properties));
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issue('error', message, annotationProperties(properties));
}

/** Runs `fn` inside a collapsible group of the log. */
export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', name);
  try {
    return await fn();
  } finally {
    issue('endgroup', '');
  }
}

/** The job summary: text is buffered by addRaw and appended to GITHUB_STEP_SUMMARY by write. */
class Summary {
  private buffer = '';

  addRaw(text: string, addEOL = false): this {
    this.buffer += text + (addEOL ? EOL : '');
    return this;
  }

  async write(): Promise<this> {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    try {
      await fs.promises.access(file, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await fs.promises.appendFile(file, this.buffer, { encoding: 'utf8' });
    this.buffer = '';
    return this;
  }
}

export const summary = new Summary();
