/**
 * The result of a top-up, withdrawal or transfer (the form pages redirect here with `id`): what
 * happened in one line, the operation's details, and — while the bank is still working on it —
 * the status kept current, so 处理中 turns into 成功 or 已退回 on this screen.
 */
import { operationPage } from '../../utils/operation-watch';
import { resultHeadline, type OperationDisplay } from '../../utils/operations';
import { ROUTES } from '../../utils/routes';

Component({
  options: { pureDataPattern: /^_/ },
  data: { ...operationPage.data, headline: '' },
  observers: {
    shown(shown: OperationDisplay | null) {
      this.setData({ headline: shown ? resultHeadline(shown) : '' });
    },
  },
  lifetimes: operationPage.lifetimes,
  methods: {
    ...operationPage.methods,
    onDone() {
      // the form page was replaced by this one: back is where the user came from (home, the chat…)
      if (getCurrentPages().length > 1) void wx.navigateBack({ delta: 1 });
      else void wx.reLaunch({ url: ROUTES.home });
    },
    onOpenHistory() {
      void wx.redirectTo({ url: ROUTES.history });
    },
  },
});
