/**
 * Crash safety: a host process killed (SIGKILL, no cleanup) in the middle of a batch of transfers
 * leaves a database where reconciliation passes, no request is half-applied, and `settle`
 * finishes every operation it left behind — those the bank never received are given back.
 */
import { CONFIG } from '../../server/config';
import { createLocalApp } from '../../server/host/app';
import { reconcile } from '../../server/domain/ledger/reconcile';
import { settle } from '../../server/domain/ledger/settle';
import { walletAccountId } from '../../server/domain/ledger/accounts';
import { ManualClock } from '../helpers/clock';
import { hostClient } from '../helpers/host';
import { MemoryLogger } from '../../server/adapters/system';
import { spawnHost } from '../helpers/processes';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { act, ALICE, bindCard, ok, verifiedUser } from '../helpers/verification';

jest.setTimeout(120_000);

const CARD = '6217000000000000020'; // ¥50,000 at the sandbox bank
const afterAllKill: { kill(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(afterAllKill.map((host) => host.kill()));
  removeTempDirs();
});

test('killed mid-batch: nothing half-applied, reconciliation passes, settle finishes the rest', async () => {
  const dbFile = tempDbFile();
  const host = await spawnHost(dbFile);
  // whatever happens below, no host process outlives the test
  afterAllKill.push(host);
  const client = { ...hostClient(host.url), clock: { advance: () => undefined } };
  await verifiedUser(client, 'o-crash', ALICE);
  const { cardId } = await bindCard(client, 'o-crash', CARD);
  await ok(client, 'o-crash', 'ledger', {
    action: 'topup',
    requestId: 'crash-topup-1',
    cardId,
    amountFen: 5_000_000,
    payPassword: ALICE.payPassword,
  });

  let answered = 0;
  const batch = Array.from(
    { length: 120 },
    (_, i) =>
      act(client, 'o-crash', 'ledger', {
        action: 'transferToCard',
        requestId: `crash-transfer-${i}`,
        payeeName: '王小明',
        cardNumber: i % 4 === 0 ? '6222020000000000133' : '6217000000000000160',
        amountFen: 1_000 + i,
        speed: 'fast',
        payPassword: ALICE.payPassword,
      })
        .then(() => void (answered += 1))
        .catch(() => undefined), // the connection dies with the process
  );
  while (answered < 25) await new Promise((resolve) => setTimeout(resolve, 5));
  await host.kill();
  await Promise.all(batch);
  expect(answered).toBeLessThan(120); // it really died mid-batch

  const clock = new ManualClock(Date.now());
  const app = createLocalApp({ dbFile, clock, log: new MemoryLogger() });
  const { store } = app.deps;
  try {
    const before = await reconcile(app.deps);
    expect(before.breaks).toEqual([]);
    // every booked operation is whole: its key, its hold entry and the day's limit all exist together
    // only this test's user: the host's seed gave demo user B a transfer of its own
    const { userId } = (await store.get('wxAccounts', 'o-crash'))!;
    const mine = [{ field: 'userId', op: '==', value: userId }] as const;
    const operations = await store.find('walletOperations', {
      where: [...mine, { field: 'type', op: '==', value: 'transfer' }],
      limit: 1000,
    });
    const keys = await store.find('idempotencyKeys', { where: mine, limit: 1000 });
    expect(
      keys
        .filter((key) => key.action === 'transferToCard')
        .map((key) => key.operationId)
        .sort(),
    ).toEqual(operations.map((op) => op.id).sort());
    for (const op of operations) {
      expect(await store.get('journalEntries', `${op.id}:hold`)).not.toBeNull();
    }
    const day = (await store.find('dailyTransfers', { where: mine, limit: 10 }))[0];
    expect(day?.totalFen ?? 0).toBe(operations.reduce((sum, op) => sum + op.amountFen, 0));

    // settle, once the bank has had time: everything ends, nothing is left half-way
    clock.advance(CONFIG.sandbox.settleAfterMs + 10 * 60 * 1000);
    const report = await settle(app.deps);
    expect(report.reconciliation.breaks).toEqual([]);
    expect(report.stillPending).toBe(0);
    const after = await store.find('walletOperations', {
      where: [...mine, { field: 'type', op: '==', value: 'transfer' }],
      limit: 1000,
    });
    const succeeded = after.filter((op) => op.status === 'SUCCEEDED');
    expect(after.every((op) => op.status !== 'PROCESSING')).toBe(true);
    const wallet = await store.get('wallets', walletAccountId(userId));
    expect(wallet?.balanceFen).toBe(5_000_000 - succeeded.reduce((sum, op) => sum + op.amountFen + op.feeFen, 0));
  } finally {
    await app.close();
  }
});
