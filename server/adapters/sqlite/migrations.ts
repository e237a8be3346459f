/**
 * Schema for the SQLite adapter. Collection tables and their indexes follow COLLECTION_SPECS and
 * are created if missing on every open (adding a collection or an index needs no migration).
 * Anything else — a data rewrite, a spatial index — is a numbered migration, applied once, in order,
 * and recorded in `PRAGMA user_version`.
 */
import type Database from 'better-sqlite3';
import type { CollectionSpec } from '../../domain/ports/store';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

function indexName(collection: string, fields: readonly string[]): string {
  return `idx_${collection}__${fields.join('__')}`;
}

export function runMigrations(
  db: Database.Database,
  collections: Record<string, CollectionSpec>,
  migrations: readonly Migration[],
): void {
  const ensure = db.transaction(() => {
    for (const [collection, spec] of Object.entries(collections)) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${collection} (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT`);
      for (const fields of spec.indexes) {
        const columns = fields.map((name) => `json_extract(doc, '$.${name}')`).join(', ');
        db.exec(`CREATE INDEX IF NOT EXISTS ${indexName(collection, fields)} ON ${collection} (${columns})`);
      }
    }
    const current = db.pragma('user_version', { simple: true }) as number;
    const pending = [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
    for (const migration of pending) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  ensure.immediate();
}
