/** Production implementations of the Clock, Ids and Logger ports. */
import { randomBytes } from 'node:crypto';
import type { Clock, Ids, LogFields, Logger } from '../domain/ports/system';

export const systemClock: Clock = { now: () => Date.now() };

/** Lexically time-ordered ids: `<prefix>_<ms since epoch, base36, 9 chars><16 random hex>`. */
export const randomIds: Ids = {
  next(prefix: string): string {
    return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
  },
};

/**
 * A safety net, not the policy: callers never log sensitive values, but any run of 11+ digits
 * (phone, card or ID number) that slips into a log line is masked before it is written.
 */
export function redact(text: string): string {
  return text.replace(/\d{11,}[\dXx]?/g, (digits) => `${digits.slice(0, 3)}****${digits.slice(-2)}`);
}

export function formatLogLine(level: string, event: string, fields: LogFields = {}): string {
  return redact(JSON.stringify({ t: new Date().toISOString(), level, event, ...fields }));
}

/** JSON lines on stdout/stderr, which is what CloudBase's log collector reads. */
export const consoleLogger: Logger = {
  info: (event, fields) => process.stdout.write(`${formatLogLine('info', event, fields)}\n`),
  warn: (event, fields) => process.stderr.write(`${formatLogLine('warn', event, fields)}\n`),
  error: (event, fields) => process.stderr.write(`${formatLogLine('error', event, fields)}\n`),
};

/** Keeps lines in memory (tests read them to prove nothing sensitive is logged). */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info(event: string, fields?: LogFields): void {
    this.lines.push(formatLogLine('info', event, fields));
  }
  warn(event: string, fields?: LogFields): void {
    this.lines.push(formatLogLine('warn', event, fields));
  }
  error(event: string, fields?: LogFields): void {
    this.lines.push(formatLogLine('error', event, fields));
  }
}
