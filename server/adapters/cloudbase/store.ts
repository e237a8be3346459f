/**
 * Store adapter on the CloudBase document database (@cloudbase/node-sdk), for deployed functions.
 *
 * CloudBase's rules, which the Store port is shaped after:
 *  - inside `runTransaction` only single-document operations exist (`doc(id)` get/set/update/remove,
 *    insert); a `where` query inside a transaction is not part of it, so `tx` offers none;
 *  - `update()` takes the patch itself; nested objects in it would be merged field by field, so each
 *    object value is wrapped in `_.set()` to get the port's "replace top-level fields" semantics;
 *  - `runTransaction` re-runs the callback on a write conflict (DATABASE_TRANSACTION_CONFLICT): the
 *    port's callers keep it side-effect free. The SDK retries at once; under contention (many
 *    writers of one document) this adapter adds rounds with a growing random pause, then gives up
 *    with DependencyUnavailableError (answered UNAVAILABLE).
 * Every SDK call goes through `callCloudBase` (app.ts): credentials checked first, failures
 * classified (DependencyUnavailableError for timeouts / 5xx / refused connections, CloudBaseError
 * with the API's code otherwise — a conflict keeps its code, so the SDK's retry still sees it).
 *
 * Documents written by a WeChat client (a client-side `add` stamps `_openid`) are never trusted:
 * reading one, or summing / counting over one, throws UntrustedDocumentError. Only functions write
 * these collections; a client-written document means the collection's permissions are wrong.
 *
 * Tested through the real SDK against the CloudBase emulator
 * (test/server/cloudbase-store-emulated.test.ts: the Store contract plus the rules above), and
 * against a real environment when credentials are given (test/server/cloudbase-store.test.ts).
 */
import {
  callCloudBase,
  classifyCloudBaseError,
  cloudBaseApp,
  CloudBaseError,
  hasCredentials,
  UntrustedDocumentError,
  type CloudBaseApp,
  type CloudBaseConnection,
} from './app';
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
import { DependencyUnavailableError } from '../../domain/ports/failures';

type Database = ReturnType<CloudBaseApp['database']>;
type Collection = ReturnType<Database['collection']>;
type TransactionHandle = { collection(name: string): Collection };
type SdkResult = { data?: unknown; updated?: number };
/** The accumulators of `db.command.aggregate` this adapter uses (the SDK's typings omit them). */
type AggregateCommands = { sum(expression: unknown): unknown; max(expression: unknown): unknown };

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
/** The SDK's own immediate re-runs per round (it makes this many + 1 attempts). */
const SDK_CONFLICT_RETRIES = 2;
/** Rounds of SDK attempts, with a random pause of up to 20 ms · 2^round (at most 1 s) between them. */
const CONFLICT_ROUNDS = 10;
const CONFLICT_PAUSE_MS = 20;
const CONFLICT_PAUSE_MAX_MS = 1_000;
const TRANSACTION_CONFLICT = 'DATABASE_TRANSACTION_CONFLICT';
const OPENID_FIELD = '_openid';

export interface CloudBaseStoreOptions {
  collections: Record<string, CollectionSpec>;
  /** Which environment, with which keys (outside CloudBase only), at which endpoint. */
  connection?: CloudBaseConnection;
  /** Prepended to every collection name: lets a test run use its own collections. */
  collectionPrefix?: string;
}

function isDuplicateKey(error: unknown): boolean {
  return (
    error instanceof CloudBaseError && /E11000|duplicate key|DUPLICATE_WRITE/i.test(`${error.code} ${error.message}`)
  );
}

function isConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === TRANSACTION_CONFLICT;
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
function toDoc<T>(collection: string, raw: Record<string, unknown> | null | undefined): T | null {
  if (!raw) return null;
  const { _id, ...rest } = raw;
  if (OPENID_FIELD in rest) throw new UntrustedDocumentError(collection, String(_id));
  return { id: String(_id), ...(plain(rest) as object) } as T;
}

