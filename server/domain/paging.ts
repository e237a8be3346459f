/**
 * Newest-first pages over a collection ordered by (createdAt, id), with an opaque cursor: the
 * wallet's history and the message centre page the same way. And the timer's pass over what is
 * due: settle's pending operations and the notification outbox are worked through the same way.
 */
import type { Collections } from './collections';
import { AppError } from './errors';
import type { Condition, Store } from './ports/store';

/** Collections whose documents carry a creation time. */
export type TimelineCollection = {
  [K in keyof Collections]: Collections[K] extends { id: string; createdAt: number } ? K : never;
}[keyof Collections];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursor: `<createdAt>.<id>` of the last item shown, opaque to clients. */
function encodeCursor(doc: { id: string; createdAt: number }): string {
  return Buffer.from(`${doc.createdAt}.${doc.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const match = /^(\d{1,15})\.([A-Za-z0-9_]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('INVALID_ARGUMENT', '分页参数无效');
  return { createdAt: Number(match[1]), id: match[2]! };
}

/**
 * A page of `scope`, newest first. A page after a cursor is read in two exact queries — the rest
 * of the cursor's millisecond, then everything older — so equal timestamps never lose or repeat
 * an item.
 */
export async function newestFirst<K extends TimelineCollection>(
  store: Store<Collections>,
  collection: K,
  scope: readonly Condition<Collections[K]>[],
  request: { cursor?: string; limit: number },
): Promise<Page<Collections[K]>> {
  const { limit } = request;
  const items: Collections[K][] = [];
  type Field = keyof Collections[K] & string;
  const createdAt = 'createdAt' as Field;
  const id = 'id' as Field;
  const order = [
    [createdAt, 'desc'],
    [id, 'desc'],
  ] as const;
  if (request.cursor) {
    const cursor = decodeCursor(request.cursor);
    items.push(
      ...(await store.find(collection, {
        where: [
          ...scope,
          { field: createdAt, op: '==', value: cursor.createdAt },
          { field: id, op: '<', value: cursor.id },
        ],
        orderBy: order,
        limit: limit + 1,
      })),
    );
    if (items.length <= limit) {
      items.push(
        ...(await store.find(collection, {
          where: [...scope, { field: createdAt, op: '<', value: cursor.createdAt }],
          orderBy: order,
          limit: limit + 1 - items.length,
        })),
      );
    }
  } else {
    items.push(...(await store.find(collection, { where: scope, orderBy: order, limit: limit + 1 })));
  }
  const page = items.slice(0, limit);
  return {
    items: page,
    nextCursor: items.length > limit ? encodeCursor(page[page.length - 1] as { id: string; createdAt: number }) : null,
  };
}

/**
 * Works through the documents of `collection` in `status` whose `dueField` is at most `now`, the
 * longest due first, a page at a time and at most `maxPages` pages in one run. `handle` must take
 * each document out of the query (resolved, or due later), so every page read is a fresh one.
 */
export async function forEachDue<K extends keyof Collections & string>(
  store: Store<Collections>,
  collection: K,
  due: { status: Condition<Collections[K]>; dueField: keyof Collections[K] & string; now: number },
  limits: { pageSize: number; maxPages: number },
  handle: (doc: Collections[K]) => Promise<void>,
): Promise<void> {
  for (let page = 0; page < limits.maxPages; page++) {
    const docs = await store.find(collection, {
      where: [due.status, { field: due.dueField, op: '<=', value: due.now }],
      orderBy: [[due.dueField, 'asc']],
      limit: limits.pageSize,
    });
    for (const doc of docs) await handle(doc);
    if (docs.length < limits.pageSize) break;
  }
}
