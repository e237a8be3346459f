/**
 * Incremental reconciliation and the daily audit: each settle run checks only what was booked
 * since its checkpoint (the running totals kept per account tell the rest), a break still names
 * the account and the difference, and the audit finds what increments cannot see — a posting
 * changed behind the checkpoint, an entry committed behind it — reports it in a dated report and
 * corrects the running total.
 */
import { CONFIG } from '../../server/config';
import { auditLedger } from '../../server/domain/ledger/audit';
import { CHECKPOINT_ID, reconcileIncrementally } from '../../server/domain/ledger/checkpoint';
import { HOUSE_ACCOUNTS, walletAccountId } from '../../server/domain/ledger/accounts';
import { appendEntry } from '../../server/domain/ledger/journal';
import type { LedgerAuditView, OperationView, SettleReport } from '../../typings/ledger';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, bindCard, ok, verifiedUser } from '../helpers/verification';

const CARD = '6222020000000000018';
const LAG = CONFIG.ledger.reconcileLagMs;

let host: TestHost;
let cardId: string;
let walletId: string;
let sequence = 0;

beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  ({ cardId } = await bindCard(host, 'o-alice', CARD));
  const { userId } = await ok<{ userId: string }>(host, 'o-alice', 'user', { action: 'profile' });
  walletId = walletAccountId(userId);
});
afterEach(async () => {
  await host.close();
});

const store = () => host.app.deps.store;
const settle = () => ok<SettleReport>(host, '', 'settle', { action: 'run' });
const topup = (amountFen: number) =>
  ok<OperationView>(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: `checkpoint-${sequence++}`,
    cardId,
    amountFen,
    payPassword: ALICE.payPassword,
  });
const totalOf = async (accountId: string) => (await store().get('ledgerTotals', accountId))?.totalFen ?? 0;
const checkpoint = async () => (await store().get('ledgerCheckpoints', CHECKPOINT_ID))!;

test('each run checks only what was booked since the checkpoint, then moves it to the lag before now', async () => {
  await topup(10_000);
  const first = await settle();
  // the day's first run audits everything and builds the checkpoint at the lag before now
  expect(first.audit).toMatchObject({ ok: true, entries: 1, breakCount: 0 });
  expect(first.reconciliation).toMatchObject({ ok: true, entries: 1, wallets: 1, totalFen: 0, caughtUp: true });
  expect(first.reconciliation.throughAt).toBe(host.clock.now() - LAG);

  host.clock.advance(LAG + 1);
  const second = await settle();
  expect(second.audit).toBeNull();
  expect(second.reconciliation).toMatchObject({ ok: true, entries: 1, wallets: 1 });
  expect(await checkpoint()).toMatchObject({ throughAt: host.clock.now() - LAG, entries: 1, totalFen: 0 });
  expect(await totalOf(walletId)).toBe(10_000);
  expect(await totalOf(HOUSE_ACCOUNTS.settlement)).toBe(-10_000);

  host.clock.advance(1_000);
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 0, wallets: 0 });

  await topup(2_500);
  await topup(500);
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 2, wallets: 1 });
  host.clock.advance(LAG + 1);
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 2 });
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 0 });
  expect(await totalOf(walletId)).toBe(13_000);
  expect((await store().get('wallets', walletId))!.balanceFen).toBe(13_000);
  expect(await checkpoint()).toMatchObject({ entries: 3, totalFen: 0 });
});

test('a break in what is new names the entry or the account and the difference', async () => {
  await topup(10_000);
  host.clock.advance(LAG + 1);
  await settle();
  const { operationId } = await topup(500);
  const [entry] = await store().find('journalEntries', {
    where: [{ field: 'operationId', op: '==', value: operationId }],
  });
  await store().update('postings', `${entry!.id}#0`, { amountFen: -499 });
  await store().update('wallets', walletId, { balanceFen: 10_501 });
  const { reconciliation } = await settle();
  expect(reconciliation.ok).toBe(false);
  expect(reconciliation.breaks).toEqual(
    expect.arrayContaining([
      { check: 'entry_postings_mismatch', subject: entry!.id, detail: '2 posting documents' },
      { check: 'wallet_mismatch', subject: walletId, detail: 'balance 10501, postings 10500' },
      { check: 'total_nonzero', subject: 'all postings', detail: 'sum 1' },
    ]),
  );
});

test('the audit finds a posting changed behind the checkpoint, reports it by account and corrects the total', async () => {
  await topup(10_000);
  host.clock.advance(LAG + 1);
  await settle();
  expect(await totalOf(walletId)).toBe(10_000);
  const [entry] = await store().find('journalEntries', { limit: 1 });
  const walletPosting = (
    await store().find('postings', { where: [{ field: 'entryId', op: '==', value: entry!.id }] })
  ).find((posting) => posting.accountId === walletId)!;
  await store().update('postings', walletPosting.id, { amountFen: 10_007 });
  // nothing new: the increments cannot see it
  host.clock.advance(1_000);
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 0 });

  const audit = await ok<LedgerAuditView>(host, '', 'settle', { action: 'audit' });
  expect(audit.ok).toBe(false);
  expect(audit.breaks).toEqual(
    expect.arrayContaining([
      { check: 'checkpoint_drift', subject: walletId, detail: 'running total 10000, postings 10007' },
      { check: 'wallet_mismatch', subject: walletId, detail: 'balance 10000, postings 10007' },
      { check: 'entry_postings_mismatch', subject: entry!.id, detail: '2 posting documents' },
    ]),
  );
  expect(host.log.lines.join('\n')).toContain('ledger.audit_break');
  // corrected by the difference: the next audit finds the journal's own breaks, no drift
  expect(await totalOf(walletId)).toBe(10_007);
  const again = await auditLedger(host.app.deps);
  expect(again.breaks.map((found) => found.check)).not.toContain('checkpoint_drift');

  const { items } = await ok<{ items: LedgerAuditView[] }>(host, '', 'settle', { action: 'auditReports' });
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ day: again.day, breakCount: again.breakCount });
  const response = await fetch(`${host.url}/ledger/audits`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/html');
  const page = await response.text();
  expect(page).toContain(again.day);
  expect(page).toContain('entry_postings_mismatch');
  expect(page).toContain(walletId);
});

