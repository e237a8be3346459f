/**
 * How many transactions a money movement costs on its success path — each one a conflict window
 * and several network round trips on CloudBase. A transfer commits two: its booking and its
 * resolution. The user's messages ride in them: each is recorded and claimed for sending in the
 * transaction that causes it, and marked sent by a compare-and-set on its outbox record alone.
 */
import { CONFIG } from '../../server/config';
import type { OperationView, SettleReport } from '../../typings/ledger';
import { RoundTripCounter, countingStore } from '../../bench/lib/round-trips';
import { requireVerifiedIdentity } from '../../server/domain/users/identity';
import { startTestHost, type TestHost } from '../helpers/host';
import { act, ALICE, bindCard, ok, verifiedUser } from '../helpers/verification';

const CARD = '6222020000000000018';
const PAYEE = '6222020000000000026';
const FUND_CHANGE = CONFIG.notifications.templates.fundChange.templateId;

let host: TestHost;
let cardId: string;
const counter = new RoundTripCounter();
let sequence = 0;
const rid = () => `tx-req-${sequence++}`;

beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  ({ cardId } = await bindCard(host, 'o-alice', CARD));
  await act(host, 'o-alice', 'messages', { action: 'subscribe', accepted: [FUND_CHANGE, FUND_CHANGE, FUND_CHANGE] });
  host.app.deps.store = countingStore(host.app.deps.store, counter);
});
afterEach(async () => {
  await host.close();
});

const settle = async () => (await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' })).body.data;
const topup = (amountFen: number) =>
  ok<OperationView>(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: rid(),
    cardId,
    amountFen,
    payPassword: ALICE.payPassword,
  });
const outbox = () => host.app.deps.store.find('notificationOutbox', { orderBy: [['createdAt', 'asc']] });
const sentToWeChat = async () =>
  (
    JSON.parse((await host.raw('/sandbox/notifications?openid=o-alice')).text) as {
      data: { items: { title: string }[] };
    }
  ).data.items.map((item) => item.title);

/** Transactions `work` commits. */
async function transactionsOf(work: () => Promise<unknown>): Promise<number> {
  counter.reset();
  await work();
  return counter.snapshot().transactions;
}

test('a top-up the bank answers at once: two transactions, its message sent', async () => {
  expect(await transactionsOf(() => topup(10_000))).toBe(2);
  expect((await outbox()).map((doc) => doc.status)).toEqual(['sent']);
  expect(await sentToWeChat()).toEqual(['充值成功']);
});

test('a transfer: booked in one transaction, resolved by settle in one more; both messages sent, in order', async () => {
  await topup(100_000);
  // settle's own cost with nothing of this transfer's to do (the reconciliation, the queue feed…)
  host.clock.advance(CONFIG.sandbox.settleAfterMs + 1);
  const idle = await transactionsOf(settle);

  const booking = await transactionsOf(() =>
    ok<OperationView>(host, 'o-alice', 'ledger', {
      action: 'transferToCard',
      requestId: rid(),
      payeeName: '王小明',
      cardNumber: PAYEE,
      amountFen: 20_000,
      speed: 'fast',
      payPassword: ALICE.payPassword,
    }),
  );
  host.clock.advance(CONFIG.sandbox.settleAfterMs + 1);
  let report: SettleReport | null = null;
  const settling = await transactionsOf(async () => (report = await settle()));
  expect(report!.resolved).toEqual({ succeeded: 1, returned: 0, failed: 0 });
  expect(booking + settling - idle).toBe(2);
  expect(booking).toBe(1);
  expect((await outbox()).map((doc) => doc.status)).toEqual(['sent', 'sent', 'sent']);
  // newest first
  expect(await sentToWeChat()).toEqual(['转账成功', '转账已提交', '充值成功']);
});

describe('the account names the verified identity, so what is keyed on the person costs no extra round', () => {
  const withdrawOneYuan = () =>
    ok<OperationView>(host, 'o-alice', 'ledger', {
      action: 'withdraw',
      requestId: rid(),
      cardId,
      amountFen: 100,
      payPassword: ALICE.payPassword,
    });
  const quotaLeftNow = async () =>
    (await ok<{ withdrawFreeQuotaLeftFen: number }>(host, 'o-alice', 'ledger', { action: 'summary' }))
      .withdrawFreeQuotaLeftFen;

  test('binding the first card (which verifies the name) writes the key; summary and the quote take two rounds', async () => {
    const { userId, identityKey } = (await host.app.deps.store.get('wxAccounts', 'o-alice'))!;
    const identity = await requireVerifiedIdentity(host.app.deps, userId);
    expect(identityKey).toBe(identity.identityKey);
    counter.reset();
    await ok(host, 'o-alice', 'ledger', { action: 'summary' });
    expect(counter.snapshot().rounds).toBe(2);
    counter.reset();
    await ok(host, 'o-alice', 'ledger', { action: 'withdrawQuote', amountFen: 100 });
    expect(counter.snapshot().rounds).toBe(2);
  });

  test('an account verified before the key was kept reads the identity instead, and counts the same quota', async () => {
    await topup(100_000);
    await withdrawOneYuan();
    const withKey = await quotaLeftNow();
    expect(withKey).toBe(CONFIG.ledger.withdrawFreeQuotaFen - 100);
    const { identityKey: _identityKey, ...older } = (await host.app.deps.store.get('wxAccounts', 'o-alice'))!;
    await host.app.deps.store.set('wxAccounts', older);
    counter.reset();
    expect(await quotaLeftNow()).toBe(withKey);
    expect(counter.snapshot().rounds).toBe(3);
    await withdrawOneYuan();
    expect(await quotaLeftNow()).toBe(withKey - 100);
  });
});
