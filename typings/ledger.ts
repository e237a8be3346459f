/**
 * Function `ledger`: the wallet (零钱). Every amount is integer fen. Money-moving actions carry a
 * client-generated `requestId` (same id + same payload → the same operation, nothing moves twice)
 * and the pay password or a ticket (SensitiveCredentialFields).
 */
import type { BankCode, CardType } from './cards';
import type { SensitiveCredentialFields } from './verify';

export type OperationType = 'topup' | 'withdraw' | 'transfer' | 'payment';

/**
 * PROCESSING 处理中 — sent to the bank, outcome not known yet;
 * SUCCEEDED 成功; RETURNED 已退回 — the bank gave it back, amount and fee are in the wallet again;
 * FAILED 失败 — refused before any money moved (nothing to return).
 */
export type OperationStatus = 'PROCESSING' | 'SUCCEEDED' | 'RETURNED' | 'FAILED';

export type TransferSpeed = 'fast' | 'nextDay';

/** Who is on the other side, as the user may see it: never a full card number or full name. */
export interface CounterpartyView {
  kind: 'card' | 'merchant';
  bankCode: BankCode | null;
  /** Bank or merchant name. */
  name: string;
  cardType: CardType | null;
  lastFour: string | null;
  /** Payee of a transfer, masked: `*明`. */
  maskedHolder: string | null;
  /** One line for lists and confirm sheets: `招商银行(1234) *明`. */
  label: string;
}

export interface OperationView {
  operationId: string;
  type: OperationType;
  status: OperationStatus;
  /** `in` adds to the wallet (top-up, a returned amount is not counted here), `out` takes from it. */
  direction: 'in' | 'out';
  amountFen: number;
  feeFen: number;
  /** What left (out) or reached (in) the wallet: amount + fee for out, amount for in. */
  totalFen: number;
  counterparty: CounterpartyView;
  speed: TransferSpeed | null;
  /** Chinese reason when RETURNED or FAILED (e.g. 收款人户名与卡号不符，资金已原路退回零钱). */
  failureMessage: string | null;
  createdAt: number;
  /** When the money is expected on the card (withdraw, transfer), epoch ms. */
  expectedArrivalAt: number | null;
  /** When the outcome became final. */
  resolvedAt: number | null;
  /** Payments (`type: 'payment'`): the merchant's order number. */
  orderNo?: string;
}

export interface SummaryView {
  balanceFen: number;
  /** Amount + fee of operations still PROCESSING (already out of the balance). */
  pendingOutFen: number;
  /** What is left of the lifetime free withdrawal quota of the caller's real-name identity (0 if not verified). */
  withdrawFreeQuotaLeftFen: number;
  /** What can still be transferred today (China calendar day). */
  transferLeftTodayFen: number;
  /** The newest operations, newest first (at most 5). */
  latest: OperationView[];
}

export interface HistoryRequest {
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  type?: OperationType;
  /** 1–50, default 20. */
  limit?: number;
}

export interface HistoryView {
  items: OperationView[];
  nextCursor: string | null;
}

export interface WithdrawQuoteRequest {
  /** The amount to arrive on the card; omitted with `all: true`. */
  amountFen?: number;
  /**
   * "全部提现": all that one withdrawal may take — the largest amount whose amount + fee fits the
   * balance, at most the single-withdrawal limit.
   */
  all?: boolean;
}

export interface WithdrawQuoteView {
  amountFen: number;
  feeFen: number;
  totalFen: number;
  /** Free quota used by this withdrawal and what is left before it. */
  quotaUsedFen: number;
  quotaLeftFen: number;
  balanceFen: number;
  expectedArrivalAt: number;
  /** The single-withdrawal limit. */
  limitFen: number;
  /** 全部提现 stopped at the limit: the rest of the balance needs another withdrawal. */
  cappedByLimit: boolean;
}

/**
 * Whom a transfer goes to: exactly one of a card number typed by the payer, or a scanned receive
 * code (收款码: `qrcode.resolve` hands out its `receiveToken`), which names a card bound here
 * without showing its number. Neither or both → INVALID_ARGUMENT.
 */
export interface TransferPayee {
  cardNumber?: string;
  receiveToken?: string;
}

export interface TransferQuoteRequest extends TransferPayee {
  amountFen: number;
  speed: TransferSpeed;
  /** With a typed card number: the payee's name, so the quote shows it masked as the transfer will. */
  payeeName?: string;
}

