/**
 * src/action/runner-commands.ts speaks the runner's protocol in place of @actions/core (which the
 * action no longer loads at start): for the same calls it must write exactly what @actions/core
 * writes, to stdout and to the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, or the runner would
 * read outputs, masks and annotations differently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import * as core from '@actions/core';
import * as ours from '../../src/action/runner-commands.js';
import { captureStdout } from '../helpers/stdout.js';
import { tempDir } from '../helpers/fs.js';

type Toolkit = typeof ours;

/** Awkward values: workflow-command syntax, escapes, line breaks of both kinds, non-ASCII, empty. */
const TEXTS = ['plain', '', 'a%b%25c', 'line one\nline two\r\nthree\r', '::error::forged', 'x::y, z: w', 'ünïcödé ✓ 🚀', '  padded  '];

/** Runs `calls` with a toolkit and returns stdout plus the two files, with the random output delimiters numbered. */
async function transcript(toolkit: Toolkit, calls: (t: Toolkit) => Promise<void> | void): Promise<{ stdout: string; output: string; summary: string }> {
  const dir = tempDir('atmos-action-runner-');
  const output = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const saved = { GITHUB_OUTPUT: process.env.GITHUB_OUTPUT, GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY };
  Object.assign(process.env, { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary });
  const out = captureStdout();
  try {
    await calls(toolkit);
  } finally {
    jest.restoreAllMocks();
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
  const delimiters = new Map<string, string>();
  const numbered = (s: string) =>
    s.replace(/ghadelimiter_[0-9a-f-]{36}/g, (d) => delimiters.get(d) ?? (delimiters.set(d, `DELIMITER_${delimiters.size}`), delimiters.get(d)!));
  return { stdout: out.join(''), output: numbered(fs.readFileSync(output, 'utf8')), summary: fs.readFileSync(summary, 'utf8') };
}

const both = async (calls: (t: Toolkit) => Promise<void> | void) => {
  const theirs = await transcript(core as unknown as Toolkit, calls);
  const mine = await transcript(ours, calls);
  expect(mine).toEqual(theirs);
  return mine;
};

describe('runner commands, against @actions/core', () => {
  it('logs, masks and annotations, with and without a file and line', async () => {
    const r = await both((t) => {
      for (const text of TEXTS) {
        t.info(text);
        t.debug(text);
        t.setSecret(text);
        t.warning(text);
        t.error(text);
        t.error(text, { file: `stacks/${text}.yaml`, startLine: 12 });
        t.warning(text, { file: 'a,b:c.yaml' });
        t.error(text, { title: text, file: 'f.yaml', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 });
        t.error(text, { file: 'f.yaml', startLine: undefined });
      }
    });
    expect(r.stdout).toContain('::warning file=a%2Cb%3Ac.yaml::');
  });

  it('outputs, groups and the job summary', async () => {
    const r = await both(async (t) => {
      for (const [i, text] of TEXTS.entries()) t.setOutput(`out-${i}`, text);
      t.setOutput('json', JSON.stringify({ include: [{ stack: 'dev' }] }));
      expect(await t.group('plan dev / vpc: changes', async () => (t.info('inside'), 42))).toBe(42);
      await expect(
        t.group('failing', async () => {
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await t.summary.addRaw('### title', true).addRaw('| a | b |').write();
      await t.summary.addRaw('more\n', false).write();
    });
    expect(r.output).toContain('json<<DELIMITER_');
    expect(r.summary).toMatch(/^### title\n\| a \| b \|more\n$/);
  });

  it('inputs: the INPUT_ variable of the name (spaces as underscores, upper case), trimmed', async () => {
    const env = { INPUT_COMMAND: '  matrix \n', 'INPUT_WORKING-DIRECTORY': 'examples', INPUT_MY_INPUT: 'x' };
    Object.assign(process.env, env);
    try {
      for (const name of ['command', 'working-directory', 'my input', 'missing']) expect(ours.getInput(name)).toBe(core.getInput(name));
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
    expect(ours.ExitCode.Failure).toBe(core.ExitCode.Failure);
  });

  it("a job summary that cannot be written is an error with @actions/core's message", async () => {
    // @actions/core remembers the first summary file it used, so its own errors cannot be replayed here.
    const saved = process.env.GITHUB_STEP_SUMMARY;
    try {
      delete process.env.GITHUB_STEP_SUMMARY;
      await expect(ours.summary.write()).rejects.toThrow(
        'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
      );
      process.env.GITHUB_STEP_SUMMARY = path.join(tempDir(), 'missing', 'summary');
      await expect(ours.summary.write()).rejects.toThrow(
        /^Unable to access summary file: '.*summary'\. Check if the file has correct read\/write permissions\.$/,
      );
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = saved;
    }
  });
});
