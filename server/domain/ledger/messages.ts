/**
 * What the user is told when an operation changes their balance: one message per state an
 * operation reaches (transfer 已提交 → 成功 / 已退回 / 失败, top-up 成功, …), written to the message
 * centre and the outbox in the transaction that books the state (notify/messages.ts).
 */
import type { OperationType } from '../../../typings/ledger';
import { formatDateTime, formatFen } from '../format';
import { pageUrl } from '../assistant/links';
import type { WalletOperationDoc } from '../collections';
import { templateAmount, type NewMessage } from '../notify/messages';
import { counterpartyLabel } from './views';

/** How each type reads in a message, and the subscribe message's 变动类型. */
const KIND_LABELS: Record<OperationType, string> = {
  topup: '零钱充值',
  withdraw: '零钱提现',
  transfer: '转账到银行卡',
  payment: '扫码付款',
};

interface Wording {
  title: string;
  body: string;
  /** The subscribe message's 备注 (≤ 20 characters). */
  note: string;
}

function wording(op: WalletOperationDoc): Wording | null {
  const label = counterpartyLabel(op.counterparty);
  const amount = formatFen(op.amountFen);
  const fee = op.feeFen > 0 ? `，手续费 ${formatFen(op.feeFen)}` : '';
  const arrival = op.expectedArrivalAt ? `，预计 ${formatDateTime(op.expectedArrivalAt)} 前到账` : '';
  const reason = op.failureMessage ?? '';
  switch (`${op.type}:${op.status}`) {
    case 'topup:SUCCEEDED':
      return { title: '充值成功', body: `从${label}充值 ${amount}，已到账零钱。`, note: '已到账零钱' };
    case 'withdraw:PROCESSING':
      return { title: '提现已受理', body: `提现 ${amount} 到${label}${fee}${arrival}。`, note: `提现到${label}` };
    case 'withdraw:SUCCEEDED':
      return { title: '提现到账', body: `提现 ${amount} 已到账${label}。`, note: `已到账${label}` };
    case 'withdraw:RETURNED':
    case 'withdraw:FAILED':
      return {
        title: op.status === 'RETURNED' ? '提现已退回' : '提现失败',
        body: `提现 ${amount} 到${label}未成功：${reason}。`,
        note: '资金已退回零钱',
      };
    case 'transfer:PROCESSING':
      return { title: '转账已提交', body: `向${label}转账 ${amount}${fee}${arrival}。`, note: `转给${label}` };
    case 'transfer:SUCCEEDED':
      return { title: '转账成功', body: `向${label}转账 ${amount}，对方已到账。`, note: `${label}已到账` };
    case 'transfer:RETURNED':
    case 'transfer:FAILED':
      return {
        title: op.status === 'RETURNED' ? '转账已退回' : '转账失败',
        body: `向${label}转账 ${amount}未成功：${reason}。`,
        note: '资金已退回零钱',
      };
    case 'payment:SUCCEEDED':
      return {
        title: '付款成功',
        body: `向${op.counterparty.name}付款 ${amount}${op.order ? `（订单号 ${op.order.orderNo}）` : ''}。`,
        note: `付给${op.counterparty.name}`,
      };
    default:
      // A top-up on its way or refused moved nothing yet: nothing to tell.
      return null;
  }
}

/** The message for the state `op` has just reached, or null when that state moves no money. */
export function operationMessage(op: WalletOperationDoc): NewMessage | null {
  const words = wording(op);
  if (!words) return null;
  const outgoing = op.type !== 'topup';
  const changedFen = outgoing ? op.amountFen + op.feeFen : op.amountFen;
  return {
    subject: `ledger:${op.id}`,
    // booked first, its outcome after
    step: op.status === 'PROCESSING' ? 1 : 2,
    userId: op.userId,
    kind: `ledger.${op.type}.${op.status}`,
    title: words.title,
    body: words.body,
    link: pageUrl('historyEntry', { id: op.id }),
    template: 'fundChange',
    fields: {
      kind: KIND_LABELS[op.type],
      amount: templateAmount(changedFen),
      time: formatDateTime(op.updatedAt),
      note: words.note,
    },
  };
}
