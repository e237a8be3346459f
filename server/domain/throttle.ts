/**
 * Rate limits on what one user may repeat — chat messages, booking and cancelling appointments.
 * Each (purpose, subject) has one counter document with a deterministic id, holding a fixed window
 * per limit (e.g. a minute and a day, each starting at its first request); it is read and written in
 * one transaction, so every instance sees the same counts and concurrent requests are counted one
 * after another. A request past any limit is refused with RATE_LIMITED — saying when to retry, also
 * as details.retryAfterMs and details.retryAt — and is not counted.
 */
import type { Collections } from './collections';
import type { DomainDeps } from './deps';
import { AppError } from './errors';
import type { DocumentOps } from './ports/store';
import { formatDurationZh } from './time';

export interface RateLimit {
  windowMs: number;
  /** Requests allowed in one window. */
  max: number;
}

/** Doc id `<purpose>_<subject>`. */
export interface RateCounterDoc {
  id: string;
  /** By window length (ms, as text): when the current window started and what it has counted. */
  windows: Record<string, { startedAt: number; count: number }>;
  updatedAt: number;
}

export type RatePurpose =
  | 'assistantSend'
  | 'appointmentChange'
  /** The bank's card check at binding, per user, ID number and card (cards/bank-check.ts). */
  | 'cardCheck'
  /** Refusals of it whose reason is told. */
  | 'cardCheckReason'
  /** Transfers the bank returned as 户名不符, per payer and per payee card (ledger/name-guard.ts). */
  | 'payeeNameMismatch';

export function rateCounterId(purpose: RatePurpose, subject: string): string {
  return `${purpose}_${subject}`;
}

/**
 * Inside a transaction: counts one request and returns null — or, past a limit, counts nothing
 * and returns when the fullest window reopens. With `enforce: false` the request is counted even
 * past a limit (something that must never be refused, but still uses up the allowance).
 */
export async function countRequest(
  tx: DocumentOps<Collections>,
  purpose: RatePurpose,
  subject: string,
  limits: readonly RateLimit[],
  now: number,
  options: { enforce: boolean } = { enforce: true },
): Promise<number | null> {
  const id = rateCounterId(purpose, subject);
  const doc = await tx.get('rateCounters', id);
  const windows = limits.map((limit) => {
    const current = doc?.windows[String(limit.windowMs)];
    return current && now - current.startedAt < limit.windowMs ? current : { startedAt: now, count: 0 };
  });
  const reopens = limits.flatMap((limit, index) =>
    windows[index]!.count >= limit.max ? [windows[index]!.startedAt + limit.windowMs] : [],
  );
  if (options.enforce && reopens.length > 0) return Math.max(...reopens);
  await tx.set('rateCounters', {
    id,
    windows: Object.fromEntries(
      limits.map((limit, index) => [
        String(limit.windowMs),
        { startedAt: windows[index]!.startedAt, count: windows[index]!.count + 1 },
      ]),
    ),
    updatedAt: now,
  });
  return null;
}

/**
 * When a limit of (purpose, subject) that is reached now reopens, or null: read only, nothing is
 * counted — for a limit checked before an action and counted by a later event (ledger/name-guard.ts).
 */
export async function limitReachedUntil(
  ops: DocumentOps<Collections>,
  purpose: RatePurpose,
  subject: string,
  limits: readonly RateLimit[],
  now: number,
): Promise<number | null> {
  const doc = await ops.get('rateCounters', rateCounterId(purpose, subject));
  const reopens = limits.flatMap((limit) => {
    const current = doc?.windows[String(limit.windowMs)];
    const open = current && now - current.startedAt < limit.windowMs;
    return open && current.count >= limit.max ? [current.startedAt + limit.windowMs] : [];
  });
  return reopens.length > 0 ? Math.max(...reopens) : null;
}

/** The RATE_LIMITED answer: `refusal(wait)` is its message, `wait` e.g. `5分钟` or `23小时59分钟`. */
export function rateLimited(retryAt: number, now: number, refusal: (wait: string) => string): AppError {
  const retryAfterMs = retryAt - now;
  return new AppError('RATE_LIMITED', refusal(formatDurationZh(retryAfterMs)), { retryAfterMs, retryAt });
}

/** Counts one request of `subject` (a user id) for `purpose` in a transaction of its own, or throws RATE_LIMITED. */
export async function takeRate(
  deps: Pick<DomainDeps, 'store' | 'clock' | 'log'>,
  purpose: RatePurpose,
  subject: string,
  limits: readonly RateLimit[],
  refusal: (wait: string) => string,
): Promise<void> {
  const now = deps.clock.now();
  const retryAt = await deps.store.transaction((tx) => countRequest(tx, purpose, subject, limits, now));
  if (retryAt === null) return;
  deps.log.warn('throttle.refused', { purpose });
  throw rateLimited(retryAt, now, refusal);
}
