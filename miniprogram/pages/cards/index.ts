/** Bound cards: bank tiles with last four digits, and the way to add one. Reloads whenever it is shown. */
import type { CardView } from '../../../typings/cards';
import { cardsService } from '../../services/cards';
import { errorMessage } from '../../services/transport';
import { userService } from '../../services/user';
import { loadWithState } from '../../utils/load';
import { ROUTES } from '../../utils/routes';

Component({
  data: {
    loading: true,
    errorMessage: '',
    cards: [] as CardView[],
    limit: 10,
  },
  methods: {
    onShow() {
      void this.load();
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const { cards, limit } = await cardsService.list();
          this.setData({ cards, limit });
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    onOpenCard(event: { detail: { cardId: string } }) {
      void wx.navigateTo({ url: `/pages/cards/detail/index?cardId=${event.detail.cardId}` });
    },
    /**
     * Adding needs a stated real name (pending is enough: the first card confirms it) and a pay
     * password: send the user to the security centre first.
     */
    async onAddCard() {
      try {
        const profile = await userService.profile();
        const stated = profile.identity ?? profile.pendingIdentity;
        if (stated && profile.payPassword.set) {
          void wx.navigateTo({ url: ROUTES.addCard });
          return;
        }
        const { confirm } = await wx.showModal({
          title: '请先完善安全设置',
          content: stated ? '添加银行卡前请先设置支付密码' : '添加银行卡前请先完成实名认证并设置支付密码',
          confirmText: '去设置',
        });
        if (confirm) void wx.navigateTo({ url: ROUTES.security });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '操作失败，请重试'), icon: 'none' });
      }
    },
  },
});
