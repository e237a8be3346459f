/**
 * The bank (card network) as the domain sees it. For now the card-verification side used when a
 * card is bound: the bank checks the card, the holder's name and ID number and the phone reserved
 * for the card, and answers with a token that stands for the card in later calls (the ledger adds
 * debits and credits against that token). The full card number crosses this port once, at
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

export type CardCheckResult = { ok: true; cardToken: string } | { ok: false; refusal: CardCheckRefusal };

/** The bank did not answer (timeout, outage): nothing happened there, the caller may retry later. */
export class BankUnavailableError extends Error {
  constructor(message = 'bank did not answer') {
    super(message);
    this.name = 'BankUnavailableError';
  }
}

export interface BankGateway {
  /** Checks card, holder and reserved phone. Throws BankUnavailableError when the bank does not answer. */
  verifyCard(check: CardCheck): Promise<CardCheckResult>;
}
