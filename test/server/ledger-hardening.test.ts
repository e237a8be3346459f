/**
 * The wallet's defects found by trying it as a new user would (the hardening issue), each pinned by
 * the real functions on a temporary SQLite file and the sandbox bank: 全部提现 and the single
 * withdrawal limit, money that never reached the bank, credit cards where only debit cards are
 * allowed, resolutions that trust the operation document, payee-name guessing, a card unbound
 * while a top-up is being booked — and the one-line mistakes no other test would notice.
 */
import { CONFIG } from '../../server/config';
import type { Collections } from '../../server/domain/collections';
import { walletAccountId } from '../../server/domain/ledger/accounts';
import { baseOperation, topup as bookTopup, withdraw as bookWithdraw } from '../../server/domain/ledger/operations';
import { resolveOperation } from '../../server/domain/ledger/resolution';
import { withdrawQuota } from '../../server/domain/ledger/quota';
import { reconcile } from '../../server/domain/ledger/reconcile';
import { BankUnavailableError, type BankGateway } from '../../server/domain/ports/bank';
import type { Store } from '../../server/domain/ports/store';
import type { OperationView, SettleReport, SummaryView, WithdrawQuoteView } from '../../typings/ledger';
import { startTestHost, type TestHost } from '../helpers/host';
import { act, ALICE, BOB, bindCard, idNumberFor, ok, verifiedUser, type Person } from '../helpers/verification';

const ICBC_RICH = '6222020000000000018'; // debit, ¥100,000 at the sandbox bank
const CMB_CREDIT = '6225750000000048'; // credit, binds
const CMB_CREDIT_OTHER = '6225750000000105'; // another 招商银行 credit card number (someone else's)
const BOB_CARD = '6217000000000000020'; // debit; once Bob binds it the bank knows 李四 holds it
const PAYEE_OK = '6217000000000000160';
const CAROL: Person = { name: '王五', idNumber: idNumberFor('19920615', '440305', '789'), payPassword: '864209' };

let host: TestHost;
let cardId: string;
let sequence = 0;
const rid = () => `hardening-${sequence++}`;

beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice');
  ({ cardId } = await bindCard(host, 'o-alice', ICBC_RICH));
});
afterEach(async () => {
  await host.close();
});

const summary = (openid = 'o-alice') => ok<SummaryView>(host, openid, 'ledger', { action: 'summary' });
async function settle(): Promise<SettleReport> {
  const response = await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' });
  expect(response.body.ok).toBe(true);
  return response.body.data;
}
const topup = (amountFen: number, extra: Record<string, unknown> = {}) =>
  ok<OperationView>(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: rid(),
    cardId,
    amountFen,
    payPassword: ALICE.payPassword,
    ...extra,
  });
const withdraw = (fields: Record<string, unknown>, openid = 'o-alice', person: Person = ALICE) =>
  act<OperationView>(host, openid, 'ledger', {
    action: 'withdraw',
    requestId: rid(),
    cardId,
    payPassword: person.payPassword,
    ...fields,
  });
const transfer = (fields: Record<string, unknown>, openid = 'o-alice', person: Person = ALICE) =>
  act<OperationView>(host, openid, 'ledger', {
    action: 'transferToCard',
    requestId: rid(),
    payeeName: '王小明',
    cardNumber: PAYEE_OK,
    amountFen: 1,
    speed: 'fast',
    payPassword: person.payPassword,
    ...fields,
  });
const entry = (operationId: string, openid = 'o-alice') =>
  ok<OperationView>(host, openid, 'ledger', { action: 'entry', operationId });

/** The bank the functions talk to, with some calls replaced; returns how to put the real one back. */
function replaceBank(override: Partial<BankGateway>): () => void {
  const real = host.app.deps.bank;
  host.app.deps.bank = {
    verifyCard: (check) => real.verifyCard(check),
    debitCard: (reference, token, amountFen) => real.debitCard(reference, token, amountFen),
    creditCard: (reference, token, amountFen) => real.creditCard(reference, token, amountFen),
    transferToCard: (reference, payment) => real.transferToCard(reference, payment),
    paymentStatus: (reference) => real.paymentStatus(reference),
    ...override,
  };
  return () => {
    host.app.deps.bank = real;
  };
}

