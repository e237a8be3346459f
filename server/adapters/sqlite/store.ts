/**
 * Store adapter on an embedded SQLite file (better-sqlite3). Each collection is a table of
 * `(id TEXT PRIMARY KEY, doc TEXT)` holding JSON; queried fields get expression indexes on
 * `json_extract(doc, '$.field')`, which SQLite uses when a query repeats the same expression.
 *
 * Concurrency: one connection per process, WAL mode, `BEGIN IMMEDIATE` so a writer takes the write
 * lock up front (no deadlocking upgrade from a read), and a busy timeout for other processes.
 * Within the process an async queue serialises operations, because a transaction's callback is
 * async and nothing else may interleave on the connection while it is open.
 */
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
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
import { runMigrations, type Migration } from './migrations';

const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface SqliteStoreOptions {
  file: string;
  collections: Record<string, CollectionSpec>;
  migrations?: readonly Migration[];
  /** Milliseconds another process may hold the write lock before we give up. */
  busyTimeoutMs?: number;
  /**
   * Fail fast when a transaction callback calls the store directly instead of `tx` (which would
   * wait for itself forever). Costs async-context tracking, so tests turn it on, production not.
   */
  detectMisuse?: boolean;
  /**
   * Run every transaction callback twice — once rolled back, then for real — the way CloudBase
   * re-runs a callback after a write conflict. A callback with side effects outside `tx` shows up
   * in tests as doubled effects. Tests turn it on.
   */
  rehearseTransactions?: boolean;
}

type Row = { doc: string };

const POSIX = process.platform !== 'win32';

/**
 * A folder for the host's own files, readable by its owner only: created 0700, and tightened if it
 * exists (only for a folder that is the host's own, like `.data/`: never a folder it was pointed into).
 */
export function ownerOnlyFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX) chmodSync(dir, 0o700);
}

/**
 * The database and its WAL and shared-memory files hold every document: owner-only (0600). SQLite
 * gives the WAL and shared-memory files the database file's permissions, so the database is created
 * 0600 before SQLite opens it, and files an older run left readable are tightened.
 */
function ownerOnlyDatabase(file: string): void {
  if (!POSIX) return;
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(name) && (statSync(name).mode & 0o077) !== 0) chmodSync(name, 0o600);
  }
}

function field(name: string): string {
  // The id is also the primary key column (always equal to the document's own): conditions and
  // orders on it use the table's own index, where json_extract would scan.
  if (name === 'id') return 'id';
  if (!SAFE_NAME.test(name)) throw new Error(`unsafe field name: ${name}`);
  return `json_extract(doc, '$.${name}')`;
}

/** SQLite has no booleans: JSON true/false come back from json_extract as 1/0. */
function bindable(value: Scalar): string | number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function serialise(doc: object): string {
  return JSON.stringify(doc);
}

