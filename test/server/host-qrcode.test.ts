/**
 * Receive codes, scanning and merchant orders through the local host over HTTP, on the sandbox
 * bank: scan → resolve → transfer → notification end to end; revoked, expired, own and foreign
 * codes; an order paid once whatever the replays, by one user or several, at the same time.
 */
import { CONFIG } from '../../server/config';
import { reconcile } from '../../server/domain/ledger/reconcile';
import type { MessageListView } from '../../typings/messages';
import type { OperationView, SettleReport, SummaryView, TransferQuoteView } from '../../typings/ledger';
import type { OrderResolution, ReceiveCodeView, ReceiveResolution } from '../../typings/qrcode';
import { startTestHost, type TestHost } from '../helpers/host';
import { readQrImage } from '../helpers/qr';
import { act, ALICE, BOB, bindCard, ok, verifiedUser, type Envelope, type Person } from '../helpers/verification';

const ALICE_CARD = '6222020000000000018'; // ICBC, ¥100,000 at the sandbox bank
const BOB_CARD = '6217000000000000020'; // CCB, ¥50,000
const CAROL: Person = { name: '王芳', idNumber: '11010519491231002X', payPassword: '582079' };

let host: TestHost;
let aliceCardId: string;
let bobCardId: string;
let sequence = 0;
const rid = () => `qr-req-${sequence++}`;

beforeEach(async () => {
  host = await startTestHost();
  await verifiedUser(host, 'o-alice', ALICE);
  await verifiedUser(host, 'o-bob', BOB);
  aliceCardId = (await bindCard(host, 'o-alice', ALICE_CARD)).cardId;
  bobCardId = (await bindCard(host, 'o-bob', BOB_CARD, BOB)).cardId;
  await ok(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: rid(),
    cardId: aliceCardId,
    amountFen: 100_000,
    payPassword: ALICE.payPassword,
  });
  // later steps sort after the top-up in the message centre
  host.clock.advance(1000);
});
afterEach(async () => {
  await host.close();
});

const receiveCode = (openid = 'o-bob', extra: Record<string, unknown> = {}) =>
  ok<ReceiveCodeView>(host, openid, 'qrcode', { action: 'receiveCode', cardId: bobCardId, ...extra });
const resolve = (content: string, openid = 'o-alice') =>
  act<ReceiveResolution | OrderResolution>(host, openid, 'qrcode', { action: 'resolve', content });
const transferTo = (receiveToken: string, amountFen = 10_000, extra: Record<string, unknown> = {}) =>
  act<OperationView>(host, 'o-alice', 'ledger', {
    action: 'transferToCard',
    requestId: rid(),
    receiveToken,
    amountFen,
    speed: 'fast',
    payPassword: ALICE.payPassword,
    ...extra,
  });
const settle = async () => {
  const response = await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' });
  expect(response.body.data.reconciliation.breaks).toEqual([]);
  return response.body.data;
};
const balance = async (openid = 'o-alice') =>
  (await ok<SummaryView>(host, openid, 'ledger', { action: 'summary' })).balanceFen;
const messages = (openid = 'o-alice') => ok<MessageListView>(host, openid, 'messages', { action: 'list' });
const errorCode = (result: Envelope<unknown>) => (result.ok ? 'OK' : result.error.code);

