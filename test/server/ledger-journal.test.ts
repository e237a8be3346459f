/**
 * The journal core under random and concurrent entries: whatever is appended or refused, the
 * reconciliation invariants of docs/architecture.md (money rules) hold.
 */
import fc from 'fast-check';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { HOUSE_ACCOUNTS, walletAccountId } from '../../server/domain/ledger/accounts';
import { appendEntry, type Posting } from '../../server/domain/ledger/journal';
import { baseOperation } from '../../server/domain/ledger/operations';
import { reconcile } from '../../server/domain/ledger/reconcile';
import { AppError } from '../../server/domain/errors';
import { DocumentExistsError } from '../../server/domain/ports/store';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

afterAll(() => removeTempDirs());

const users = ['u1', 'u2', 'u3'];
// Transit holds only what PROCESSING operations put there (reconcile checks it), so random entries leave it out.
const accounts = [...users.map(walletAccountId), HOUSE_ACCOUNTS.settlement];

function openStore() {
  return new SqliteStore<Collections>({
    file: tempDbFile(),
    collections: COLLECTION_SPECS,
    rehearseTransactions: true,
  });
}

/** A balanced entry: money moves from one account to another, optionally with a fee leg. */
const entryArb = fc
  .record({
    from: fc.constantFrom(...accounts),
    to: fc.constantFrom(...accounts),
    amountFen: fc.integer({ min: 1, max: 500_000 }),
    feeFen: fc.integer({ min: 0, max: 1_000 }),
  })
  .filter((e) => e.from !== e.to)
  .map(({ from, to, amountFen, feeFen }): Posting[] => {
    const postings: Posting[] = [
      { accountId: from, amountFen: -(amountFen + feeFen) },
      { accountId: to, amountFen },
    ];
    if (feeFen > 0) postings.push({ accountId: HOUSE_ACCOUNTS.fees, amountFen: feeFen });
    return postings;
  });

test('random entries: every refusal leaves no trace and the invariants always hold', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 40 }), async (entries) => {
      const store = openStore();
      let booked = 0;
      for (const [index, postings] of entries.entries()) {
        try {
          await store.transaction((tx) =>
            appendEntry(
              tx,
              { id: `e${index}`, kind: 'payment', operationId: `op${index}`, userId: null, postings },
              index,
            ),
          );
          booked += 1;
        } catch (error) {
          // only an overdraft may be refused, and then nothing of the entry exists
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe('INSUFFICIENT_FUNDS');
          expect(await store.get('journalEntries', `e${index}`)).toBeNull();
        }
      }
      const report = await reconcile({ store });
      expect(report.breaks).toEqual([]);
      expect(report.entries).toBe(booked);
      await store.close();
    }),
    { numRuns: 25 },
  );
});

test('concurrent debits of one wallet never overdraw it', async () => {
  const store = openStore();
  const wallet = walletAccountId('u1');
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'fund',
        kind: 'topup',
        operationId: 'fund',
        userId: 'u1',
        postings: [
          { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -10_000 },
          { accountId: wallet, amountFen: 10_000 },
        ],
      },
      0,
    ),
  );
  const results = await Promise.allSettled(
    Array.from({ length: 60 }, (_, i) =>
      store.transaction((tx) =>
        appendEntry(
          tx,
          {
            id: `debit${i}`,
            kind: 'payment',
            operationId: `debit${i}`,
            userId: 'u1',
            postings: [
              { accountId: wallet, amountFen: -300 },
              { accountId: HOUSE_ACCOUNTS.settlement, amountFen: 300 },
            ],
          },
          1,
        ),
      ),
    ),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(33); // 33 × 300 ≤ 10,000 < 34 × 300
  expect((await store.get('wallets', wallet))?.balanceFen).toBe(100);
  expect((await reconcile({ store })).ok).toBe(true);
  await store.close();
});

