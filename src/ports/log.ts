/** Logging port: the core logs through this; adapters map it to @actions/core or stderr. */
export interface Log {
  debug(message: string): void;
  info(message: string): void;
  /** `where`: the file (absolute) and line the warning is about, when known; the action annotates them. */
  warn(message: string, where?: Place): void;
  error(message: string): void;
}

/** Where a warning points: an absolute file path and, when known, the 1-based line. */
export interface Place {
  file: string;
  line?: number;
}

/** A warning and the place it is about, for the log (`log.warn(w.message, w.where)`). */
export interface Warning {
  message: string;
  where?: Place;
}

/** A log that drops everything (tests, benchmarks). */
export const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

/** A log that records lines, for tests that assert on what the user is told. */
export function memoryLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

/** `log` with every registered secret taken out of each message (terraform's streamed lines included). */
export function maskedLog(log: Log, secrets: { scrub(text: string): string }): Log {
  return {
    debug: (m) => log.debug(secrets.scrub(m)),
    info: (m) => log.info(secrets.scrub(m)),
    warn: (m, where) => log.warn(secrets.scrub(m), where && { ...where, file: secrets.scrub(where.file) }),
    error: (m) => log.error(secrets.scrub(m)),
  };
}

/** Every line of `log` starting with `prefix` (one instance's lines when several share a stream). */
export function prefixedLog(log: Log, prefix: string): Log {
  return {
    debug: (m) => log.debug(prefix + m),
    info: (m) => log.info(prefix + m),
    warn: (m, where) => log.warn(prefix + m, where),
    error: (m) => log.error(prefix + m),
  };
}