describe('全部提现 and the single-withdrawal limit', () => {
  test('with ¥60,000 in 零钱, "all" quotes and books at most ¥50,000 and says the rest needs another withdrawal', async () => {
    await topup(5_000_000);
    await topup(1_000_000);
    const quote = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', { action: 'withdrawQuote', all: true });
    // the fee is 0.1 % of what exceeds the ¥1,000 free quota: 4,900,000 × 0.1 % = 4,900
    expect(quote).toMatchObject({
      amountFen: CONFIG.ledger.maxWithdrawFen,
      feeFen: 4_900,
      totalFen: 5_004_900,
      balanceFen: 6_000_000,
      limitFen: CONFIG.ledger.maxWithdrawFen,
      cappedByLimit: true,
    });
    // the same amount asked for by number is not "all": nothing to say about a rest
    const asked = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', {
      action: 'withdrawQuote',
      amountFen: CONFIG.ledger.maxWithdrawFen,
    });
    expect(asked).toMatchObject({ amountFen: CONFIG.ledger.maxWithdrawFen, cappedByLimit: false });
    const booked = await withdraw({ all: true });
    expect(booked).toMatchObject({ ok: true, data: { amountFen: CONFIG.ledger.maxWithdrawFen, feeFen: 4_900 } });
    expect((await summary()).balanceFen).toBe(6_000_000 - 5_004_900);
    // what is left fits one withdrawal: not capped
    const rest = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', { action: 'withdrawQuote', all: true });
    expect(rest.cappedByLimit).toBe(false);
    expect(rest.totalFen).toBe(6_000_000 - 5_004_900);
  });

  test('a balance that the largest withdrawal and its fee take exactly leaves no rest: not capped', async () => {
    await topup(5_000_000);
    await topup(4_900);
    const quote = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', { action: 'withdrawQuote', all: true });
    expect(quote).toMatchObject({
      amountFen: CONFIG.ledger.maxWithdrawFen,
      totalFen: 5_004_900,
      balanceFen: 5_004_900,
      cappedByLimit: false,
    });
  });
});

describe('money that never reached the bank', () => {
  test('a request the bank never received ends 失败 "交易未提交到银行", and only after the submission grace', async () => {
    await topup(100_000);
    const restore = replaceBank({
      creditCard: () => Promise.reject(new BankUnavailableError('lost on the way')),
    });
    const sent = await withdraw({ amountFen: 10_000 });
    restore();
    expect(sent).toMatchObject({ ok: true, data: { status: 'PROCESSING' } });
    const { operationId } = sent.ok ? sent.data : { operationId: '' };
    // the bank does not know the reference yet, but a request sent moments ago may still reach it
    host.clock.advance(CONFIG.sandbox.settleAfterMs + 1_000);
    expect((await settle()).stillPending).toBe(1);
    expect((await entry(operationId)).status).toBe('PROCESSING');
    host.clock.advance(2 * 60 * 1000);
    await settle();
    expect(await entry(operationId)).toMatchObject({
      status: 'FAILED',
      failureMessage: '交易未提交到银行，资金已退回零钱',
    });
    expect((await summary()).balanceFen).toBe(100_000);
  });

  test('a request that reaches the bank late is paid once: the wallet is not refunded as well', async () => {
    await topup(100_000);
    let deliver: (() => Promise<unknown>) | null = null;
    const restore = replaceBank({
      creditCard: (reference, token, amountFen) => {
        const real = host.app.sandbox.bank;
        deliver = () => real.creditCard(reference, token, amountFen);
        return Promise.reject(new BankUnavailableError('timed out, still on its way'));
      },
    });
    const sent = await withdraw({ amountFen: 10_000 });
    restore();
    const { operationId } = sent.ok ? sent.data : { operationId: '' };
    host.clock.advance(CONFIG.sandbox.settleAfterMs + 1_000);
    await settle();
    await deliver!();
    // settle asks again once the grace is over, and the bank has it by then
    host.clock.advance(2 * 60 * 1000);
    await settle();
    expect((await entry(operationId)).status).toBe('SUCCEEDED');
    expect((await summary()).balanceFen).toBe(90_000);
    const account = await host.app.sandbox.bank.account((await host.app.deps.store.get('cards', cardId))!.gatewayToken);
    expect(account?.balanceFen).toBe(10_000_000 - 100_000 + 10_000);
    expect((await reconcile(host.app.deps)).breaks).toEqual([]);
  });
});

