/**
 * The envelope every cloud function returns, shared by the functions and the mini program.
 * `code` is a stable identifier clients branch on; `message` is Chinese text fit to show the user.
 */
import type { ErrorCode } from './errors';

export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Machine-readable extras for codes that need them (e.g. remaining lock time). */
  details?: Record<string, string | number | boolean>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: ApiError };