test('an entry committed behind the checkpoint is the audit’s to find: the lag is why the checkpoint trails now', async () => {
  await topup(10_000);
  host.clock.advance(LAG + 1);
  await settle();
  const through = (await checkpoint()).throughAt;
  await store().transaction((tx) =>
    appendEntry(
      tx,
      {
        id: 'late:credit',
        kind: 'topup',
        operationId: 'late',
        userId: null,
        postings: [
          { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -300 },
          { accountId: walletId, amountFen: 300 },
        ],
      },
      through - 1,
    ),
  );
  expect((await settle()).reconciliation).toMatchObject({ ok: true, entries: 0 });
  const audit = await auditLedger(host.app.deps);
  expect(audit.breaks).toEqual([
    { check: 'checkpoint_drift', subject: HOUSE_ACCOUNTS.settlement, detail: 'running total -10000, postings -10300' },
    { check: 'checkpoint_drift', subject: walletId, detail: 'running total 10000, postings 10300' },
  ]);
  expect(await totalOf(walletId)).toBe(10_300);
  expect((await auditLedger(host.app.deps)).ok).toBe(true);
});

test('runs at the same moment add each entry to the totals once', async () => {
  await topup(10_000);
  host.clock.advance(LAG + 1);
  await settle();
  for (const amountFen of [100, 200, 300]) await topup(amountFen);
  host.clock.advance(LAG + 1);
  const reports = await Promise.all([1, 2, 3].map(() => reconcileIncrementally(host.app.deps)));
  expect(reports.every((report) => report.ok)).toBe(true);
  expect(await totalOf(walletId)).toBe(10_600);
  expect((await auditLedger(host.app.deps)).ok).toBe(true);
});

test('the audit runs on the first settle of each China day, and only then', async () => {
  expect((await settle()).audit).not.toBeNull();
  expect((await settle()).audit).toBeNull();
  host.clock.advance(24 * 60 * 60 * 1000);
  expect((await settle()).audit).toMatchObject({ ok: true });
  expect((await settle()).audit).toBeNull();
  expect((await ok<{ items: LedgerAuditView[] }>(host, '', 'settle', { action: 'auditReports' })).items).toHaveLength(
    2,
  );
});

test('audit actions are the system’s: a user calling them is refused', async () => {
  for (const action of ['audit', 'auditReports']) {
    const response = await host.call<{ ok: boolean; error?: { code: string } }>('settle', { action }, 'o-alice');
    expect(response.body).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
  }
});

describe('on a journal of many entries per millisecond', () => {
  let T1 = 0;
  beforeEach(() => {
    T1 = host.clock.now();
  });
  async function book(count: number, at: number, prefix: string): Promise<void> {
    await store().transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await appendEntry(
          tx,
          {
            id: `${prefix}-${String(i).padStart(4, '0')}`,
            kind: 'topup',
            operationId: `${prefix}-${i}`,
            userId: null,
            postings: [
              { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -(i + 1) },
              { accountId: walletId, amountFen: i + 1 },
            ],
          },
          at,
        );
      }
    });
  }
  const sumTo = (n: number) => (n * (n + 1)) / 2;
  const limits = CONFIG.ledger as { reconcileMaxEntriesPerRun: number };
  const cap = limits.reconcileMaxEntriesPerRun;
  afterEach(() => {
    limits.reconcileMaxEntriesPerRun = cap;
  });

  test('pages through a millisecond holding more than a page, missing and repeating none', async () => {
    await book(600, T1, 'a');
    await book(10, T1 + 1, 'b');
    host.clock.advance(LAG + 10_000);
    const report = await reconcileIncrementally(host.app.deps);
    expect(report).toMatchObject({ ok: true, entries: 610, wallets: 1, caughtUp: true });
    expect(await totalOf(walletId)).toBe(sumTo(600) + sumTo(10));
    expect(await checkpoint()).toMatchObject({ entries: 610, totalFen: 0 });
  });

  test('a run that is behind stops between two milliseconds and leaves the balance checks to the one that catches up', async () => {
    limits.reconcileMaxEntriesPerRun = 250;
    await book(300, T1, 'a');
    await book(300, T1 + 1, 'b');
    await book(5, T1 + 2, 'c');
    host.clock.advance(LAG + 10_000);
    // a balance broken now: a run that is behind cannot tell, the one that catches up does
    await store().update('wallets', walletId, { balanceFen: 1 });
    const first = await reconcileIncrementally(host.app.deps);
    expect(first).toMatchObject({ ok: true, entries: 300, wallets: 0, caughtUp: false, throughAt: T1 });
    expect(await totalOf(walletId)).toBe(sumTo(300));
    const second = await reconcileIncrementally(host.app.deps);
    expect(second).toMatchObject({ entries: 300, caughtUp: false, throughAt: T1 + 1 });
    const third = await reconcileIncrementally(host.app.deps);
    expect(third).toMatchObject({ ok: false, entries: 5, wallets: 1, caughtUp: true });
    expect(third.breaks).toEqual([
      { check: 'wallet_mismatch', subject: walletId, detail: `balance 1, postings ${2 * sumTo(300) + sumTo(5)}` },
    ]);
  });
});
