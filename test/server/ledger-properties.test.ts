/**
 * Property test of the wallet through the real functions (local host, temporary SQLite, sandbox
 * bank): random sequences of top-ups, withdrawals, transfers with every bank outcome, replays of
 * earlier requests, conflicting replays and settle runs at random times. After every step the
 * invariants of docs/architecture.md (money rules) hold; every fee, free-quota use, 全部提现 amount
 * and refusal is what an independent model of the rules says — its own arithmetic, no server code —
 * and at the end, once the bank has answered everything, each wallet holds what the model says.
 */
import fc from 'fast-check';
import { CONFIG } from '../../server/config';
import { auditLedger } from '../../server/domain/ledger/audit';
import { reconcile } from '../../server/domain/ledger/reconcile';
import type { OperationView, SettleReport, SummaryView } from '../../typings/ledger';
import { startTestHost, type TestHost } from '../helpers/host';
import { act, ALICE, BOB, bindCard, verifiedUser, type Person } from '../helpers/verification';

const PAYEES = {
  ok: '6217000000000000160',
  decline: '6222020000000000125',
  returned: '6222020000000000133',
  silent: '6222020000000000141',
} as const;
type PayeeKind = keyof typeof PAYEES;

type Step =
  | { kind: 'topup'; user: 0 | 1; amountFen: number }
  | { kind: 'withdraw'; user: 0 | 1; amountFen: number | 'all' }
  | { kind: 'transfer'; user: 0 | 1; payee: PayeeKind; amountFen: number }
  | { kind: 'replay'; pick: number; conflicting: boolean }
  | { kind: 'settle'; advanceMs: number };

const user = fc.constantFrom<0 | 1>(0, 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('topup' as const), user, amountFen: fc.integer({ min: 1, max: 200_000 }) }),
  fc.record({
    kind: fc.constant('withdraw' as const),
    user,
    amountFen: fc.oneof(fc.integer({ min: 1, max: 150_000 }), fc.constant('all' as const)),
  }),
  fc.record({
    kind: fc.constant('transfer' as const),
    user,
    payee: fc.constantFrom<PayeeKind>('ok', 'decline', 'returned', 'silent'),
    amountFen: fc.integer({ min: 1, max: 150_000 }),
  }),
  fc.record({ kind: fc.constant('replay' as const), pick: fc.nat(), conflicting: fc.boolean() }),
  fc.record({
    kind: fc.constant('settle' as const),
    advanceMs: fc.constantFrom(1_000, 6_000, CONFIG.sandbox.silentForMs + 1),
  }),
);

interface Sent {
  openid: string;
  body: Record<string, unknown>;
  result: OperationView;
  payee: PayeeKind | null;
  /** A 户名不符 return the model has counted. */
  counted: boolean;
}

let host: TestHost;
const users: { openid: string; person: Person; cardId: string }[] = [];

/**
 * The model: the money rules as docs/architecture.md states them, written out here again so that a
 * mistake in the server's own arithmetic cannot agree with itself.
 */
const RULES = {
  /** 0.1 % rounded half-up to the fen, at least ¥0.10. */
  fee: (amountFen: number) => Math.max(10, Math.round(amountFen / 1000)),
  /** ¥1,000 of withdrawals free per real-name identity, for life. */
  freeQuotaFen: 100_000,
  /** One withdrawal takes at most ¥50,000. */
  maxWithdrawFen: 5_000_000,
  /** 3 户名不符 returns from one payer or to one card within a day (from the first) block typed-number transfers. */
  nameMismatches: { max: 3, windowMs: 24 * 60 * 60 * 1000 },
};

/** Fee and free-quota use of a withdrawal, given the quota the identity has used so far. */
function modelWithdrawal(amountFen: number, quotaUsedFen: number): { feeFen: number; freeFen: number } {
  const freeFen = Math.min(amountFen, Math.max(0, RULES.freeQuotaFen - quotaUsedFen));
  return { feeFen: amountFen > freeFen ? RULES.fee(amountFen - freeFen) : 0, freeFen };
}

/** 全部提现: the largest amount within the limit whose amount + fee fits the balance, by bisection. */
function modelWithdrawAll(balanceFen: number, quotaUsedFen: number): number {
  let fits = 0;
  let tooMuch = Math.min(balanceFen, RULES.maxWithdrawFen) + 1;
  while (tooMuch - fits > 1) {
    const middle = Math.floor((fits + tooMuch) / 2);
    if (middle + modelWithdrawal(middle, quotaUsedFen).feeFen <= balanceFen) fits = middle;
    else tooMuch = middle;
  }
  return fits;
}

