/**
 * Who may use the staff console: whoever presents the staff token (WXBANK_STAFF_TOKEN), compared
 * in constant time. Wrong tokens are counted in the store — per source address and in total, so
 * every instance sees the same counts — and past either limit every request is refused with
 * RATE_LIMITED until the window ends. A throttled request's token is not looked at: the answer is
 * the same whether it was right or not, so guessing gains nothing beyond the limits.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { StaffCredential } from '../../../typings/staff';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';

/** Wrong staff tokens counted in one window; doc id `src_<HMAC of the address>` or `all`. */
export interface StaffAccessCounterDoc {
  id: string;
  /** When the first wrong token of this window came; the window lasts `windowMs`. */
  windowStartedAt: number;
  failures: number;
  updatedAt: number;
}

/** Wide enough for a person's typos, far too narrow for guessing a 32+ character token. */
export const STAFF_ACCESS_LIMITS = {
  windowMs: 15 * 60 * 1000,
  failuresPerSource: 10,
  failuresInTotal: 100,
} as const;

const TOTAL_ID = 'all';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The address is kept only as an HMAC: the counters do not become a log of who called. */
function sourceId(deps: DomainDeps, sourceIp: string): string {
  return `src_${createHmac('sha256', deps.secrets.key('staff-access')).update(sourceIp).digest('hex').slice(0, 32)}`;
}

type Verdict = { kind: 'allowed' } | { kind: 'wrong' } | { kind: 'throttled'; retryAfterMs: number };

/**
 * Lets the request through, or throws: FAILED_PRECONDITION when no staff token is configured (the
 * console is off, never open), RATE_LIMITED past a limit, UNAUTHENTICATED for a missing or wrong token.
 */
export async function authorizeStaff(
  deps: DomainDeps,
  expectedToken: string | undefined,
  credential: StaffCredential,
): Promise<void> {
  if (!expectedToken) throw new AppError('FAILED_PRECONDITION', '客服后台未启用：请设置 WXBANK_STAFF_TOKEN');
  // Digests of equal length: neither the token's length nor its content leaks through timing.
  const matches = credential.token !== null && timingSafeEqual(digest(credential.token), digest(expectedToken));
  const now = deps.clock.now();
  const counters: [string, number][] = [
    [sourceId(deps, credential.sourceIp), STAFF_ACCESS_LIMITS.failuresPerSource],
    [TOTAL_ID, STAFF_ACCESS_LIMITS.failuresInTotal],
  ];
  // One transaction: concurrent wrong guesses are counted one after another, so no more than the
  // limit of them is ever compared in a window.
  const verdict = await deps.store.transaction(async (tx): Promise<Verdict> => {
    const current: (StaffAccessCounterDoc | null)[] = [];
    for (const [id] of counters) {
      const doc = await tx.get('staffAccessCounters', id);
      current.push(doc && now - doc.windowStartedAt < STAFF_ACCESS_LIMITS.windowMs ? doc : null);
    }
    const full = current
      .filter((doc, index) => doc !== null && doc.failures >= counters[index]![1])
      .map((doc) => doc!.windowStartedAt + STAFF_ACCESS_LIMITS.windowMs - now);
    if (full.length > 0) return { kind: 'throttled', retryAfterMs: Math.max(...full) };
    if (matches) return { kind: 'allowed' };
    for (const [index, [id]] of counters.entries()) {
      const doc = current[index];
      await tx.set('staffAccessCounters', {
        id,
        windowStartedAt: doc?.windowStartedAt ?? now,
        failures: (doc?.failures ?? 0) + 1,
        updatedAt: now,
      });
    }
    return { kind: 'wrong' };
  });
  if (verdict.kind === 'allowed') return;
  deps.log.warn('staff.access_refused', { reason: verdict.kind });
  if (verdict.kind === 'throttled') {
    throw new AppError('RATE_LIMITED', '客服令牌错误次数过多，请稍后再试', { retryAfterMs: verdict.retryAfterMs });
  }
  throw new AppError('UNAUTHENTICATED', '客服令牌无效');
}
