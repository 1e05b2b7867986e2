import { jest } from '@jest/globals';

/**
 * Captures what is written to process.stdout (e.g. the `::warning::` workflow commands
 * @actions/core prints) into the returned array instead of the test log, until
 * `jest.restoreAllMocks()`.
 */
export function captureStdout(): string[] {
  const out: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  return out;
}
