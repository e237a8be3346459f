/** Function `verify`: the pay password, single-use tickets and SMS code resends. */

/**
 * What a ticket (or a pay password) authorizes. A ticket is bound to one user and one purpose,
 * valid for a few minutes, and used once.
 */
export type SensitivePurpose =
  | 'cards.bind'
  | 'cards.unbind'
  | 'ledger.topup'
  | 'ledger.withdraw'
  | 'ledger.transfer'
  | 'ledger.pay'
  | 'assistant.query';

/**
 * The credential every sensitive request carries, as flat fields beside its own: exactly one of
 * the 6-digit pay password or a ticket from `verify.verifyPayPassword` for the same purpose.
 */
export interface SensitiveCredentialFields {
  payPassword?: string;
  ticket?: string;
}

export interface PayPasswordStatus {
  set: boolean;
  locked: boolean;
  /** Epoch ms when a lock ends, or null. */
  unlockAt: number | null;
  /** Wrong tries left before the lock. */
  remainingAttempts: number;
}

export interface TicketView {
  ticket: string;
  purpose: SensitivePurpose;
  expiresAt: number;
}

/** An SMS code sent: where (masked) and when it expires and may be resent. */
export interface SmsChallengeView {
  challengeId: string;
  phoneMasked: string;
  /** When the current code was sent; `resendAt - sentAt` is the wait, counted down on the phone's own clock. */
  sentAt: number;
  expiresAt: number;
  resendAt: number;
}

export interface VerifyActions {
  setPayPassword: {
    request: { payPassword: string; confirmPayPassword: string };
    response: PayPasswordStatus;
  };
  changePayPassword: {
    request: { oldPayPassword: string; newPayPassword: string; confirmPayPassword: string };
    response: PayPasswordStatus;
  };
  verifyPayPassword: { request: { payPassword: string; purpose: SensitivePurpose }; response: TicketView };
  resendSms: { request: { challengeId: string; phone: string }; response: SmsChallengeView };
}
