import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh SQLite file path in its own temporary folder; every test database is its own. */
export function tempDbFile(name = 'wxbank.sqlite'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-test-'));
  made.push(dir);
  return path.join(dir, name);
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
