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
    /** Single payment of a merchant order from the wallet. */
    maxPaymentFen: 5_000_000,
    /**
     * Transfers to a typed card number that the bank returns as 户名不符, from one payer or to one
     * payee card: past this many in the window (from the first), transfers to a typed card number
     * are refused until it ends — a returned transfer costs nothing, so names could be guessed free.
     */
    /**
     * settle's incremental reconciliation moves its checkpoint only this far behind now: an entry
     * carries the time its transaction began, and a transaction lasts far less than this.
     */
    reconcileLagMs: 2 * 60 * 1000,
    /** Entries one settle run checks at most; a run that is behind catches up over the next ones. */
    reconcileMaxEntriesPerRun: 5_000,
    nameMismatchLimits: {
      perPayer: [{ windowMs: 24 * 60 * 60 * 1000, max: 3 }],
      perPayeeCard: [{ windowMs: 24 * 60 * 60 * 1000, max: 3 }],
    },
  },
  qr: {
    /**
     * What every code's content starts with: a link, so scanning it with WeChat itself opens the
     * mini program (扫普通链接二维码打开小程序, launch option `q`). The `.example` domain is a
     * placeholder: a deployment sets `WXBANK_QR_LINK_BASE` to its own registered prefix (README,
     * "QR links and 小程序码"); it is checked where it is used (domain/qrcode/token.ts `linkBase`).
     */
    linkBase: process.env.WXBANK_QR_LINK_BASE || 'https://wxbank.example/q/',
    /** A receive code (收款码) stays valid this long; the page refreshes it. */
    receiveCodeTtlMs: 24 * 60 * 60 * 1000,
    /** An existing code is shown again only while it has at least this much validity left. */
    receiveCodeReuseMinMs: 60 * 60 * 1000,
    /** A merchant order's payment code, unless the merchant asks for another duration (at most the max). */
    orderTtlMs: 15 * 60 * 1000,
    maxOrderTtlMs: 24 * 60 * 60 * 1000,
    /** Side of the QR image in pixels. */
    imageWidthPx: 480,
  },
  notifications: {
    /**
     * WeChat subscribe-message templates (一次性订阅消息), chosen in the mini program console; their
     * ids and keyword field names come from there. The ids below are the sandbox's placeholders:
     * a deployment replaces them with its own.
     */
    templates: {
      fundChange: {
        templateId: 'sandbox-fund-change',
        title: '资金变动提醒',
        fields: { kind: 'thing1', amount: 'amount2', time: 'time3', note: 'thing4' },
      },
      appointment: {
        templateId: 'sandbox-appointment',
        title: '排队提醒',
        fields: { branch: 'thing1', ticket: 'character_string2', note: 'thing3' },
      },
    },
    /** One-time acceptances are counted up to this many per template. */
    maxRemaining: 50,
    /** A delivery is tried this many times, waiting this long before each retry (settle retries). */
    maxAttempts: 5,
    retryDelaysMs: [60 * 1000, 5 * 60 * 1000, 30 * 60 * 1000, 2 * 60 * 60 * 1000],
    /** A delivery being sent is left alone this long before settle may try it again (a crashed sender). */
    sendingLeaseMs: 2 * 60 * 1000,
    /** The mini program version subscribe messages open: formal | trial | developer. */
    miniprogramState: 'formal',
    /** Message centre page sizes. */
    pageSize: 20,
    maxPageSize: 50,
  },
  realName: {
    /**
     * Minors' rules. Under this age real-name verification is refused (AGE_BELOW_MINIMUM): a person of
     * 16 who lives on their own income has full civil capacity (Civil Code art. 18), younger ones need a
     * guardian, which this mini program does not handle.
     */
    minimumAgeYears: 16,
    /** From this age on a user is an adult; between the two ages the `cards.minor` rules apply. */
    adultAgeYears: 18,
  },
  payPassword: {
    /** Wrong tries in a row before the pay password locks… */
    maxAttempts: 5,
    /** …and for how long. The error says how much of it remains. */
    lockMs: 3 * 60 * 60 * 1000,
    /** A ticket from `verify.verifyPayPassword` stands in for the password once, for one purpose, this long. */
    ticketTtlMs: 5 * 60 * 1000,
  },
  sandbox: {
    /** The sandbox bank settles an accepted transfer or withdrawal this long after receiving it. */
    settleAfterMs: 5 * 1000,
    /** A 'no answer' test card's bank stays silent this long, then answers (success). */
    silentForMs: 10 * 60 * 1000,
    /** The local host runs `settle` this often (CloudBase's timer trigger: every minute). */
    settleTimerMs: 10 * 1000,
  },
  sms: {
    /** A code is valid this long after it is sent… */
    codeTtlMs: 5 * 60 * 1000,
    /** …can be resent to the same phone only after this… */
    resendIntervalMs: 60 * 1000,
    /** …allows this many wrong entries before it is void… */
    maxAttempts: 5,
    /** …and one user sends at most this many codes to one phone per calendar day (China time)… */
    dailyLimitPerUserPhone: 10,
    /** …and one phone receives at most this many from all users together (testers share the sandbox's phone). */
    dailyLimitPerPhone: 50,
  },
  cards: {
    /** Bound cards per user. */
    maxBoundCards: 10,
    /** A started binding (bank checked, SMS sent) must be confirmed within this. */
    bindingTtlMs: 15 * 60 * 1000,
    /** Minors (between realName.minimumAgeYears and adultAgeYears) bind fewer cards, and debit cards only. */
    minor: { maxBoundCards: 3, creditCardsAllowed: false },
    /**
     * The bank's card check (card + holder + reserved phone) answers a guess. Per user, per ID number and
     * per card, in a day: the bank is asked at most `maxChecksPerDay` times (then RATE_LIMITED; enough
     * to bind the most cards a user may have, with a few typos), and only the first
     * `preciseRefusalsPerDay` refusals tell the bank's reason — later ones answer one generic refusal.
     */
    bankChecks: { preciseRefusalsPerDay: 3, maxChecksPerDay: 15 },
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
    /** Messages one user may send: a person types far slower; a script is stopped (server/domain/throttle.ts). */
    sendLimits: [
      { windowMs: 60 * 1000, max: 20 },
      { windowMs: 24 * 60 * 60 * 1000, max: 500 },
    ],
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
      /** Appointments one user may hold on one day (and one seat per slot): seats are for everyone. */
      maxPerUserPerDay: 2,
      /** Bookings and cancellations one user may make: repeated book/cancel cannot hold seats hostage. */
      changeLimits: [
        { windowMs: 60 * 60 * 1000, max: 10 },
        { windowMs: 24 * 60 * 60 * 1000, max: 20 },
      ],
    },
    /** The local host's sandbox queuing machines (server/host/queue-simulator.ts). */
    simulator: {
      intervalMs: 3_000,
      /** Besides the branches with appointments today, this many branches report per tick. */
      branchesPerTick: 100,
    },
  },
} as const;