describe('credit cards where WeChat allows only debit cards', () => {
  test('a bound credit card can neither top up 零钱 nor receive a withdrawal; nothing is booked, no password spent', async () => {
    const credit = await bindCard(host, 'o-alice', CMB_CREDIT);
    await topup(20_000);
    const refusedTopup = await act(host, 'o-alice', 'ledger', {
      action: 'topup',
      requestId: rid(),
      cardId: credit.cardId,
      amountFen: 1_000,
      payPassword: '000001', // refused before the password is even checked
    });
    expect(refusedTopup).toMatchObject({
      ok: false,
      error: { code: 'DEBIT_CARD_REQUIRED', message: '信用卡不能充值零钱，请使用储蓄卡' },
    });
    expect(await withdraw({ cardId: credit.cardId, amountFen: 1_000 })).toMatchObject({
      ok: false,
      error: { code: 'DEBIT_CARD_REQUIRED', message: '零钱只能提现到储蓄卡，请选择储蓄卡' },
    });
    expect(await host.app.deps.store.count('walletOperations')).toBe(1); // the debit card's top-up
    expect((await summary()).balanceFen).toBe(20_000);
  });

  test('a typed credit card number is 信用卡还款, a separate service: quote and transfer refuse it', async () => {
    await topup(20_000);
    const body = { cardNumber: CMB_CREDIT_OTHER, amountFen: 1_000, speed: 'fast' };
    const refusal = {
      ok: false,
      error: {
        code: 'CREDIT_CARD_REPAYMENT_UNSUPPORTED',
        message: '向信用卡转账属于信用卡还款，是单独的服务，暂不支持',
      },
    };
    expect(await act(host, 'o-alice', 'ledger', { action: 'transferQuote', ...body })).toMatchObject(refusal);
    expect(await transfer(body)).toMatchObject(refusal);
    expect(await host.app.deps.store.count('walletOperations', [{ field: 'type', op: '==', value: 'transfer' }])).toBe(
      0,
    );
  });

  test('a receive code of a credit card is refused the same way', async () => {
    await topup(20_000);
    await verifiedUser(host, 'o-bob', BOB);
    const bobsCredit = await bindCard(host, 'o-bob', CMB_CREDIT_OTHER, BOB);
    const code = await ok<{ content: string }>(host, 'o-bob', 'qrcode', {
      action: 'receiveCode',
      cardId: bobsCredit.cardId,
    });
    const { receiveToken } = await ok<{ receiveToken: string }>(host, 'o-alice', 'qrcode', {
      action: 'resolve',
      content: code.content,
    });
    const body = { receiveToken, amountFen: 1_000, speed: 'fast' };
    expect(await act(host, 'o-alice', 'ledger', { action: 'transferQuote', ...body })).toMatchObject({
      ok: false,
      error: { code: 'CREDIT_CARD_REPAYMENT_UNSUPPORTED' },
    });
    expect(await transfer({ ...body, cardNumber: undefined, payeeName: undefined })).toMatchObject({
      ok: false,
      error: { code: 'CREDIT_CARD_REPAYMENT_UNSUPPORTED' },
    });
  });
});