describe('receive codes', () => {
  test('a code for a bound card: a link with a short token, a PNG of it, bank + last four + masked name only', async () => {
    const code = await receiveCode();
    expect(code).toMatchObject({
      cardId: bobCardId,
      card: {
        bank: { code: 'CCB', name: '中国建设银行' },
        cardType: 'debit',
        cardTypeLabel: '储蓄卡',
        lastFour: '0020',
      },
      maskedName: '*四',
      expiresAt: host.clock.now() + CONFIG.qr.receiveCodeTtlMs,
    });
    expect(code.content).toMatch(new RegExp(`^${CONFIG.qr.linkBase}[A-Za-z0-9_-]{31}$`));
    expect(readQrImage(code.image)).toBe(code.content);
    expect(JSON.stringify(code)).not.toContain(BOB_CARD);
    expect(JSON.stringify(code)).not.toContain(BOB.name);
    // shown again while it has an hour or more left; then a new one
    expect((await receiveCode()).codeId).toBe(code.codeId);
    host.clock.advance(CONFIG.qr.receiveCodeTtlMs - CONFIG.qr.receiveCodeReuseMinMs + 1);
    expect((await receiveCode()).codeId).not.toBe(code.codeId);
  });

  test('someone else’s card, an unbound one or an unknown id: NOT_FOUND', async () => {
    expect(await act(host, 'o-alice', 'qrcode', { action: 'receiveCode', cardId: bobCardId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const code = await receiveCode();
    expect(await act(host, 'o-alice', 'qrcode', { action: 'revokeReceiveCode', codeId: code.codeId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  test('resolve shows the payee as bank + last four + masked name', async () => {
    const code = await receiveCode();
    const resolved = await resolve(code.content);
    expect(resolved).toEqual({
      ok: true,
      data: {
        kind: 'receive',
        receiveToken: code.content.slice(CONFIG.qr.linkBase.length),
        payee: {
          bank: { code: 'CCB', name: '中国建设银行', color: expect.stringMatching(/^#/) },
          cardType: 'debit',
          cardTypeLabel: '储蓄卡',
          lastFour: '0020',
          maskedName: '*四',
          label: '中国建设银行(0020) *四',
        },
        expiresAt: code.expiresAt,
      },
    });
    // a mini program code's scene carries the bare token
    expect((await resolve(code.content.slice(CONFIG.qr.linkBase.length))).ok).toBe(true);
  });

  test('refreshing revokes the old code; revoking or unbinding the card stops it; expiry too', async () => {
    const first = await receiveCode();
    const second = await receiveCode('o-bob', { refresh: true });
    expect(second.codeId).not.toBe(first.codeId);
    expect(await resolve(first.content)).toMatchObject({
      ok: false,
      error: { code: 'QR_REVOKED', details: { reason: 'revoked' } },
    });
    expect((await resolve(second.content)).ok).toBe(true);

    await ok(host, 'o-bob', 'qrcode', { action: 'revokeReceiveCode', codeId: second.codeId });
    await ok(host, 'o-bob', 'qrcode', { action: 'revokeReceiveCode', codeId: second.codeId }); // again: fine
    expect(errorCode(await resolve(second.content))).toBe('QR_REVOKED');

    const third = await receiveCode();
    await ok(host, 'o-bob', 'cards', { action: 'unbind', cardId: bobCardId, payPassword: BOB.payPassword });
    expect(await resolve(third.content)).toMatchObject({
      ok: false,
      error: { code: 'QR_REVOKED', message: '收款人已解绑该银行卡，收款码已失效', details: { reason: 'cardUnbound' } },
    });
    expect(errorCode(await transferTo(third.content.slice(CONFIG.qr.linkBase.length)))).toBe('QR_REVOKED');
  });

  test('an expired code, one’s own code, and a code of the wrong kind are refused with their own codes', async () => {
    const code = await receiveCode();
    const token = code.content.slice(CONFIG.qr.linkBase.length);
    expect(errorCode(await resolve(code.content, 'o-bob'))).toBe('QR_OWN_CODE');
    const order = await createOrder(1_000);
    expect(errorCode(await transferTo(order.content.slice(CONFIG.qr.linkBase.length)))).toBe('QR_WRONG_KIND');
    expect(
      errorCode(
        await act(host, 'o-alice', 'qrcode', {
          action: 'payOrder',
          requestId: rid(),
          orderToken: token,
          payPassword: ALICE.payPassword,
        }),
      ),
    ).toBe('QR_WRONG_KIND');
    host.clock.advance(CONFIG.qr.receiveCodeTtlMs);
    expect(errorCode(await resolve(code.content))).toBe('QR_EXPIRED');
    expect(errorCode(await transferTo(token))).toBe('QR_EXPIRED');
    expect(await host.app.deps.store.count('walletOperations', [{ field: 'type', op: '==', value: 'transfer' }])).toBe(
      0,
    );
  });

  test('a tampered byte in every position of a real code: never a payee', async () => {
    const token = (await receiveCode()).content.slice(CONFIG.qr.linkBase.length);
    const bytes = Buffer.from(token, 'base64url');
    for (let index = 0; index < bytes.length; index++) {
      const changed = Buffer.from(bytes);
      changed[index] = changed[index]! ^ 0x01;
      const code = errorCode(await resolve(changed.toString('base64url')));
      expect({ index, code }).toEqual({ index, code: 'QR_SIGNATURE_INVALID' });
    }
  });
});

describe('scan → resolve → transfer → notification', () => {
  test('to a receive code: the payee’s card is credited by its gateway token, the payer is told at each step', async () => {
    const templateId = CONFIG.notifications.templates.fundChange.templateId;
    await ok(host, 'o-alice', 'messages', { action: 'subscribe', accepted: [templateId, templateId] });
    const code = await receiveCode();
    const scanned = await resolve(code.content);
    if (!scanned.ok || scanned.data.kind !== 'receive') throw new Error('not a receive code');
    const { receiveToken } = scanned.data;

    const quote = await ok<TransferQuoteView>(host, 'o-alice', 'ledger', {
      action: 'transferQuote',
      receiveToken,
      amountFen: 12_345,
      speed: 'fast',
    });
    expect(quote).toMatchObject({
      bank: { code: 'CCB' },
      lastFour: '0020',
      maskedHolder: '*四',
      payeeLabel: '中国建设银行(0020) *四',
      feeFen: 12,
      totalFen: 12_357,
    });

    const requestId = rid();
    const sent = await transferTo(receiveToken, 12_345, { requestId });
    if (!sent.ok) throw new Error(sent.error.code);
    expect(sent.data).toMatchObject({ status: 'PROCESSING', totalFen: 12_357 });
    expect(sent.data.counterparty.label).toBe('中国建设银行(0020) *四');
    // the same request again is the same transfer
    expect(await transferTo(receiveToken, 12_345, { requestId })).toEqual(sent);
    expect(errorCode(await transferTo(receiveToken, 12_346, { requestId }))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await balance()).toBe(100_000 - 12_357);

    const bobAccount = (await host.app.sandbox.bank.account(host.app.sandbox.bank.cardToken(BOB_CARD)))!;
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    expect((await settle()).resolved.succeeded).toBe(1);
    const after = (await host.app.sandbox.bank.account(bobAccount.id))!;
    expect(after.balanceFen - bobAccount.balanceFen).toBe(12_345);

    const centre = await messages();
    expect(centre.items.slice(0, 2).map((m) => [m.title, m.body, m.read])).toEqual([
      ['转账成功', '向中国建设银行(0020) *四转账 ¥123.45，对方已到账。', false],
      [
        '转账已提交',
        expect.stringMatching(/^向中国建设银行\(0020\) \*四转账 ¥123\.45，手续费 ¥0\.12，预计 .* 前到账。$/),
        false,
      ],
    ]);
    expect(centre.items[0]!.link).toBe(`/pages/history/detail/index?id=${sent.data.operationId}`);
    // two acceptances: both steps went to WeChat as subscribe messages
    const outbox = JSON.parse((await host.raw('/sandbox/notifications?openid=o-alice')).text) as {
      data: { items: { title: string; templateId: string; data: Record<string, string> }[] };
    };
    expect(outbox.data.items.map((m) => m.title)).toEqual(['转账成功', '转账已提交']);
    expect(outbox.data.items[0]).toMatchObject({
      templateId,
      data: { thing1: '转账到银行卡', amount2: '¥123.57', thing4: '中国建设银行(0020) *四已到账' },
    });
  });

  test('a code revoked between the scan and the transfer: refused, nothing booked', async () => {
    const code = await receiveCode();
    const scanned = await resolve(code.content);
    await ok(host, 'o-bob', 'qrcode', { action: 'revokeReceiveCode', codeId: code.codeId });
    if (!scanned.ok || scanned.data.kind !== 'receive') throw new Error('not a receive code');
    expect(errorCode(await transferTo(scanned.data.receiveToken))).toBe('QR_REVOKED');
    expect(await balance()).toBe(100_000);
  });

  test('a receive code names its payee: payeeName with it, or both a card number and a code, are refused', async () => {
    const token = (await receiveCode()).content.slice(CONFIG.qr.linkBase.length);
    expect(await transferTo(token, 100, { payeeName: '李四' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', details: { field: 'payeeName' } },
    });
    expect(errorCode(await transferTo(token, 100, { cardNumber: BOB_CARD }))).toBe('INVALID_ARGUMENT');
  });
});

async function createOrder(amountFen: number, extra: Record<string, unknown> = {}) {
  const response = await host.raw('/sandbox/merchant-orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amountFen, ...extra }),
  });
  const body = JSON.parse(response.text) as Envelope<{
    merchantId: string;
    orderNo: string;
    content: string;
    image: string;
    terminal: string;
    expiresAt: number;
  }>;
  if (!body.ok) throw new Error(body.error.code);
  return body.data;
}

async function orderStatus(merchantId: string, orderNo: string) {
  const response = await host.raw(`/sandbox/merchant-orders?merchantId=${merchantId}&orderNo=${orderNo}`);
  return (JSON.parse(response.text) as { data: { paid: boolean; merchantBalanceFen: number } }).data;
}

describe('merchant orders', () => {
  const pay = (openid: string, orderToken: string, person: Person, requestId = rid()) =>
    act<OperationView>(host, openid, 'qrcode', {
      action: 'payOrder',
      requestId,
      orderToken,
      payPassword: person.payPassword,
    });
  const tokenOf = (content: string) => content.slice(CONFIG.qr.linkBase.length);

  test('the host issues a signed order with a PNG and terminal text; paying it moves the money to the merchant once', async () => {
    const order = await createOrder(2_800, { orderNo: 'CAFE-0001' });
    expect(readQrImage(order.image)).toBe(order.content);
    expect(order.terminal).toMatch(/[▀▄█]/);
    const scanned = await resolve(order.content);
    expect(scanned).toEqual({
      ok: true,
      data: {
        kind: 'order',
        orderToken: tokenOf(order.content),
        merchant: { merchantId: 'm_corner_cafe', name: '街角咖啡（沙箱商户）' },
        orderNo: 'CAFE-0001',
        amountFen: 2_800,
        expiresAt: order.expiresAt,
        paid: false,
        wallet: { balanceFen: 100_000 },
      },
    });

    const requestId = rid();
    const paid = await pay('o-alice', tokenOf(order.content), ALICE, requestId);
    if (!paid.ok) throw new Error(paid.error.code);
    expect(paid.data).toMatchObject({
      type: 'payment',
      status: 'SUCCEEDED',
      direction: 'out',
      amountFen: 2_800,
      feeFen: 0,
      totalFen: 2_800,
      orderNo: 'CAFE-0001',
      counterparty: { kind: 'merchant', name: '街角咖啡（沙箱商户）', label: '街角咖啡（沙箱商户）' },
    });
    expect(await pay('o-alice', tokenOf(order.content), ALICE, requestId)).toEqual(paid);
    expect(await balance()).toBe(100_000 - 2_800);
    expect(await orderStatus('m_corner_cafe', 'CAFE-0001')).toMatchObject({ paid: true, merchantBalanceFen: 2_800 });
    expect(await resolve(order.content)).toMatchObject({ ok: true, data: { paid: true } });
    expect((await messages()).items[0]).toMatchObject({
      kind: 'ledger.payment.SUCCEEDED',
      title: '付款成功',
      body: '向街角咖啡（沙箱商户）付款 ¥28.00（订单号 CAFE-0001）。',
    });
  });

  test('paid once: a new requestId of the same user, or another user, is ORDER_ALREADY_PAID — before any pay password', async () => {
    const token = tokenOf((await createOrder(1_500)).content);
    expect((await pay('o-alice', token, ALICE)).ok).toBe(true);
    expect(errorCode(await pay('o-alice', token, ALICE))).toBe('ORDER_ALREADY_PAID');
    expect(errorCode(await pay('o-bob', token, BOB))).toBe('ORDER_ALREADY_PAID');
    // a wrong password is not even looked at, so it costs no try
    expect(errorCode(await pay('o-bob', token, { ...BOB, payPassword: '000001' }))).toBe('ORDER_ALREADY_PAID');
    expect(
      await host.app.deps.store.get(
        'payPasswords',
        (await ok<{ userId: string }>(host, 'o-bob', 'user', { action: 'session' })).userId,
      ),
    ).toMatchObject({ failedAttempts: 0 });
    expect(await balance()).toBe(100_000 - 1_500);
  });

  test('concurrently, by three users, each twice: one payment, the merchant paid once, the books reconcile', async () => {
    await verifiedUser(host, 'o-carol', CAROL);
    const carolCard = await bindCard(host, 'o-carol', '6225880000000035', CAROL);
    for (const [openid, person, cardId] of [
      ['o-bob', BOB, bobCardId],
      ['o-carol', CAROL, carolCard.cardId],
    ] as const) {
      await ok(host, openid, 'ledger', {
        action: 'topup',
        requestId: rid(),
        cardId,
        amountFen: 10_000,
        payPassword: person.payPassword,
      });
    }
    const order = await createOrder(5_000);
    const token = tokenOf(order.content);
    const payers = [
      ['o-alice', ALICE],
      ['o-bob', BOB],
      ['o-carol', CAROL],
    ] as const;
    const attempts = payers.flatMap(([openid, person]) => {
      const requestId = rid();
      return [pay(openid, token, person, requestId), pay(openid, token, person, requestId), pay(openid, token, person)];
    });
    const results = await Promise.all(attempts);
    const winners = new Set(results.filter((r) => r.ok).map((r) => (r as { data: OperationView }).data.operationId));
    expect(winners.size).toBe(1);
    for (const result of results) if (!result.ok) expect(result.error.code).toBe('ORDER_ALREADY_PAID');
    expect(await host.app.deps.store.count('orderPayments')).toBe(1);
    expect((await orderStatus(order.merchantId, order.orderNo)).merchantBalanceFen).toBe(5_000);
    const report = await reconcile(host.app.deps);
    expect(report.breaks).toEqual([]);
    const balances = await Promise.all(payers.map(([openid]) => balance(openid)));
    expect(balances.reduce((sum, value) => sum + value, 0)).toBe(100_000 + 10_000 + 10_000 - 5_000);
  });

  test('expired orders, short wallets, wrong passwords: refused, nothing moves', async () => {
    const order = await createOrder(1_000, { ttlSeconds: 60 });
    const token = tokenOf(order.content);
    expect(errorCode(await pay('o-alice', token, { ...ALICE, payPassword: '000001' }))).toBe('PAY_PASSWORD_INCORRECT');
    host.clock.advance(60_000);
    expect(errorCode(await resolve(order.content))).toBe('ORDER_EXPIRED');
    expect(errorCode(await pay('o-alice', token, ALICE))).toBe('ORDER_EXPIRED');
    const big = await createOrder(100_001);
    expect(errorCode(await pay('o-alice', tokenOf(big.content), ALICE))).toBe('INSUFFICIENT_FUNDS');
    expect(await host.app.deps.store.count('orderPayments')).toBe(0);
    expect(await balance()).toBe(100_000);
    // a ticket for ledger.pay stands in for the password once
    const { ticket } = await ok<{ ticket: string }>(host, 'o-alice', 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'ledger.pay',
    });
    const small = await createOrder(100);
    const paid = await act(host, 'o-alice', 'qrcode', {
      action: 'payOrder',
      requestId: rid(),
      orderToken: tokenOf(small.content),
      ticket,
    });
    expect(paid.ok).toBe(true);
  });

  test('a re-issued order (same number, new amount): only the latest code pays; the earlier one is refused clearly', async () => {
    const first = await createOrder(1_000, { orderNo: 'RE-0001' });
    const second = await createOrder(2_500, { orderNo: 'RE-0001' });
    const superseded = await resolve(first.content);
    expect(superseded).toEqual({
      ok: false,
      error: { code: 'ORDER_SUPERSEDED', message: expect.stringContaining('最新') },
    });
    // refused before the pay password is looked at: a wrong one costs no try
    expect(errorCode(await pay('o-alice', tokenOf(first.content), { ...ALICE, payPassword: '000001' }))).toBe(
      'ORDER_SUPERSEDED',
    );
    expect(errorCode(await pay('o-alice', tokenOf(first.content), ALICE))).toBe('ORDER_SUPERSEDED');
    expect(await resolve(second.content)).toMatchObject({ ok: true, data: { amountFen: 2_500, paid: false } });
    const paid = await pay('o-alice', tokenOf(second.content), ALICE);
    expect(paid.ok && paid.data.amountFen).toBe(2_500);
    expect(await balance()).toBe(100_000 - 2_500);
    expect((await orderStatus(second.merchantId, 'RE-0001')).merchantBalanceFen).toBe(2_500);
    // a paid order is not issued again, and its earlier code stays refused
    await expect(createOrder(3_000, { orderNo: 'RE-0001' })).rejects.toThrow('ORDER_ALREADY_PAID');
    expect(errorCode(await pay('o-bob', tokenOf(first.content), BOB))).not.toBe('OK');
    expect(await host.app.deps.store.count('orderPayments')).toBe(1);
  });

  test('a re-issue racing a payment of the earlier code: one of them wins, never both', async () => {
    for (let round = 0; round < 5; round++) {
      const orderNo = `RACE-${round}`;
      const first = await createOrder(1_000, { orderNo });
      const [paid, reissued] = await Promise.all([
        pay('o-alice', tokenOf(first.content), ALICE),
        createOrder(2_000, { orderNo }).then(
          () => 'issued',
          (error: Error) => error.message,
        ),
      ]);
      if (paid.ok) expect(reissued).toBe('ORDER_ALREADY_PAID');
      else expect([paid.error.code, reissued]).toEqual(['ORDER_SUPERSEDED', 'issued']);
    }
  });

  test('the host refuses bad orders: unknown merchant, over the limit, a bad order number or amount', async () => {
    const post = async (body: unknown) =>
      JSON.parse(
        (
          await host.raw('/sandbox/merchant-orders', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).text,
      ) as Envelope<unknown>;
    expect(errorCode(await post({ amountFen: 100, merchantId: 'm_nobody' }))).toBe('NOT_FOUND');
    expect(errorCode(await post({ amountFen: CONFIG.ledger.maxPaymentFen + 1 }))).toBe('AMOUNT_LIMIT_EXCEEDED');
    expect(errorCode(await post({ amountFen: 100, orderNo: '订单1' }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(await post({ amountFen: 1.5 }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(await post({ amountFen: 100, ttlSeconds: 10 ** 9 }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(await post([]))).toBe('INVALID_ARGUMENT');
  });
});

test('the preview’s sandbox list: fresh orders, the test codes each refused for its reason, live receive codes', async () => {
  const code = await receiveCode();
  const list = JSON.parse((await host.raw('/sandbox/qr-codes')).text) as Envelope<{ label: string; content: string }[]>;
  if (!list.ok) throw new Error('no list');
  const outcomes: [string, string][] = [];
  for (const item of list.data) outcomes.push([item.label, errorCode(await resolve(item.content))]);
  expect(outcomes).toEqual([
    ['商户付款码 · 街角咖啡（沙箱商户） 拿铁 ¥28.00', 'OK'],
    ['商户付款码 · 鲜果便利店（沙箱商户） 香蕉一把 ¥6.50', 'OK'],
    ['（测试）已过期的商户付款码', 'ORDER_EXPIRED'],
    ['（测试）被篡改的商户付款码', 'QR_SIGNATURE_INVALID'],
    ['（测试）其他应用的二维码', 'QR_NOT_RECOGNIZED'],
    ['收款码 · 中国建设银行(0020) *四（o-bob）', 'OK'],
  ]);
  expect(list.data[5]!.content).toBe(code.content);
});

test('the list offers the orders created at the till while they are open: newest first, not once paid or expired', async () => {
  const listed = async () => {
    const list = JSON.parse((await host.raw('/sandbox/qr-codes')).text) as Envelope<
      { label: string; content: string }[]
    >;
    if (!list.ok) throw new Error('no list');
    return list.data.filter((item) => item.label.includes(' 订单 ')).map((item) => item.label);
  };
  const shortLived = await createOrder(1_200, { orderNo: 'LIST-1', ttlSeconds: 60 });
  const paidSoon = await createOrder(3_650, { orderNo: 'LIST-2' });
  expect(await listed()).toEqual([
    '商户付款码 · 街角咖啡（沙箱商户） 订单 LIST-2 ¥36.50',
    '商户付款码 · 街角咖啡（沙箱商户） 订单 LIST-1 ¥12.00',
  ]);
  expect(shortLived.content).not.toBe(paidSoon.content);
  const paid = await act(host, 'o-alice', 'qrcode', {
    action: 'payOrder',
    requestId: rid(),
    orderToken: paidSoon.content.slice(CONFIG.qr.linkBase.length),
    payPassword: ALICE.payPassword,
  });
  expect(paid.ok).toBe(true);
  expect(await listed()).toEqual(['商户付款码 · 街角咖啡（沙箱商户） 订单 LIST-1 ¥12.00']);
  host.clock.advance(60_000);
  expect(await listed()).toEqual([]);
});

test('settle reports the outbox; every message went out or was skipped', async () => {
  const report = await settle();
  expect(report.outbox).toEqual({ sent: 0, skipped: 0, retrying: 0, failed: 0, pending: 0, oldestPendingMs: 0 });
});
