/**
 * Wallet home (零钱): the balance (with an eye to hide it), the shortcuts (扫一扫 and 收款码 among
 * them), the message centre's unread badge, the latest entries, and the account's other entries
 * (安全中心, 智能客服, 开发设置). Reloads whenever it is shown, so a finished top-up or transfer
 * shows at once; pull down to refresh. A QR launch the app remembered is handed to the scan page.
 */
import type { OperationView } from '../../../typings/ledger';
import type { SessionView } from '../../../typings/user';
import { ledgerService } from '../../services/ledger';
import { messagesService } from '../../services/messages';
import { userService } from '../../services/user';
import { loadWithState } from '../../utils/load';
import { formatFen } from '../../utils/money';
import { scan, scanPageUrl, takeLaunchContent } from '../../utils/qr';
import { navigate, ROUTES } from '../../utils/routes';

const HIDE_BALANCE_KEY = 'wxbank.hideBalance';

Component({
  data: {
    loading: true,
    loaded: false,
    errorMessage: '',
    level: '' as '' | SessionView['level'],
    balanceText: '',
    pendingText: '',
    hidden: false,
    latest: [] as OperationView[],
    unreadCount: 0,
  },
  methods: {
    onLoad() {
      this.setData({ hidden: wx.getStorageSync(HIDE_BALANCE_KEY) === true });
    },
    onShow() {
      const launched = takeLaunchContent();
      if (launched) void wx.navigateTo({ url: scanPageUrl(launched) });
      void this.load();
      void this.loadUnread();
    },
    async loadUnread() {
      try {
        this.setData({ unreadCount: (await messagesService.unreadCount()).unreadCount });
      } catch {
        // the badge waits for the next visit; the wallet's own error state speaks for the host
      }
    },
    async onScan() {
      const content = await scan();
      if (content) void wx.navigateTo({ url: scanPageUrl(content) });
    },
    async onPullDownRefresh() {
      await Promise.all([this.load(true), this.loadUnread()]);
      wx.stopPullDownRefresh();
    },
    /** The session first (it opens the wallet of a new user), then the wallet's summary. */
    load(quiet?: boolean): Promise<void> {
      return loadWithState(
        this,
        async () => {
          const session = await userService.session();
          const summary = await ledgerService.summary();
          this.setData({
            loaded: true,
            level: session.level,
            balanceText: formatFen(summary.balanceFen),
            pendingText: summary.pendingOutFen > 0 ? `${formatFen(summary.pendingOutFen)} 处理中` : '',
            latest: summary.latest,
          });
        },
        '加载失败，请重试',
        quiet ?? this.data.loaded,
      );
    },
    onRetry() {
      void this.load(false);
    },
    onToggleBalance() {
      const hidden = !this.data.hidden;
      wx.setStorageSync(HIDE_BALANCE_KEY, hidden);
      this.setData({ hidden });
    },
    onOpenOperation(event: { detail: { operationId: string } }) {
      void wx.navigateTo({ url: `${ROUTES.historyEntry}?id=${event.detail.operationId}` });
    },
    onOpenTopup: navigate(ROUTES.topup),
    onOpenWithdraw: navigate(ROUTES.withdraw),
    onOpenTransfer: navigate(ROUTES.transfer),
    onOpenCards: navigate(ROUTES.cards),
    onOpenHistory: navigate(ROUTES.history),
    onOpenReceiveCode: navigate(ROUTES.receiveCode),
    onOpenMessages: navigate(ROUTES.messages),
    onOpenBranches: navigate(ROUTES.branches),
    onOpenSecurity: navigate(ROUTES.security),
    onOpenAssistant: navigate(ROUTES.assistant),
    onOpenHelp: navigate(`${ROUTES.assistant}?ask=${encodeURIComponent('帮助')}`),
    onOpenDevSettings: navigate(ROUTES.devSettings),
  },
});
