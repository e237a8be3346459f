/** Home: opens the session on load and shows the caller's identity level. */
import type { SessionView } from '../../../typings/user';
import { ServiceError } from '../../services/transport';
import { userService } from '../../services/user';

Component({
  data: {
    loading: true,
    errorMessage: '',
    level: '' as '' | SessionView['level'],
  },
  methods: {
    onLoad() {
      void this.loadSession();
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
