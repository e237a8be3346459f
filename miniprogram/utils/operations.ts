/**
 * How a wallet operation (typings/ledger.ts OperationView) reads on every page: the history rows,
 * the home page's latest entries, the result page and the entry detail. Amounts through money.ts.
 */
import type { OperationStatus, OperationType, OperationView, TransferSpeed } from '../../typings/ledger';
import { formatFen, formatSignedFen } from './money';
import { formatChinaDateTime } from './time';

export const TYPE_LABELS: Record<OperationType, string> = {
  topup: '充值',
  withdraw: '提现',
  transfer: '转账到银行卡',
  payment: '付款',
};

export const STATUS_LABELS: Record<OperationStatus, string> = {
  PROCESSING: '处理中',
  SUCCEEDED: '成功',
  RETURNED: '已退回',
  FAILED: '失败',
};

export const SPEED_LABELS: Record<TransferSpeed, string> = { fast: '2小时内到账', nextDay: '次日到账' };

/** vant icon names per type. */
const TYPE_ICONS: Record<OperationType, string> = {
  topup: 'add-o',
  withdraw: 'cash-back-record',
  transfer: 'exchange',
  payment: 'shopping-cart-o',
};

export interface OperationDisplay {
  operationId: string;
  type: OperationType;
  status: OperationStatus;
  typeLabel: string;
  statusLabel: string;
  icon: string;
  /** What the wallet gained or lost: `+¥100.00` in, `-¥123.57` out (amount + fee). */
  signedTotal: string;
  /** Money came into the wallet (top-up). */
  incoming: boolean;
  /** Money that did not stay moved (失败, 已退回): rows show it struck through. */
  undone: boolean;
  amount: string;
  fee: string;
  total: string;
  counterparty: string;
  createdText: string;
  /** `预计 2026-11-28 12:00 前到账` while it may still arrive, else ''. */
  arrivalText: string;
  resolvedText: string;
  speedLabel: string;
  /** The server's reason for 失败 / 已退回, else ''. */
  failureMessage: string;
}

export function displayOperation(op: OperationView): OperationDisplay {
  return {
    operationId: op.operationId,
    type: op.type,
    status: op.status,
    typeLabel: TYPE_LABELS[op.type],
    statusLabel: STATUS_LABELS[op.status],
    icon: TYPE_ICONS[op.type],
    signedTotal: formatSignedFen(op.direction === 'in' ? op.totalFen : -op.totalFen),
    incoming: op.direction === 'in',
    undone: op.status === 'FAILED' || op.status === 'RETURNED',
    amount: formatFen(op.amountFen),
    fee: formatFen(op.feeFen),
    total: formatFen(op.totalFen),
    counterparty: op.counterparty.label,
    createdText: formatChinaDateTime(op.createdAt),
    arrivalText:
      op.status === 'PROCESSING' && op.expectedArrivalAt !== null
        ? `预计 ${formatChinaDateTime(op.expectedArrivalAt)} 前到账`
        : '',
    resolvedText: op.resolvedAt === null ? '' : formatChinaDateTime(op.resolvedAt),
    speedLabel: op.speed ? SPEED_LABELS[op.speed] : '',
    failureMessage: op.failureMessage ?? '',
  };
}

const DONE_HEADLINES: Record<OperationType, string> = {
  topup: '充值成功',
  withdraw: '提现成功',
  transfer: '转账成功',
  payment: '付款成功',
};

/** The result page's one line: 转账已提交，等待银行处理 / 充值成功 / 已退回 / 转账到银行卡失败. */
export function resultHeadline(op: Pick<OperationView, 'type' | 'status'>): string {
  switch (op.status) {
    case 'SUCCEEDED':
      return DONE_HEADLINES[op.type];
    case 'PROCESSING':
      return op.type === 'transfer' ? '转账已提交，等待银行处理' : `${TYPE_LABELS[op.type]}处理中`;
    case 'RETURNED':
      return '已退回，资金已原路返回零钱';
    case 'FAILED':
      return `${TYPE_LABELS[op.type]}失败`;
  }
}
