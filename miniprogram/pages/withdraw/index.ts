/**
 * Withdraw (零钱提现) to one of the user's bound debit cards (储蓄卡: a credit card cannot receive
 * one). The fee and the expected arrival come from `ledger.withdrawQuote` as the amount is typed,
 * so they are on the page before the user confirms; 全部提现 asks the server for all one withdrawal
 * may take — amount + fee within the balance, at most the single-withdrawal limit, when the page
 * says the rest needs another withdrawal. Query: `amountFen` to prefill (the assistant's 去提现).
 */
import type { CardView } from '../../../typings/cards';
import type { WithdrawQuoteView } from '../../../typings/ledger';
import { cardsService } from '../../services/cards';
import { ledgerService } from '../../services/ledger';
import { errorMessage } from '../../services/transport';
import type { ValueEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { amountText, formatFen, parseAmount } from '../../utils/money';
import { SHEET_CLOSED } from '../../utils/pay-password';
import type { Intent } from '../../utils/request-id';
import { askPayPassword, submitOperation } from '../../utils/submit';
import { formatChinaDateTime } from '../../utils/time';
import { cancel, cancelAll, later } from '../../utils/timers';
import { navigate, ROUTES } from '../../utils/routes';
import { keptCardId, moneyBlocker, prefilledFen, walletCards } from '../../utils/wallet-access';

const QUOTE_DELAY_MS = 300;

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
    balanceText: '',
    quotaText: '',
    amountText: '',
    amountError: '',
    /** 全部提现: the server solves amount + fee = balance. */
    all: false,
    quoting: false,
    quoteText: '',
    arrivalText: '',
    /** 全部提现 stopped at the single-withdrawal limit: what is left for another withdrawal. */
    limitText: '',
    submitError: '',
    sheet: { ...SHEET_CLOSED },
    _quote: null as WithdrawQuoteView | null,
    _intent: null as Intent | null,
  },
  lifetimes: {
    detached() {
      cancelAll(this);
    },
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
          if (blocked) {
            this.setData({ blocked });
            return;
          }
          const [list, summary] = await Promise.all([cardsService.list(), ledgerService.summary()]);
          const { cards, creditOnly } = walletCards(list.cards);
          const cardId = keptCardId(cards, this.data.cardId);
          this.setData({
            blocked,
            cards,
            creditOnly,
            cardId,
            balanceText: formatFen(summary.balanceFen),
            quotaText: `剩余免费提现额度 ${formatFen(summary.withdrawFreeQuotaLeftFen)}，超出部分收取手续费`,
          });
          if (this.data.amountText) await this.quote();
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
      this.setData({ amountText: event.detail.value, all: false, amountError: '', submitError: '' });
      this.showQuote(null);
      if (event.detail.value) later(this, 'quote', QUOTE_DELAY_MS, () => void this.quote());
      else cancel(this, 'quote');
    },
    showQuote(quote: WithdrawQuoteView | null) {
      this.setData({
        _quote: quote,
        quoteText: quote
          ? `手续费 ${formatFen(quote.feeFen)}${quote.quotaUsedFen > 0 ? `（免费额度抵扣 ${formatFen(quote.quotaUsedFen)}）` : ''}，共扣除 ${formatFen(quote.totalFen)}`
          : '',
        arrivalText: quote ? `预计 ${formatChinaDateTime(quote.expectedArrivalAt)} 前到账` : '',
        limitText: quote?.cappedByLimit
          ? `单笔最多提现 ${formatFen(quote.limitFen)}，剩余 ${formatFen(quote.balanceFen - quote.totalFen)} 需再次提现`
          : '',
      });
    },
    /** The quote for what is typed (or for 全部提现); false when there is none to confirm. */
    async quote(): Promise<boolean> {
      cancel(this, 'quote');
      const { all } = this.data;
      const typed = this.data.amountText;
      const parsed = parseAmount(typed);
      if (!all && !parsed.ok) {
        this.setData({ amountError: parsed.error });
        return false;
      }
      this.setData({ quoting: true });
      try {
        const quote = await ledgerService.withdrawQuote(
          all ? { all: true } : { amountFen: parsed.ok ? parsed.fen : 0 },
        );
        // typed on while the quote was on its way: the newer quote decides
        if (this.data.amountText !== typed && !this.data.all) return false;
        if (quote.amountFen <= 0) {
          this.setData({ amountError: '零钱余额不足以支付提现手续费' });
          return false;
        }
        if (all) this.setData({ amountText: amountText(quote.amountFen) });
        this.showQuote(quote);
        if (quote.totalFen > quote.balanceFen) {
          this.setData({ amountError: `零钱余额不足（含手续费共需 ${formatFen(quote.totalFen)}）` });
          return false;
        }
        this.setData({ amountError: '' });
        return true;
      } catch (error) {
        this.setData({ amountError: errorMessage(error, '手续费计算失败，请重试') });
        return false;
      } finally {
        this.setData({ quoting: false });
      }
    },
    onWithdrawAll() {
      this.setData({ all: true, amountError: '', submitError: '' });
      return this.quote();
    },
    async onConfirm() {
      const current = this.data._quote;
      const parsed = parseAmount(this.data.amountText);
      const fresh = current && (this.data.all || (parsed.ok && parsed.fen === current.amountFen));
      if (!fresh && !(await this.quote())) return;
      if (this.data.amountError) return;
      const quote = this.data._quote!;
      askPayPassword(this, `提现 ${formatFen(quote.amountFen)}，手续费 ${formatFen(quote.feeFen)}`);
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    onPasswordComplete(event: ValueEvent<{ password: string }>) {
      const { cardId, all } = this.data;
      const amount = all ? { all: true } : { amountFen: this.data._quote!.amountFen };
      return submitOperation(
        this,
        { action: 'withdraw', cardId, ...amount },
        (requestId) => ledgerService.withdraw({ requestId, cardId, ...amount, payPassword: event.detail.password }),
        '提现失败，请重试',
      );
    },
  },
});
