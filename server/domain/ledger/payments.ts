/**
 * Paying a merchant order (扫码付款) from the wallet. One step, no bank: the wallet pays the
 * merchant's account in a single journal entry, in the transaction that also creates the order's
 * payment document (id from merchant + order number). That create is what makes an order paid at
 * most once — a second payer, or the same payer with another requestId, finds it and is refused;
 * the same requestId again is answered with the first payment (idempotency, operations.ts).
 */
import type { OperationView } from '../../../typings/ledger';
import type { PayOrderRequest } from '../../../typings/qrcode';
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { claimOrderIssue, orderPaymentId, readOrderToken } from '../qrcode/orders';
import { requireUser, type Caller } from '../users/session';
import { merchantAccountId, walletAccountId } from './accounts';
import { appendEntry } from './journal';
import { baseOperation, requireAmountWithin, submit } from './operations';
import { operationView } from './views';

export async function payOrder(deps: DomainDeps, caller: Caller, input: PayOrderRequest): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  const { order, merchant } = await readOrderToken(deps, input.orderToken);
  requireAmountWithin(order.amountFen, CONFIG.ledger.maxPaymentFen, '付款');
  const paymentId = orderPaymentId(order.merchantId, order.orderNo);
  const refuseIfClosed = (paid: boolean, now: number) => {
    if (paid) throw new AppError('ORDER_ALREADY_PAID');
    if (order.expiresAt <= now) throw new AppError('ORDER_EXPIRED');
  };
  const { op, delivered } = await submit(deps, {
    userId: user.id,
    requestId: input.requestId,
    action: 'payOrder',
    payload: { merchantId: order.merchantId, orderNo: order.orderNo, amountFen: order.amountFen },
    credential: input,
    purpose: 'ledger.pay',
    // No pay password is asked for an order that cannot be paid any more.
    precheck: async () => refuseIfClosed((await deps.store.get('orderPayments', paymentId)) !== null, deps.clock.now()),
    book: async (tx, now, id) => {
      refuseIfClosed((await tx.get('orderPayments', paymentId)) !== null, now);
      await claimOrderIssue(tx, order, now);
      const entryId = `${id}:pay`;
      await appendEntry(
        tx,
        {
          id: entryId,
          kind: 'payment',
          operationId: id,
          userId: user.id,
          postings: [
            { accountId: walletAccountId(user.id), amountFen: -order.amountFen },
            { accountId: merchantAccountId(order.merchantId), amountFen: order.amountFen },
          ],
        },
        now,
      );
      await tx.create('orderPayments', {
        id: paymentId,
        merchantId: order.merchantId,
        orderNo: order.orderNo,
        amountFen: order.amountFen,
        userId: user.id,
        operationId: id,
        paidAt: now,
      });
      return baseOperation(id, user.id, now, {
        type: 'payment',
        status: 'SUCCEEDED',
        amountFen: order.amountFen,
        feeFen: 0,
        entryIds: [entryId],
        resolvedAt: now,
        order: { merchantId: order.merchantId, orderNo: order.orderNo },
        counterparty: {
          kind: 'merchant',
          bankCode: null,
          name: merchant.name,
          cardType: null,
          lastFour: null,
          maskedHolder: null,
        },
      });
    },
  });
  await delivered;
  return operationView(op);
}
