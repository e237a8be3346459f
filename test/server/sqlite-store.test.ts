import { spawn } from 'node:child_process';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { describeStoreContract, CONTRACT_SPECS, type ContractCollections } from './store-contract';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

afterAll(() => removeTempDirs());

describeStoreContract(
  'SQLite',
  async () =>
    new SqliteStore<ContractCollections>({ file: tempDbFile(), collections: CONTRACT_SPECS, detectMisuse: true }),
);

describe('SQLite adapter specifics', () => {
  test('opens in WAL mode, creates the declared expression indexes, and the planner uses them', async () => {
    const file = tempDbFile();
    const store = new SqliteStore<ContractCollections>({ file, collections: CONTRACT_SPECS });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const plan = store.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT doc FROM items WHERE json_extract(doc, '$.owner') = ? ORDER BY json_extract(doc, '$.rank') DESC`,
      )
      .all('u1') as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toContain('idx_items__owner__rank');
    await store.close();
  });

  test('data survives closing and reopening the file; migrations run once, in order', async () => {
    const file = tempDbFile();
    const applied: number[] = [];
    const migrations = [2, 1].map((version) => ({
      version,
      description: `m${version}`,
      up: () => void applied.push(version),
    }));
    const first = new SqliteStore<ContractCollections>({ file, collections: CONTRACT_SPECS, migrations });
    await first.create('counters', { id: 'c', value: 3 });
    await first.close();
    const second = new SqliteStore<ContractCollections>({ file, collections: CONTRACT_SPECS, migrations });
    expect(await second.get('counters', 'c')).toEqual({ id: 'c', value: 3 });
    expect(applied).toEqual([1, 2]);
    expect(second.db.pragma('user_version', { simple: true })).toBe(2);
    await second.close();
  });

  test('calling the store directly inside a transaction callback fails fast instead of hanging', async () => {
    const store = new SqliteStore<ContractCollections>({
      file: tempDbFile(),
      collections: CONTRACT_SPECS,
      detectMisuse: true,
    });
    await expect(store.transaction(async () => store.get('counters', 'c'))).rejects.toThrow(/use tx/);
    // and the store still works afterwards
    await store.create('counters', { id: 'c', value: 1 });
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
    await store.close();
  });

  test('a write waits while another process holds the write lock, then goes through', async () => {
    const file = tempDbFile();
    const store = new SqliteStore<ContractCollections>({ file, collections: CONTRACT_SPECS });
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)});
       db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); db.exec('COMMIT'); db.close();`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    await store.create('counters', { id: 'c', value: 1 });
    expect(Date.now() - started).toBeGreaterThan(100);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
    await new Promise((resolve) => holder.once('exit', resolve));
    await store.close();
  });

  test('unknown collections and unsafe field names are programming errors', async () => {
    const store = new SqliteStore<ContractCollections>({ file: tempDbFile(), collections: CONTRACT_SPECS });
    await expect(store.get('nope' as 'items', 'x')).rejects.toThrow(/unknown collection/);
    await expect(
      store.find('items', { where: [{ field: "owner') OR 1=1 --" as 'owner', op: '==', value: 'x' }] }),
    ).rejects.toThrow(/unsafe field/);
    await store.close();
  });
});

describe('transaction rehearsal (CloudBase re-runs callbacks on conflict)', () => {
  test('runs the callback twice, keeps only the second run, and exposes side effects outside tx', async () => {
    const store = new SqliteStore<ContractCollections>({
      file: tempDbFile(),
      collections: CONTRACT_SPECS,
      rehearseTransactions: true,
    });
    let runs = 0;
    await store.transaction(async (tx) => {
      runs += 1; // a side effect outside tx: exactly what rehearsal makes visible
      const counter = await tx.get('counters', 'c');
      await tx.set('counters', { id: 'c', value: (counter?.value ?? 0) + 1 });
    });
    expect(runs).toBe(2);
    expect(await store.get('counters', 'c')).toEqual({ id: 'c', value: 1 });
    await store.close();
  });
});
