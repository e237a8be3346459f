/**
 * The local host's sandbox merchants and QR codes: a merchant's till (create an order, see whether
 * it was paid) and the list of codes the browser preview's scan dialog offers.
 *
 *   POST /sandbox/merchant-orders   { merchantId?, amountFen, orderNo?, ttlSeconds? } → the order,
 *                                   its QR content, a PNG and the QR as terminal text
 *   GET  /sandbox/merchant-orders?merchantId=…&orderNo=…  → paid or not, and the merchant's takings
 *   GET  /sandbox/qr-codes          → [{ label, content }]: the orders POSTed above that are still
 *                                   open (newest first), fresh orders of every sandbox merchant, an
 *                                   expired, a tampered and a foreign code, and every live receive code
 */
import * as z from 'zod';
import { qrPngDataUrl, qrTerminalText } from '../adapters/qr-image';
import { formatFen } from '../domain/format';
import { bankOf } from '../domain/cards/bins';
import { merchantAccountId } from '../domain/ledger/accounts';
import { maskName } from '../domain/mask';
import { issueOrder, orderPayment, registerMerchant, type IssuedOrder } from '../domain/qrcode/orders';
import { receiveCodeContent } from '../domain/qrcode/receive';
import { ORDER_FIELD, qrContent, signToken } from '../domain/qrcode/token';
import { openidOf } from '../domain/users/session';
import type { AppDeps } from '../runtime/deps';
import { amountFen, describeIssue } from '../runtime/validation';
import { invalid, type HostRoute } from './http';

/** The sandbox's merchants, registered by the seed and on first use of these routes. */
export const SANDBOX_MERCHANTS = [
  { id: 'm_corner_cafe', name: '街角咖啡（沙箱商户）', sampleFen: 2_800, sampleItem: '拿铁' },
  { id: 'm_fresh_mart', name: '鲜果便利店（沙箱商户）', sampleFen: 650, sampleItem: '香蕉一把' },
] as const;

export async function registerSandboxMerchants(deps: AppDeps): Promise<void> {
  for (const merchant of SANDBOX_MERCHANTS) await registerMerchant(deps, merchant);
}

const merchantId = z
  .string({ error: '商户编号格式有误' })
  .regex(ORDER_FIELD, { error: '商户编号格式有误' })
  .default(SANDBOX_MERCHANTS[0].id);
const orderNo = z.string({ error: '订单号格式有误' }).regex(ORDER_FIELD, { error: '订单号应为1–32位字母、数字、-或_' });

const createOrder = z.object({
  merchantId,
  amountFen,
  orderNo: orderNo.optional(),
  ttlSeconds: z.number({ error: '有效期应为秒数' }).int({ error: '有效期应为秒数' }).positive().optional(),
});

/** Receive codes still live, newest first, labelled as a payer would see them (and whose they are). */
async function liveReceiveCodes(deps: AppDeps): Promise<{ label: string; content: string }[]> {
  const now = deps.clock.now();
  const codes = await deps.store.find('receiveCodes', {
    where: [{ field: 'status', op: '==', value: 'active' }],
    orderBy: [['createdAt', 'desc']],
    limit: 20,
  });
  const listed: { label: string; content: string }[] = [];
  for (const code of codes.filter((doc) => doc.expiresAt > now)) {
    const card = await deps.store.get('cards', code.cardId);
    const identity = await deps.store.get('identities', code.userId);
    if (!card || card.status !== 'bound' || !identity) continue;
    const openid = await openidOf(deps, code.userId);
    listed.push({
      label: `收款码 · ${bankOf(card.bankCode).name}(${card.lastFour}) ${maskName(identity.name)}（${openid ?? code.userId}）`,
      content: receiveCodeContent(deps.secrets, code),
    });
  }
  return listed;
}

/** How many orders created at the till the scan list remembers. */
const REMEMBERED_ORDERS = 10;

