/**
 * Counts what one action asks of the store as CloudBase would serve it, where every call is a
 * network round trip: used by `npm run bench round-trips`, never in production.
 *
 *  - `calls`: requests to the database. A plain operation (get, find, count, sum, create, set,
 *    update, delete) is one; a transaction is its begin, each operation inside it, and its commit
 *    (a conflict's re-run counts again, as it would be sent again). A branch-locator query is one.
 *  - `rounds`: the critical path — how many calls had to wait for an earlier one. A call's depth is
 *    one more than the deepest call that had finished when it started; calls started together
 *    (`Promise.all`) share a depth. An upper bound: a call is assumed to wait for everything that
 *    had finished before it.
 *  - `transactions`: commits.
 */
import type { Collections } from '../../server/domain/collections';
import type { BranchLocator, NearbyQuery } from '../../server/domain/ports/branch-locator';
import type { Condition, DocumentOps, FindOptions, Store } from '../../server/domain/ports/store';

export interface RoundTrips {
  calls: number;
  rounds: number;
  transactions: number;
}

export class RoundTripCounter {
  private calls = 0;
  private transactions = 0;
  /** The deepest call that has finished, and the deepest started (the critical path so far). */
  private finishedDepth = 0;
  private deepest = 0;

  reset(): void {
    this.calls = 0;
    this.transactions = 0;
    this.finishedDepth = 0;
    this.deepest = 0;
  }

  snapshot(): RoundTrips {
    return { calls: this.calls, rounds: this.deepest, transactions: this.transactions };
  }

  /** One request: its depth is fixed when it starts, and counts as finished when it answers. */
  async request<T>(send: () => Promise<T>): Promise<T> {
    const depth = this.finishedDepth + 1;
    this.calls++;
    this.deepest = Math.max(this.deepest, depth);
    try {
      return await send();
    } finally {
      this.finishedDepth = Math.max(this.finishedDepth, depth);
    }
  }

  committed(): void {
    this.transactions++;
  }
}

function countedOps<C>(ops: DocumentOps<C>, counter: RoundTripCounter): DocumentOps<C> {
  return {
    get: (collection, id) => counter.request(() => ops.get(collection, id)),
    create: (collection, doc) => counter.request(() => ops.create(collection, doc)),
    set: (collection, doc) => counter.request(() => ops.set(collection, doc)),
    update: (collection, id, patch) => counter.request(() => ops.update(collection, id, patch)),
    delete: (collection, id) => counter.request(() => ops.delete(collection, id)),
  };
}

/** The store as the functions see it, each request counted. */
export function countingStore(store: Store<Collections>, counter: RoundTripCounter): Store<Collections> {
  const noop = () => Promise.resolve();
  return {
    ...countedOps(store, counter),
    find: <K extends keyof Collections & string>(collection: K, options?: FindOptions<Collections[K]>) =>
      counter.request(() => store.find(collection, options)),
    count: <K extends keyof Collections & string>(collection: K, where?: readonly Condition<Collections[K]>[]) =>
      counter.request(() => store.count(collection, where)),
    sum: <K extends keyof Collections & string>(
      collection: K,
      field: keyof Collections[K] & string,
      where?: readonly Condition<Collections[K]>[],
    ) => counter.request(() => store.sum(collection, field, where)),
    updateIf: <K extends keyof Collections & string>(
      collection: K,
      id: string,
      where: readonly Condition<Collections[K]>[],
      patch: Partial<Omit<Collections[K], 'id'>>,
    ) => counter.request(() => store.updateIf(collection, id, where, patch)),
    async transaction<R>(work: (tx: DocumentOps<Collections>) => Promise<R>): Promise<R> {
      const result = await store.transaction(async (tx) => {
        await counter.request(noop); // begin
        return work(countedOps(tx, counter));
      });
      await counter.request(noop); // commit
      counter.committed();
      return result;
    },
    close: () => store.close(),
  };
}

export function countingLocator(locator: BranchLocator, counter: RoundTripCounter): BranchLocator {
  return { nearby: (query: NearbyQuery) => counter.request(() => locator.nearby(query)) };
}
