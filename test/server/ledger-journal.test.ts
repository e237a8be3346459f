/**
 * The journal core under random and concurrent entries: whatever is appended or refused, the
 * reconciliation invariants of docs/architecture.md (money rules) hold.
 */
import fc from 'fast-check';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { HOUSE_ACCOUNTS, walletAccountId } from '../../server/domain/ledger/accounts';
import { appendEntry, type Posting } from '../../server/domain/ledger/journal';
import { reconcile } from '../../server/domain/ledger/reconcile';
import { AppError } from '../../server/domain/errors';
import { DocumentExistsError } from '../../server/domain/ports/store';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

afterAll(() => removeTempDirs());

const users = ['u1', 'u2', 'u3'];
const accounts = [...users.map(walletAccountId), ...Object.values(HOUSE_ACCOUNTS)];

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
  .filter((e) => e.from !== e.to && e.to !== HOUSE_ACCOUNTS.fees && e.from !== HOUSE_ACCOUNTS.fees)
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
            kind: 'transfer.hold',
            operationId: `debit${i}`,
            userId: 'u1',
            postings: [
              { accountId: wallet, amountFen: -300 },
              { accountId: HOUSE_ACCOUNTS.transit, amountFen: 300 },
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
