/**
 * Store adapter on the CloudBase document database (@cloudbase/node-sdk), for deployed functions.
 *
 * CloudBase's rules, which the Store port is shaped after:
 *  - inside `runTransaction` only single-document operations exist (`doc(id)` get/set/update/remove,
 *    insert); a `where` query inside a transaction is silently run outside it, so `tx` offers none;
 *  - `update()` takes the patch itself; nested objects in it would be merged field by field, so each
 *    top-level value is wrapped in `_.set()` to get the port's "replace top-level fields" semantics;
 *  - `runTransaction` re-runs the callback on a write conflict: the port's callers keep it side-effect
 *    free, and this adapter lets the SDK retry.
 * Results carry an error `code` instead of throwing; every call is checked and turned into a throw
 * (the conflict error keeps its code so the SDK's retry recognises it).
 *
 * Runs only against a real environment: the contract suite (test/server/cloudbase-store.test.ts)
 * exercises it when TCB_ENV_ID and TENCENTCLOUD_SECRETID/SECRETKEY are set, and is skipped otherwise.
 */
import type tcb from '@cloudbase/node-sdk';
import { cloudBaseApp, type CloudBaseConnection } from './app';
import type {
  CollectionSpec,
  Condition,
  DocumentOps,
  FindOptions,
  Scalar,
  Store,
  StoredDoc,
} from '../../domain/ports/store';
import { DocumentExistsError, DocumentMissingError } from '../../domain/ports/store';

type Database = ReturnType<ReturnType<typeof tcb.init>['database']>;
type Collection = ReturnType<Database['collection']>;
type SdkResult = { code?: string; message?: string; data?: unknown; updated?: number; total?: number };

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
const TRANSACTION_ATTEMPTS = 5;

export interface CloudBaseStoreOptions {
  collections: Record<string, CollectionSpec>;
  /** Which environment, with which keys (outside CloudBase only), at which endpoint. */
  connection?: CloudBaseConnection;
  /** Prepended to every collection name: lets a test run use its own collections. */
  collectionPrefix?: string;
}

export class CloudBaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CloudBaseError';
  }
}

function check<T extends SdkResult>(result: T, operation: string): T {
  if (result && typeof result.code === 'string' && result.code.length > 0) {
    throw new CloudBaseError(result.code, `${operation}: ${result.message ?? ''}`);
  }
  return result;
}

function isDuplicateKey(error: unknown): boolean {
  const text = error instanceof Error ? error.message : JSON.stringify(error ?? '');
  return /E11000|duplicate key|already exists/i.test(text);
}

/**
 * The SDK hands GeoJSON values back as its own geo objects (`db.Geo.Point`, with longitude/latitude
 * and no `coordinates`); the port deals in plain JSON, so they become the GeoJSON they were stored as.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const geo = value as { _internalType?: unknown; toJSON?: () => unknown };
  if (geo._internalType !== undefined && typeof geo.toJSON === 'function') return geo.toJSON();
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
}

/** CloudBase keeps the id in `_id`; the port calls it `id`. */
function toDoc<T>(raw: Record<string, unknown> | null | undefined): T | null {
  if (!raw) return null;
  const { _id, ...rest } = raw;
  delete rest._openid;
  return { id: String(_id), ...(plain(rest) as object) } as T;
}

function body(doc: StoredDoc): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  delete copy.id;
  // CloudBase refuses undefined values; JSON semantics (drop them) match the SQLite adapter.
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy;
}

export class CloudBaseStore<C> implements Store<C> {
  private readonly db: Database;
  private readonly names: ReadonlySet<string>;
  private readonly prefix: string;

  constructor(private readonly options: CloudBaseStoreOptions) {
    this.db = cloudBaseApp(options.connection).database();
    this.names = new Set(Object.keys(options.collections));
    this.prefix = options.collectionPrefix ?? '';
  }

