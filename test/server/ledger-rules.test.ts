/**
 * Ledger rules one line at a time — the cases Stryker's run over server/domain/ledger found no
 * test for: "withdraw all" of an empty or negative balance, a payload's hash regardless of field
 * order, a reused requestId with another payload or action, the wallet document a first posting
 * creates, and the merchant account's name.
 */
import { maxWithdrawable } from '../../server/domain/ledger/fees';
import { merchantAccountId, walletAccountId } from '../../server/domain/ledger/accounts';
import { payloadHash } from '../../server/domain/ledger/idempotency';
import { RECHECK_AFTER_MS, SUBMISSION_GRACE_MS } from '../../server/domain/ledger/operations';
import { BankUnavailableError } from '../../server/domain/ports/bank';
import { CONFIG } from '../../server/config';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, act, bindCard, ok, sandboxCardNumbers, verifiedUser } from '../helpers/verification';

test('withdraw all of nothing, or of a balance that should never be negative, is nothing', () => {
  for (const balance of [0, -1, -500_000]) {
    for (const quota of [0, 100_000]) {
      expect(maxWithdrawable(balance, quota)).toEqual({ amountFen: 0, feeFen: 0, quotaUsedFen: 0 });
    }
  }
});

describe('with a host', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  test("a payload's hash does not depend on the order of its fields, only on their values", () => {
    const { secrets } = host.app.deps;
    const hash = payloadHash(secrets, 'topup', { cardId: 'card_1', amountFen: 100 });
    expect(payloadHash(secrets, 'topup', { amountFen: 100, cardId: 'card_1' })).toBe(hash);
    expect(payloadHash(secrets, 'topup', { cardId: 'card_1', amountFen: 101 })).not.toBe(hash);
    expect(payloadHash(secrets, 'withdraw', { cardId: 'card_1', amountFen: 100 })).not.toBe(hash);
  });

  test('a requestId reused with another amount or for another action is a conflict; the same request replays', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const [cardNumber] = sandboxCardNumbers(1, 400);
    const card = await bindCard(host, 'o-a', cardNumber!);
    const topup = {
      action: 'topup',
      requestId: 'rules-req-1',
      cardId: card.cardId,
      amountFen: 10_000,
      payPassword: ALICE.payPassword,
    };
    const first = await ok<{ operationId: string }>(host, 'o-a', 'ledger', topup);
    expect(await ok<{ operationId: string }>(host, 'o-a', 'ledger', topup)).toMatchObject({
      operationId: first.operationId,
    });
    expect(await act(host, 'o-a', 'ledger', { ...topup, amountFen: 10_001 })).toMatchObject({
      ok: false,
      error: { code: 'IDEMPOTENCY_CONFLICT' },
    });
    expect(
      await act(host, 'o-a', 'ledger', {
        action: 'withdraw',
        requestId: 'rules-req-1',
        cardId: card.cardId,
        amountFen: 10_000,
        payPassword: ALICE.payPassword,
      }),
    ).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });

    // the wallet document the first top-up created names its user
    const { userId } = await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' });
    expect(await host.app.deps.store.get('wallets', walletAccountId(userId))).toMatchObject({
      id: walletAccountId(userId),
      userId,
      balanceFen: 10_000,
    });
  });
});

test("a merchant's account is named after the merchant, apart from wallets and house accounts", () => {
  expect(merchantAccountId('m_coffee')).toBe('merchant:m_coffee');
  expect(merchantAccountId('m_coffee')).not.toBe(walletAccountId('m_coffee'));
});