test('the same entry id can never be booked twice; unbalanced entries are programming errors', async () => {
  const store = openStore();
  const postings = [
    { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -5 },
    { accountId: walletAccountId('u1'), amountFen: 5 },
  ];
  const entry = { id: 'once', kind: 'topup' as const, operationId: 'op', userId: 'u1', postings };
  await store.transaction((tx) => appendEntry(tx, entry, 0));
  await expect(store.transaction((tx) => appendEntry(tx, entry, 0))).rejects.toBeInstanceOf(DocumentExistsError);
  expect((await store.get('wallets', walletAccountId('u1')))?.balanceFen).toBe(5);
  await expect(
    store.transaction((tx) =>
      appendEntry(
        tx,
        {
          ...entry,
          id: 'bad',
          postings: [
            { accountId: 'a', amountFen: 1 },
            { accountId: 'b', amountFen: 0 },
          ],
        },
        0,
      ),
    ),
  ).rejects.toThrow(/non-zero/);
  await expect(
    store.transaction((tx) =>
      appendEntry(
        tx,
        {
          ...entry,
          id: 'bad2',
          postings: [
            { accountId: 'a', amountFen: 1 },
            { accountId: 'b', amountFen: 1 },
          ],
        },
        0,
      ),
    ),
  ).rejects.toThrow(/sum to 2/);
  await expect(
    store.transaction((tx) =>
      appendEntry(
        tx,
        {
          ...entry,
          id: 'bad3',
          postings: [
            { accountId: 'a', amountFen: 0.5 },
            { accountId: 'b', amountFen: -0.5 },
          ],
        },
        0,
      ),
    ),
  ).rejects.toThrow(/integer/);
  expect((await reconcile({ store })).ok).toBe(true);
  await store.close();
});

test('reconciliation reports a wallet whose balance document drifted from its postings', async () => {
  const store = openStore();
  const wallet = walletAccountId('u2');
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'e',
        kind: 'topup',
        operationId: 'op',
        userId: 'u2',
        postings: [
          { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -7 },
          { accountId: wallet, amountFen: 7 },
        ],
      },
      0,
    ),
  );
  await store.update('wallets', wallet, { balanceFen: 8 });
  const report = await reconcile({ store });
  expect(report.ok).toBe(false);
  expect(report.breaks).toEqual([{ check: 'wallet_mismatch', subject: wallet, detail: 'balance 8, postings 7' }]);
  await store.close();
});

/** settlement → wallet, as a confirmed top-up books it. */
async function fund(store: SqliteStore<Collections>, userId: string, amountFen: number, id = `fund-${userId}`) {
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id,
        kind: 'topup',
        operationId: id,
        userId,
        postings: [
          { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -amountFen },
          { accountId: walletAccountId(userId), amountFen },
        ],
      },
      0,
    ),
  );
}

/** A PROCESSING withdrawal with its hold (amount + fee from the wallet to transit), as booking leaves it. */
async function processingWithdrawal(
  store: SqliteStore<Collections>,
  userId: string,
  operationId: string,
  heldFen: number,
) {
  await store.transaction(async (tx) => {
    await appendEntry(
      tx,
      {
        id: `${operationId}:hold`,
        kind: 'withdraw.hold',
        operationId,
        userId,
        postings: [
          { accountId: walletAccountId(userId), amountFen: -heldFen },
          { accountId: HOUSE_ACCOUNTS.transit, amountFen: heldFen },
        ],
      },
      0,
    );
    await tx.create(
      'walletOperations',
      baseOperation(operationId, userId, 0, {
        type: 'withdraw',
        amountFen: heldFen,
        feeFen: 0,
        entryIds: [`${operationId}:hold`],
        counterparty: {
          kind: 'card',
          bankCode: 'ICBC',
          name: '中国工商银行',
          cardType: 'debit',
          lastFour: '0018',
          maskedHolder: null,
        },
      }),
    );
  });
}

