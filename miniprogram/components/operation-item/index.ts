/**
 * One wallet operation as a row (history list, the home page's latest entries): type and
 * counterparty, time, the signed amount, and its status (处理中 / 成功 / 已退回 / 失败).
 *
 * Properties
 *   operation  Object  an OperationView (typings/ledger.ts)
 * Events
 *   select  detail { operationId }  the row was tapped
 */
import type { OperationView } from '../../../typings/ledger';
import { displayOperation, type OperationDisplay } from '../../utils/operations';

Component({
  properties: {
    operation: { type: Object, value: {} as OperationView },
  },
  data: {
    row: null as OperationDisplay | null,
  },
  observers: {
    operation(operation: OperationView) {
      this.setData({ row: operation && operation.operationId ? displayOperation(operation) : null });
    },
  },
  methods: {
    onTap() {
      if (this.data.row) this.triggerEvent('select', { operationId: this.data.row.operationId });
    },
  },
});
