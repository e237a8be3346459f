/**
 * Journey 4, scan to pay: a sandbox merchant prints a payment QR for an order (POST
 * /sandbox/merchant-orders); demo user B taps 扫一扫 on the home page, the preview's scan dialog
 * reads the QR image in the page, and B pays it with the pay password on the sheet's keyboard. The
 * merchant is paid exactly once: a second phone that had the same order open is refused with the
 * server's message, and scanning the order again shows it as paid, with nothing left to pay.
 */
import type { SummaryView } from '../../typings/ledger';
import { DEMO_IDENTITIES, seedDemoData } from '../../server/host/seed';
import { formatFen } from '../../miniprogram/utils/money';
import type { PreviewPage } from '../helpers/browser';
import { useJourney } from '../helpers/journey';
import { ok } from '../helpers/verification';

const BOB = 'o-demo-bob';
const AMOUNT_FEN = 3_650;

interface CreatedOrder {
  merchantId: string;
  merchantName: string;
  orderNo: string;
  amountFen: number;
  content: string;
  /** The QR as a PNG data URL, as the merchant's till would show it. */
  image: string;
}

interface OrderState {
  paid: boolean;
  payment: { amountFen: number } | null;
  merchantBalanceFen: number;
}

// what `npm start` seeds: B verified, pay password 147258, a bound card and ¥5,000 in the wallet
const journey = useJourney({ prepare: (host) => seedDemoData(host.app.deps, host.app.sandbox) });

async function createOrder(): Promise<CreatedOrder> {
  const response = await journey.host.raw('/sandbox/merchant-orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amountFen: AMOUNT_FEN, orderNo: 'JOURNEY-4-LATTE' }),
  });
  const body = JSON.parse(response.text) as { ok: boolean; data: CreatedOrder };
  if (!body.ok) throw new Error(`merchant order: ${response.text}`);
  return body.data;
}

async function orderState(order: CreatedOrder): Promise<OrderState> {
  const response = await journey.host.raw(
    `/sandbox/merchant-orders?merchantId=${order.merchantId}&orderNo=${order.orderNo}`,
  );
  return (JSON.parse(response.text) as { data: OrderState }).data;
}

const walletBalance = async () =>
  (await ok<SummaryView>(journey.host, BOB, 'ledger', { action: 'summary' })).balanceFen;

/** Home → 扫一扫 → the order's QR image read by the scan dialog → the order payment page. */
async function scanOrder(preview: PreviewPage, order: CreatedOrder): Promise<void> {
  await preview.tap('.scan-link');
  const png = Buffer.from(order.image.replace(/^data:image\/png;base64,/, ''), 'base64');
  await preview.phone
    .locator('.pv-scan__file')
    .setInputFiles({ name: 'order.png', mimeType: 'image/png', buffer: png });
  await preview.waitForRoute('pages/qrcode/pay/index');
  await preview.waitForText(order.merchantName);
}

/** 确认付款 → the subscribe prompt (allowed) → the pay password on the sheet. */
async function payWithPassword(preview: PreviewPage): Promise<void> {
  await preview.tap('.pay-button');
  expect(await preview.dialogText()).toContain('订阅消息');
  await preview.pressDialog('允许');
  await preview.waitForText('请输入支付密码');
  await preview.enterPayPassword(DEMO_IDENTITIES[BOB]!.payPassword);
}

test('scan a merchant order, pay it once; a second payment and a second scan are refused', async () => {
  const started = Date.now();
  const order = await createOrder();
  const balanceBefore = await walletBalance();
  expect(balanceBefore).toBeGreaterThan(AMOUNT_FEN);

  const phone = await journey.open({ openid: BOB });
  await phone.waitForText('已实名');
  await phone.screenshot('scan-pay-1-home');
  await scanOrder(phone, order);
  expect(await phone.text('.merchant')).toBe('街角咖啡（沙箱商户）');
  expect(await phone.text('.amount')).toBe('¥36.50');
  expect(await phone.text('.order-no')).toBe('订单号 JOURNEY-4-LATTE');
  expect(await phone.text('.method')).toBe(`付款方式 零钱（余额 ${formatFen(balanceBefore)}）`);
  await phone.screenshot('scan-pay-2-order');

  // the same order open on a second phone of the same user, before anyone pays
  const secondPhone = await journey.open({ openid: BOB });
  await secondPhone.waitForText('已实名');
  await scanOrder(secondPhone, order);
  expect(await (await secondPhone.locate('.pay-button')).isVisible()).toBe(true);

  await phone.focus();
  await payWithPassword(phone);
  await phone.waitForText('付款成功');
  await phone.waitForSheetClosed();
  expect(await phone.text('.result-amount')).toBe('¥36.50');
  expect(await phone.text('.result-merchant')).toBe('收款方 街角咖啡（沙箱商户）');
  expect(await phone.text('.result-order')).toBe('订单号 JOURNEY-4-LATTE');
  await phone.screenshot('scan-pay-3-paid');

  const paid = await orderState(order);
  expect(paid).toMatchObject({ paid: true, payment: { amountFen: AMOUNT_FEN }, merchantBalanceFen: AMOUNT_FEN });
  expect(await walletBalance()).toBe(balanceBefore - AMOUNT_FEN);

  // the second phone pays the same order: refused, the server's message on the page
  await secondPhone.focus();
  await payWithPassword(secondPhone);
  await secondPhone.waitForText('该订单已支付，请勿重复付款');
  await secondPhone.waitForSheetClosed();
  // the refusal is final: no pay button, and no 重试 that would look like paying again
  for (const button of ['.pay-button', '.retry-button'])
    expect(await secondPhone.locate(button).then((found) => found.count())).toBe(0);
  await secondPhone.screenshot('scan-pay-4-second-payment-refused');

  // scanning the paid order again: shown as paid, nothing to pay
  await phone.focus();
  await phone.tap('.done-button');
  await phone.waitForRoute('pages/index/index');
  await phone.waitForText('已实名');
  await scanOrder(phone, order);
  await phone.waitForText('该订单已支付');
  expect(await phone.locate('.pay-button').then((button) => button.count())).toBe(0);
  await phone.screenshot('scan-pay-5-scanned-again');

  // paid once: the merchant's takings and B's wallet moved by the order's amount, once
  expect(await orderState(order)).toEqual(paid);
  expect(await walletBalance()).toBe(balanceBefore - AMOUNT_FEN);
  expect([...(await phone.problems()), ...(await secondPhone.problems())]).toEqual([]);
  console.log(`scan-to-pay journey ${Date.now() - started} ms`);
});
