/** The bench's round-trip counter: what it calls a request, a round and a transaction. */
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { MIGRATIONS } from '../../server/adapters/sqlite/schema';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { RoundTripCounter, countingStore } from '../../bench/lib/round-trips';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const raw = new SqliteStore<Collections>({ file: tempDbFile(), collections: COLLECTION_SPECS, migrations: MIGRATIONS });
const counter = new RoundTripCounter();
const store = countingStore(raw, counter);
const seq = (id: string) => ({ id, value: 1 });

beforeEach(() => counter.reset());
afterAll(async () => {
  await raw.close();
  removeTempDirs();
});

test('reads started together are one round; each read that waits for another is one more', async () => {
  await Promise.all([store.get('sandboxState', 'a'), store.get('sandboxState', 'b'), store.count('sandboxState')]);
  expect(counter.snapshot()).toEqual({ calls: 3, rounds: 1, transactions: 0 });
  await store.get('sandboxState', 'c');
  await store.find('sandboxState', { limit: 1 });
  expect(counter.snapshot()).toEqual({ calls: 5, rounds: 3, transactions: 0 });
});

test('a transaction is its begin, each operation and its commit, in sequence', async () => {
  await store.transaction(async (tx) => {
    await tx.get('sandboxState', 'x');
    await tx.set('sandboxState', seq('x') as unknown as Collections['sandboxState']);
  });
  expect(counter.snapshot()).toEqual({ calls: 4, rounds: 4, transactions: 1 });
});

test('a call started after another finished, while a third is still out, waits only for the finished one', async () => {
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  const long = counter.request(() => slow);
  await counter.request(() => Promise.resolve());
  const after = counter.request(() => Promise.resolve());
  await after;
  release();
  await long;
  // long and the first short one are depth 1; the one after the short one is depth 2
  expect(counter.snapshot()).toEqual({ calls: 3, rounds: 2, transactions: 0 });
});
