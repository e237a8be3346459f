/** What a scanned code is, for the page that opens next: a payee to transfer to, or an order to pay. */
import type { ScanResolution } from '../../../typings/qrcode';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { walletAccountId } from '../ledger/accounts';
import { counterpartyLabel } from '../ledger/views';
import { requireUser, type Caller } from '../users/session';
import { orderPayment, readOrderToken } from './orders';
import { payeeCardView, readReceiveToken } from './receive';
import { isScene, tokenOfScene } from './scenes';
import { readToken, tokenFromContent } from './token';

/** The token in scanned content: a mini program code's scene stands for one; anything else is read as it is. */
async function scannedToken(deps: DomainDeps, content: string): Promise<string> {
  const text = content.trim();
  return isScene(text) ? tokenOfScene(deps, text) : tokenFromContent(text);
}

export async function resolveScan(deps: DomainDeps, caller: Caller, content: string): Promise<ScanResolution> {
  const user = await requireUser(deps, caller);
  const token = await scannedToken(deps, content);
  if (readToken(deps.secrets, token).kind === 'receive') {
    const payee = await readReceiveToken(deps, token, user.id);
    const card = payeeCardView(payee.card);
    return {
      kind: 'receive',
      receiveToken: token,
      payee: {
        ...card,
        maskedName: payee.maskedName,
        label: counterpartyLabel({ name: card.bank.name, lastFour: card.lastFour, maskedHolder: payee.maskedName }),
      },
      expiresAt: payee.expiresAt,
    };
  }
  const { order, merchant } = await readOrderToken(deps, token);
  const paid = (await orderPayment(deps, order.merchantId, order.orderNo)) !== null;
  if (!paid && order.expiresAt <= deps.clock.now()) throw new AppError('ORDER_EXPIRED');
  const wallet = await deps.store.get('wallets', walletAccountId(user.id));
  return {
    kind: 'order',
    orderToken: token,
    merchant: { merchantId: merchant.id, name: merchant.name },
    orderNo: order.orderNo,
    amountFen: order.amountFen,
    expiresAt: order.expiresAt,
    paid,
    wallet: { balanceFen: wallet?.balanceFen ?? 0 },
  };
}
