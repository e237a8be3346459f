/**
 * The result of a top-up, withdrawal or transfer (the form pages redirect here with `id`): what
 * happened in one line, the operation's details, and — while the bank is still working on it —
 * the status kept current, so 处理中 turns into 成功 or 已退回 on this screen.
 */
import type { OperationView } from '../../../typings/ledger';
import { resultHeadline, type OperationDisplay } from '../../utils/operations';
import { loadOperation, stopWatching } from '../../utils/operation-watch';
import { cancelAll } from '../../utils/timers';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    operationId: '',
    loading: true,
    errorMessage: '',
    operation: null as OperationView | null,
    shown: null as OperationDisplay | null,
    headline: '',
    _pollMs: 0,
  },
  observers: {
    shown(shown: OperationDisplay | null) {
      this.setData({ headline: shown ? resultHeadline(shown) : '' });
    },
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
    onDone() {
      // the form page was replaced by this one: back is where the user came from (home, the chat…)
      if (getCurrentPages().length > 1) void wx.navigateBack({ delta: 1 });
      else void wx.reLaunch({ url: '/pages/index/index' });
    },
    onOpenHistory() {
      void wx.redirectTo({ url: '/pages/history/index' });
    },
  },
});
