/**
 * Choosing one of the user's bound cards (top-up from it, withdraw to it): the chosen card as a
 * row — bank colour, 中国工商银行储蓄卡(0018) — and, when tapped, a sheet listing every card and a
 * way to add one.
 *
 * Properties
 *   cards       Array   CardView[] (typings/cards.ts), as cards.list returns them
 *   selectedId  String  the chosen card's id
 *   label       String  what the card is for: 付款银行卡, 到账银行卡
 *
 * Events
 *   select  detail { cardId }  a card was chosen in the sheet
 *   add                        添加银行卡 was tapped (the page navigates)
 */
import type { CardView } from '../../../typings/cards';

Component({
  properties: {
    cards: { type: Array, value: [] as CardView[] },
    selectedId: { type: String, value: '' },
    label: { type: String, value: '银行卡' },
  },
  data: {
    open: false,
    selected: null as CardView | null,
  },
  observers: {
    'cards, selectedId'(cards: CardView[], selectedId: string) {
      this.setData({ selected: cards.find((card) => card.cardId === selectedId) ?? null });
    },
  },
  methods: {
    onOpen() {
      this.setData({ open: true });
    },
    onClose() {
      this.setData({ open: false });
    },
    onChoose(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { cardId: string }>) {
      this.setData({ open: false });
      this.triggerEvent('select', { cardId: event.currentTarget.dataset.cardId });
    },
    onAdd() {
      this.setData({ open: false });
      this.triggerEvent('add');
    },
  },
});
