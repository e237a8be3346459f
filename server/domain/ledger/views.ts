/** Operation documents as the user sees them (OperationView): one place, used by every action. */
import type { OperationView } from '../../../typings/ledger';
import type { BankCode } from '../../../typings/cards';
import type { WalletOperationDoc } from '../collections';

/** `招商银行(1234) *明`: one line for lists, confirm sheets and messages. */
export function counterpartyLabel(
  counterparty: Pick<WalletOperationDoc['counterparty'], 'name' | 'lastFour' | 'maskedHolder'>,
): string {
  const card = counterparty.lastFour ? `${counterparty.name}(${counterparty.lastFour})` : counterparty.name;
  return counterparty.maskedHolder ? `${card} ${counterparty.maskedHolder}` : card;
}

export function operationView(doc: WalletOperationDoc): OperationView {
  const direction = doc.type === 'topup' ? 'in' : 'out';
  return {
    operationId: doc.id,
    type: doc.type,
    status: doc.status,
    direction,
    amountFen: doc.amountFen,
    feeFen: doc.feeFen,
    totalFen: direction === 'in' ? doc.amountFen : doc.amountFen + doc.feeFen,
    counterparty: {
      kind: doc.counterparty.kind,
      bankCode: doc.counterparty.bankCode as BankCode | null,
      name: doc.counterparty.name,
      cardType: doc.counterparty.cardType,
      lastFour: doc.counterparty.lastFour,
      maskedHolder: doc.counterparty.maskedHolder,
      label: counterpartyLabel(doc.counterparty),
    },
    speed: doc.speed,
    failureMessage: doc.failureMessage,
    createdAt: doc.createdAt,
    expectedArrivalAt: doc.expectedArrivalAt,
    resolvedAt: doc.resolvedAt,
    ...(doc.order ? { orderNo: doc.order.orderNo } : {}),
  };
}