/** Name-mismatch returns counted per payer and per card: a window opens at the first one. */
const mismatchWindows = new Map<string, { count: number; since: number }>();
function countMismatch(key: string, at: number): void {
  const window = mismatchWindows.get(key);
  const open = window && at < window.since + RULES.nameMismatches.windowMs;
  mismatchWindows.set(key, open ? { count: window.count + 1, since: window.since } : { count: 1, since: at });
}
function mismatchBlocked(keys: string[], at: number): boolean {
  return keys.some((key) => {
    const window = mismatchWindows.get(key);
    return !!window && at < window.since + RULES.nameMismatches.windowMs && window.count >= RULES.nameMismatches.max;
  });
}

/** Free quota each user's identity has used (lifetime: across every run). */
const quotaUsed: [number, number] = [0, 0];

beforeAll(async () => {
  host = await startTestHost();
  for (const [openid, person, card] of [
    ['o-p-alice', ALICE, '6222020000000000018'],
    ['o-p-bob', BOB, '6217000000000000020'],
  ] as const) {
    await verifiedUser(host, openid, person);
    users.push({ openid, person, cardId: (await bindCard(host, openid, card, person)).cardId });
  }
}, 30_000);
afterAll(async () => {
  await host.close();
});

async function balanceOf(openid: string): Promise<number> {
  const result = await act<SummaryView>(host, openid, 'ledger', { action: 'summary' });
  if (!result.ok) throw new Error(result.error.code);
  return result.data.balanceFen;
}

async function settleOnce(): Promise<SettleReport> {
  const response = await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' });
  return response.body.data;
}

let requestCounter = 0;

