/**
 * Transfer to a bank card (转账到银行卡): payee name and card number (the bank and card type are
 * detected as the number is typed), or a scanned receive code's payee; the amount on the keypad;
 * the speed. 下一步 asks `ledger.transferQuote` and opens the confirm sheet — amount, fee, total,
 * payee as `招商银行(1234) *明`, expected arrival — then the pay password, then the result page.
 * A credit card number is refused as it is detected: paying into one is 信用卡还款, another service.
 * Query: `amountFen` to prefill (the assistant's 去转账); `receiveToken` from the scan page. The
 * payee a receive code names is shown as the server reads it from the code (`qrcode.resolve`),
 * never from query text, which any link could set.
 */
import type { CardDetectionView } from '../../../typings/cards';
import type { TransferQuoteView, TransferSpeed, TransferToCardRequest } from '../../../typings/ledger';
import { cardsService } from '../../services/cards';
import { ledgerService } from '../../services/ledger';
import { qrcodeService } from '../../services/qrcode';
import { errorMessage } from '../../services/transport';
import type { ValueEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { amountText, formatFen, parseAmount } from '../../utils/money';
import { SPEED_LABELS } from '../../utils/operations';
import { SHEET_CLOSED } from '../../utils/pay-password';
import type { Intent } from '../../utils/request-id';
import { askPayPassword, submitOperation } from '../../utils/submit';
import { formatChinaDateTime } from '../../utils/time';
import { cancel, cancelAll, later } from '../../utils/timers';
import { navigate, ROUTES } from '../../utils/routes';
import { moneyBlocker, prefilledFen } from '../../utils/wallet-access';

const DETECT_DELAY_MS = 250;
/** Card numbers are 16–19 digits; shorter is certainly incomplete. */
const CARD_DIGITS = { min: 16, max: 19 };

interface TransferQuery {
  amountFen?: string;
  receiveToken?: string;
}

/** Shown when the typed number is a credit card's (the server refuses it the same way). */
const CREDIT_CARD_NOTE = '这是信用卡卡号：向信用卡转账属于信用卡还款，是单独的服务，暂不支持';

interface ConfirmView {
  amount: string;
  fee: string;
  total: string;
  payee: string;
  arrival: string;
  warning: string;
}

/** What the confirm sheet quoted, sent unchanged once the pay password is entered. */
type ConfirmedTransfer = Omit<TransferToCardRequest, 'requestId' | 'payPassword' | 'ticket'>;

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    loading: true,
    errorMessage: '',
    blocked: '',
    /** A scanned receive code: the payee is fixed and shown as the server's label for it. */
    receiveToken: '',
    scannedPayee: '',
    /** The typed number is a credit card's: why it cannot be paid here. */
    creditNote: '',
    payeeName: '',
    cardNumber: '',
    detection: null as CardDetectionView | null,
    speeds: (['fast', 'nextDay'] as TransferSpeed[]).map((value) => ({ value, label: SPEED_LABELS[value] })),
    speed: 'fast' as TransferSpeed,
    amountText: '',
    amountError: '',
    formError: '',
    /** The keypad is on the amount (hidden while a text field has the system keyboard). */
    keypadShown: true,
    balanceText: '',
    leftTodayText: '',
    quoting: false,
    confirm: null as ConfirmView | null,
    submitError: '',
    sheet: { ...SHEET_CLOSED },
    _quote: null as TransferQuoteView | null,
    _transfer: null as ConfirmedTransfer | null,
    _intent: null as Intent | null,
  },
  lifetimes: {
    detached() {
      cancelAll(this);
    },
  },
  methods: {
    onLoad(query: TransferQuery) {
      const fen = prefilledFen(query);
      this.setData({
        amountText: fen !== null ? amountText(fen) : '',
        receiveToken: query.receiveToken ?? '',
        // a scanned payee leaves only the amount to type; otherwise the name comes first
        keypadShown: Boolean(query.receiveToken),
      });
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
          const { receiveToken } = this.data;
          const [summary, scanned] = await Promise.all([
            ledgerService.summary(),
            receiveToken ? qrcodeService.resolve(receiveToken) : null,
          ]);
          if (scanned && scanned.kind !== 'receive') {
            this.setData({ errorMessage: '这不是收款码，无法向它转账' });
            return;
          }
          this.setData({
            blocked,
            scannedPayee: scanned ? scanned.payee.label : '',
            balanceText: formatFen(summary.balanceFen),
            leftTodayText: formatFen(summary.transferLeftTodayFen),
          });
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    onGoSecurity: navigate(ROUTES.security),
    onNameInput(event: ValueEvent<string>) {
      this.setData({ payeeName: event.detail.trim(), formError: '', submitError: '' });
    },
    onCardInput(event: ValueEvent<string>) {
      const digits = event.detail.replace(/\D/g, '').slice(0, CARD_DIGITS.max);
      this.setData({ cardNumber: digits, formError: '', submitError: '' });
      if (digits.length < 6) {
        cancel(this, 'detect');
        this.setData({ detection: null, creditNote: '' });
        return;
      }
      later(this, 'detect', DETECT_DELAY_MS, () => void this.detect(digits));
    },
    async detect(digits: string) {
      try {
        const detection = await cardsService.detect(digits);
        if (this.data.cardNumber === digits)
          this.setData({ detection, creditNote: detection.cardType === 'credit' ? CREDIT_CARD_NOTE : '' });
      } catch {
        // detection only helps while typing; the quote reports any problem with the number
      }
    },
    onTextFocus() {
      this.setData({ keypadShown: false });
    },
    onAmountFocus() {
      this.setData({ keypadShown: true });
    },
    onSelectSpeed(
      event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { speed: TransferSpeed }>,
    ) {
      this.setData({ speed: event.currentTarget.dataset.speed, submitError: '' });
    },
    onAmountChange(event: ValueEvent<{ value: string }>) {
      this.setData({ amountText: event.detail.value, amountError: '', submitError: '' });
    },
    /** What is missing or wrong before the server is asked, or ''. */
    formProblem(): string {
      if (this.data.receiveToken) return '';
      if (!this.data.payeeName) return '请输入收款人姓名';
      const digits = this.data.cardNumber.length;
      if (digits === 0) return '请输入收款卡号';
      if (digits < CARD_DIGITS.min) return '卡号位数不正确，请核对';
      if (this.data.creditNote) return this.data.creditNote;
      return '';
    },
    /** 下一步: check the form, ask for the quote, open the confirm sheet. */
    async onNext() {
      const problem = this.formProblem();
      const parsed = parseAmount(this.data.amountText);
      this.setData({ formError: problem, amountError: parsed.ok ? '' : parsed.error, submitError: '' });
      if (problem || !parsed.ok) return;
      const { receiveToken, cardNumber, payeeName, speed } = this.data;
      const transfer: ConfirmedTransfer = {
        ...(receiveToken ? { receiveToken } : { cardNumber, payeeName }),
        amountFen: parsed.fen,
        speed,
      };
      this.setData({ quoting: true });
      try {
        const quote = await ledgerService.transferQuote(transfer);
        this.setData({
          _quote: quote,
          _transfer: transfer,
          confirm: {
            amount: formatFen(quote.amountFen),
            fee: formatFen(quote.feeFen),
            total: formatFen(quote.totalFen),
            payee: quote.payeeLabel,
            arrival: `预计 ${formatChinaDateTime(quote.expectedArrivalAt)} 前到账`,
            warning: quote.warning ?? '',
          },
        });
      } catch (error) {
        this.setData({ submitError: errorMessage(error, '暂时无法计算手续费，请重试') });
      } finally {
        this.setData({ quoting: false });
      }
    },
    onConfirmClose() {
      this.setData({ confirm: null });
    },
    onConfirmTransfer() {
      const quote = this.data._quote!;
      this.setData({ confirm: null });
      askPayPassword(
        this,
        `向 ${quote.payeeLabel} 转账 ${formatFen(quote.amountFen)}，手续费 ${formatFen(quote.feeFen)}`,
      );
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    onPasswordComplete(event: ValueEvent<{ password: string }>) {
      const transfer = this.data._transfer!;
      return submitOperation(
        this,
        { action: 'transfer', ...transfer },
        (requestId) => ledgerService.transferToCard({ requestId, ...transfer, payPassword: event.detail.password }),
        '转账失败，请重试',
      );
    },
  },
});
