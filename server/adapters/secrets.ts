/**
 * The Secrets port over one master secret: each purpose's key is HKDF-SHA256(master, purpose).
 *
 * Where the master comes from:
 *  - `WXBANK_SECRET` (at least 32 characters) — required inside CloudBase, where a missing one
 *    stops the function with a clear error rather than falling back to anything guessable;
 *  - otherwise (local host, tests, scripts) a development secret: 32 random bytes created once in
 *    a `dev-secret` file beside the SQLite database (`.data/dev-secret` for `npm start`), so every
 *    process on that database derives the same keys. `.data/` is git-ignored: it is never committed.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretPurpose, Secrets } from '../domain/ports/secrets';

const MIN_SECRET_LENGTH = 32;

export class DerivedSecrets implements Secrets {
  private readonly keys = new Map<SecretPurpose, Buffer>();

  constructor(private readonly master: string) {
    if (master.length < MIN_SECRET_LENGTH) {
      throw new Error(`the server secret must be at least ${MIN_SECRET_LENGTH} characters`);
    }
  }

  key(purpose: SecretPurpose): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.master, 'wxbank', purpose, 32));
      this.keys.set(purpose, key);
    }
    return key;
  }
}

/** Reads `<dir>/dev-secret`, creating it on first use; safe when several processes start at once. */
export function developmentSecret(dir: string): string {
  const file = path.join(dir, 'dev-secret');
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  insideCloudBase: boolean;
  /** Folder of the development secret (the database's folder). */
  devSecretDir: string;
}

export function loadSecrets(source: SecretSource): Secrets {
  const configured = source.env.WXBANK_SECRET;
  if (configured) return new DerivedSecrets(configured);
  if (source.insideCloudBase) {
    throw new Error(
      'WXBANK_SECRET is not set: give every function the same secret of 32+ random characters (环境变量 in the function configuration)',
    );
  }
  return new DerivedSecrets(developmentSecret(source.devSecretDir));
}
