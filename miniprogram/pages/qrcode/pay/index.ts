/**
 * Paying a merchant's order (扫码付款) from the wallet: the order as the merchant signed it, the
 * wallet balance, the pay password on the app's own keyboard, then the result. Query:
 * `orderToken` (from the scan page). One requestId per page, so paying again after a lost answer
 * is the same payment, never a second one.
 */
import type { OperationView, OperationStatus } from '../../../../typings/ledger';
import type { OrderResolution } from '../../../../typings/qrcode';
import { qrcodeService } from '../../../services/qrcode';
import { ServiceError } from '../../../services/transport';
import type { ValueEvent } from '../../../utils/events';
import { loadWithState } from '../../../utils/load';
import { formatFen } from '../../../utils/money';
import { SHEET_CLOSED, sheetErrorState } from '../../../utils/pay-password';
import { newRequestId } from '../../../utils/request-id';
import { ROUTES } from '../../../utils/routes';
import { askForSubscription, prepareSubscription } from '../../../utils/subscribe';
import { formatChinaDateTime } from '../../../utils/time';

/** Refusals that end this order for good: shown on the page, not in the password sheet. */
const ORDER_CLOSED = ['ORDER_ALREADY_PAID', 'ORDER_EXPIRED', 'ORDER_SUPERSEDED', 'NOT_FOUND'];

const STATUS_TEXT: Record<OperationStatus, string> = {
  SUCCEEDED: '付款成功',
  PROCESSING: '付款处理中',
  RETURNED: '付款已退回',
  FAILED: '付款失败',
};

Component({
  data: {
    orderToken: '',
    requestId: '',
    loading: true,
    errorMessage: '',
    order: null as OrderResolution | null,
    amountText: '',
    balanceText: '',
    expiresText: '',
    enough: false,
    sheet: { ...SHEET_CLOSED },
    result: null as OperationView | null,
    resultTitle: '',
    paidAtText: '',
  },
  methods: {
    onLoad(query: { orderToken?: string }) {
      this.setData({ orderToken: query.orderToken ?? '', requestId: newRequestId() });
      void prepareSubscription();
      void this.load();
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const order = await qrcodeService.resolve(this.data.orderToken);
          if (order.kind !== 'order') throw new ServiceError('QR_WRONG_KIND', '这是收款码，请用转账付款');
          this.setData({
            order,
            amountText: formatFen(order.amountFen),
            balanceText: formatFen(order.wallet.balanceFen),
            expiresText: formatChinaDateTime(order.expiresAt),
            enough: order.wallet.balanceFen >= order.amountFen,
          });
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    async onPay() {
      const order = this.data.order;
      if (!order || order.paid || !this.data.enough) return;
      // first, while the tap still counts: may WeChat tell the user when the money moves?
      await askForSubscription(['fundChange']);
      this.setData({
        sheet: {
          ...SHEET_CLOSED,
          show: true,
          title: '请输入支付密码',
          subtitle: `向${order.merchant.name}付款 ${this.data.amountText}`,
        },
      });
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    async onPasswordComplete(event: ValueEvent<{ password: string }>) {
      this.setData({ 'sheet.busy': true });
      try {
        const result = await qrcodeService.payOrder({
          requestId: this.data.requestId,
          orderToken: this.data.orderToken,
          payPassword: event.detail.password,
        });
        this.setData({
          sheet: { ...SHEET_CLOSED },
          result,
          resultTitle: STATUS_TEXT[result.status],
          paidAtText: formatChinaDateTime(result.resolvedAt ?? result.createdAt),
        });
      } catch (error) {
        if (error instanceof ServiceError && ORDER_CLOSED.includes(error.code)) {
          // the order stays: its refusal is final, so the page offers no 重试 (that is for a failed load)
          this.setData({ sheet: { ...SHEET_CLOSED }, errorMessage: error.message });
          return;
        }
        this.setData({ sheet: { ...this.data.sheet, busy: false, ...sheetErrorState(error) } });
      }
    },
    onDone() {
      void wx.reLaunch({ url: ROUTES.home });
    },
    onOpenMessages() {
      void wx.redirectTo({ url: ROUTES.messages });
    },
  },
});
