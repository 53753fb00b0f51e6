// The logging seam: modules receive a Logger and never print themselves.
// The one real sink lives at the composition root (scripts/); tests use a memory logger.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** Builds a Logger from a function that receives every record at or above `minLevel`. */
export function createLogger(write: (record: LogRecord) => void, minLevel: LogLevel = 'info'): Logger {
  const threshold = LEVELS[minLevel];
  const make = (bound: LogFields): Logger => {
    const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
      if (LEVELS[level] >= threshold) write({ level, message, fields: { ...bound, ...fields } });
    };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      child: (more) => make({ ...bound, ...more }),
    };
  };
  return make({});
}

/** Discards everything. */
export const silentLogger: Logger = createLogger(() => undefined, 'error');

/** Keeps records in memory, for tests. */
export function memoryLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return Object.assign(
    createLogger((r) => records.push(r), 'debug'),
    { records },
  );
}