export interface TransferQuoteView {
  bank: { code: BankCode; name: string; color: string };
  cardType: CardType;
  lastFour: string;
  amountFen: number;
  feeFen: number;
  totalFen: number;
  expectedArrivalAt: number;
  /** Luhn warning from detection, or null. */
  warning: string | null;
  /** The payee's name masked (`*明`): a receive code's, or the typed `payeeName`; absent without either. */
  maskedHolder?: string;
  /** What the confirm sheet and the history show: `招商银行(1234) *明`. */
  payeeLabel: string;
}

export interface TopupRequest extends SensitiveCredentialFields {
  requestId: string;
  cardId: string;
  amountFen: number;
}

export interface WithdrawRequest extends SensitiveCredentialFields {
  requestId: string;
  cardId: string;
  amountFen?: number;
  all?: boolean;
}

/**
 * To a typed card number with the payee's name (`payeeName` required), or to a receive code (the
 * code knows its payee: `payeeName` must be left out).
 */
export interface TransferToCardRequest extends SensitiveCredentialFields, TransferPayee {
  requestId: string;
  payeeName?: string;
  amountFen: number;
  speed: TransferSpeed;
}

export interface LedgerActions {
  summary: { request: Record<string, never>; response: SummaryView };
  history: { request: HistoryRequest; response: HistoryView };
  entry: { request: { operationId: string }; response: OperationView };
  topup: { request: TopupRequest; response: OperationView };
  withdrawQuote: { request: WithdrawQuoteRequest; response: WithdrawQuoteView };
  withdraw: { request: WithdrawRequest; response: OperationView };
  transferQuote: { request: TransferQuoteRequest; response: TransferQuoteView };
  transferToCard: { request: TransferToCardRequest; response: OperationView };
  transferStatus: { request: { operationId: string }; response: OperationView };
}

/** Function `settle`: the timer trigger's work, also callable from the local host and tests (no openid). */
export interface ReconciliationBreakView {
  check: string;
  subject: string;
  detail: string;
}

/** A day's full ledger audit (`settle.audit`, and settle's first run of each China day). */
export interface LedgerAuditView {
  /** The China day, YYYY-MM-DD. */
  day: string;
  startedAt: number;
  finishedAt: number;
  ok: boolean;
  /** Journal entries checked (all of them). */
  entries: number;
  /** Wallets checked against their postings (all of them). */
  wallets: number;
  /** Accounts whose running total was checked against its postings. */
  accounts: number;
  /** All postings together (0 when the books balance). */
  totalFen: number;
  /** The checkpoint the running totals were checked at. */
  checkpointThroughAt: number;
  breakCount: number;
  /** The first 200 breaks. */
  breaks: ReconciliationBreakView[];
}

export interface SettleReport {
  /** Operations whose bank outcome became known and were resolved in this run. */
  resolved: { succeeded: number; returned: number; failed: number };
  /** Still waiting for the bank. */
  stillPending: number;
  /**
   * The incremental reconciliation: the entries booked since the last checkpoint checked, and the
   * accounts they touched checked against the running totals (`throughAt`: the checkpoint now).
   */
  reconciliation: {
    ok: boolean;
    mode: 'incremental';
    entries: number;
    wallets: number;
    totalFen: number;
    breaks: ReconciliationBreakView[];
    throughAt: number;
    /** False when more was new than one run reads: the balance checks wait for the run that catches up. */
    caughtUp: boolean;
  };
  /** The full audit, when this was the day's first run (else null). */
  audit: LedgerAuditView | null;
  /**
   * The notification outbox (WeChat subscribe messages written beside each money movement and
   * sent after it commits): deliveries retried in this run and how they went, and what still waits.
   */
  outbox: {
    sent: number;
    /** The user had no subscription left (or withdrew it): the message stays in the message centre only. */
    skipped: number;
    /** Failed again; tried later. */
    retrying: number;
    /** Given up after the last try, or refused for good by WeChat (logged). */
    failed: number;
    /** Still waiting after this run (due later, or being sent right now). */
    pending: number;
    /** Age of the oldest waiting delivery in ms (0 when none): a stuck outbox shows here. */
    oldestPendingMs: number;
  };
}

export interface SettleActions {
  run: { request: Record<string, never>; response: SettleReport };
  audit: { request: Record<string, never>; response: LedgerAuditView };
  auditReports: { request: { limit?: number }; response: { items: LedgerAuditView[] } };
}