export class SqliteStore<C> implements Store<C> {
  readonly db: Database.Database;
  private readonly collections: ReadonlySet<string>;
  private readonly statements = new Map<string, Database.Statement>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly insideTransaction?: AsyncLocalStorage<true>;
  private readonly rehearse: boolean;

  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') {
      mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
      ownerOnlyDatabase(options.file);
    }
    this.db = new Database(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    for (const name of Object.keys(options.collections)) {
      if (!SAFE_NAME.test(name)) throw new Error(`unsafe collection name: ${name}`);
    }
    this.collections = new Set(Object.keys(options.collections));
    if (options.detectMisuse) this.insideTransaction = new AsyncLocalStorage();
    this.rehearse = options.rehearseTransactions ?? false;
    runMigrations(this.db, options.collections, options.migrations ?? []);
  }

  private table(collection: string): string {
    if (!this.collections.has(collection)) throw new Error(`unknown collection: ${collection}`);
    return collection;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Serialises work on the one connection; a failed task does not block the ones after it. */
  private exclusive<R>(work: () => Promise<R> | R): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (this.insideTransaction?.getStore()) {
      return Promise.reject(new Error('store used directly inside a transaction callback: use tx'));
    }
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // Synchronous primitives shared by the direct API and transactions.

  private getNow<T>(collection: string, id: string): T | null {
    const row = this.statement(`SELECT doc FROM ${this.table(collection)} WHERE id = ?`).get(id) as Row | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  private createNow(collection: string, doc: StoredDoc): void {
    const result = this.statement(`INSERT OR IGNORE INTO ${this.table(collection)} (id, doc) VALUES (?, ?)`).run(
      doc.id,
      serialise(doc),
    );
    if (result.changes === 0) throw new DocumentExistsError(collection, doc.id);
  }

  private setNow(collection: string, doc: StoredDoc): void {
    this.statement(
      `INSERT INTO ${this.table(collection)} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`,
    ).run(doc.id, serialise(doc));
  }

  private updateNow(collection: string, id: string, patch: object): void {
    const current = this.getNow<StoredDoc>(collection, id);
    if (!current) throw new DocumentMissingError(collection, id);
    const next = { ...current, ...patch, id };
    this.statement(`UPDATE ${this.table(collection)} SET doc = ? WHERE id = ?`).run(serialise(next), id);
  }

  private deleteNow(collection: string, id: string): void {
    this.statement(`DELETE FROM ${this.table(collection)} WHERE id = ?`).run(id);
  }

  private whereClause<T>(where: readonly Condition<T>[] | undefined): {
    sql: string;
    params: (string | number | null)[];
  } {
    if (!where || where.length === 0) return { sql: '', params: [] };
    const parts: string[] = [];
    const params: (string | number | null)[] = [];
    for (const condition of where) {
      const column = field(condition.field);
      if (condition.op === 'in') {
        const values = condition.value as readonly Scalar[];
        if (!Array.isArray(values)) throw new Error(`'in' needs an array for ${condition.field}`);
        if (values.length === 0) {
          parts.push('0');
          continue;
        }
        parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values.map(bindable));
      } else if (condition.value === null) {
        if (condition.op !== '==' && condition.op !== '!=') throw new Error('null only compares with == or !=');
        parts.push(`${column} IS ${condition.op === '==' ? '' : 'NOT '}NULL`);
      } else {
        const op = condition.op === '==' ? '=' : condition.op;
        parts.push(`${column} ${op} ?`);
        params.push(bindable(condition.value as Scalar));
      }
    }
    return { sql: ` WHERE ${parts.join(' AND ')}`, params };
  }

  // Store API.

  get<K extends keyof C & string>(collection: K, id: string): Promise<C[K] | null> {
    return this.exclusive(() => this.getNow<C[K]>(collection, id));
  }

  create<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void> {
    return this.exclusive(() => this.createNow(collection, doc as StoredDoc));
  }

  set<K extends keyof C & string>(collection: K, doc: C[K]): Promise<void> {
    return this.exclusive(() => this.setNow(collection, doc as StoredDoc));
  }

  update<K extends keyof C & string>(collection: K, id: string, patch: Partial<Omit<C[K], 'id'>>): Promise<void> {
    return this.exclusive(() => this.db.transaction(() => this.updateNow(collection, id, patch)).immediate());
  }

  delete<K extends keyof C & string>(collection: K, id: string): Promise<void> {
    return this.exclusive(() => this.deleteNow(collection, id));
  }

  updateIf<K extends keyof C & string>(
    collection: K,
    id: string,
    where: readonly Condition<C[K]>[],
    patch: Partial<Omit<C[K], 'id'>>,
  ): Promise<boolean> {
    const { sql, params } = this.whereClause<C[K]>([
      { field: 'id' as keyof C[K] & string, op: '==', value: id },
      ...where,
    ]);
    return this.exclusive(() =>
      this.db
        .transaction(() => {
          if (!this.statement(`SELECT 1 FROM ${this.table(collection)}${sql}`).get(...params)) return false;
          this.updateNow(collection, id, patch);
          return true;
        })
        .immediate(),
    );
  }

  find<K extends keyof C & string>(collection: K, options: FindOptions<C[K]> = {}): Promise<C[K][]> {
    return this.exclusive(() => {
      const { sql: whereSql, params } = this.whereClause(options.where);
      const order = (options.orderBy ?? [])
        .map(([name, direction]) => `${field(name)} ${direction === 'desc' ? 'DESC' : 'ASC'}`)
        .join(', ');
      const limit = Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
      const sql = `SELECT doc FROM ${this.table(collection)}${whereSql}${order ? ` ORDER BY ${order}` : ''} LIMIT ${limit}`;
      const rows = this.statement(sql).all(...params) as Row[];
      return rows.map((row) => JSON.parse(row.doc) as C[K]);
    });
  }

  count<K extends keyof C & string>(collection: K, where?: readonly Condition<C[K]>[]): Promise<number> {
    return this.exclusive(() => {
      const { sql: whereSql, params } = this.whereClause(where);
      const row = this.statement(`SELECT COUNT(*) AS n FROM ${this.table(collection)}${whereSql}`).get(...params) as {
        n: number;
      };
      return row.n;
    });
  }

  sum<K extends keyof C & string>(
    collection: K,
    fieldName: keyof C[K] & string,
    where?: readonly Condition<C[K]>[],
  ): Promise<number> {
    return this.exclusive(() => {
      const { sql: whereSql, params } = this.whereClause(where);
      const row = this.statement(
        `SELECT COALESCE(SUM(${field(fieldName)}), 0) AS total FROM ${this.table(collection)}${whereSql}`,
      ).get(...params) as { total: number };
      return row.total;
    });
  }

  /**
   * Runs a synchronous read on the connection, in turn with every other operation: how adapters of
   * other ports over the same file (the R*Tree branch locator) query it without seeing a
   * transaction's uncommitted writes.
   */
  read<R>(work: (db: Database.Database) => R): Promise<R> {
    return this.exclusive(() => work(this.db));
  }

  transaction<R>(work: (tx: DocumentOps<C>) => Promise<R>): Promise<R> {
    return this.exclusive(async () => {
      if (this.rehearse) {
        try {
          await this.attempt(work, false);
        } catch {
          // the real run below reports the failure
        }
      }
      return this.attempt(work, true);
    });
  }

  /** One run of a transaction callback on the connection; committed only when `commit` is set. */
  private async attempt<R>(work: (tx: DocumentOps<C>) => Promise<R>, commit: boolean): Promise<R> {
    let open = true;
    const guard = <T>(operation: () => T): Promise<T> => {
      if (!open) return Promise.reject(new Error('transaction already finished'));
      try {
        return Promise.resolve(operation());
      } catch (error) {
        return Promise.reject(error);
      }
    };
    const tx: DocumentOps<C> = {
      get: (collection, id) => guard(() => this.getNow(collection, id)),
      create: (collection, doc) => guard(() => this.createNow(collection, doc as StoredDoc)),
      set: (collection, doc) => guard(() => this.setNow(collection, doc as StoredDoc)),
      update: (collection, id, patch) => guard(() => this.updateNow(collection, id, patch)),
      delete: (collection, id) => guard(() => this.deleteNow(collection, id)),
    };
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await (this.insideTransaction ? this.insideTransaction.run(true, () => work(tx)) : work(tx));
      this.db.exec(commit ? 'COMMIT' : 'ROLLBACK');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    } finally {
      open = false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(() => undefined);
    this.closed = true;
    this.db.close();
  }
}