test('reconciliation sees minted money: transit below the open holds, a house account on the wrong side', async () => {
  const store = openStore();
  await fund(store, 'u1', 1_000);
  await processingWithdrawal(store, 'u1', 'op-open', 400);
  expect((await reconcile({ store })).breaks).toEqual([]);
  // balanced, every wallet matches its postings, the total is zero — and ¥50,000 came from nowhere
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'minted',
        kind: 'withdraw.void',
        operationId: 'op-never-held',
        userId: 'u1',
        postings: [
          { accountId: HOUSE_ACCOUNTS.transit, amountFen: -5_000_000 },
          { accountId: walletAccountId('u1'), amountFen: 5_000_000 },
        ],
      },
      0,
    ),
  );
  const report = await reconcile({ store });
  expect(report.ok).toBe(false);
  expect(report.totalFen).toBe(0);
  expect(report.breaks).toEqual([
    { check: 'transit_mismatch', subject: HOUSE_ACCOUNTS.transit, detail: 'balance -4999600, open holds 400' },
    { check: 'house_account_sign', subject: HOUSE_ACCOUNTS.transit, detail: 'balance -4999600, must be ≥ 0' },
  ]);
  await store.close();
});

test('reconciliation: settlement above zero and fees below it are on the wrong side', async () => {
  const store = openStore();
  await fund(store, 'u1', 100);
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'odd',
        kind: 'payment',
        operationId: 'odd',
        userId: null,
        postings: [
          { accountId: HOUSE_ACCOUNTS.fees, amountFen: -300 },
          { accountId: HOUSE_ACCOUNTS.settlement, amountFen: 300 },
        ],
      },
      0,
    ),
  );
  const report = await reconcile({ store });
  expect(report.breaks).toEqual([
    { check: 'house_account_sign', subject: HOUSE_ACCOUNTS.settlement, detail: 'balance 200, must be ≤ 0' },
    { check: 'house_account_sign', subject: HOUSE_ACCOUNTS.fees, detail: 'balance -300, must be ≥ 0' },
  ]);
  await store.close();
});

test('reconciliation: a PROCESSING withdrawal without its hold entry is reported', async () => {
  const store = openStore();
  await store.create(
    'walletOperations',
    baseOperation('op-forged', 'u1', 0, {
      type: 'transfer',
      amountFen: 1_000,
      feeFen: 10,
      counterparty: {
        kind: 'card',
        bankCode: 'CCB',
        name: '中国建设银行',
        cardType: 'debit',
        lastFour: '0160',
        maskedHolder: null,
      },
    }),
  );
  expect((await reconcile({ store })).breaks).toEqual([
    { check: 'hold_missing', subject: 'op-forged', detail: 'PROCESSING transfer without its hold entry' },
  ]);
  await store.close();
});

test('reconciliation pages through any number of open holds', async () => {
  const store = openStore();
  await fund(store, 'u1', 1_000_000);
  for (let i = 0; i < 620; i++) await processingWithdrawal(store, 'u1', `op-${String(i).padStart(4, '0')}`, 100 + i);
  expect((await reconcile({ store })).breaks).toEqual([]);
  await store.close();
});

test('reconciliation compares every posting document with its entry', async () => {
  const store = openStore();
  await fund(store, 'u1', 1_000);
  await store.transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'pay',
        kind: 'payment',
        operationId: 'pay',
        userId: 'u1',
        postings: [
          { accountId: walletAccountId('u1'), amountFen: -600 },
          { accountId: 'merchant:m1', amountFen: 600 },
        ],
      },
      0,
    ),
  );
  // the document now credits another merchant than its entry says; every sum still agrees
  await store.update('postings', 'pay#1', { accountId: 'merchant:m2' });
  expect((await reconcile({ store })).breaks).toEqual([
    { check: 'entry_postings_mismatch', subject: 'pay', detail: '2 posting documents' },
  ]);
  await store.close();
});
