/**
 * Merchant orders: a merchant (its money is the ledger account `merchant:<id>`) asks for a payment
 * code for an order — merchant, order number, amount, expiry — and we sign it. The signed payload
 * is the order; the latest issue of each (merchant, order number) is recorded, because a merchant
 * may issue the same order again with a new amount, and then only the latest code may pay — an
 * earlier one is refused (ORDER_SUPERSEDED). The payment's document, whose id is derived from
 * (merchant, order number), is created in the payment's transaction, which also checks and marks
 * the latest issue: an order is paid at most once, by whoever comes first, at the amount last
 * issued (ledger/payments.ts), and a paid order is not issued again.
 */
import { createHash } from 'node:crypto';
import { CONFIG } from '../../config';
import type { Collections, MerchantDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { DocumentExistsError, type DocumentOps } from '../ports/store';
import { ORDER_FIELD, qrContent, readToken, signToken, type OrderPayload } from './token';

/** The latest issue of a merchant order; id from (merchant, order number). Only a code of this issue pays. */
export interface MerchantOrderDoc {
  id: string;
  merchantId: string;
  orderNo: string;
  amountFen: number;
  /** Epoch ms, whole seconds: with the amount, what tells this issue's code from an earlier one's. */
  expiresAt: number;
  issuedAt: number;
  paidAt: number | null;
}

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
  const now = deps.clock.now();
  const expiresAt = Math.floor((now + ttlMs) / 1000) * 1000;
  const issue: MerchantOrderDoc = {
    id: merchantOrderId(merchant.id, orderNo),
    merchantId: merchant.id,
    orderNo,
    amountFen: request.amountFen,
    expiresAt,
    issuedAt: now,
    paidAt: null,
  };
  // Read with the payment's document: a payment and a re-issue racing each other cannot both win.
  await deps.store.transaction(async (tx) => {
    if (await tx.get('orderPayments', orderPaymentId(merchant.id, orderNo))) {
      throw new AppError('ORDER_ALREADY_PAID', '该订单已支付，不能再生成付款码');
    }
    await tx.set('merchantOrders', issue);
  });
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

function orderKey(merchantId: string, orderNo: string): string {
  return createHash('sha256').update(`${merchantId}\u0000${orderNo}`).digest('hex').slice(0, 40);
}

export function orderPaymentId(merchantId: string, orderNo: string): string {
  return `ordp_${orderKey(merchantId, orderNo)}`;
}

export function merchantOrderId(merchantId: string, orderNo: string): string {
  return `ordi_${orderKey(merchantId, orderNo)}`;
}

/** Throws ORDER_SUPERSEDED unless `order` is the latest issue (a code signed without an issue never is). */
function requireLatestIssue(issue: MerchantOrderDoc | null, order: OrderPayload): void {
  if (!issue || issue.amountFen !== order.amountFen || issue.expiresAt !== order.expiresAt) {
    throw new AppError('ORDER_SUPERSEDED');
  }
}

/**
 * A scanned order token: signed by us, an order, of an active merchant, and — while it may still
 * be paid — the merchant's latest issue of that order. Expiry is the caller's (ORDER_EXPIRED).
 */
export async function readOrderToken(
  deps: DomainDeps,
  token: string,
): Promise<{ order: OrderPayload; merchant: MerchantDoc }> {
  const payload = readToken(deps.secrets, token);
  if (payload.kind !== 'order') throw new AppError('QR_WRONG_KIND', '这是收款码，请用转账付款');
  const merchant = await activeMerchant(deps, payload.merchantId);
  if (payload.expiresAt > deps.clock.now()) {
    requireLatestIssue(
      await deps.store.get('merchantOrders', merchantOrderId(payload.merchantId, payload.orderNo)),
      payload,
    );
  }
  return { order: payload, merchant };
}

/**
 * In the payment's transaction: the order's latest issue is this code's, and it is marked paid —
 * a write, so a re-issue racing the payment conflicts with it instead of slipping past.
 */
export async function claimOrderIssue(tx: DocumentOps<Collections>, order: OrderPayload, now: number): Promise<void> {
  const id = merchantOrderId(order.merchantId, order.orderNo);
  requireLatestIssue(await tx.get('merchantOrders', id), order);
  await tx.update('merchantOrders', id, { paidAt: now });
}

/** Whether an order was paid, and by which operation (the merchant's view). */
export function orderPayment(deps: DomainDeps, merchantId: string, orderNo: string) {
  return deps.store.get('orderPayments', orderPaymentId(merchantId, orderNo));
}
