/**
 * Sending the outbox: each pending record becomes one WeChat subscribe message, if the user has an
 * acceptance left for its template. A delivery never throws to its caller — the event it reports
 * has committed already and stays committed; a failed send waits in the outbox for `settle`.
 *
 *  1. claim (one transaction): only a pending record that is due; an acceptance is set aside for
 *     it (or it is skipped when there is none) and it is leased for a while, so a concurrent
 *     sender (another process, `settle`) leaves it alone;
 *  2. send through the Notifier port (outside any transaction: a side effect);
 *  3. book the outcome (one transaction): sent; skipped (WeChat says the user withdrew the
 *     subscription); failed for good (WeChat refused it as invalid, or the last try); or pending
 *     again after a wait that grows with each try.
 */
import type { SettleReport } from '../../../typings/ledger';
import { CONFIG } from '../../config';
import type { NotificationOutboxDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { forEachDue } from '../paging';
import { NotificationRefusedError } from '../ports/notifier';
import { openidOf } from '../users/session';
import { subscriptionId } from './subscriptions';

export type DeliveryOutcome = 'sent' | 'skipped' | 'retrying' | 'failed' | 'notDue';

type Claim = { send: NotificationOutboxDoc } | { outcome: DeliveryOutcome };

async function claim(deps: DomainDeps, id: string, now: number): Promise<Claim> {
  return deps.store.transaction(async (tx): Promise<Claim> => {
    const doc = await tx.get('notificationOutbox', id);
    if (!doc || doc.status !== 'pending' || doc.nextAttemptAt > now) return { outcome: 'notDue' };
    if (!doc.creditHeld) {
      const subscription = await tx.get('subscriptions', subscriptionId(doc.userId, doc.template));
      if (!subscription || subscription.remaining <= 0) {
        await tx.update('notificationOutbox', id, {
          status: 'skipped',
          lastError: 'notSubscribed',
          updatedAt: now,
          doneAt: now,
        });
        return { outcome: 'skipped' };
      }
      await tx.update('subscriptions', subscription.id, { remaining: subscription.remaining - 1, updatedAt: now });
    }
    const leased: NotificationOutboxDoc = {
      ...doc,
      creditHeld: true,
      attempts: doc.attempts + 1,
      nextAttemptAt: now + CONFIG.notifications.sendingLeaseMs,
      updatedAt: now,
    };
    await tx.set('notificationOutbox', leased);
    return { send: leased };
  });
}

async function book(
  deps: DomainDeps,
  doc: NotificationOutboxDoc,
  outcome: Exclude<DeliveryOutcome, 'notDue'>,
  error: string | null,
): Promise<void> {
  const now = deps.clock.now();
  const delays = CONFIG.notifications.retryDelaysMs;
  await deps.store.transaction(async (tx) => {
    const current = await tx.get('notificationOutbox', doc.id);
    // Only the lease holder books: a record someone else took over meanwhile is theirs now.
    if (!current || current.status !== 'pending' || current.attempts !== doc.attempts) return;
    const done = outcome !== 'retrying';
    await tx.update('notificationOutbox', doc.id, {
      status: outcome === 'retrying' ? 'pending' : outcome,
      lastError: error,
      nextAttemptAt: done ? current.nextAttemptAt : now + delays[Math.min(doc.attempts - 1, delays.length - 1)]!,
      updatedAt: now,
      doneAt: done ? now : null,
    });
    if (outcome === 'skipped' || outcome === 'failed') {
      // WeChat says the acceptances are gone (skipped), or this message never used its one (failed).
      const subscription = await tx.get('subscriptions', subscriptionId(doc.userId, doc.template));
      if (subscription) {
        await tx.update('subscriptions', subscription.id, {
          remaining: outcome === 'skipped' ? 0 : subscription.remaining + 1,
          updatedAt: now,
        });
      }
    }
  });
}

/** Delivers one outbox record if it is due. Never throws. */
export async function deliverMessage(deps: DomainDeps, id: string): Promise<DeliveryOutcome> {
  try {
    const claimed = await claim(deps, id, deps.clock.now());
    if ('outcome' in claimed) return claimed.outcome;
    const doc = claimed.send;
    const openid = await openidOf(deps, doc.userId);
    const message = await deps.store.get('messages', doc.id);
    let outcome: Exclude<DeliveryOutcome, 'notDue'>;
    let error: string | null = null;
    try {
      if (!openid || !message) throw new NotificationRefusedError('invalid', 'noRecipient');
      await deps.notifier.notify({
        userId: doc.userId,
        openid,
        kind: doc.kind,
        title: message.title,
        body: message.body,
        link: doc.link ?? undefined,
        key: doc.id,
        templateId: CONFIG.notifications.templates[doc.template].templateId,
        data: doc.data,
      });
      outcome = 'sent';
    } catch (failure) {
      if (failure instanceof NotificationRefusedError) {
        outcome = failure.reason === 'notSubscribed' ? 'skipped' : 'failed';
        error = `${failure.reason}:${failure.providerCode}`.slice(0, 60);
        if (outcome === 'failed') deps.log.error('notify.refused', { id: doc.id, kind: doc.kind, error });
      } else {
        outcome = doc.attempts >= CONFIG.notifications.maxAttempts ? 'failed' : 'retrying';
        error = failure instanceof Error ? failure.name : 'unknown';
        deps.log.warn('notify.failed', { id: doc.id, kind: doc.kind, attempts: doc.attempts, error });
      }
    }
    await book(deps, doc, outcome, error);
    return outcome;
  } catch (error) {
    // The store itself failed: the record stays pending (or leased) for settle.
    deps.log.error('notify.delivery_error', { id, error: error instanceof Error ? error.name : 'unknown' });
    return 'retrying';
  }
}

/** After the transaction that recorded them committed: sends each message. Never throws. */
export async function deliverMessages(deps: DomainDeps, ids: readonly string[]): Promise<void> {
  for (const id of ids) await deliverMessage(deps, id);
}

const PAGE = 200;
const MAX_PAGES = 5;

/** settle's pass over the outbox: retries every due delivery, then reports what still waits. */
export async function retryDeliveries(deps: DomainDeps): Promise<SettleReport['outbox']> {
  const now = deps.clock.now();
  const report = { sent: 0, skipped: 0, retrying: 0, failed: 0, pending: 0, oldestPendingMs: 0 };
  await forEachDue(
    deps.store,
    'notificationOutbox',
    { status: { field: 'status', op: '==', value: 'pending' }, dueField: 'nextAttemptAt', now },
    { pageSize: PAGE, maxPages: MAX_PAGES },
    async (doc) => {
      const outcome = await deliverMessage(deps, doc.id);
      if (outcome !== 'notDue') report[outcome] += 1;
    },
  );
  const pending = { field: 'status' as const, op: '==' as const, value: 'pending' };
  report.pending = await deps.store.count('notificationOutbox', [pending]);
  const [oldest] = await deps.store.find('notificationOutbox', {
    where: [pending],
    orderBy: [['createdAt', 'asc']],
    limit: 1,
  });
  report.oldestPendingMs = oldest ? Math.max(0, now - oldest.createdAt) : 0;
  return report;
}
