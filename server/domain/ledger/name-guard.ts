/**
 * Payee-name guessing guard. A transfer to a typed card number that the receiving bank returns as
 * 户名不符 costs nothing — amount and fee come back — so ¥0.01 transfers could learn anyone's name
 * for free. Such returns are counted per payer and per payee card (its fingerprint) in rate
 * counters (domain/throttle.ts), in the resolution transaction that books them; past the limits
 * (config `ledger.nameMismatchLimits`) transfers to a typed card number are refused until the
 * window, counted from the first return, ends. A receive code names its payee itself: nothing to
 * guess there, so it is neither counted nor refused.
 */
import { CONFIG } from '../../config';
import type { Collections } from '../collections';
import { fingerprint } from '../crypto';
import type { Secrets } from '../ports/secrets';
import type { DocumentOps } from '../ports/store';
import { countRequest, limitReachedUntil, rateLimited } from '../throttle';

/** The payee card as the counters know it: the same keyed fingerprint bound cards keep. */
export function payeeCardKey(secrets: Secrets, cardDigits: string): string {
  return fingerprint(secrets, 'card-fingerprint', cardDigits);
}

function counters(payerId: string, cardKey: string) {
  const { perPayer, perPayeeCard } = CONFIG.ledger.nameMismatchLimits;
  return [
    { subject: `payer_${payerId}`, limits: perPayer },
    { subject: `card_${cardKey}`, limits: perPayeeCard },
  ];
}

/**
 * RATE_LIMITED (details.retryAt, retryAfterMs) while the payer or the card is past its limit. Read
 * through the store before the pay password is asked, and through `tx` again when booking.
 */
export async function requireNameChecksLeft(
  ops: DocumentOps<Collections>,
  payerId: string,
  cardKey: string,
  now: number,
): Promise<void> {
  let retryAt: number | null = null;
  for (const { subject, limits } of counters(payerId, cardKey)) {
    const until = await limitReachedUntil(ops, 'payeeNameMismatch', subject, limits, now);
    if (until !== null) retryAt = Math.max(retryAt ?? until, until);
  }
  if (retryAt === null) return;
  throw rateLimited(retryAt, now, (wait) => `收款人户名与卡号多次不符，为保护收款人信息，请 ${wait}后再转账到银行卡`);
}

/** Counts one 户名不符 return against the payer and the card, inside the transaction that books it. */
export async function countNameMismatch(
  tx: DocumentOps<Collections>,
  payerId: string,
  cardKey: string,
  now: number,
): Promise<void> {
  for (const { subject, limits } of counters(payerId, cardKey)) {
    // a return has happened: it always counts, past the limit too
    await countRequest(tx, 'payeeNameMismatch', subject, limits, now, { enforce: false });
  }
}
