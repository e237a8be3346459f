/**
 * Property test of the wallet through the real functions (local host, temporary SQLite, sandbox
 * bank): random sequences of top-ups, withdrawals, transfers with every bank outcome, replays of
 * earlier requests, conflicting replays and settle runs at random times. After every step the
 * invariants of docs/architecture.md (money rules) hold; at the end, once the bank has answered everything, each wallet
 * holds exactly what an independent model of the sequence says.
 */
import fc from 'fast-check';
import { CONFIG } from '../../server/config';
import { transferFeeFen, withdrawFee } from '../../server/domain/ledger/fees';
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
}

let host: TestHost;
const users: { openid: string; person: Person; cardId: string }[] = [];

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
      for (const step of steps) {
        if (step.kind === 'settle') {
          host.clock.advance(step.advanceMs);
          const report = await settleOnce();
          expect(report.reconciliation.breaks).toEqual([]);
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
        const result = await act<OperationView>(host, u.openid, 'ledger', body);
        const after = await balanceOf(u.openid);
        expect(after).toBeGreaterThanOrEqual(0);
        if (!result.ok) {
          // the only refusals a valid request may meet here, and then nothing moved
          expect(['INSUFFICIENT_FUNDS', 'DAILY_LIMIT_EXCEEDED', 'AMOUNT_LIMIT_EXCEEDED']).toContain(result.error.code);
          if (result.error.code === 'INSUFFICIENT_FUNDS' && step.kind === 'transfer') {
            expect(before).toBeLessThan(step.amountFen + transferFeeFen(step.amountFen));
          }
          expect(after).toBe(before);
          continue;
        }
        const op = result.data;
        if (op.type === 'topup') expect(after - before).toBe(op.status === 'SUCCEEDED' ? op.amountFen : 0);
        else if (op.status === 'FAILED') expect(after).toBe(before);
        else expect(before - after).toBe(op.amountFen + op.feeFen);
        if (op.type === 'transfer') expect(op.feeFen).toBe(transferFeeFen(op.amountFen));
        if (op.type === 'withdraw') expect(op.feeFen).toBe(withdrawFee(op.amountFen, quotaBefore).feeFen);
        sent.push({ openid: u.openid, body, result: op, payee });
      }

      // Let the bank answer everything, then compare with the model.
      for (let i = 0; i < 3; i++) {
        host.clock.advance(CONFIG.sandbox.silentForMs + CONFIG.sandbox.settleAfterMs);
        await settleOnce();
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
    }),
    { numRuns: 25, endOnFailure: true },
  );
}, 120_000);
