/**
 * Home: opens the session on load and shows the caller's identity level; 扫一扫, 收款码 and the
 * message centre with its unread badge; hands a QR launch the app remembered to the scan page.
 */
import type { SessionView } from '../../../typings/user';
import { messagesService } from '../../services/messages';
import { ServiceError } from '../../services/transport';
import { userService } from '../../services/user';
import { scan, scanPageUrl, takeLaunchContent } from '../../utils/qr';

Component({
  data: {
    loading: true,
    errorMessage: '',
    level: '' as '' | SessionView['level'],
    unreadCount: 0,
  },
  methods: {
    onLoad() {
      void this.loadSession();
    },
    onShow() {
      const launched = takeLaunchContent();
      if (launched) void wx.navigateTo({ url: scanPageUrl(launched) });
      void this.loadUnread();
    },
    async loadUnread() {
      try {
        this.setData({ unreadCount: (await messagesService.unreadCount()).unreadCount });
      } catch {
        // the badge waits for the next visit; the session's own error state speaks for the host
      }
    },
    async onScan() {
      const content = await scan();
      if (content) void wx.navigateTo({ url: scanPageUrl(content) });
    },
    onOpenReceiveCode() {
      void wx.navigateTo({ url: '/pages/qrcode/receive/index' });
    },
    onOpenMessages() {
      void wx.navigateTo({ url: '/pages/messages/index' });
    },
    async loadSession() {
      this.setData({ loading: true, errorMessage: '' });
      try {
        const session = await userService.session();
        this.setData({ level: session.level });
      } catch (error) {
        this.setData({ errorMessage: error instanceof ServiceError ? error.message : '加载失败，请重试' });
      } finally {
        this.setData({ loading: false });
      }
    },
    onRetry() {
      void this.loadSession();
    },
    onOpenCards() {
      void wx.navigateTo({ url: '/pages/cards/index' });
    },
    onOpenSecurity() {
      void wx.navigateTo({ url: '/pages/security/index' });
    },
    onOpenBranches() {
      void wx.navigateTo({ url: '/packageBranches/pages/nearby/index' });
    },
    onOpenAssistant() {
      void wx.navigateTo({ url: '/pages/assistant/index' });
    },
    onOpenHelp() {
      void wx.navigateTo({ url: `/pages/assistant/index?ask=${encodeURIComponent('帮助')}` });
    },
    onOpenDevSettings() {
      void wx.navigateTo({ url: '/pages/dev-settings/index' });
    },
  },
});
