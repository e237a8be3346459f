/**
 * The Secrets port over a versioned master secret: each purpose's key is HKDF-SHA256(master,
 * purpose), under the current master (`WXBANK_SECRET`) for everything made, and under each earlier
 * one (`WXBANK_SECRET_PREVIOUS`, comma-separated, newest first) for verifying what was made before a
 * rotation. `npm run deploy -- --rotate-secret` moves the current one there and makes a new one.
 *
 * Where the master comes from:
 *  - `WXBANK_SECRET` (at least 32 characters) — required inside CloudBase, where a missing one
 *    stops the function with a clear error rather than falling back to anything guessable;
 *  - otherwise (local host, tests, scripts) a development secret: 32 random bytes created once in
 *    a `dev-secret` file beside the SQLite database (`.data/dev-secret` for `npm start`), so every
 *    process on that database derives the same keys. `.data/` is git-ignored: it is never committed.
 *    The file is trusted only if it is the current user's and nobody else may read or write it.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretPurpose, Secrets } from '../domain/ports/secrets';

const MIN_SECRET_LENGTH = 32;

function checkedMaster(master: string): string {
  if (master.length < MIN_SECRET_LENGTH) {
    throw new Error(`the server secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return master;
}

/** `k3f9a1c2e`: names a master secret in logs and plans; one-way, and not a key of any purpose. */
export function secretKeyId(master: string): string {
  return `k${Buffer.from(hkdfSync('sha256', master, 'wxbank', 'key-id', 4)).toString('hex')}`;
}

export class DerivedSecrets implements Secrets {
  private readonly keys = new Map<SecretPurpose, Buffer>();
  private readonly earlier = new Map<SecretPurpose, Buffer[]>();
  readonly keyId: string;

  constructor(
    private readonly master: string,
    /** Earlier masters, newest first: verification only. */
    private readonly earlierMasters: readonly string[] = [],
  ) {
    checkedMaster(master);
    for (const earlierMaster of earlierMasters) checkedMaster(earlierMaster);
    this.keyId = secretKeyId(master);
  }

  key(purpose: SecretPurpose): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.master, 'wxbank', purpose, 32));
      this.keys.set(purpose, key);
    }
    return key;
  }

  earlierKeys(purpose: SecretPurpose): readonly Buffer[] {
    let keys = this.earlier.get(purpose);
    if (!keys) {
      keys = this.earlierMasters.map((master) => Buffer.from(hkdfSync('sha256', master, 'wxbank', purpose, 32)));
      this.earlier.set(purpose, keys);
    }
    return keys;
  }
}

/** `WXBANK_SECRET_PREVIOUS`: earlier secrets, comma-separated, newest first (none when unset). */
export function earlierSecrets(env: NodeJS.ProcessEnv): string[] {
  return (env.WXBANK_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/**
 * The content of a development secret file, if it can be trusted: a plain file (a symlink planted in
 * its place is not followed), of the current user, that nobody else may read or write — whoever
 * can read it can forge QR codes and fingerprints; whoever can write it chooses them.
 */
function readOwnSecretFile(file: string): string {
  const refuse = (problem: string) => new Error(`${file} ${problem}: refusing to use it as the development secret`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw refuse('is not a plain file (a symbolic link)');
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw refuse('is not a plain file');
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw refuse(`belongs to another user (uid ${stat.uid}); delete it to have a new one created`);
    }
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw refuse(
        `may be read or written by others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600 ${file}, or delete it to have a new one created`,
      );
    }
    return readFileSync(fd, 'utf8').trim();
  } finally {
    closeSync(fd);
  }
}

/** Reads `<dir>/dev-secret`, creating it (0600, in a 0700 folder) on first use; safe when several processes start at once. */
export function developmentSecret(dir: string): string {
  const file = path.join(dir, 'dev-secret');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readOwnSecretFile(file);
}

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  insideCloudBase: boolean;
  /** Folder of the development secret (the database's folder). */
  devSecretDir: string;
}

export function loadSecrets(source: SecretSource): Secrets {
  const configured = source.env.WXBANK_SECRET;
  if (configured) return new DerivedSecrets(configured, earlierSecrets(source.env));
  if (source.insideCloudBase) {
    throw new Error(
      'WXBANK_SECRET is not set: give every function the same secret of 32+ random characters (环境变量 in the function configuration)',
    );
  }
  return new DerivedSecrets(developmentSecret(source.devSecretDir));
}
