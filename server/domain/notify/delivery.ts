/**
 * Sending the outbox: each pending record becomes one WeChat subscribe message, if the user has an
 * acceptance left for its template. A delivery never throws to its caller — the event it reports
 * has committed already and stays committed; a failed send waits in the outbox for `settle`.
 *
 *  1. claim: only a pending record that is due; an acceptance is set aside for it (or it is
 *     skipped when there is none) and it is leased for a while, so a concurrent sender (another
 *     process, `settle`) leaves it alone. A new message is claimed inside the very transaction
 *     that records it (`recordMessage`), so the event that causes it costs no transaction of its
 *     own; `settle`'s retries claim in a transaction of their own;
 *  2. send through the Notifier port (outside any transaction: a side effect);
 *  3. book the outcome: sent, or pending again after a wait that grows with each try — a
 *     compare-and-set on the record alone (still leased by this sender), no transaction; skipped
 *     (WeChat says the user withdrew the subscription) or failed for good (refused as invalid, or
 *     the last try) — one transaction, as the acceptance count changes too.
 */
import type { SettleReport } from '../../../typings/ledger';
import { CONFIG } from '../../config';
import type { Collections, NotificationOutboxDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { forEachDue } from '../paging';
import { NotificationRefusedError } from '../ports/notifier';
import type { DocumentOps } from '../ports/store';
import { openidOf } from '../users/session';
import { subscriptionId } from './subscriptions';

export type DeliveryOutcome = 'sent' | 'skipped' | 'retrying' | 'failed' | 'notDue';

/** An outbox record claimed for sending, with the words of its message. */
export interface ClaimedDelivery {
  outbox: NotificationOutboxDoc;
  title: string;
  body: string;
}

/**
 * Claims `doc` (a pending, due record) in `tx`: the leased record to send, or null when the user
 * has no acceptance left for its template (the record is then skipped for good).
 */
export async function claimInTransaction(
  tx: DocumentOps<Collections>,
  doc: NotificationOutboxDoc,
  now: number,
): Promise<NotificationOutboxDoc | null> {
  if (!doc.creditHeld) {
    const subscription = await tx.get('subscriptions', subscriptionId(doc.userId, doc.template));
    if (!subscription || subscription.remaining <= 0) {
      await tx.set('notificationOutbox', {
        ...doc,
        status: 'skipped',
        lastError: 'notSubscribed',
        updatedAt: now,
        doneAt: now,
      });
      return null;
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
  return leased;
}

type Claim = { send: NotificationOutboxDoc } | { outcome: DeliveryOutcome };

/** settle's claim of a record that is waiting in the outbox. */
async function claim(deps: DomainDeps, id: string, now: number): Promise<Claim> {
  return deps.store.transaction(async (tx): Promise<Claim> => {
    const doc = await tx.get('notificationOutbox', id);
    if (!doc || doc.status !== 'pending' || doc.nextAttemptAt > now) return { outcome: 'notDue' };
    const leased = await claimInTransaction(tx, doc, now);
    return leased ? { send: leased } : { outcome: 'skipped' };
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
  // Only the lease holder books: a record someone else took over meanwhile is theirs now.
  const stillLeased = [
    { field: 'status' as const, op: '==' as const, value: 'pending' },
    { field: 'attempts' as const, op: '==' as const, value: doc.attempts },
  ];
  if (outcome === 'sent' || outcome === 'retrying') {
    await deps.store.updateIf(
      'notificationOutbox',
      doc.id,
      stillLeased,
      outcome === 'sent'
        ? { status: 'sent', lastError: null, updatedAt: now, doneAt: now }
        : {
            lastError: error,
            nextAttemptAt: now + delays[Math.min(doc.attempts - 1, delays.length - 1)]!,
            updatedAt: now,
          },
    );
    return;
  }
  await deps.store.transaction(async (tx) => {
    const current = await tx.get('notificationOutbox', doc.id);
    if (!current || current.status !== 'pending' || current.attempts !== doc.attempts) return;
    await tx.update('notificationOutbox', doc.id, { status: outcome, lastError: error, updatedAt: now, doneAt: now });
    // WeChat says the acceptances are gone (skipped), or this message never used its one (failed).
    const subscription = await tx.get('subscriptions', subscriptionId(doc.userId, doc.template));
    if (subscription) {
      await tx.update('subscriptions', subscription.id, {
        remaining: outcome === 'skipped' ? 0 : subscription.remaining + 1,
        updatedAt: now,
      });
    }
  });
}

/** Sends a claimed record (worded by its message, if there is one) and books the outcome. Never throws. */
async function send(
  deps: DomainDeps,
  doc: NotificationOutboxDoc,
  words: Pick<ClaimedDelivery, 'title' | 'body'> | null,
): Promise<DeliveryOutcome> {
  try {
    const openid = await openidOf(deps, doc.userId);
    let outcome: Exclude<DeliveryOutcome, 'notDue'>;
    let error: string | null = null;
    try {
      if (!openid || !words) throw new NotificationRefusedError('invalid', 'noRecipient');
      await deps.notifier.notify({
        userId: doc.userId,
        openid,
        kind: doc.kind,
        title: words.title,
        body: words.body,
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
    // The store itself failed: the record stays leased, and settle takes it up once the lease ends.
    deps.log.error('notify.delivery_error', { id: doc.id, error: error instanceof Error ? error.name : 'unknown' });
    return 'retrying';
  }
}

/** Delivers one outbox record if it is due (settle's retry). Never throws. */
export async function deliverMessage(deps: DomainDeps, id: string): Promise<DeliveryOutcome> {
  try {
    const claimed = await claim(deps, id, deps.clock.now());
    if ('outcome' in claimed) return claimed.outcome;
    return await send(deps, claimed.send, await deps.store.get('messages', id));
  } catch (error) {
    // The store itself failed: the record stays pending (or leased) for settle.
    deps.log.error('notify.delivery_error', { id, error: error instanceof Error ? error.name : 'unknown' });
    return 'retrying';
  }
}

/**
 * After the transaction that recorded (and claimed) them committed: sends each, in order. Never
 * throws. A null (a step recorded before, or a user without an acceptance) sends nothing.
 */
export async function deliverMessages(
  deps: DomainDeps,
  deliveries: readonly (ClaimedDelivery | null)[],
): Promise<void> {
  for (const delivery of deliveries) if (delivery) await send(deps, delivery.outbox, delivery);
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
