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
  assistant: {
    /** Human agents are on duty daily between these China-time minutes of the day (07:00–22:00). */
    serviceOpensAtMinute: 7 * 60,
    serviceClosesAtMinute: 22 * 60,
    /** 免密查询 validity choices, in days. */
    quickQueryDays: [1, 30, 90],
    /** Below this matcher confidence the bot offers its top guesses and a person instead of answering. */
    answerConfidence: 0.4,
    /** How many guesses a low-confidence reply offers. */
    guessCount: 3,
    /** Recent entries shown in the chat: default and most. */
    entriesDefaultCount: 5,
    entriesMaxCount: 20,
    /** Branches listed by "nearest branch". */
    nearestBranchCount: 3,
    /** Longest message a user or agent may send (characters). */
    maxMessageLength: 500,
    /** History page size: default and most. */
    historyPageSize: 20,
    historyMaxPageSize: 50,
  },
} as const;
