/**
 * The message centre (消息中心) and the outbox behind WeChat subscribe messages.
 *
 * An event that tells a user something (a balance change, an appointment reminder) calls
 * `recordMessage` inside its own transaction: the message and its outbox record are written with
 * the event or not at all, and only with `tx` — a re-run transaction writes them once, since their
 * id comes from the event (its subject and step). The outbox record is claimed for sending in that
 * same transaction; after it commits, the caller hands what `recordMessage` returned to
 * `deliverMessages` (delivery.ts); `settle` retries what did not go out.
 */
import { createHash } from 'node:crypto';
import type { MarkReadRequest, MessageListRequest, MessageListView, MessageView } from '../../../typings/messages';
import { CONFIG } from '../../config';
import type { Collections, MessageDoc, NotificationOutboxDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { newestFirst } from '../paging';
import type { Condition, DocumentOps } from '../ports/store';
import { requireUser, type Caller } from '../users/session';
import { claimInTransaction, type ClaimedDelivery } from './delivery';

type Templates = typeof CONFIG.notifications.templates;

/** A template with its fields' values, by the field's meaning (`amount`), not its WeChat name (`amount2`). */
export type TemplateValues = {
  [K in keyof Templates]: { template: K; fields: Record<keyof Templates[K]['fields'], string> };
}[keyof Templates];

export type NewMessage = TemplateValues & {
  /**
   * What the message is about (`ledger:<operationId>`) and which step of it (1, 2, …): the same
   * subject and step are one message however often they are recorded, and the steps of one
   * subject sort in order when they share a millisecond.
   */
  subject: string;
  step: number;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
};

export function messageId(subject: string, step: number): string {
  return `msg_${createHash('sha256').update(subject).digest('hex').slice(0, 32)}_${step}`;
}

/** WeChat's limits per keyword type, by the field name's prefix (`thing1` is a thing: ≤ 20 characters). */
const FIELD_LIMITS: [prefix: string, max: number][] = [
  ['character_string', 32],
  ['thing', 20],
  ['phrase', 5],
  ['name', 10],
];

function fit(fieldName: string, value: string): string {
  const max = FIELD_LIMITS.find(([prefix]) => fieldName.startsWith(prefix))?.[1];
  const chars = Array.from(value);
  return max === undefined || chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** An amount as WeChat's `amount` keyword takes it: a currency sign and plain digits (`¥1234.50`). */
export function templateAmount(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** The values under the template's own field names, each within WeChat's limit. */
export function templateData(message: TemplateValues): Record<string, string> {
  const names = CONFIG.notifications.templates[message.template].fields as Record<string, string>;
  const values = message.fields as Record<string, string>;
  return Object.fromEntries(Object.entries(names).map(([meaning, name]) => [name, fit(name, values[meaning] ?? '')]));
}

/**
 * Writes the message and its outbox record in the caller's transaction, and claims the record
 * for sending there too (nothing when this step of its subject was recorded before). Returns what
 * to hand to `deliverMessages` once the transaction committed: null when there is nothing to send.
 */
export async function recordMessage(
  tx: DocumentOps<Collections>,
  message: NewMessage,
  now: number,
): Promise<ClaimedDelivery | null> {
  const id = messageId(message.subject, message.step);
  if (await tx.get('messages', id)) return null;
  const doc: MessageDoc = {
    id,
    userId: message.userId,
    kind: message.kind,
    title: message.title,
    body: message.body,
    link: message.link,
    read: false,
    readAt: null,
    createdAt: now,
  };
  const outbox: NotificationOutboxDoc = {
    id,
    userId: message.userId,
    kind: message.kind,
    template: message.template,
    data: templateData(message),
    link: message.link,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    creditHeld: false,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    doneAt: null,
  };
  await tx.create('messages', doc);
  const claimed = await claimInTransaction(tx, outbox, now);
  return claimed && { outbox: claimed, title: doc.title, body: doc.body };
}

function messageView(doc: MessageDoc): MessageView {
  return {
    messageId: doc.id,
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    link: doc.link,
    read: doc.read,
    createdAt: doc.createdAt,
  };
}

function unreadOf(userId: string): Condition<MessageDoc>[] {
  return [
    { field: 'userId', op: '==', value: userId },
    { field: 'read', op: '==', value: false },
  ];
}

function unread(deps: DomainDeps, userId: string): Promise<number> {
  return deps.store.count('messages', unreadOf(userId));
}

export async function unreadCount(deps: DomainDeps, caller: Caller): Promise<{ unreadCount: number }> {
  const user = await requireUser(deps, caller);
  return { unreadCount: await unread(deps, user.id) };
}

export async function listMessages(
  deps: DomainDeps,
  caller: Caller,
  request: MessageListRequest,
): Promise<MessageListView> {
  const user = await requireUser(deps, caller);
  const [page, unreadCount] = await Promise.all([
    newestFirst(deps.store, 'messages', [{ field: 'userId', op: '==', value: user.id }], {
      cursor: request.cursor,
      limit: request.limit ?? CONFIG.notifications.pageSize,
    }),
    unread(deps, user.id),
  ]);
  return { items: page.items.map(messageView), nextCursor: page.nextCursor, unreadCount };
}

/** Marks the named messages (the caller's own; others' ids are ignored) or all of them read. */
export async function markRead(
  deps: DomainDeps,
  caller: Caller,
  request: MarkReadRequest,
): Promise<{ unreadCount: number }> {
  const user = await requireUser(deps, caller);
  if ((request.all === true) === (request.messageIds !== undefined)) {
    throw new AppError('INVALID_ARGUMENT', '请指定要标为已读的消息，或选择全部已读');
  }
  const now = deps.clock.now();
  const markOne = (id: string) =>
    deps.store.transaction(async (tx) => {
      const doc = await tx.get('messages', id);
      if (doc && doc.userId === user.id && !doc.read) await tx.update('messages', id, { read: true, readAt: now });
    });
  if (request.messageIds) {
    for (const id of new Set(request.messageIds)) await markOne(id);
  } else {
    // Each round reads what is still unread, so a long backlog is worked through page by page.
    for (let round = 0; round < 20; round++) {
      const page = await deps.store.find('messages', { where: unreadOf(user.id), limit: 200 });
      for (const doc of page) await markOne(doc.id);
      if (page.length < 200) break;
    }
  }
  return { unreadCount: await unread(deps, user.id) };
}
