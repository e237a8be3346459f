/** Numbered SQLite migrations beyond the collection tables (see migrations.ts). None yet. */
import type { Migration } from './migrations';

export const MIGRATIONS: readonly Migration[] = [];
