/**
 * The user's allowances: the lifetime free withdrawal quota, kept per real-name identity (not per
 * WeChat account), and the daily transfer total.
 */
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { requireVerifiedIdentity } from '../users/identity';

/** The quota document of the caller's identity; REAL_NAME_REQUIRED without one. */
export async function withdrawQuota(deps: DomainDeps, userId: string): Promise<string> {
  return `wq_${(await requireVerifiedIdentity(deps, userId)).identityKey}`;
}

/** The `dailyTransfers` document of a user's day: transfers add to it, their failures give back. */
export function dailyTransferId(userId: string, dayKey: string): string {
  return `${userId}:${dayKey}`;
}

/** What is left of the quota (0 before real-name verification). */
export async function quotaLeft(deps: DomainDeps, userId: string): Promise<number> {
  if (!(await deps.store.get('identities', userId))) return 0;
  const used = (await deps.store.get('withdrawQuotas', await withdrawQuota(deps, userId)))?.usedFen ?? 0;
  return Math.max(0, CONFIG.ledger.withdrawFreeQuotaFen - used);
}
