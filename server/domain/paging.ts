/**
 * Newest-first pages over a collection ordered by (createdAt, id), with an opaque cursor: the
 * wallet's history and the message centre page the same way.
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