/**
 * A patch as CloudBase's update takes it: nested objects wrapped in `command.set`, which replaces
 * them (a bare object would be merged field by field); `id` and undefined fields left out.
 */
function updateSpec(command: Database['command'], patch: object): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (key === 'id' || value === undefined) continue;
    wrapped[key] = value !== null && typeof value === 'object' ? command.set(value) : value;
  }
  return wrapped;
}

function body(doc: StoredDoc): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  delete copy.id;
  // CloudBase refuses undefined values; JSON semantics (drop them) match the SQLite adapter.
  for (const key of Object.keys(copy)) if (copy[key] === undefined) delete copy[key];
  return copy;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CloudBaseStore<C> implements Store<C> {
  private readonly db: Database;
  private readonly connection: CloudBaseConnection;
  private readonly names: ReadonlySet<string>;
  private readonly prefix: string;

  constructor(options: CloudBaseStoreOptions) {
    this.connection = options.connection ?? {};
    this.db = cloudBaseApp(this.connection).database();
    this.names = new Set(Object.keys(options.collections));
    this.prefix = options.collectionPrefix ?? '';
  }

  private call<T>(operation: string, work: () => Promise<unknown>): Promise<T> {
    return callCloudBase(this.connection, operation, work) as Promise<T>;
  }

  /** Creates missing collections (tests use it; `npm run deploy` provisions them with indexes and rules). */
  async ensureCollections(): Promise<void> {
    for (const name of this.names) {
      try {
        await this.call('database.createCollection', () => this.db.createCollection(this.prefix + name));
      } catch (error) {
        const exists =
          error instanceof CloudBaseError && /ALREADY_EXIST|already exists/i.test(`${error.code} ${error.message}`);
        if (!exists) throw error;
      }
    }
  }

  private collection(name: string, transaction?: TransactionHandle): Collection {
    if (!this.names.has(name)) throw new Error(`unknown collection: ${name}`);
    return (transaction ?? this.db).collection(this.prefix + name);
  }

  private ops(transaction?: TransactionHandle): DocumentOps<C> {
    const inTransaction = Boolean(transaction);
    return {
      get: async (name, id) => {
        const result = await this.call<SdkResult>('database.get', () =>
          this.collection(name, transaction).doc(id).get(),
        );
        // Outside a transaction the SDK answers a list, inside it a single document or null.
        const raw = inTransaction ? result.data : ((result.data as unknown[]) ?? [])[0];
        return toDoc(name, raw as Record<string, unknown> | null);
      },
      create: async (name, doc) => {
        const reference = this.collection(name, transaction).doc((doc as StoredDoc).id) as unknown as {
          create(data: object): Promise<unknown>;
        };
        try {
          await this.call('database.create', () => reference.create(body(doc as StoredDoc)));
        } catch (error) {
          if (isDuplicateKey(error)) throw new DocumentExistsError(name, (doc as StoredDoc).id);
          throw error;
        }
      },
      set: async (name, doc) => {
        await this.call('database.set', () =>
          this.collection(name, transaction)
            .doc((doc as StoredDoc).id)
            .set(body(doc as StoredDoc)),
        );
      },
      update: async (name, id, patch) => {
        const result = await this.call<SdkResult>('database.update', () =>
          this.collection(name, transaction).doc(id).update(updateSpec(this.db.command, patch)),
        );
        // `updated` is 0 both for a missing document and for a patch equal to what is stored.
        if (result.updated === 0 && !(await this.ops(transaction).get(name, id)))
          throw new DocumentMissingError(name, id);
      },
      delete: async (name, id) => {
        await this.call('database.delete', () => this.collection(name, transaction).doc(id).remove());
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

  async updateIf<K extends keyof C & string>(
    collection: K,
    id: string,
    where: readonly Condition<C[K]>[],
    patch: Partial<Omit<C[K], 'id'>>,
  ): Promise<boolean> {
    // A document a client planted (it carries `_openid`) never matches: only functions' writes are updated.
    const query = {
      ...this.filter<C[K]>([{ field: 'id' as keyof C[K] & string, op: '==', value: id }, ...where]),
      [OPENID_FIELD]: this.db.command.exists(false),
    };
    const result = await this.call<SdkResult>('database.update', () =>
      this.collection(collection).where(query).update(updateSpec(this.db.command, patch)),
    );
    return result.updated === 1;
  }

  async find<K extends keyof C & string>(collection: K, options: FindOptions<C[K]> = {}): Promise<C[K][]> {
    let query = this.collection(collection).where(this.filter(options.where));
    for (const [field, direction] of options.orderBy ?? [])
      query = query.orderBy(field === 'id' ? '_id' : field, direction);
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const result = await this.call<SdkResult>('database.find', () => query.limit(limit).get());
    return ((result.data as Record<string, unknown>[]) ?? []).map((raw) => toDoc<C[K]>(collection, raw)!);
  }

  /**
   * One aggregation over the matching documents: the group's accumulators, plus the largest
   * `_openid` among them ($max ignores missing fields), which is null unless a client wrote one.
   */
  private async totals<K extends keyof C & string>(
    collection: K,
    where: readonly Condition<C[K]>[] | undefined,
    accumulators: (commands: AggregateCommands) => Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const commands = this.db.command.aggregate as unknown as AggregateCommands;
    const result = await this.call<SdkResult>('database.aggregate', () =>
      this.collection(collection)
        .aggregate()
        .match(this.filter(where))
        .group({ _id: null, ...accumulators(commands), untrusted: commands.max(`$${OPENID_FIELD}`) })
        .end(),
    );
    const row = ((result.data as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    if (row.untrusted !== undefined && row.untrusted !== null) throw new UntrustedDocumentError(collection);
    return row;
  }

  async count<K extends keyof C & string>(collection: K, where?: readonly Condition<C[K]>[]): Promise<number> {
    const row = await this.totals(collection, where, (commands) => ({ matched: commands.sum(1) }));
    return Number(row.matched ?? 0);
  }

  async sum<K extends keyof C & string>(
    collection: K,
    field: keyof C[K] & string,
    where?: readonly Condition<C[K]>[],
  ): Promise<number> {
    const row = await this.totals(collection, where, (commands) => ({ total: commands.sum(`$${field}`) }));
    return Number(row.total ?? 0);
  }

  async transaction<R>(work: (tx: DocumentOps<C>) => Promise<R>): Promise<R> {
    // The callback's own errors (domain errors, DocumentExistsError, already-classified failures)
    // pass through untouched; only what the SDK itself throws is classified here. The SDK runs the
    // callback, so this cannot go through callCloudBase, which would classify both alike.
    if (!hasCredentials(this.connection)) throw new DependencyUnavailableError('cloudbase', 'credentials');
    const fromWork = new WeakSet<object>();
    const run = this.db.runTransaction as (
      callback: (transaction: TransactionHandle) => Promise<R>,
      times?: number,
    ) => Promise<R>;
    for (let round = 0; ; round++) {
      try {
        return await run.call(
          this.db,
          async (transaction) => {
            try {
              return await work(this.ops(transaction));
            } catch (error) {
              if (!isConflict(error) && error !== null && typeof error === 'object') fromWork.add(error);
              throw error;
            }
          },
          SDK_CONFLICT_RETRIES,
        );
      } catch (error) {
        if (error !== null && typeof error === 'object' && fromWork.has(error)) throw error;
        const failure = classifyCloudBaseError(error);
        if (!isConflict(failure)) throw failure;
        if (round + 1 >= CONFLICT_ROUNDS) throw new DependencyUnavailableError('cloudbase', 'transaction_conflict');
        await pause(Math.random() * Math.min(CONFLICT_PAUSE_MAX_MS, CONFLICT_PAUSE_MS * 2 ** round));
      }
    }
  }

  async close(): Promise<void> {
    // HTTP-based: nothing to release.
  }
}
