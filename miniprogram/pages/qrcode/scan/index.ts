/**
 * Reads a scanned code and opens what it is for: a receive code → the transfer page prefilled with
 * the payee; a merchant's payment code → the order payment page. Opened by 扫一扫 (`content`), by a
 * WeChat scan of a code's link (`q`) or of a mini program code (`scene`), or on its own (it opens
 * the camera). A code that cannot be used says why, with the server's message, and offers to scan again.
 */
import type { ErrorCode } from '../../../../typings/errors';
import { qrcodeService } from '../../../services/qrcode';
import { errorMessage, ServiceError } from '../../../services/transport';
import { scan, scannedContent } from '../../../utils/qr';
import { ROUTES } from '../../../utils/routes';

const PAY_PAGE = '/pages/qrcode/pay/index';

/** Codes worth a "scan again" hint rather than a plain failure. */
const SCAN_AGAIN: ErrorCode[] = ['QR_NOT_RECOGNIZED', 'QR_MALFORMED', 'QR_SIGNATURE_INVALID'];

Component({
  data: {
    resolving: false,
    errorMessage: '',
    hint: '',
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const content = scannedContent(query);
      if (content) void this.open(content);
      else void this.onScanAgain();
    },
    async onScanAgain() {
      const content = await scan();
      if (content) await this.open(content);
      else if (!this.data.errorMessage) this.setData({ errorMessage: '没有扫描到二维码', hint: '' });
    },
    async open(content: string) {
      this.setData({ resolving: true, errorMessage: '', hint: '' });
      let url: string;
      try {
        const resolved = await qrcodeService.resolve(content);
        // tokens are base64url: safe in a query as they are
        url =
          resolved.kind === 'receive'
            ? `${ROUTES.transfer}?receiveToken=${resolved.receiveToken}`
            : `${PAY_PAGE}?orderToken=${resolved.orderToken}`;
      } catch (error) {
        const code = error instanceof ServiceError ? error.code : null;
        this.setData({
          resolving: false,
          errorMessage: errorMessage(error, '识别失败，请重试'),
          hint: code && SCAN_AGAIN.includes(code as ErrorCode) ? '请对准本行的收款码或商户付款码重新扫描' : '',
        });
        return;
      }
      try {
        await wx.redirectTo({ url });
      } catch {
        this.setData({ resolving: false, errorMessage: '暂时无法打开付款页面，请稍后再试' });
      }
    },
    onHome() {
      void wx.reLaunch({ url: ROUTES.home });
    },
  },
});