describe('resolution and settle, outcome by outcome', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  const PAYEE = { normal: '6217000000000000160', decline: '6222020000000000125', returned: '6222020000000000133' };
  interface Op {
    operationId: string;
    status: string;
    failureMessage: string | null;
  }
  interface Summary {
    balanceFen: number;
    withdrawFreeQuotaLeftFen: number;
    transferLeftTodayFen: number;
  }
  const summary = () => ok<Summary>(host, 'o-a', 'ledger', { action: 'summary' });
  const settleRun = () => ok<{ resolved: Record<string, number> }>(host, '', 'settle', { action: 'run' });
  let seq = 0;
  const transfer = (cardNumber: string, amountFen = 10_000) =>
    act<Op>(host, 'o-a', 'ledger', {
      action: 'transferToCard',
      requestId: `rules-transfer-${seq++}`,
      payeeName: '王小明',
      cardNumber,
      amountFen,
      speed: 'fast',
      payPassword: ALICE.payPassword,
    });

  /** Alice verified, a funded debit card bound, ¥1,000 in 零钱. */
  async function funded(): Promise<{ cardId: string }> {
    await verifiedUser(host, 'o-a', ALICE);
    const [cardNumber] = sandboxCardNumbers(1, 500);
    const card = await bindCard(host, 'o-a', cardNumber!);
    await ok(host, 'o-a', 'ledger', {
      action: 'topup',
      requestId: 'rules-funding',
      cardId: card.cardId,
      amountFen: 100_000,
      payPassword: ALICE.payPassword,
    });
    return card;
  }

  test('a success posts its own entry and is counted; pending is asked again soon', async () => {
    await funded();
    const sent = await transfer(PAYEE.normal);
    if (!sent.ok) throw new Error(sent.error.code);
    const { store } = host.app.deps;
    // due again, and the bank still says pending (once): asked again RECHECK_AFTER_MS later
    host.clock.advance(RECHECK_AFTER_MS);
    const bank = host.app.deps.bank;
    const status = bank.paymentStatus.bind(bank);
    bank.paymentStatus = async () => {
      bank.paymentStatus = status;
      return { state: 'PENDING' };
    };
    expect(await settleRun()).toMatchObject({ resolved: { succeeded: 0, returned: 0, failed: 0 } });
    expect((await store.get('walletOperations', sent.data.operationId))!.nextCheckAt).toBe(
      host.clock.now() + RECHECK_AFTER_MS,
    );
    host.clock.advance(RECHECK_AFTER_MS);
    expect(await settleRun()).toMatchObject({ resolved: { succeeded: 1, returned: 0, failed: 0 } });
    const op = (await store.get('walletOperations', sent.data.operationId))!;
    expect(op.status).toBe('SUCCEEDED');
    const postId = `${op.id}:post`;
    expect(op.entryIds).toHaveLength(2);
    expect(op.entryIds[1]).toBe(postId);
    expect(await store.get('journalEntries', postId)).toMatchObject({ kind: 'transfer.post', operationId: op.id });
    // and a top-up's own entry is its credit
    const topup = (await store.find('walletOperations', { where: [{ field: 'type', op: '==', value: 'topup' }] }))[0]!;
    expect(topup.entryIds).toEqual([`${topup.id}:credit`]);
    expect(await store.get('journalEntries', `${topup.id}:credit`)).toMatchObject({ kind: 'topup' });
  });

  test('returned by the payee bank: everything given back, the daily total too, and 户名不符 counted', async () => {
    await funded();
    const before = await summary();
    const limit = CONFIG.ledger.nameMismatchLimits.perPayeeCard[0]!.max;
    for (let i = 0; i < limit; i++) {
      const sent = await transfer(PAYEE.returned);
      expect(sent).toMatchObject({ ok: true, data: { status: 'PROCESSING' } });
    }
    host.clock.advance(CONFIG.sandbox.settleAfterMs + 1);
    expect(await settleRun()).toMatchObject({
      resolved: { succeeded: 0, returned: limit, failed: 0 },
    });
    expect(await summary()).toMatchObject({
      balanceFen: before.balanceFen,
      transferLeftTodayFen: before.transferLeftTodayFen,
    });
    // the returns were name mismatches: that card takes no more typed transfers today
    expect(await transfer(PAYEE.returned)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  test('declined at once: FAILED, nothing kept, the daily total given back', async () => {
    await funded();
    const before = await summary();
    const sent = await transfer(PAYEE.decline);
    expect(sent).toMatchObject({ ok: true, data: { status: 'FAILED' } });
    expect(await summary()).toMatchObject({
      balanceFen: before.balanceFen,
      transferLeftTodayFen: before.transferLeftTodayFen,
    });
  });

  test('a withdrawal the bank gives back returns the free quota it used', async () => {
    await funded();
    // a card whose credits are accepted, then given back (卡片已销户)
    const closing = await bindCard(host, 'o-a', PAYEE.returned);
    const before = await summary();
    const sent = await ok<Op>(host, 'o-a', 'ledger', {
      action: 'withdraw',
      requestId: 'rules-withdraw-1',
      cardId: closing.cardId,
      amountFen: 50_000,
      payPassword: ALICE.payPassword,
    });
    expect((await summary()).withdrawFreeQuotaLeftFen).toBe(before.withdrawFreeQuotaLeftFen - 50_000);
    host.clock.advance(CONFIG.sandbox.settleAfterMs + 1);
    expect(await settleRun()).toMatchObject({ resolved: { returned: 1 } });
    expect(await ok<Op>(host, 'o-a', 'ledger', { action: 'entry', operationId: sent.operationId })).toMatchObject({
      status: 'RETURNED',
    });
    expect(await summary()).toMatchObject({
      balanceFen: before.balanceFen,
      withdrawFreeQuotaLeftFen: before.withdrawFreeQuotaLeftFen,
    });
  });

  test('a submission the bank never got: held until the grace ends, then FAILED and given back', async () => {
    await funded();
    const before = await summary();
    const bank = host.app.deps.bank;
    const send = bank.transferToCard.bind(bank);
    // the request is lost on the way: the bank never hears of it (a network fault, injected once)
    bank.transferToCard = async () => {
      bank.transferToCard = send;
      throw new BankUnavailableError('lost');
    };
    const sent = await transfer(PAYEE.normal);
    if (!sent.ok) throw new Error(sent.error.code);
    const { store } = host.app.deps;
    const booked = (await store.get('walletOperations', sent.data.operationId))!;
    const graceEndsAt = booked.createdAt + SUBMISSION_GRACE_MS;
    host.clock.set(graceEndsAt - 1);
    expect(await settleRun()).toMatchObject({ resolved: { succeeded: 0, returned: 0, failed: 0 } });
    expect((await store.get('walletOperations', booked.id))!).toMatchObject({
      status: 'PROCESSING',
      nextCheckAt: graceEndsAt,
    });
    host.clock.set(graceEndsAt);
    expect(await settleRun()).toMatchObject({ resolved: { succeeded: 0, returned: 0, failed: 1 } });
    expect(await store.get('walletOperations', booked.id)).toMatchObject({
      status: 'FAILED',
      failureMessage: '交易未提交到银行，资金已退回零钱',
    });
    expect((await summary()).balanceFen).toBe(before.balanceFen);
  });

  test('a fault while asking the bank is logged (unless it is just no answer) and asked again soon', async () => {
    await funded();
    const sent = await transfer(PAYEE.normal);
    if (!sent.ok) throw new Error(sent.error.code);
    const bank = host.app.deps.bank;
    const status = bank.paymentStatus.bind(bank);
    const { store } = host.app.deps;
    host.clock.advance(CONFIG.sandbox.settleAfterMs + 1);

    bank.paymentStatus = async () => {
      throw new BankUnavailableError('timeout');
    };
    await settleRun();
    expect((await store.get('walletOperations', sent.data.operationId))!.nextCheckAt).toBe(
      host.clock.now() + RECHECK_AFTER_MS,
    );
    expect(host.log.lines.join('\n')).not.toContain('settle.operation_failed');

    host.clock.advance(RECHECK_AFTER_MS);
    bank.paymentStatus = async () => {
      throw new RangeError('bad answer');
    };
    await settleRun();
    expect(host.log.lines.find((line) => line.includes('settle.operation_failed'))).toContain(sent.data.operationId);
    expect((await store.get('walletOperations', sent.data.operationId))!).toMatchObject({
      status: 'PROCESSING',
      nextCheckAt: host.clock.now() + RECHECK_AFTER_MS,
    });
    bank.paymentStatus = status;
  });

  test('settle logs a reconciliation break with what broke first', async () => {
    await funded();
    expect(host.log.lines.join('\n')).not.toContain('settle.reconciliation_break');
    await settleRun();
    expect(host.log.lines.join('\n')).not.toContain('settle.reconciliation_break');
    const { userId } = await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' });
    await host.app.deps.store.update('wallets', walletAccountId(userId), { balanceFen: 100_001 });
    const report = await ok<{ reconciliation: { ok: boolean } }>(host, '', 'settle', { action: 'run' });
    expect(report.reconciliation.ok).toBe(false);
    const line = host.log.lines.find((candidate) => candidate.includes('settle.reconciliation_break'));
    expect(line).toContain('wallet_mismatch');
  });
});
