/**
 * The bank (card network) as the domain sees it. The card-verification side used when a card is
 * bound: the bank checks the card, the holder's name and ID number and the phone reserved for the
 * card together (四要素), and answers with a token that stands for the card in later calls and the
 * card's daily quick-payment limit; the ledger debits and credits against that token. The full card number crosses this port once, at
 * binding, and is never stored on our side.
 *
 * Adapters: server/adapters/sandbox/bank.ts (default); a real acquirer's API later.
 */

export interface CardCheck {
  /** Digits only. */
  cardNumber: string;
  holderName: string;
  /** 18 characters, upper-case X. */
  idNumber: string;
  /** 11-digit mainland mobile number. */
  reservedPhone: string;
}

/** Why the bank refused, precise enough for the user to act on. */
export type CardCheckRefusal =
  /** The bank's holder name or ID number for this card differ. */
  | 'HOLDER_MISMATCH'
  /** The phone is not the one reserved for this card. */
  | 'PHONE_MISMATCH'
  | 'CARD_FROZEN'
  | 'CARD_CLOSED'
  /** The bank does not accept this card for binding (e.g. a card type it does not sign for quick pay). */
  | 'CARD_UNSUPPORTED'
  /** Refused without a reason the bank shares. */
  | 'DECLINED';

/**
 * A confirmed card: its token, and the daily limit of quick-payment debits (快捷支付单日限额) the
 * bank applies to it — shown on the card, enforced by the bank on `debitCard`.
 */
export type CardCheckResult =
  { ok: true; cardToken: string; quickPayDailyLimitFen: number } | { ok: false; refusal: CardCheckRefusal };

/** The bank did not answer (timeout, outage): nothing happened there, the caller may retry later. */
export class BankUnavailableError extends Error {
  constructor(message = 'bank did not answer') {
    super(message);
    this.name = 'BankUnavailableError';
  }
}

/** Why the bank refused or gave back a payment. */
export type PaymentFailure =
  /** The card's account cannot cover a debit (top-up). */
  | 'INSUFFICIENT_CARD_FUNDS'
  /** The debit would pass the card's daily quick-payment limit (what is left today is the bank's to say). */
  | 'CARD_DAILY_LIMIT_EXCEEDED'
  /** The payee's name does not match the card's account (transfer). */
  | 'HOLDER_MISMATCH'
  | 'CARD_FROZEN'
  | 'CARD_CLOSED'
  /** Refused without a reason the bank shares. */
  | 'DECLINED';

/**
 * Where a payment stands at the bank. PENDING: accepted, outcome to come. UNKNOWN: the bank has no
 * record of this reference — it never arrived, so nothing moved there.
 */
export type PaymentState =
  { state: 'SUCCEEDED' } | { state: 'PENDING' } | { state: 'FAILED'; failure: PaymentFailure } | { state: 'UNKNOWN' };

export interface CardTransfer {
  /**
   * The payee's card: its number, typed by the payer (digits only; crosses the port at submission
   * and is never stored on our side), or — for a card bound here, reached through its receive
   * code — the token the bank gave it at binding.
   */
  payee: { cardNumber: string } | { cardToken: string };
  holderName: string;
  amountFen: number;
  speed: 'fast' | 'nextDay';
}

/**
 * Every payment names our operation id as its `reference`, and the bank treats the reference as an
 * idempotency key: sending the same reference again returns the first answer and moves nothing twice.
 * Any call may throw BankUnavailableError; the outcome is then asked for with `paymentStatus`.
 */
export interface BankGateway {
  /**
   * Checks card, holder and reserved phone. Each answer tells something about a card that may not
   * be the caller's: the domain throttles how often it asks (cards/bank-check.ts). Throws
   * BankUnavailableError when the bank does not answer.
   */
  verifyCard(check: CardCheck): Promise<CardCheckResult>;
  /** Top-up: take money from a bound card (named by its token), within the card's daily quick-payment limit. */
  debitCard(reference: string, cardToken: string, amountFen: number): Promise<PaymentState>;
  /** Withdrawal: pay money to a bound card. */
  creditCard(reference: string, cardToken: string, amountFen: number): Promise<PaymentState>;
  /** Transfer to any card, checked by the receiving bank against the holder's name. */
  transferToCard(reference: string, transfer: CardTransfer): Promise<PaymentState>;
  /** The current state of an earlier payment. */
  paymentStatus(reference: string): Promise<PaymentState>;
}
