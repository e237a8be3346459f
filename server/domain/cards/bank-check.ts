/**
 * The bank's card check is an oracle: it says whether a card, a person and a phone belong together,
 * and its reasons (phone or holder mismatch) say which part was wrong. Guessing someone's reserved
 * phone against their card, or whether an ID number holds a card, would cost nothing but one's own
 * pay password, so the check is throttled per user, per ID number and per card
 * (CONFIG.cards.bankChecks), in the shared rate counters (../throttle.ts):
 *  - the bank is asked at most `maxChecksPerDay` times a day for each of them; past that RATE_LIMITED,
 *    without asking — counted before the bank is asked, so parallel requests cannot all slip through;
 *  - only the first `preciseRefusalsPerDay` refusals tell the bank's reason; every later one
 *    answers the same CARD_VERIFICATION_FAILED, whatever the bank said.
 */
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { AppError, isAppError } from '../errors';
import { takeRate, type RateLimit } from '../throttle';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Who and what a check is about: each is counted on its own. */
export interface CheckSubjects {
  userId: string;
  idFingerprint: string;
  cardFingerprint: string;
}

function subjectsOf(who: CheckSubjects): string[] {
  return [`u:${who.userId}`, `i:${who.idFingerprint}`, `c:${who.cardFingerprint}`];
}

/** Before the bank is asked: counts the check, or throws RATE_LIMITED saying when to try again. */
export async function countBankCheck(deps: DomainDeps, who: CheckSubjects): Promise<void> {
  const limits: RateLimit[] = [{ windowMs: DAY_MS, max: CONFIG.cards.bankChecks.maxChecksPerDay }];
  for (const subject of subjectsOf(who)) {
    await takeRate(deps, 'cardCheck', subject, limits, (wait) => `银行卡验证次数过多，请${wait}后再试`);
  }
}

/** After the bank refused: its precise reason while the day's first few refusals last, then the generic one. */
export async function refusalToTell(deps: DomainDeps, who: CheckSubjects, precise: AppError): Promise<AppError> {
  const limits: RateLimit[] = [{ windowMs: DAY_MS, max: CONFIG.cards.bankChecks.preciseRefusalsPerDay }];
  try {
    for (const subject of subjectsOf(who)) await takeRate(deps, 'cardCheckReason', subject, limits, () => '');
    return precise;
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED') return new AppError('CARD_VERIFICATION_FAILED');
    throw error;
  }
}
