/** The wallet through the local host over HTTP, against the sandbox bank. */
import { CONFIG } from '../../server/config';
import { startTestHost, type TestHost } from '../helpers/host';
import { act, ALICE, BOB, bindCard, ok, verifiedUser } from '../helpers/verification';
import type {
  OperationView,
  SettleReport,
  SummaryView,
  TransferQuoteView,
  WithdrawQuoteView,
  HistoryView,
} from '../../typings/ledger';

const ICBC_RICH = '6222020000000000018'; // ¥100,000 at the sandbox bank
const ABC_EMPTY = '6228480000000000059'; // ¥0
const PAYEE_OK = '6217000000000000160'; // any CCB card: accepted, arrives after the sandbox delay
const PAYEE_DECLINE = '6222020000000000125';
const PAYEE_RETURN = '6222020000000000133';
const PAYEE_SILENT = '6222020000000000141';

let host: TestHost;
let cardId: string;
let sequence = 0;
const rid = () => `req-${Date.now()}-${sequence++}`;

beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice');
  ({ cardId } = await bindCard(host, 'o-alice', ICBC_RICH));
});
afterEach(async () => {
  await host.close();
});

const summary = () => ok<SummaryView>(host, 'o-alice', 'ledger', { action: 'summary' });
const settle = async () => {
  const response = await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' });
  expect(response.body.ok).toBe(true);
  expect(response.body.data.reconciliation.breaks).toEqual([]);
  return response.body.data;
};
const topup = (amountFen: number, extra: Record<string, unknown> = {}) =>
  act<OperationView>(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: rid(),
    cardId,
    amountFen,
    payPassword: ALICE.payPassword,
    ...extra,
  });
const transfer = (cardNumber: string, amountFen: number, extra: Record<string, unknown> = {}) =>
  act<OperationView>(host, 'o-alice', 'ledger', {
    action: 'transferToCard',
    requestId: rid(),
    payeeName: '王小明',
    cardNumber,
    amountFen,
    speed: 'fast',
    payPassword: ALICE.payPassword,
    ...extra,
  });

function data<T>(envelope: { ok: boolean; data?: T; error?: { code: string; message: string } }): T {
  if (!envelope.ok) throw new Error(`expected success, got ${envelope.error?.code} ${envelope.error?.message}`);
  return envelope.data as T;
}

describe('top-up', () => {
  test('moves money from the bound card to the wallet once, whatever the retries', async () => {
    const requestId = rid();
    const body = { action: 'topup', requestId, cardId, amountFen: 50_000, payPassword: ALICE.payPassword };
    const first = data(await act<OperationView>(host, 'o-alice', 'ledger', body));
    expect(first).toMatchObject({
      type: 'topup',
      status: 'SUCCEEDED',
      direction: 'in',
      amountFen: 50_000,
      feeFen: 0,
      totalFen: 50_000,
    });
    expect(first.counterparty.label).toBe('中国工商银行(0018)');
    const replay = data(await act<OperationView>(host, 'o-alice', 'ledger', body));
    expect(replay).toEqual(first);
    expect((await summary()).balanceFen).toBe(50_000);
    const conflict = await act(host, 'o-alice', 'ledger', { ...body, amountFen: 50_001 });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } });
    const account = await host.app.deps.store.find('sandboxBankAccounts', { limit: 10 });
    expect(account.map((a) => a.balanceFen)).toEqual([10_000_000 - 50_000]);
  });

  test('a card that cannot cover it: 失败 with the bank reason, nothing in the wallet', async () => {
    const empty = await bindCard(host, 'o-alice', ABC_EMPTY);
    const result = data(await topup(10_000, { cardId: empty.cardId }));
    expect(result).toMatchObject({ status: 'FAILED', failureMessage: '银行卡余额不足' });
    expect((await summary()).balanceFen).toBe(0);
  });

  test('wrong pay password, someone else’s card, over the limit: refused, nothing booked', async () => {
    expect(await topup(100, { payPassword: '000001' })).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_INCORRECT' },
    });
    await verifiedUser(host, 'o-bob', BOB);
    const bobCard = await bindCard(host, 'o-bob', '6217000000000000020', BOB);
    expect(await topup(100, { cardId: bobCard.cardId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await topup(CONFIG.ledger.maxTopupFen + 1)).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_LIMIT_EXCEEDED' },
    });
    expect(await host.app.deps.store.count('walletOperations')).toBe(0);
  });
});

