/**
 * Ctrl-C / SIGTERM (a cancelled CI job) during a run: the first signal aborts `signal` (running
 * terraform gets SIGTERM on its process group, so it releases its state lock; nothing new starts),
 * the second aborts `forceSignal` (SIGKILL). The command still prints its table and exits non-zero.
 */
import type { Log } from './log.js';

export interface Cancellation {
  signal: AbortSignal;
  forceSignal: AbortSignal;
  /** The first signal received, if any. */
  received(): NodeJS.Signals | undefined;
  dispose(): void;
}

/** Conventional exit codes: 128 + the signal number. */
export const SIGNAL_EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function cancelOnSignals(log: Log): Cancellation {
  const graceful = new AbortController();
  const force = new AbortController();
  let first: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals) => {
    if (!first) {
      first = sig;
      log.warn(`${sig} received: stopping running terraform gracefully (it releases its state locks), starting nothing new; send it again to kill`);
      graceful.abort();
    } else if (!force.signal.aborted) {
      log.warn(`${sig} received again: killing running terraform`);
      force.abort();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: graceful.signal,
    forceSignal: force.signal,
    received: () => first,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
