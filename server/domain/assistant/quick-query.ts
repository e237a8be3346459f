/**
 * 免密查询 (password-free quick query): while valid, the chat answers balance and entries without
 * asking for the pay password. Turning it on needs the pay password; it lasts 1, 30 or 90 days and
 * can be turned off any time. Other modules turn it off through `revokeQuickQuery` when the pay
 * password changes or the last card is unbound.
 */
import type { QuickQueryDays, QuickQueryOffReason, QuickQueryView } from '../../../typings/assistant';
import { CONFIG } from '../../config';
import type { AssistantQuickQueryDoc, Collections } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import type { VerifyPayPassword } from '../ports/assistant';
import type { DocumentOps, Store } from '../ports/store';

const DAY_MS = 24 * 60 * 60 * 1000;
export const QUICK_QUERY_DAYS: readonly QuickQueryDays[] = CONFIG.assistant.quickQueryDays;

function isValid(doc: AssistantQuickQueryDoc | null, now: number): doc is AssistantQuickQueryDoc {
  return Boolean(doc && doc.offAt === null && now < doc.expiresAt);
}

function view(doc: AssistantQuickQueryDoc | null, now: number): QuickQueryView {
  const choices = [...QUICK_QUERY_DAYS];
  if (!doc) return { enabled: false, days: null, enabledAt: null, expiresAt: null, offReason: null, choices };
  return {
    enabled: isValid(doc, now),
    days: doc.days,
    enabledAt: doc.enabledAt,
    expiresAt: doc.expiresAt,
    offReason: doc.offReason,
    choices,
  };
}

export async function quickQueryStatus(deps: DomainDeps, userId: string): Promise<QuickQueryView> {
  return view(await deps.store.get('assistantQuickQuery', userId), deps.clock.now());
}

/** Whether balance and entries may answer without a password right now. */
export async function quickQueryValid(store: Store<Collections>, userId: string, now: number): Promise<boolean> {
  return isValid(await store.get('assistantQuickQuery', userId), now);
}

export async function enableQuickQuery(
  deps: DomainDeps,
  userId: string,
  days: QuickQueryDays,
  payPassword: string,
  verifyPayPassword: VerifyPayPassword,
): Promise<QuickQueryView> {
  if (!QUICK_QUERY_DAYS.includes(days)) throw new AppError('INVALID_ARGUMENT', '请选择 1 天、30 天或 90 天');
  // Verified before the write, outside any transaction: the check counts attempts (a side effect).
  await verifyPayPassword(userId, payPassword);
  const now = deps.clock.now();
  const doc: AssistantQuickQueryDoc = {
    id: userId,
    userId,
    days,
    enabledAt: now,
    expiresAt: now + days * DAY_MS,
    offAt: null,
    offReason: null,
    updatedAt: now,
  };
  await deps.store.set('assistantQuickQuery', doc);
  deps.log.info('assistant.quick_query_enabled', { userId, days });
  return view(doc, now);
}

/**
 * Turns 免密查询 off (no-op when it is not on). Takes document operations so a caller can do it
 * inside its own transaction, in the same commit as the change that requires it:
 *
 *   // verification module, changing or resetting the pay password:
 *   await store.transaction(async (tx) => { …; await revokeQuickQuery(tx, userId, 'payPasswordChanged', now); });
 *   // cards module, after unbinding the user's last card:
 *   await revokeQuickQuery(tx, userId, 'allCardsUnbound', now);
 */
export async function revokeQuickQuery(
  ops: DocumentOps<Collections>,
  userId: string,
  reason: QuickQueryOffReason,
  now: number,
): Promise<void> {
  const doc = await ops.get('assistantQuickQuery', userId);
  if (!doc || doc.offAt !== null || doc.expiresAt <= now) return;
  await ops.update('assistantQuickQuery', userId, { offAt: now, offReason: reason, updatedAt: now });
}

export async function disableQuickQuery(deps: DomainDeps, userId: string): Promise<QuickQueryView> {
  const now = deps.clock.now();
  await deps.store.transaction((tx) => revokeQuickQuery(tx, userId, 'userDisabled', now));
  return quickQueryStatus(deps, userId);
}
