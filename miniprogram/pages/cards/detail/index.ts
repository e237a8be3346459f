/** One bound card with its bank's daily quick-payment limit, and unbinding it with the pay password. Query: `cardId`. */
import type { CardDetailView } from '../../../../typings/cards';
import { cardsService } from '../../../services/cards';
import type { ValueEvent } from '../../../utils/events';
import { loadWithState } from '../../../utils/load';
import { formatFen } from '../../../utils/money';
import { SHEET_CLOSED, sheetErrorState } from '../../../utils/pay-password';
import { formatChinaDate } from '../../../utils/time';

Component({
  data: {
    cardId: '',
    loading: true,
    errorMessage: '',
    card: null as CardDetailView | null,
    boundOn: '',
    /** `¥50,000.00`, or '' when the bank did not say (cards bound before limits were shown). */
    dailyLimitText: '',
    sheet: { ...SHEET_CLOSED },
  },
  methods: {
    onLoad(query: { cardId?: string }) {
      this.setData({ cardId: query.cardId ?? '' });
      void this.load();
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const card = await cardsService.detail(this.data.cardId);
          this.setData({
            card,
            boundOn: formatChinaDate(card.boundAt),
            dailyLimitText: card.quickPayDailyLimitFen === null ? '' : formatFen(card.quickPayDailyLimitFen),
          });
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    async onUnbind() {
      const card = this.data.card;
      if (!card) return;
      const { confirm } = await wx.showModal({
        title: '解除绑定',
        content: `确定解除绑定${card.bank.name}(${card.lastFour})吗？解绑后不能再用这张卡充值和提现。`,
        confirmText: '解除绑定',
      });
      if (!confirm) return;
      this.setData({
        sheet: {
          ...SHEET_CLOSED,
          show: true,
          title: '请输入支付密码',
          subtitle: `解绑${card.bank.name}(${card.lastFour})`,
        },
      });
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    async onPasswordComplete(event: ValueEvent<{ password: string }>) {
      this.setData({ 'sheet.busy': true });
      try {
        await cardsService.unbind(this.data.cardId, { payPassword: event.detail.password });
        this.setData({ sheet: { ...SHEET_CLOSED } });
        wx.showToast({ title: '已解除绑定', icon: 'success' });
        void wx.navigateBack();
      } catch (error) {
        this.setData({ sheet: { ...this.data.sheet, busy: false, ...sheetErrorState(error) } });
      }
    },
  },
});
