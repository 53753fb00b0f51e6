// The one place where Chorus prints logs: one line per record on stderr, secrets redacted.
import type { LogRecord } from '../core/logger.js';
import type { SecretRedactor } from '../core/secret.js';

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

export function formatRecord(record: LogRecord, at: Date = new Date()): string {
  const fields = Object.entries(record.fields)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  return `${at.toISOString()} ${record.level.toUpperCase().padEnd(5)} ${record.message}${fields ? ` ${fields}` : ''}`;
}

export function stderrSink(redactor: SecretRedactor): (record: LogRecord) => void {
  return (record) => {
    process.stderr.write(`${redactor.redact(formatRecord(record))}\n`);
  };
}
