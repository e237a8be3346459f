/**
 * Every error code a function can answer with. Add codes here first: the server's message table is
 * typed against this union, so a code without a Chinese message does not compile.
 */
export type ErrorCode =
  /** Malformed body, unknown action, wrong field types or values out of range. */
  | 'INVALID_ARGUMENT'
  /** No caller identity in the runtime context. */
  | 'UNAUTHENTICATED'
  /** The id does not exist or belongs to someone else (never tell the two apart). */
  | 'NOT_FOUND'
  /** Same requestId reused with a different payload. */
  | 'IDEMPOTENCY_CONFLICT'
  /** The request is valid but the caller's state does not allow it (e.g. not verified yet). */
  | 'FAILED_PRECONDITION'
  /** Too many requests in a short time. */
  | 'RATE_LIMITED'
  /** The wallet balance does not cover amount + fee. */
  | 'INSUFFICIENT_FUNDS'
  /** Over the per-transaction limit (amount in details.limitFen). */
  | 'AMOUNT_LIMIT_EXCEEDED'
  /** Over the per-day limit (what is left today in details.remainingFen). */
  | 'DAILY_LIMIT_EXCEEDED'
  /** The caller may not do this at all (e.g. a user calling the timer-triggered settle). */
  | 'PERMISSION_DENIED'
  /** A branch queuing machine's branch id or secret did not check out. */
  | 'MACHINE_AUTH_FAILED'
  /** The branch does not offer that service (or it has no counter queue, like the ATM). */
  | 'SERVICE_NOT_OFFERED'
  /** The appointment slot has no seat left. */
  | 'SLOT_FULL'
  /** The slot has already started or lies in the past. */
  | 'SLOT_PASSED'
  /** The branch is closed then: a closed day, or outside its opening hours. */
  | 'SLOT_CLOSED'
  /** The day is beyond the booking window (details.bookableDays). */
  | 'SLOT_NOT_YET_BOOKABLE'
  /** The caller already holds this slot. */
  | 'ALREADY_BOOKED'
  /** The caller holds the maximum number of upcoming appointments (details.limit). */
  | 'APPOINTMENT_LIMIT_REACHED'
  /** The appointment's time has come: it can no longer be cancelled. */
  | 'APPOINTMENT_STARTED'
  /** Something failed on our side; the message never carries internals. */
  | 'INTERNAL'
  /** A service the function depends on (database, bank, SMS provider) did not answer; retry later. */
  | 'UNAVAILABLE'
  // Real-name verification (function `user`).
  /** The action needs a verified real-name identity first. */
  | 'REAL_NAME_REQUIRED'
  /** The caller already has a real-name identity; it cannot be changed. */
  | 'REAL_NAME_ALREADY_VERIFIED'
  /** Not a valid 18-digit resident ID number (region, birth date or GB 11643 check digit). */
  | 'ID_NUMBER_INVALID'
  /**
   * No longer answered (an answer would tell whether an ID number is a customer's): a confirmation of
   * another account's ID number answers CARD_VERIFICATION_FAILED. Kept for older clients.
   */
  | 'ID_NUMBER_IN_USE'
  /** Younger than the minimum age for real-name verification (details.minimumAgeYears). */
  | 'AGE_BELOW_MINIMUM'
  // Pay password and tickets (function `verify`).
  /** No pay password yet: set one first. */
  | 'PAY_PASSWORD_NOT_SET'
  /** A pay password exists: change it instead. */
  | 'PAY_PASSWORD_ALREADY_SET'
  /** The two entries of the new pay password differ. */
  | 'PAY_PASSWORD_CONFIRM_MISMATCH'
  /** Trivial pay password (all same, a run, a pattern, the birth date); details.reason says which. */
  | 'PAY_PASSWORD_TOO_SIMPLE'
  /** The new pay password equals the old one. */
  | 'PAY_PASSWORD_UNCHANGED'
  /** Wrong pay password; details.remainingAttempts before it locks. */
  | 'PAY_PASSWORD_INCORRECT'
  /** Locked after too many wrong tries; details.remainingMs and details.unlockAt. */
  | 'PAY_PASSWORD_LOCKED'
  /** The ticket is unknown, used, someone else's or for another purpose. */
  | 'TICKET_INVALID'
  /** The ticket's few minutes are over. */
  | 'TICKET_EXPIRED'
  // SMS codes.
  /** Wrong SMS code; details.remainingAttempts. */
  | 'SMS_CODE_INCORRECT'
  /** The SMS code's validity is over: request a new one. */
  | 'SMS_CODE_EXPIRED'
  /** The SMS code was used already (a replay). */
  | 'SMS_CODE_USED'
  /** Too many wrong entries: this code is void, request a new one. */
  | 'SMS_CODE_ATTEMPTS_EXCEEDED'
  /** A code was sent to this phone moments ago; details.retryAfterMs. */
  | 'SMS_RESEND_TOO_SOON'
  /** This phone has received today's maximum number of codes. */
  | 'SMS_DAILY_LIMIT'
  /** A resend named another phone than the one the code was sent to. */
  | 'SMS_PHONE_MISMATCH'
  // Bank cards (function `cards`).
  /** The number's length is wrong for its bank (or not a card number at all). */
  | 'CARD_NUMBER_INVALID'
  /** No bank in the BIN table issues numbers starting like this. */
  | 'CARD_NUMBER_UNRECOGNIZED'
  /** Recognised bank, but its cards cannot be bound here. */
  | 'CARD_UNSUPPORTED'
  /** This card type cannot be bound by this user (minors: debit cards only). */
  | 'CARD_TYPE_NOT_ALLOWED'
  /** Holder name or ID number differ from the caller's real-name identity. */
  | 'CARD_HOLDER_NOT_SELF'
  /** The caller has this card bound already. */
  | 'CARD_ALREADY_BOUND'
  /** The caller has the maximum number of cards (details.limit). */
  | 'CARD_LIMIT_REACHED'
  /** The bank holds another holder name or ID number for this card. */
  | 'BANK_HOLDER_MISMATCH'
  /** The phone is not the one reserved at the bank for this card. */
  | 'BANK_PHONE_MISMATCH'
  /** The bank has frozen this card. */
  | 'CARD_FROZEN'
  /** The card was closed (销户) at the bank. */
  | 'CARD_CLOSED'
  /** The bank refused without a reason it shares. */
  | 'CARD_DECLINED'
  /** The bank did not answer in time; nothing was done, try again later. */
  | 'BANK_UNAVAILABLE'
  /** The card binding was not confirmed in time: start again. */
  | 'BINDING_EXPIRED'
  // QR codes (function `qrcode`) and merchant orders.
  /** The scanned content is not a code of this bank at all (another app's QR, a web link, plain text). */
  | 'QR_NOT_RECOGNIZED'
  /** Looks like one of our codes but is damaged or cut short: it cannot be read. */
  | 'QR_MALFORMED'
  /** Made by a newer version of the app: update the mini program. */
  | 'QR_VERSION_UNSUPPORTED'
  /** The signature does not match: the code was altered, or it was not issued by this bank. */
  | 'QR_SIGNATURE_INVALID'
  /** The receive code's validity is over: the payee shows a fresh one. */
  | 'QR_EXPIRED'
  /** The receive code was revoked, or its card unbound (details.reason: revoked | cardUnbound). */
  | 'QR_REVOKED'
  /** A code of another kind than the action takes (a merchant order where a receive code is expected…). */
  | 'QR_WRONG_KIND'
  /** The caller scanned their own receive code. */
  | 'QR_OWN_CODE'
  /** The merchant order's time to pay is over: the merchant issues a new one. */
  | 'ORDER_EXPIRED'
  /** The order was paid already (by this user or another): it is never paid twice. */
  | 'ORDER_ALREADY_PAID'
  // Wallet (function `ledger`).
  /** Top-up and withdrawal work with debit cards (储蓄卡) only, as in WeChat Pay: not with a credit card. */
  | 'DEBIT_CARD_REQUIRED'
  /** The payee card is a credit card: paying into it is 信用卡还款, a separate service, not a transfer. */
  | 'CREDIT_CARD_REPAYMENT_UNSUPPORTED'
  // Bank cards, continued.
  /**
   * The card check did not pass, reason withheld: every refusal once a day's first few have told
   * theirs, and an ID number the bank confirms that is another account's real name — so no answer
   * tells a reserved phone or whether someone is a customer.
   */
  | 'CARD_VERIFICATION_FAILED'
  // Merchant orders, again (function `qrcode`).
  /** The merchant issued this order again (a new amount or code): only the latest code pays. */
  | 'ORDER_SUPERSEDED';
