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
  | 'INTERNAL';
