/**
 * The user's allowances: the lifetime free withdrawal quota, kept per real-name identity (not per
 * WeChat account), and the daily transfer total.
 */
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { requireVerifiedIdentity, withAge } from '../users/identity';
import type { KnownUser } from '../users/session';

/** The quota document of the caller's identity; REAL_NAME_REQUIRED without one. */
export async function withdrawQuota(deps: DomainDeps, user: KnownUser): Promise<string> {
  return quotaDocId(user.identityKey ?? (await requireVerifiedIdentity(deps, user.id)).identityKey);
}

function quotaDocId(identityKey: string): string {
  return `wq_${identityKey}`;
}

/** The `dailyTransfers` document of a user's day: transfers add to it, their failures give back. */
export function dailyTransferId(userId: string, dayKey: string): string {
  return `${userId}:${dayKey}`;
}

/**
 * What is left of the quota (0 before real-name verification): one read when the caller's account
 * names the identity (`requireUser`'s identityKey), else two, the second needing the first.
 */
export async function quotaLeft(deps: DomainDeps, user: KnownUser): Promise<number> {
  let { identityKey } = user;
  if (!identityKey) {
    const identity = await deps.store.get('identities', user.id);
    if (!identity) return 0;
    identityKey = withAge(identity, deps.clock.now()).identityKey;
  }
  const used = (await deps.store.get('withdrawQuotas', quotaDocId(identityKey)))?.usedFen ?? 0;
  return Math.max(0, CONFIG.ledger.withdrawFreeQuotaFen - used);
}
