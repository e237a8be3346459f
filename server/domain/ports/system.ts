/** Time and identifiers come through ports so tests can move time and adapters stay swappable. */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface Ids {
  /** A new unique id, time-ordered, with a readable prefix (e.g. `u_…`, `tx_…`). */
  next(prefix: string): string;
}

export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Structured log lines. Callers pass ids and codes, never card numbers, ID numbers, phones or passwords. */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}