describe('transfer to a bank card', () => {
  beforeEach(async () => {
    data(await topup(50_000));
  });

  test('quote: bank detected, fee 0.1% half-up (¥123.45 → ¥0.12), total and arrival', async () => {
    const quote = await ok<TransferQuoteView>(host, 'o-alice', 'ledger', {
      action: 'transferQuote',
      cardNumber: '6225 8800 0000 0035',
      amountFen: 12_345,
      speed: 'fast',
    });
    expect(quote).toMatchObject({
      bank: { code: 'CMB', name: '招商银行' },
      lastFour: '0035',
      feeFen: 12,
      totalFen: 12_357,
    });
    expect(quote.expectedArrivalAt).toBe(host.clock.now() + CONFIG.ledger.arrivalMs.fast);
    expect(quote.payeeLabel).toBe('招商银行(0035)');
    expect(quote.maskedHolder).toBeUndefined();
  });

  test('quote with the payee name: the confirm sheet shows the payee as the transfer will', async () => {
    const body = { cardNumber: PAYEE_OK, amountFen: 12_345, speed: 'fast' };
    const quote = await ok<TransferQuoteView>(host, 'o-alice', 'ledger', {
      action: 'transferQuote',
      payeeName: '王小明',
      ...body,
    });
    expect(quote).toMatchObject({ maskedHolder: '**明', payeeLabel: '中国建设银行(0160) **明' });
    const sent = data(await transfer(PAYEE_OK, 12_345));
    expect(sent.counterparty.label).toBe(quote.payeeLabel);
  });

  test('处理中 at once, 成功 after the bank settles, booked exactly once', async () => {
    const sent = data(await transfer(PAYEE_OK, 12_345));
    expect(sent).toMatchObject({ status: 'PROCESSING', feeFen: 12, totalFen: 12_357, direction: 'out' });
    expect(sent.counterparty.label).toBe('中国建设银行(0160) **明');
    expect(await summary()).toMatchObject({ balanceFen: 50_000 - 12_357, pendingOutFen: 12_357 });
    expect((await settle()).resolved.succeeded).toBe(0); // the bank has not settled yet
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    expect((await settle()).resolved.succeeded).toBe(1);
    expect((await settle()).resolved.succeeded).toBe(0);
    const status = await ok<OperationView>(host, 'o-alice', 'ledger', {
      action: 'transferStatus',
      operationId: sent.operationId,
    });
    expect(status).toMatchObject({ status: 'SUCCEEDED', resolvedAt: host.clock.now() });
    expect(await summary()).toMatchObject({ balanceFen: 50_000 - 12_357, pendingOutFen: 0 });
    expect(
      await host.app.deps.store.sum('postings', 'amountFen', [{ field: 'accountId', op: '==', value: 'house:fees' }]),
    ).toBe(12);
  });

  test('refused by the receiving bank at once: 失败, amount and fee back in the wallet', async () => {
    const sent = data(await transfer(PAYEE_DECLINE, 10_000));
    expect(sent).toMatchObject({ status: 'FAILED', failureMessage: '银行拒绝了这笔交易，资金已退回零钱' });
    expect(await summary()).toMatchObject({
      balanceFen: 50_000,
      transferLeftTodayFen: CONFIG.ledger.dailyTransferLimitFen,
    });
  });

  test('returned later (户名不符): 已退回, 资金原路返回, the day’s limit given back', async () => {
    const sent = data(await transfer(PAYEE_RETURN, 10_000));
    expect(sent.status).toBe('PROCESSING');
    expect((await summary()).transferLeftTodayFen).toBe(CONFIG.ledger.dailyTransferLimitFen - 10_000);
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    expect((await settle()).resolved.returned).toBe(1);
    const status = await ok<OperationView>(host, 'o-alice', 'ledger', {
      action: 'transferStatus',
      operationId: sent.operationId,
    });
    expect(status).toMatchObject({ status: 'RETURNED', failureMessage: '收款人户名与卡号不符，资金已原路退回零钱' });
    expect(await summary()).toMatchObject({
      balanceFen: 50_000,
      transferLeftTodayFen: CONFIG.ledger.dailyTransferLimitFen,
    });
  });

  test('a payee name the receiving bank knows otherwise comes back as 户名不符', async () => {
    await verifiedUser(host, 'o-bob', BOB);
    await bindCard(host, 'o-bob', '6217000000000000020', BOB); // the bank now knows 李四 holds it
    const wrong = data(await transfer('6217000000000000020', 5_000, { payeeName: '王小明' }));
    const right = data(await transfer('6217000000000000020', 5_000, { payeeName: BOB.name }));
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    await settle();
    const statusOf = (id: string) =>
      ok<OperationView>(host, 'o-alice', 'ledger', { action: 'transferStatus', operationId: id });
    expect((await statusOf(wrong.operationId)).status).toBe('RETURNED');
    expect((await statusOf(right.operationId)).status).toBe('SUCCEEDED');
  });

  test('a bank that does not answer: stays 处理中 until it does, then posted once', async () => {
    const sent = data(await transfer(PAYEE_SILENT, 10_000));
    expect(sent.status).toBe('PROCESSING');
    for (let i = 0; i < 3; i++) {
      host.clock.advance(60_000);
      const report = await settle();
      expect(report.resolved).toEqual({ succeeded: 0, returned: 0, failed: 0 });
      expect(report.stillPending).toBe(1);
    }
    host.clock.advance(CONFIG.sandbox.silentForMs);
    expect((await settle()).resolved.succeeded).toBe(1);
    host.clock.advance(60_000);
    expect((await settle()).resolved.succeeded).toBe(0);
    expect(
      await host.app.deps.store.count('journalEntries', [{ field: 'operationId', op: '==', value: sent.operationId }]),
    ).toBe(2);
  });

  test('limits: per transfer, per day, and the balance', async () => {
    expect(await transfer(PAYEE_OK, CONFIG.ledger.maxTransferFen + 1)).toMatchObject({
      ok: false,
      error: { code: 'AMOUNT_LIMIT_EXCEEDED' },
    });
    expect(await transfer(PAYEE_OK, 49_990)).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_FUNDS' } });
    data(await topup(5_000_000));
    data(await topup(5_000_000));
    data(await transfer(PAYEE_OK, 3_000_000));
    const over = await transfer(PAYEE_OK, 2_000_001);
    expect(over).toMatchObject({
      ok: false,
      error: { code: 'DAILY_LIMIT_EXCEEDED', details: { remainingFen: 2_000_000 } },
    });
    data(await transfer(PAYEE_OK, 2_000_000));
    // a new China calendar day starts a new limit
    host.clock.advance(24 * 60 * 60 * 1000);
    expect((await summary()).transferLeftTodayFen).toBe(CONFIG.ledger.dailyTransferLimitFen);
  });

  test('an unsupported or unknown card is refused before anything is booked', async () => {
    expect(await transfer('6222980000000135', 100)).toMatchObject({
      ok: false,
      error: { code: 'CARD_UNSUPPORTED', message: '暂不支持转账到平安银行的银行卡' },
    });
    expect(await transfer('9999999999999999', 100)).toMatchObject({
      ok: false,
      error: { code: 'CARD_NUMBER_UNRECOGNIZED' },
    });
    expect(await host.app.deps.store.count('walletOperations', [{ field: 'type', op: '==', value: 'transfer' }])).toBe(
      0,
    );
  });
});

