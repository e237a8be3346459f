/**
 * Top-up (零钱充值): from a bound debit card (储蓄卡; a credit card cannot fund 零钱) to the wallet,
 * free. Card → amount on the keypad → pay password → the result page. Query: `amountFen` to
 * prefill (the assistant's 去充值).
 */
import type { CardView } from '../../../typings/cards';
import { cardsService } from '../../services/cards';
import { ledgerService } from '../../services/ledger';
import type { ValueEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { amountText, formatFen, parseAmount } from '../../utils/money';
import { SHEET_CLOSED } from '../../utils/pay-password';
import type { Intent } from '../../utils/request-id';
import { askPayPassword, submitOperation } from '../../utils/submit';
import { navigate, ROUTES } from '../../utils/routes';
import { keptCardId, moneyBlocker, prefilledFen, walletCards } from '../../utils/wallet-access';

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    loading: true,
    errorMessage: '',
    blocked: '',
    /** Debit cards only. */
    cards: [] as CardView[],
    /** Cards are bound, but only credit cards. */
    creditOnly: false,
    cardId: '',
    amountText: '',
    amountError: '',
    submitError: '',
    sheet: { ...SHEET_CLOSED },
    _amountFen: 0,
    _intent: null as Intent | null,
  },
  methods: {
    onLoad(query: { amountFen?: string }) {
      const fen = prefilledFen(query);
      if (fen !== null) this.setData({ amountText: amountText(fen) });
    },
    onShow() {
      void this.load();
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const blocked = await moneyBlocker();
          const { cards, creditOnly } = walletCards(blocked ? [] : (await cardsService.list()).cards);
          const cardId = keptCardId(cards, this.data.cardId);
          this.setData({ blocked, cards, creditOnly, cardId });
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    onGoSecurity: navigate(ROUTES.security),
    onAddCard: navigate(ROUTES.addCard),
    onSelectCard(event: ValueEvent<{ cardId: string }>) {
      this.setData({ cardId: event.detail.cardId, submitError: '' });
    },
    onAmountChange(event: ValueEvent<{ value: string }>) {
      this.setData({ amountText: event.detail.value, amountError: '', submitError: '' });
    },
    onConfirm() {
      const parsed = parseAmount(this.data.amountText);
      if (!parsed.ok) {
        this.setData({ amountError: parsed.error });
        return;
      }
      this.setData({ _amountFen: parsed.fen });
      askPayPassword(this, `充值 ${formatFen(parsed.fen)}`);
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    onPasswordComplete(event: ValueEvent<{ password: string }>) {
      const fields = { action: 'topup', cardId: this.data.cardId, amountFen: this.data._amountFen };
      return submitOperation(
        this,
        fields,
        (requestId) =>
          ledgerService.topup({
            requestId,
            cardId: fields.cardId,
            amountFen: fields.amountFen,
            payPassword: event.detail.password,
          }),
        '充值失败，请重试',
      );
    },
  },
});