describe('resolution books only what the journal holds', () => {
  test('an operation document that never went through booking mints nothing: FAILED, logged, no money moves', async () => {
    await topup(100_000);
    expect(await withdraw({ amountFen: 50_000 })).toMatchObject({ ok: true });
    const { userId } = (await host.app.deps.store.get('wxAccounts', 'o-alice'))!;
    const before = (await summary()).balanceFen;
    const quotaKey = await withdrawQuota(host.app.deps, { id: userId });
    // as a client-created document would look: PROCESSING, due, never booked
    const forged = baseOperation('op_forged_0001', userId, host.clock.now(), {
      type: 'withdraw',
      amountFen: 5_000_000,
      feeFen: 5_000,
      quotaUsedFen: 50_000,
      quotaKey,
      counterparty: {
        kind: 'card',
        bankCode: 'ICBC',
        name: '中国工商银行',
        cardType: 'debit',
        lastFour: '0018',
        maskedHolder: null,
      },
    });
    await host.app.deps.store.create('walletOperations', forged);
    host.clock.advance(10 * 60 * 1000);
    await settle();
    expect(await entry('op_forged_0001')).toMatchObject({ status: 'FAILED' });
    expect((await entry('op_forged_0001')).failureMessage).toContain('未发生资金变动');
    expect((await summary()).balanceFen).toBe(before);
    expect((await summary()).withdrawFreeQuotaLeftFen).toBe(50_000);
    expect(
      await host.app.deps.store.count('journalEntries', [{ field: 'operationId', op: '==', value: 'op_forged_0001' }]),
    ).toBe(0);
    expect(
      host.log.lines.some((line) => line.includes('ledger.resolution_without_hold') && line.includes('op_forged_0001')),
    ).toBe(true);
    expect((await reconcile(host.app.deps)).breaks).toEqual([]);
  });

  test('a void gives back exactly what the hold entry took, not what the document says', async () => {
    await topup(100_000);
    const restore = replaceBank({ creditCard: () => Promise.reject(new BankUnavailableError('lost')) });
    const sent = await withdraw({ amountFen: 10_000 });
    restore();
    const { operationId } = sent.ok ? sent.data : { operationId: '' };
    // the document is inflated after booking; the hold entry is what the wallet really gave
    await host.app.deps.store.update('walletOperations', operationId, { amountFen: 5_000_000 });
    host.clock.advance(10 * 60 * 1000);
    await settle();
    expect((await summary()).balanceFen).toBe(100_000);
    expect((await reconcile(host.app.deps)).breaks).toEqual([]);
  });

  test('a second answer for an operation already resolved changes nothing', async () => {
    await topup(100_000);
    const sent = await withdraw({ amountFen: 10_000 });
    const { operationId } = sent.ok ? sent.data : { operationId: '' };
    await resolveOperation(host.app.deps, operationId, { state: 'SUCCEEDED' }, false);
    const second = await resolveOperation(
      host.app.deps,
      operationId,
      { state: 'FAILED', failure: 'CARD_CLOSED' },
      false,
    );
    expect(second?.status).toBe('SUCCEEDED');
    expect((await summary()).balanceFen).toBe(90_000);
    expect(
      await host.app.deps.store.count('journalEntries', [{ field: 'operationId', op: '==', value: operationId }]),
    ).toBe(2);
  });
});

