/**
 * Everything about one wallet operation, row by row (the result page and the entry detail):
 * amount, fee, total, the other side, speed, times, the bank's reason when it came back, the id.
 *
 * Properties
 *   operation  Object  an OperationView (typings/ledger.ts)
 */
import type { OperationType, OperationView } from '../../../typings/ledger';
import { displayOperation } from '../../utils/operations';

/** What the other side is called, by type. */
const COUNTERPARTY_TITLES: Record<OperationType, string> = {
  topup: '付款银行卡',
  withdraw: '到账银行卡',
  transfer: '收款人',
  payment: '商户',
};

interface Row {
  key: string;
  title: string;
  value: string;
}

function rowsOf(op: OperationView): Row[] {
  const shown = displayOperation(op);
  const rows: (Row | null)[] = [
    { key: 'type', title: '交易类型', value: shown.typeLabel },
    { key: 'status', title: '状态', value: shown.statusLabel },
    { key: 'amount', title: '金额', value: shown.amount },
    op.direction === 'out' ? { key: 'fee', title: '手续费', value: shown.fee } : null,
    op.direction === 'out' ? { key: 'total', title: '合计扣除', value: shown.total } : null,
    { key: 'counterparty', title: COUNTERPARTY_TITLES[op.type], value: shown.counterparty },
    op.orderNo ? { key: 'order', title: '订单号', value: op.orderNo } : null,
    shown.speedLabel ? { key: 'speed', title: '到账方式', value: shown.speedLabel } : null,
    { key: 'created', title: '创建时间', value: shown.createdText },
    shown.arrivalText ? { key: 'arrival', title: '预计到账', value: shown.arrivalText } : null,
    shown.resolvedText ? { key: 'resolved', title: '完成时间', value: shown.resolvedText } : null,
    shown.failureMessage ? { key: 'reason', title: '原因', value: shown.failureMessage } : null,
    { key: 'id', title: '交易编号', value: op.operationId },
  ];
  return rows.filter((row): row is Row => row !== null);
}

Component({
  properties: {
    operation: { type: Object, value: {} as OperationView },
  },
  data: {
    rows: [] as Row[],
  },
  observers: {
    operation(operation: OperationView) {
      this.setData({ rows: operation && operation.operationId ? rowsOf(operation) : [] });
    },
  },
});