  /** Creates missing collections (indexes are set in the console: see README, "CloudBase indexes"). */
  async ensureCollections(): Promise<void> {
    for (const name of this.names) {
      try {
        const result = (await this.db.createCollection(this.prefix + name)) as SdkResult;
        if (result?.code && !isDuplicateKey(new Error(`${result.code} ${result.message ?? ''}`)))
          check(result, 'createCollection');
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  private collection(name: string, transaction?: { collection(name: string): Collection }): Collection {
    if (!this.names.has(name)) throw new Error(`unknown collection: ${name}`);
    return (transaction ?? this.db).collection(this.prefix + name);
  }

  private ops(transaction?: { collection(name: string): Collection }): DocumentOps<C> {
    const inTransaction = Boolean(transaction);
    return {
      get: async (name, id) => {
        const result = check((await this.collection(name, transaction).doc(id).get()) as SdkResult, 'get');
        // Outside a transaction the SDK answers a list, inside it a single document or null.
        const raw = inTransaction ? result.data : ((result.data as unknown[]) ?? [])[0];
        return toDoc(raw as Record<string, unknown> | null);
      },
      create: async (name, doc) => {
        const reference = this.collection(name, transaction).doc((doc as StoredDoc).id) as unknown as {
          create(data: object): Promise<SdkResult>;
        };
        try {
          check(await reference.create(body(doc as StoredDoc)), 'create');
        } catch (error) {
          if (isDuplicateKey(error)) throw new DocumentExistsError(name, (doc as StoredDoc).id);
          throw error;
        }
      },
      set: async (name, doc) => {
        check(
          (await this.collection(name, transaction)
            .doc((doc as StoredDoc).id)
            .set(body(doc as StoredDoc))) as SdkResult,
          'set',
        );
      },
      update: async (name, id, patch) => {
        const command = this.db.command;
        const wrapped: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
          if (key === 'id' || value === undefined) continue;
          wrapped[key] = value !== null && typeof value === 'object' ? command.set(value) : value;
        }
        const result = check((await this.collection(name, transaction).doc(id).update(wrapped)) as SdkResult, 'update');
        // `updated` is 0 both for a missing document and for a patch equal to what is stored.
        if (result.updated === 0 && !(await this.ops(transaction).get(name, id)))
          throw new DocumentMissingError(name, id);
      },
      delete: async (name, id) => {
        check((await this.collection(name, transaction).doc(id).remove()) as SdkResult, 'delete');
      },
    };
  }

  private filter<T>(where: readonly Condition<T>[] | undefined): Record<string, unknown> {
    const command = this.db.command;
    const byField = new Map<string, unknown[]>();
    for (const condition of where ?? []) {
      const field = condition.field === 'id' ? '_id' : condition.field;
      const value = condition.value;
      let expression: unknown;
      switch (condition.op) {
        case '==':
          expression = command.eq(value as Scalar);
          break;
        case '!=':
          expression = command.neq(value as Scalar);
          break;
        case '<':
          expression = command.lt(value as Scalar);
          break;
        case '<=':
          expression = command.lte(value as Scalar);
          break;
        case '>':
          expression = command.gt(value as Scalar);
          break;
        case '>=':
          expression = command.gte(value as Scalar);
          break;
        case 'in':
          expression = command.in([...(value as readonly Scalar[])]);
          break;
      }
      byField.set(field, [...(byField.get(field) ?? []), expression]);
    }
    const query: Record<string, unknown> = {};
    for (const [field, expressions] of byField) {
      query[field] = expressions.length === 1 ? expressions[0] : command.and(...(expressions as never[]));
    }
    return query;
  }

  get<K extends keyof C & string>(collection: K, id: string): Promise<C[K] | null> {
    return this.ops().get(collection, id);
  }
  create<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void> {
    return this.ops().create(collection, doc);
  }
  set<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void> {
    return this.ops().set(collection, doc);
  }
  update<K extends keyof C & string>(collection: K, id: string, patch: Partial<Omit<C[K], 'id'>>): Promise<void> {
    return this.ops().update(collection, id, patch);
  }
  delete<K extends keyof C & string>(collection: K, id: string): Promise<void> {
    return this.ops().delete(collection, id);
  }

  async find<K extends keyof C & string>(collection: K, options: FindOptions<C[K]> = {}): Promise<C[K][]> {
    let query = this.collection(collection).where(this.filter(options.where));
    for (const [field, direction] of options.orderBy ?? [])
      query = query.orderBy(field === 'id' ? '_id' : field, direction);
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const result = check((await query.limit(limit).get()) as SdkResult, 'find');
    return ((result.data as Record<string, unknown>[]) ?? []).map((raw) => toDoc<C[K]>(raw)!);
  }

  async count<K extends keyof C & string>(collection: K, where?: readonly Condition<C[K]>[]): Promise<number> {
    const result = check((await this.collection(collection).where(this.filter(where)).count()) as SdkResult, 'count');
    return Number(result.total ?? 0);
  }

  async sum<K extends keyof C & string>(
    collection: K,
    field: keyof C[K] & string,
    where?: readonly Condition<C[K]>[],
  ): Promise<number> {
    const aggregate = this.db.command.aggregate as unknown as { sum(expression: string): unknown };
    const result = check(
      (await this.collection(collection)
        .aggregate()
        .match(this.filter(where))
        .group({ _id: null, total: aggregate.sum(`$${field}`) })
        .end()) as SdkResult,
      'sum',
    );
    const rows = (result.data as { total?: number }[] | undefined) ?? [];
    return Number(rows[0]?.total ?? 0);
  }

  async transaction<R>(work: (tx: DocumentOps<C>) => Promise<R>): Promise<R> {
    const run = this.db.runTransaction as (
      callback: (transaction: { collection(name: string): Collection }) => Promise<R>,
      times?: number,
    ) => Promise<R>;
    return run.call(this.db, (transaction) => work(this.ops(transaction)), TRANSACTION_ATTEMPTS);
  }

  async close(): Promise<void> {
    // HTTP-based: nothing to release.
  }
}