describe('withdraw', () => {
  test('free within the ¥1,000 lifetime quota, 0.1% on the excess, and 全部提现 empties the wallet', async () => {
    data(await topup(300_000));
    const quote = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', {
      action: 'withdrawQuote',
      amountFen: 150_000,
    });
    expect(quote).toMatchObject({ amountFen: 150_000, feeFen: 50, quotaUsedFen: 100_000, quotaLeftFen: 100_000 });
    const first = data(
      await act<OperationView>(host, 'o-alice', 'ledger', {
        action: 'withdraw',
        requestId: rid(),
        cardId,
        amountFen: 150_000,
        payPassword: ALICE.payPassword,
      }),
    );
    expect(first).toMatchObject({ status: 'PROCESSING', feeFen: 50, totalFen: 150_050 });
    expect((await summary()).withdrawFreeQuotaLeftFen).toBe(0);
    const all = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', { action: 'withdrawQuote', all: true });
    expect(all.amountFen + all.feeFen).toBe(300_000 - 150_050);
    const second = data(
      await act<OperationView>(host, 'o-alice', 'ledger', {
        action: 'withdraw',
        requestId: rid(),
        cardId,
        all: true,
        payPassword: ALICE.payPassword,
      }),
    );
    expect(second).toMatchObject({ amountFen: all.amountFen, feeFen: all.feeFen });
    expect((await summary()).balanceFen).toBe(0);
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    expect((await settle()).resolved.succeeded).toBe(2);
  });

  test('nothing to withdraw, or both an amount and 全部: clear refusals', async () => {
    expect(
      await act(host, 'o-alice', 'ledger', {
        action: 'withdraw',
        requestId: rid(),
        cardId,
        all: true,
        payPassword: ALICE.payPassword,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INSUFFICIENT_FUNDS' },
    });
    expect(await act(host, 'o-alice', 'ledger', { action: 'withdrawQuote', all: true, amountFen: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });
});

describe('history, detail and settle’s caller', () => {
  test('newest first, filtered by type, paged by cursor without loss or repeats', async () => {
    for (let i = 1; i <= 7; i++) data(await topup(i * 100));
    data(await transfer(PAYEE_OK, 100));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await ok<HistoryView>(host, 'o-alice', 'ledger', {
        action: 'history',
        type: 'topup',
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.items.map((item) => `${item.type}:${item.amountFen}`));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([700, 600, 500, 400, 300, 200, 100].map((amount) => `topup:${amount}`));
    const all = await ok<HistoryView>(host, 'o-alice', 'ledger', { action: 'history' });
    expect(all.items[0]).toMatchObject({ type: 'transfer' });
    expect((await summary()).latest).toHaveLength(5);
  });

  test('someone else’s operation is NOT_FOUND; settle refuses a user caller', async () => {
    const mine = data(await topup(100));
    await verifiedUser(host, 'o-bob', BOB);
    expect(await act(host, 'o-bob', 'ledger', { action: 'entry', operationId: mine.operationId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await act(host, 'o-alice', 'ledger', { action: 'transferStatus', operationId: mine.operationId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await act(host, 'o-alice', 'settle', { action: 'run' })).toMatchObject({
      ok: false,
      error: { code: 'PERMISSION_DENIED' },
    });
  });
});
