/**
 * 收款码: the QR others scan to transfer to one of the caller's bound cards. Choose the card, show
 * the code (drawn by the server) as a QR of its link or as a 小程序码, refresh it (the old one stops
 * working) or stop it. The code never holds the card number; payers see the bank, last four and a
 * masked name. The 小程序码 is asked for only when shown: it may take WeChat a moment, and if it
 * cannot be had the QR still works. Query: `cardId` (optional).
 */
import type { CardView } from '../../../../typings/cards';
import type { MiniProgramCodeView, ReceiveCodeView } from '../../../../typings/qrcode';
import { cardsService } from '../../../services/cards';
import { qrcodeService } from '../../../services/qrcode';
import { errorMessage } from '../../../services/transport';
import type { ValueEvent } from '../../../utils/events';
import { loadWithState } from '../../../utils/load';
import { navigate, ROUTES } from '../../../utils/routes';
import { formatChinaDateTime } from '../../../utils/time';

const cardLabel = (card: CardView) => `${card.bank.name}(${card.lastFour})`;

Component({
  data: {
    loading: true,
    errorMessage: '',
    cards: [] as CardView[],
    cardId: '',
    cardText: '',
    code: null as ReceiveCodeView | null,
    expiresText: '',
    /** The code was stopped by the user: no QR until a new one is made. */
    revoked: false,
    /** Which image of the code is shown: the QR of its link, or the 小程序码. */
    view: 'qr' as 'qr' | 'miniProgram',
    miniProgramCode: null as MiniProgramCodeView | null,
    miniProgramError: '',
    choosing: false,
    actions: [] as { name: string; subname: string; cardId: string }[],
  },
  methods: {
    onLoad(query: { cardId?: string }) {
      this.setData({ cardId: query.cardId ?? '' });
    },
    onShow() {
      void this.load();
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const { cards } = await cardsService.list();
          const card = cards.find((candidate) => candidate.cardId === this.data.cardId) ?? cards[0];
          this.setData({
            cards,
            actions: cards.map((c) => ({ name: cardLabel(c), subname: c.cardTypeLabel, cardId: c.cardId })),
          });
          if (!card) {
            this.setData({ code: null, cardId: '' });
            return;
          }
          this.setData({ cardId: card.cardId, cardText: cardLabel(card) });
          if (!this.data.revoked) await this.showCode(false);
        },
        '加载失败，请重试',
      );
    },
    async showCode(refresh: boolean) {
      const code = await qrcodeService.receiveCode(this.data.cardId, refresh);
      const sameCode = this.data.miniProgramCode?.codeId === code.codeId;
      this.setData({
        code,
        revoked: false,
        expiresText: formatChinaDateTime(code.expiresAt),
        ...(sameCode ? {} : { miniProgramCode: null, miniProgramError: '' }),
      });
      if (this.data.view === 'miniProgram' && !sameCode) void this.loadMiniProgramCode();
    },
    async loadMiniProgramCode() {
      const code = this.data.code;
      if (!code) return;
      this.setData({ miniProgramError: '' });
      try {
        const miniProgramCode = await qrcodeService.miniProgramCode(code.codeId);
        // the code may have changed (refresh, another card) while WeChat drew this one
        if (this.data.code?.codeId === miniProgramCode.codeId) this.setData({ miniProgramCode });
      } catch (error) {
        if (this.data.code?.codeId === code.codeId) {
          this.setData({ miniProgramError: errorMessage(error, '小程序码暂时无法生成') });
        }
      }
    },
    onShowQr() {
      this.setData({ view: 'qr' });
    },
    onShowMiniProgram() {
      this.setData({ view: 'miniProgram' });
      if (!this.data.miniProgramCode) void this.loadMiniProgramCode();
    },
    onRetry() {
      void this.load();
    },
    onChooseCard() {
      if (this.data.cards.length > 1) this.setData({ choosing: true });
    },
    onChooseClose() {
      this.setData({ choosing: false });
    },
    async onCardChosen(event: ValueEvent<{ cardId: string; name: string }>) {
      this.setData({ choosing: false, cardId: event.detail.cardId, cardText: event.detail.name, revoked: false });
      await this.withLoading(() => this.showCode(false));
    },
    async onRefresh() {
      await this.withLoading(() => this.showCode(true));
      wx.showToast({ title: '已刷新，旧收款码已失效', icon: 'none' });
    },
    async onRevoke() {
      const code = this.data.code;
      if (!code) return;
      const { confirm } = await wx.showModal({
        title: '停用收款码',
        content: '停用后，已经分享或打印的这张收款码都不能再收款。',
        confirmText: '停用',
      });
      if (!confirm) return;
      await this.withLoading(async () => {
        await qrcodeService.revokeReceiveCode(code.codeId);
        this.setData({ code: null, revoked: true });
      });
    },
    async onRenew() {
      await this.withLoading(() => this.showCode(true));
    },
    onAddCard: navigate(ROUTES.cards),
    /** A change of the code, shown like a load: its failure replaces the code with the message and 重试. */
    withLoading(work: () => Promise<void>) {
      return loadWithState(this, work, '操作失败，请重试');
    },
  },
});
