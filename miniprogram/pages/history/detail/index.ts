/**
 * One entry of the history (`id`), kept current while it is 处理中. Someone else's id answers
 * NOT_FOUND from the server, shown as its message.
 */
import type { OperationView } from '../../../../typings/ledger';
import type { OperationDisplay } from '../../../utils/operations';
import { loadOperation, stopWatching } from '../../../utils/operation-watch';
import { cancelAll } from '../../../utils/timers';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    operationId: '',
    loading: true,
    errorMessage: '',
    operation: null as OperationView | null,
    shown: null as OperationDisplay | null,
    _pollMs: 0,
  },
  lifetimes: {
    detached() {
      cancelAll(this);
    },
  },
  methods: {
    onLoad(query: { id?: string }) {
      this.setData({ operationId: query.id ?? '' });
    },
    onShow() {
      if (this.data.operationId) void loadOperation(this, this.data.operation !== null);
      else this.setData({ loading: false, errorMessage: '没有找到这笔交易' });
    },
    onHide() {
      stopWatching(this);
    },
    onRetry() {
      void loadOperation(this);
    },
  },
});
