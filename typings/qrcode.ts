/**
 * Function `qrcode`: receive codes (收款码) and scanned codes — a payee's receive code or a
 * merchant's payment code — and paying a merchant order from the wallet. A code's content is a
 * link holding a compact signed token (version, kind, expiry, HMAC): never a card number or a name.
 */
import type { BankCode, CardType } from './cards';
import type { OperationView } from './ledger';
import type { SensitiveCredentialFields } from './verify';

/** A card as a payer may see it: bank, type and last four only. */
export interface PayeeCardView {
  bank: { code: BankCode; name: string; color: string };
  cardType: CardType;
  /** 储蓄卡 / 信用卡. */
  cardTypeLabel: string;
  lastFour: string;
}

/** The caller's own receive code for one of their cards, ready to show. */
export interface ReceiveCodeView {
  codeId: string;
  cardId: string;
  card: PayeeCardView;
  /** The holder as payers see it: `*三`. */
  maskedName: string;
  /** What the QR encodes: `https://…/q/<token>` (opens the mini program when scanned by WeChat). */
  content: string;
  /** The QR as a PNG the page can show in `<image src>`: `data:image/png;base64,…`. */
  image: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * A receive code as a 小程序码 (mini program code): scanned with WeChat, it opens the scan page of
 * this mini program with `scene`, which stands for the code's token (the token itself is too long).
 */
export interface MiniProgramCodeView {
  codeId: string;
  /** What the scan page receives: `s.` and 24 characters; `qrcode.resolve` takes it as content. */
  scene: string;
  /** The page it opens: `pages/qrcode/scan/index`. */
  page: string;
  /** The image for `<image src>`: `data:image/jpeg;base64,…` (WeChat) or `data:image/png;base64,…` (sandbox). */
  image: string;
}

export interface ReceiveCodeRequest {
  cardId: string;
  /** Revoke the card's current code and issue a new one (刷新). */
  refresh?: boolean;
}

/** A scanned receive code: whom a transfer would reach. */
export interface ReceiveResolution {
  kind: 'receive';
  /** Goes to `ledger.transferQuote` / `ledger.transferToCard` instead of a card number. */
  receiveToken: string;
  payee: PayeeCardView & {
    maskedName: string;
    /** `招商银行(1234) *明`. */
    label: string;
  };
  expiresAt: number;
}

/** A scanned merchant payment code: the order it asks the caller to pay. */
export interface OrderResolution {
  kind: 'order';
  /** Goes to `qrcode.payOrder`. */
  orderToken: string;
  merchant: { merchantId: string; name: string };
  orderNo: string;
  amountFen: number;
  expiresAt: number;
  /** Paid already (by anyone): paying again answers ORDER_ALREADY_PAID. */
  paid: boolean;
  /** What the caller can pay with. */
  wallet: { balanceFen: number };
}

export type ScanResolution = ReceiveResolution | OrderResolution;

export interface PayOrderRequest extends SensitiveCredentialFields {
  requestId: string;
  orderToken: string;
}

export interface QrcodeActions {
  receiveCode: { request: ReceiveCodeRequest; response: ReceiveCodeView };
  revokeReceiveCode: { request: { codeId: string }; response: { codeId: string; revoked: true } };
  miniProgramCode: { request: { codeId: string }; response: MiniProgramCodeView };
  resolve: { request: { content: string }; response: ScanResolution };
  payOrder: { request: PayOrderRequest; response: OperationView };
}