describe('payee-name guessing', () => {
  test('after 3 户名不符 returns a payer and the payee card are refused for a day, then allowed again', async () => {
    await topup(100_000);
    await verifiedUser(host, 'o-bob', BOB);
    await bindCard(host, 'o-bob', BOB_CARD, BOB); // the bank now knows 李四 holds it
    for (const guess of ['王一', '王二', '王三']) {
      expect(await transfer({ cardNumber: BOB_CARD, payeeName: guess })).toMatchObject({ ok: true });
    }
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    expect((await settle()).resolved.returned).toBe(3);
    expect((await summary()).balanceFen).toBe(100_000); // every guess was free…

    // …but the next is refused, before the pay password, for this payer (any card) and this card (any payer)
    const blocked = await transfer({ cardNumber: BOB_CARD, payeeName: '王四', payPassword: '000001' });
    expect(blocked).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    if (blocked.ok) return;
    expect(blocked.error.message).toContain('户名');
    // counted from the first return, which settle booked just now
    expect(blocked.error.details?.retryAt).toBe(
      host.clock.now() + CONFIG.ledger.nameMismatchLimits.perPayer[0].windowMs,
    );
    expect(await transfer({ cardNumber: PAYEE_OK })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    await verifiedUser(host, 'o-carol', CAROL);
    const carolCard = await bindCard(host, 'o-carol', '6225880000000035', CAROL);
    await ok(host, 'o-carol', 'ledger', {
      action: 'topup',
      requestId: rid(),
      cardId: carolCard.cardId,
      amountFen: 10_000,
      payPassword: CAROL.payPassword,
    });
    expect(await transfer({ cardNumber: BOB_CARD, payeeName: BOB.name }, 'o-carol', CAROL)).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    expect(await transfer({ cardNumber: PAYEE_OK }, 'o-carol', CAROL)).toMatchObject({ ok: true });

    host.clock.advance(CONFIG.ledger.nameMismatchLimits.perPayer[0].windowMs);
    expect(await transfer({ cardNumber: BOB_CARD, payeeName: BOB.name })).toMatchObject({ ok: true });
  });
});

describe('a card unbound while a top-up or withdrawal is being booked', () => {
  /** The store the domain sees: the first pay-password read (after the card was checked, before booking) unbinds the card. */
  function storeUnbindingOnPasswordCheck(): Store<Collections> {
    const store = host.app.deps.store;
    let unbound = false;
    return new Proxy(store, {
      get(target, property) {
        if (property === 'get') {
          return async (collection: keyof Collections, id: string) => {
            if (collection === 'payPasswords' && !unbound) {
              unbound = true;
              await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId, payPassword: ALICE.payPassword });
            }
            return target.get(collection, id);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  test('top-up: refused in the booking transaction, nothing booked, the card not debited', async () => {
    const deps = { ...host.app.deps, store: storeUnbindingOnPasswordCheck() };
    await expect(
      bookTopup(
        deps,
        { openid: 'o-alice' },
        { requestId: rid(), cardId, amountFen: 1_000, payPassword: ALICE.payPassword },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await host.app.deps.store.count('walletOperations')).toBe(0);
    const token = (await host.app.deps.store.get('cards', cardId))!.gatewayToken;
    expect((await host.app.sandbox.bank.account(token))?.balanceFen).toBe(10_000_000);
  });

  test('withdrawal: refused in the booking transaction, the balance untouched', async () => {
    await topup(10_000);
    const deps = { ...host.app.deps, store: storeUnbindingOnPasswordCheck() };
    await expect(
      bookWithdraw(
        deps,
        { openid: 'o-alice' },
        { requestId: rid(), cardId, amountFen: 1_000, payPassword: ALICE.payPassword },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await host.app.deps.store.count('walletOperations', [{ field: 'type', op: '==', value: 'withdraw' }])).toBe(
      0,
    );
    const { userId } = (await host.app.deps.store.get('wxAccounts', 'o-alice'))!;
    expect((await host.app.deps.store.get('wallets', walletAccountId(userId)))?.balanceFen).toBe(10_000);
  });
});

describe('tests with teeth', () => {
  test('two withdrawals that each take part of the free quota add up', async () => {
    await topup(200_000);
    expect(await withdraw({ amountFen: 60_000 })).toMatchObject({ ok: true, data: { feeFen: 0 } });
    // 40,000 left free, 0.1 % of the other 20,000 = ¥0.20
    expect(await withdraw({ amountFen: 60_000 })).toMatchObject({ ok: true, data: { feeFen: 20 } });
    expect((await summary()).withdrawFreeQuotaLeftFen).toBe(0);
    const next = await ok<WithdrawQuoteView>(host, 'o-alice', 'ledger', { action: 'withdrawQuote', amountFen: 10_000 });
    expect(next).toMatchObject({ quotaLeftFen: 0, quotaUsedFen: 0, feeFen: 10 });
  });

  test('two users sending the same requestId each get their own operation', async () => {
    await topup(50_000);
    await verifiedUser(host, 'o-bob', BOB);
    const bobCard = await bindCard(host, 'o-bob', BOB_CARD, BOB);
    await ok(host, 'o-bob', 'ledger', {
      action: 'topup',
      requestId: 'bob-topup',
      cardId: bobCard.cardId,
      amountFen: 50_000,
      payPassword: BOB.payPassword,
    });
    const shared = { requestId: 'the-same-request-id', amountFen: 10_000 };
    const alices = await transfer(shared);
    const bobs = await transfer(shared, 'o-bob', BOB);
    if (!alices.ok || !bobs.ok) throw new Error('both transfers are accepted');
    expect(bobs.data.operationId).not.toBe(alices.data.operationId);
    expect((await summary('o-alice')).balanceFen).toBe(50_000 - 10_010);
    expect((await summary('o-bob')).balanceFen).toBe(50_000 - 10_010);
    await expect(entry(alices.data.operationId, 'o-bob')).rejects.toThrow(/NOT_FOUND/);
  });
});
