/**
 * Storage port. A small document store shaped by the stricter of its two adapters (CloudBase):
 * inside a transaction only single-document operations exist (get/create/set/update/delete by id),
 * and the work callback may be re-run on conflict, so it must have no side effects outside `tx`.
 * Queries (`find`, `count`) run outside transactions; anything that must be unique or atomic is
 * modelled with deterministic document ids and read/written through `tx`.
 */

export type Scalar = string | number | boolean | null;

export interface StoredDoc {
  id: string;
}

export type Comparison = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';

export interface Condition<T> {
  field: keyof T & string;
  op: Comparison;
  value: Scalar | readonly Scalar[];
}

export interface FindOptions<T> {
  where?: readonly Condition<T>[];
  orderBy?: readonly (readonly [keyof T & string, 'asc' | 'desc'])[];
  /** Defaults to 100; adapters cap it at 1000. */
  limit?: number;
}

/** Thrown by `create` when the id is taken: how the domain enforces uniqueness. */
export class DocumentExistsError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} already exists`);
    this.name = 'DocumentExistsError';
  }
}

/** Thrown by `update` when the document is missing. */
export class DocumentMissingError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document ${collection}/${id} does not exist`);
    this.name = 'DocumentMissingError';
  }
}

/** Single-document operations: all a transaction may do. */
export interface DocumentOps<C> {
  get<K extends keyof C & string>(collection: K, id: string): Promise<C[K] | null>;
  create<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void>;
  /** Create or replace. */
  set<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void>;
  /** Shallow merge of top-level fields; nested objects are replaced, not merged. */
  update<K extends keyof C & string>(collection: K, id: string, patch: Partial<Omit<C[K], 'id'>>): Promise<void>;
  delete<K extends keyof C & string>(collection: K, id: string): Promise<void>;
}

export interface Store<C> extends DocumentOps<C> {
  find<K extends keyof C & string>(collection: K, options?: FindOptions<C[K]>): Promise<C[K][]>;
  count<K extends keyof C & string>(collection: K, where?: readonly Condition<C[K]>[]): Promise<number>;
  /** Sum of a numeric field over the matching documents (0 when none): balances derived from postings. */
  sum<K extends keyof C & string>(
    collection: K,
    field: keyof C[K] & string,
    where?: readonly Condition<C[K]>[],
  ): Promise<number>;
  /**
   * Updates one document only if it still matches `where` — a compare-and-set on a single document,
   * atomic without a transaction (one round trip on CloudBase). True when it was updated; false
   * when the document is missing or no longer matches. The patch must change the document (a
   * CloudBase update that changes nothing counts as not updated).
   */
  updateIf<K extends keyof C & string>(
    collection: K,
    id: string,
    where: readonly Condition<C[K]>[],
    patch: Partial<Omit<C[K], 'id'>>,
  ): Promise<boolean>;
  /** Runs `work` atomically. It may run more than once: keep it free of side effects. */
  transaction<R>(work: (tx: DocumentOps<C>) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** What a collection needs from the adapter: the field lists that queries filter and sort by. */
export interface CollectionSpec {
  indexes: readonly (readonly string[])[];
}