test('random sequences keep every invariant and end where the model says', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArb, { minLength: 4, maxLength: 14 }), async (steps) => {
      const sent: Sent[] = [];
      const startBalances = await Promise.all(users.map((u) => balanceOf(u.openid)));
      /** After a settle run: the returns it booked (at the clock's time) are counted by the model. */
      const countReturns = async () => {
        for (const item of sent) {
          if (item.payee !== 'returned' || item.counted) continue;
          const now = await act<OperationView>(host, item.openid, 'ledger', {
            action: 'entry',
            operationId: item.result.operationId,
          });
          if (now.ok && now.data.status === 'RETURNED') {
            item.counted = true;
            countMismatch(`payer:${item.openid}`, host.clock.now());
            countMismatch('card:returned', host.clock.now());
          }
        }
      };
      for (const step of steps) {
        if (step.kind === 'settle') {
          host.clock.advance(step.advanceMs);
          const report = await settleOnce();
          expect(report.reconciliation.breaks).toEqual([]);
          await countReturns();
          continue;
        }
        if (step.kind === 'replay') {
          if (sent.length === 0) continue;
          const earlier = sent[step.pick % sent.length]!;
          const body = step.conflicting
            ? { ...earlier.body, amountFen: ((earlier.body.amountFen as number | undefined) ?? 1) + 1, all: undefined }
            : earlier.body;
          const again = await act<OperationView>(host, earlier.openid, 'ledger', body);
          if (step.conflicting) expect(again).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
          else {
            // the same operation, nothing moved again
            expect(again.ok && again.data.operationId).toBe(earlier.result.operationId);
          }
          continue;
        }
        const u = users[step.user]!;
        const requestId = `prop-request-${requestCounter++}`;
        const credential = { payPassword: u.person.payPassword };
        let body: Record<string, unknown>;
        let payee: PayeeKind | null = null;
        if (step.kind === 'topup')
          body = { action: 'topup', requestId, cardId: u.cardId, amountFen: step.amountFen, ...credential };
        else if (step.kind === 'withdraw') {
          body = {
            action: 'withdraw',
            requestId,
            cardId: u.cardId,
            ...(step.amountFen === 'all' ? { all: true } : { amountFen: step.amountFen }),
            ...credential,
          };
        } else {
          payee = step.payee;
          body = {
            action: 'transferToCard',
            requestId,
            payeeName: '王小明',
            cardNumber: PAYEES[step.payee],
            amountFen: step.amountFen,
            speed: 'fast',
            ...credential,
          };
        }
        const summaryBefore = await act<SummaryView>(host, u.openid, 'ledger', { action: 'summary' });
        if (!summaryBefore.ok) throw new Error(summaryBefore.error.code);
        const before = summaryBefore.data.balanceFen;
        const quotaBefore = summaryBefore.data.withdrawFreeQuotaLeftFen;
        // what the model expects of this request, from the rules alone
        expect(quotaBefore).toBe(RULES.freeQuotaFen - quotaUsed[step.user]);
        let expectedAmountFen: number | null = null;
        let expectedFeeFen: number | null = null;
        let expectedRefusal: string | null = null;
        if (step.kind === 'withdraw') {
          expectedAmountFen =
            step.amountFen === 'all' ? modelWithdrawAll(before, quotaUsed[step.user]) : step.amountFen;
          expectedFeeFen = modelWithdrawal(expectedAmountFen, quotaUsed[step.user]).feeFen;
          if (expectedAmountFen === 0 || expectedAmountFen + expectedFeeFen > before)
            expectedRefusal = 'INSUFFICIENT_FUNDS';
        } else if (step.kind === 'transfer') {
          expectedAmountFen = step.amountFen;
          expectedFeeFen = RULES.fee(step.amountFen);
          if (mismatchBlocked([`payer:${u.openid}`, `card:${step.payee}`], host.clock.now()))
            expectedRefusal = 'RATE_LIMITED';
          else if (expectedAmountFen + expectedFeeFen > before) expectedRefusal = 'INSUFFICIENT_FUNDS';
        }
        const result = await act<OperationView>(host, u.openid, 'ledger', body);
        const after = await balanceOf(u.openid);
        expect(after).toBeGreaterThanOrEqual(0);
        if (!result.ok) {
          // refused, and then nothing moved; a transfer may also meet the day's limit, which the model leaves to the server
          const dailyLimit =
            step.kind === 'transfer' &&
            expectedRefusal !== 'RATE_LIMITED' &&
            result.error.code === 'DAILY_LIMIT_EXCEEDED';
          if (!dailyLimit) expect([step.kind, result.error.code]).toEqual([step.kind, expectedRefusal]);
          expect(after).toBe(before);
          continue;
        }
        expect([step.kind, 'accepted']).toEqual([step.kind, expectedRefusal ?? 'accepted']);
        const op = result.data;
        if (op.type === 'topup') expect(after - before).toBe(op.status === 'SUCCEEDED' ? op.amountFen : 0);
        else if (op.status === 'FAILED') expect(after).toBe(before);
        else expect(before - after).toBe(op.amountFen + op.feeFen);
        if (expectedAmountFen !== null) expect([op.amountFen, op.feeFen]).toEqual([expectedAmountFen, expectedFeeFen]);
        if (op.type === 'withdraw') quotaUsed[step.user] += modelWithdrawal(op.amountFen, quotaUsed[step.user]).freeFen;
        sent.push({ openid: u.openid, body, result: op, payee, counted: false });
      }

      // Let the bank answer everything, then compare with the model.
      for (let i = 0; i < 3; i++) {
        host.clock.advance(CONFIG.sandbox.silentForMs + CONFIG.sandbox.settleAfterMs);
        await settleOnce();
        await countReturns();
      }
      expect((await settleOnce()).stillPending).toBe(0);
      for (const [index, u] of users.entries()) {
        let expected = startBalances[index]!;
        for (const s of sent.filter((item) => item.openid === u.openid)) {
          const final = await act<OperationView>(host, u.openid, 'ledger', {
            action: 'entry',
            operationId: s.result.operationId,
          });
          if (!final.ok) throw new Error(final.error.code);
          const status = final.data.status;
          if (s.result.type === 'topup') {
            expect(status).toBe('SUCCEEDED');
            expected += s.result.amountFen;
            continue;
          }
          const expectedStatus =
            s.payee === 'decline'
              ? 'FAILED'
              : s.payee === 'returned'
                ? s.result.status === 'FAILED'
                  ? 'FAILED'
                  : 'RETURNED'
                : 'SUCCEEDED';
          expect(status).toBe(expectedStatus);
          if (status === 'SUCCEEDED') expected -= s.result.amountFen + s.result.feeFen;
          // every operation was booked at most twice (hold + post/void), never more
          const entries = await host.app.deps.store.count('journalEntries', [
            { field: 'operationId', op: '==', value: s.result.operationId },
          ]);
          expect(entries).toBeLessThanOrEqual(2);
        }
        expect(await balanceOf(u.openid)).toBe(expected);
      }
      const report = await reconcile(host.app.deps);
      expect(report.breaks).toEqual([]);
      expect(report.totalFen).toBe(0);
      // the running totals the incremental runs kept agree with the postings (no drift, nothing double-counted)
      const audit = await auditLedger(host.app.deps);
      expect(audit.breaks).toEqual([]);
    }),
    { numRuns: 25, endOnFailure: true },
  );
}, 120_000);
