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
  branches: {
    nearby: {
      /** Search radius when the caller names none, and the widest allowed. */
      defaultRadiusM: 5_000,
      maxRadiusM: 50_000,
      defaultPageSize: 20,
      maxPageSize: 50,
    },
    queue: {
      /** Minutes one ticket takes at one counter: estimated wait = waiting × this ÷ counters open. */
      averageServiceMinutes: 6,
      /** A queue report older than this is not shown (the machine is offline). */
      staleAfterMs: 30 * 60 * 1000,
      /** The reminder goes out when this many tickets or fewer are ahead of an appointment. */
      reminderWhenAhead: 3,
    },
    appointments: {
      slotMinutes: 30,
      /** Seats per branch, service and slot. */
      slotCapacity: 4,
      /** Today and the following days: 7 means a week ahead. */
      bookableDays: 7,
      /** Upcoming appointments one user may hold at once. */
      maxUpcomingPerUser: 5,
    },
    /** The local host's sandbox queuing machines (server/host/queue-simulator.ts). */
    simulator: {
      intervalMs: 3_000,
      /** Besides the branches with appointments today, this many branches report per tick. */
      branchesPerTick: 100,
    },
  },
} as const;
