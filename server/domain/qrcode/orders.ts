/**
 * Merchant orders: a merchant (its money is the ledger account `merchant:<id>`) asks for a payment
 * code for an order — merchant, order number, amount, expiry — and we sign it. The signed payload
 * is the order: nothing is stored until it is paid, and then the payment's document, whose id is
 * derived from (merchant, order number), is created in the payment's transaction, so an order is
 * paid at most once, by whoever comes first (ledger/payments.ts).
 */
import { createHash } from 'node:crypto';
import { CONFIG } from '../../config';
import type { MerchantDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { DocumentExistsError } from '../ports/store';
import { ORDER_FIELD, qrContent, readToken, signToken, type OrderPayload } from './token';

/** Registers a merchant once (a later call with the same id keeps the first). */
export async function registerMerchant(
  deps: Pick<DomainDeps, 'store' | 'clock'>,
  merchant: { id: string; name: string },
): Promise<void> {
  if (!ORDER_FIELD.test(merchant.id)) throw new Error(`merchant ids are 1–32 of A-Za-z0-9_-: ${merchant.id}`);
  const doc: MerchantDoc = { id: merchant.id, name: merchant.name, status: 'active', createdAt: deps.clock.now() };
  try {
    await deps.store.create('merchants', doc);
  } catch (error) {
    if (!(error instanceof DocumentExistsError)) throw error;
  }
}

async function activeMerchant(deps: DomainDeps, merchantId: string): Promise<MerchantDoc> {
  const merchant = await deps.store.get('merchants', merchantId);
  if (!merchant || merchant.status !== 'active') throw new AppError('NOT_FOUND', '商户不存在或已停止收款');
  return merchant;
}

export interface OrderRequest {
  merchantId: string;
  /** The merchant's own number; one is made up when left out. */
  orderNo?: string;
  amountFen: number;
  /** How long the code may be paid; default CONFIG.qr.orderTtlMs. */
  ttlMs?: number;
}

export interface IssuedOrder {
  merchantId: string;
  merchantName: string;
  orderNo: string;
  amountFen: number;
  expiresAt: number;
  /** What the payment QR encodes. */
  content: string;
}

/** Signs a payment code for an order of an active merchant. */
export async function issueOrder(deps: DomainDeps, request: OrderRequest): Promise<IssuedOrder> {
  const merchant = await activeMerchant(deps, request.merchantId);
  if (request.amountFen > CONFIG.ledger.maxPaymentFen) {
    throw new AppError('AMOUNT_LIMIT_EXCEEDED', undefined, { limitFen: CONFIG.ledger.maxPaymentFen });
  }
  const orderNo = request.orderNo ?? deps.ids.next('SO');
  if (!ORDER_FIELD.test(orderNo)) throw new AppError('INVALID_ARGUMENT', '订单号应为1–32位字母、数字、-或_');
  const ttlMs = request.ttlMs ?? CONFIG.qr.orderTtlMs;
  if (ttlMs <= 0 || ttlMs > CONFIG.qr.maxOrderTtlMs) throw new AppError('INVALID_ARGUMENT', '付款码有效期超出允许范围');
  const expiresAt = Math.floor((deps.clock.now() + ttlMs) / 1000) * 1000;
  const token = signToken(deps.secrets, {
    kind: 'order',
    merchantId: merchant.id,
    orderNo,
    amountFen: request.amountFen,
    expiresAt,
  });
  return {
    merchantId: merchant.id,
    merchantName: merchant.name,
    orderNo,
    amountFen: request.amountFen,
    expiresAt,
    content: qrContent(token),
  };
}

export function orderPaymentId(merchantId: string, orderNo: string): string {
  return `ordp_${createHash('sha256').update(`${merchantId}\u0000${orderNo}`).digest('hex').slice(0, 40)}`;
}

/** A scanned order token: signed by us, an order, of an active merchant. Expiry is the caller's (ORDER_EXPIRED). */
export async function readOrderToken(
  deps: DomainDeps,
  token: string,
): Promise<{ order: OrderPayload; merchant: MerchantDoc }> {
  const payload = readToken(deps.secrets, token);
  if (payload.kind !== 'order') throw new AppError('QR_WRONG_KIND', '这是收款码，请用转账付款');
  return { order: payload, merchant: await activeMerchant(deps, payload.merchantId) };
}

/** Whether an order was paid, and by which operation (the merchant's view). */
export function orderPayment(deps: DomainDeps, merchantId: string, orderNo: string) {
  return deps.store.get('orderPayments', orderPaymentId(merchantId, orderNo));
}
