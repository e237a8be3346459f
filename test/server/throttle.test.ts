/**
 * The rate limiter behind assistant.send and appointment changes, on a SQLite store that re-runs
 * every transaction callback (as CloudBase may): each window counts on its own, a refused request
 * is not counted, the answer names the latest window to reopen, and concurrent requests never get
 * past a limit.
 */
import { MemoryLogger } from '../../server/adapters/system';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { AppError } from '../../server/domain/errors';
import { takeRate, type RateLimit } from '../../server/domain/throttle';
import { ManualClock } from '../helpers/clock';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

const MINUTE = 60_000;
const LIMITS: RateLimit[] = [
  { windowMs: MINUTE, max: 3 },
  { windowMs: 60 * MINUTE, max: 5 },
];

let store: SqliteStore<Collections>;
let clock: ManualClock;
let deps: { store: SqliteStore<Collections>; clock: ManualClock; log: MemoryLogger };
beforeEach(() => {
  store = new SqliteStore<Collections>({
    file: tempDbFile(),
    collections: COLLECTION_SPECS,
    detectMisuse: true,
    rehearseTransactions: true,
  });
  clock = new ManualClock();
  deps = { store, clock, log: new MemoryLogger() };
});
afterEach(async () => {
  await store.close();
  removeTempDirs();
});

const take = (subject = 'u1') => takeRate(deps, 'assistantSend', subject, LIMITS, (wait) => `请${wait}后再试`);

async function refusal(subject = 'u1'): Promise<AppError> {
  const error = await take(subject).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error('expected RATE_LIMITED');
  return error;
}

test('each window counts on its own; a refused request is not counted', async () => {
  for (let i = 0; i < 3; i++) await take();
  const first = await refusal();
  expect(first.code).toBe('RATE_LIMITED');
  expect(first.message).toBe('请1分钟后再试');
  expect(first.details).toEqual({ retryAfterMs: MINUTE, retryAt: clock.now() + MINUTE });
  await refusal(); // refused again: still only 3 counted in the hour
  clock.advance(MINUTE);
  await take();
  await take();
  // the hour's window is full now (5), though the minute's is not: wait for the hour's
  const hourly = await refusal();
  expect(hourly.details).toEqual({ retryAfterMs: 59 * MINUTE, retryAt: clock.now() + 59 * MINUTE });
  expect(hourly.message).toBe('请59分钟后再试');
  await take('u2'); // another subject has its own counts
});

test('concurrent requests: exactly the limit gets through', async () => {
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => take()));
  expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
  const counter = await store.get('rateCounters', 'assistantSend_u1');
  expect(counter?.windows[String(MINUTE)]?.count).toBe(3);
});
