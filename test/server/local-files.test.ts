/**
 * What the local host keeps on disk is for its owner only: the data folder is 0700, the SQLite
 * database with its WAL and shared-memory files 0600 (also when an older run left them readable),
 * and a development secret is trusted only if it is a plain file of the current user that nobody
 * else may read or write — it keys every fingerprint and QR signature.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { developmentSecret, loadSecrets } from '../../server/adapters/secrets';
import { ownerOnlyFolder, SqliteStore } from '../../server/adapters/sqlite/store';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const modeOf = (file: string) => statSync(file).mode & 0o777;
const posix = process.platform !== 'win32';
const root = typeof process.getuid === 'function' && process.getuid() === 0;

let savedUmask: number;
beforeAll(() => {
  // what most machines have: new files readable by everyone unless the code says otherwise
  savedUmask = process.umask(0o022);
});
afterAll(() => {
  process.umask(savedUmask);
});
afterEach(() => removeTempDirs());

function openStore(file: string): SqliteStore<Collections> {
  return new SqliteStore<Collections>({ file, collections: COLLECTION_SPECS });
}

(posix ? describe : describe.skip)('the SQLite files', () => {
  test('a new database folder is 0700 and the database, WAL and shared-memory files are 0600', async () => {
    const file = path.join(path.dirname(tempDbFile()), 'fresh', '.data', 'wxbank.sqlite');
    const store = openStore(file);
    await store.set('users', { id: 'u1', level: 'follower', createdAt: 1, updatedAt: 1 });
    expect(modeOf(path.dirname(file)).toString(8)).toBe('700');
    for (const name of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(name)).toBe(true);
      expect({ name: path.basename(name), mode: modeOf(name).toString(8) }).toEqual({
        name: path.basename(name),
        mode: '600',
      });
    }
    await store.close();
  });

  test('files an older run left readable by others are made owner-only when opened', async () => {
    const file = tempDbFile();
    const first = openStore(file);
    await first.set('users', { id: 'u1', level: 'follower', createdAt: 1, updatedAt: 1 });
    await first.close();
    for (const name of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(name)) chmodSync(name, 0o644);
    const again = openStore(file);
    expect(await again.get('users', 'u1')).toMatchObject({ id: 'u1' });
    for (const name of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(name)) expect(modeOf(name).toString(8)).toBe('600');
    }
    await again.close();
  });

  test('the host’s own data folder is made owner-only even when it exists already', () => {
    const dir = path.join(path.dirname(tempDbFile()), '.data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    ownerOnlyFolder(dir);
    expect(modeOf(dir).toString(8)).toBe('700');
    const created = path.join(path.dirname(tempDbFile()), 'new', '.data');
    ownerOnlyFolder(created);
    expect(modeOf(created).toString(8)).toBe('700');
  });
});

(posix ? describe : describe.skip)('the development secret', () => {
  const dirWithSecret = (mode: number) => {
    const dir = path.dirname(tempDbFile());
    const file = path.join(dir, 'dev-secret');
    writeFileSync(file, 'f'.repeat(64), { mode });
    chmodSync(file, mode);
    return { dir, file };
  };
  const load = (dir: string) => loadSecrets({ env: {}, insideCloudBase: false, devSecretDir: dir });

  test('is created 0600, in a folder created 0700', () => {
    const dir = path.join(path.dirname(tempDbFile()), 'absent', '.data');
    const secret = developmentSecret(dir);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(modeOf(path.join(dir, 'dev-secret')).toString(8)).toBe('600');
    expect(modeOf(dir).toString(8)).toBe('700');
  });

  test('an owner-only file of the current user is trusted', () => {
    const { dir } = dirWithSecret(0o600);
    expect(developmentSecret(dir)).toBe('f'.repeat(64));
    expect(() => load(dir)).not.toThrow();
  });

  test.each([0o644, 0o640, 0o604, 0o620, 0o602, 0o666].map((mode) => [mode.toString(8), mode]))(
    'a file with mode %s (others may read or write it) is refused with what to do',
    (_label, mode) => {
      const { dir, file } = dirWithSecret(mode);
      expect(() => load(dir)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*chmod 600`));
    },
  );

  test('a symbolic link in its place is refused, not followed', () => {
    const { dir: elsewhere, file: target } = dirWithSecret(0o600);
    const dir = path.join(elsewhere, 'linked');
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync(target, path.join(dir, 'dev-secret'));
    expect(() => load(dir)).toThrow(/not a plain file/);
  });

  (root ? test : test.skip)('a file of another user is refused', () => {
    const { dir, file } = dirWithSecret(0o600);
    chownSync(file, 65534, 65534);
    expect(() => load(dir)).toThrow(/belongs to another user/);
  });
});
