/**
 * Business rules that are settings rather than code: fees, limits, durations. One file, plain data,
 * read by the domain; changing a number here changes the product.
 */
export const CONFIG = {
  ledger: {
    /** 0.1 % of the amount, rounded half-up to the fen… */
    feeRatePerMille: 1,
    /** …but never less than ¥0.10. */
    minimumFeeFen: 10,
    /** Withdrawals are free up to ¥1,000 in a real-name identity's lifetime; the fee applies to the excess. */
    withdrawFreeQuotaFen: 100_000,
    /** Per transfer to a card, and per user per calendar day (China time). */
    maxTransferFen: 5_000_000,
    dailyTransferLimitFen: 5_000_000,
    /** Single top-up and withdrawal ceilings. */
    maxTopupFen: 5_000_000,
    maxWithdrawFen: 5_000_000,
    /** Expected arrival shown to the user, by speed. */
    arrivalMs: { fast: 2 * 60 * 60 * 1000, nextDay: 24 * 60 * 60 * 1000 },
    /** Withdrawals reach the card within this (shown as the expected time). */
    withdrawArrivalMs: 2 * 60 * 60 * 1000,
  },
} as const;