export function qrRoutes(deps: AppDeps): HostRoute[] {
  // Orders are signed tokens, stored nowhere until paid: the till remembers the ones it issued (in
  // this process only) so the preview's scan list can offer the order a developer just created.
  const issued: IssuedOrder[] = [];
  const openOrders = async (): Promise<{ label: string; content: string }[]> => {
    const now = deps.clock.now();
    const open: { label: string; content: string }[] = [];
    for (const order of [...issued].reverse()) {
      if (order.expiresAt <= now || (await orderPayment(deps, order.merchantId, order.orderNo))) continue;
      open.push({
        label: `商户付款码 · ${order.merchantName} 订单 ${order.orderNo} ${formatFen(order.amountFen)}`,
        content: order.content,
      });
    }
    return open;
  };
  return [
    {
      method: 'POST',
      path: '/sandbox/merchant-orders',
      async handle({ body }) {
        const parsed = createOrder.safeParse(body ?? {});
        if (!parsed.success) return invalid(describeIssue(parsed.error.issues[0], body ?? {}));
        await registerSandboxMerchants(deps);
        const order = await issueOrder(deps, {
          merchantId: parsed.data.merchantId,
          orderNo: parsed.data.orderNo,
          amountFen: parsed.data.amountFen,
          ttlMs: parsed.data.ttlSeconds === undefined ? undefined : parsed.data.ttlSeconds * 1000,
        });
        // an order issued again replaces its earlier code, which no longer pays
        const earlier = issued.findIndex((o) => o.merchantId === order.merchantId && o.orderNo === order.orderNo);
        if (earlier >= 0) issued.splice(earlier, 1);
        issued.push(order);
        if (issued.length > REMEMBERED_ORDERS) issued.shift();
        const image = await qrPngDataUrl(order.content);
        return { ok: true, data: { ...order, image, terminal: await qrTerminalText(order.content) } };
      },
    },
    {
      method: 'GET',
      path: '/sandbox/merchant-orders',
      async handle({ query }) {
        const merchant = merchantId.safeParse(query.get('merchantId') ?? undefined);
        const order = orderNo.safeParse(query.get('orderNo') ?? '');
        if (!merchant.success || !order.success) return invalid('请提供 merchantId 和 orderNo');
        const payment = await orderPayment(deps, merchant.data, order.data);
        return {
          ok: true,
          data: {
            merchantId: merchant.data,
            orderNo: order.data,
            paid: payment !== null,
            payment: payment && {
              amountFen: payment.amountFen,
              paidAt: payment.paidAt,
              operationId: payment.operationId,
            },
            merchantBalanceFen: await deps.store.sum('postings', 'amountFen', [
              { field: 'accountId', op: '==', value: merchantAccountId(merchant.data) },
            ]),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/sandbox/qr-codes',
      async handle() {
        await registerSandboxMerchants(deps);
        const created = await openOrders();
        const codes: { label: string; content: string }[] = [];
        for (const merchant of SANDBOX_MERCHANTS) {
          const order = await issueOrder(deps, { merchantId: merchant.id, amountFen: merchant.sampleFen });
          codes.push({
            label: `商户付款码 · ${merchant.name} ${merchant.sampleItem} ${formatFen(merchant.sampleFen)}`,
            content: order.content,
          });
        }
        const [first] = SANDBOX_MERCHANTS;
        const expired = signToken(deps.secrets, {
          kind: 'order',
          merchantId: first.id,
          orderNo: deps.ids.next('SO'),
          amountFen: first.sampleFen,
          expiresAt: Math.floor(deps.clock.now() / 1000) * 1000 - 60_000,
        });
        // one character of the signed part changed, as an altered amount or order number would be
        const original = codes[0]!.content;
        const at = original.length - 20;
        const tampered = `${original.slice(0, at)}${original[at] === 'A' ? 'B' : 'A'}${original.slice(at + 1)}`;
        codes.push(
          { label: '（测试）已过期的商户付款码', content: qrContent(expired) },
          { label: '（测试）被篡改的商户付款码', content: tampered },
          { label: '（测试）其他应用的二维码', content: 'https://example.com/pay?order=123' },
          ...(await liveReceiveCodes(deps)),
        );
        return { ok: true, data: [...created, ...codes] };
      },
    },
  ];
}
