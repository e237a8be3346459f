/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';
import type {
  AppointmentStatus,
  BankCode as BranchBankCode,
  CounterService,
  ServiceCode,
} from '../../typings/branches';
import type { BankCode, CardType } from '../../typings/cards';
import type { SensitivePurpose } from '../../typings/verify';
import type {
  BotReply,
  HandoffStatus,
  MessageRole,
  MessageSource,
  QuickQueryDays,
  QuickQueryOffReason,
} from '../../typings/assistant';
import type { SubscribeTemplateKey } from '../../typings/messages';
import type { StaffAccessCounterDoc } from './assistant/staff-access';
import type { QrSceneDoc } from './qrcode/scenes';
import type { MerchantOrderDoc } from './qrcode/orders';
import type { LedgerCheckpointDoc, LedgerTotalDoc } from './ledger/checkpoint';
import type { LedgerAuditDoc } from './ledger/audit';
import type { PendingIdentityDoc } from './users/identity';
import type { RateCounterDoc } from './throttle';

export interface UserDoc {
  id: string;
  level: UserLevel;
  createdAt: number;
  updatedAt: number;
}

/** Maps a WeChat openid to our user id; the doc id is the openid, which makes first sign-in race-free. */
export interface WxAccountDoc {
  id: string;
  userId: string;
  createdAt: number;
  /**
   * The user's verified identity's key (users/identity.ts `identityKey`), copied here when it is
   * verified — it never changes after — so the read that names the caller also names what is keyed
   * on the person (the free withdrawal quota) and a request skips a round trip. Absent before
   * verification, and for accounts verified before it was kept (they read the identity).
   */
  identityKey?: string;
}

/** A user's wallet balance; the only ledger account with a balance document (see ledger/accounts.ts). */
export interface WalletDoc {
  id: string;
  userId: string;
  balanceFen: number;
  createdAt: number;
  updatedAt: number;
}

/** Immutable. Postings sum to zero; each is also stored as a PostingDoc. */
export interface JournalEntryDoc {
  id: string;
  kind: string;
  operationId: string;
  userId: string | null;
  postings: { accountId: string; amountFen: number }[];
  createdAt: number;
}

export interface PostingDoc {
  id: string;
  entryId: string;
  accountId: string;
  amountFen: number;
  createdAt: number;
}

/** Remembers a money-moving request: same user + requestId answers with the same operation. */
export interface IdempotencyKeyDoc {
  id: string;
  userId: string;
  action: string;
  payloadHash: string;
  operationId: string;
  createdAt: number;
}

/**
 * What is kept of a real-name identity, pending or verified (users/identity.ts): the name, the ID
 * number's last four and HMAC fingerprint, and only what the rules need of the birth date.
 */
export interface IdentityFacts {
  name: string;
  /** `**************002X`: the last four only. */
  idNumberMasked: string;
  /** HMAC of the ID number (Secrets 'id-fingerprint'). */
  idFingerprint: string;
  /** For the age shown (by year). */
  birthYear: number;
  /** Epoch ms of the 18th birthday (China midnight) for someone under 18 when submitted, else null: the minors' rules. */
  minorUntil: number | null;
  /** HMACs (Secrets 'birthday-password') of the birthday forms a pay password may not be. */
  birthdayPasswordKeys: string[];
}

/** A verified real-name identity: the bank confirmed it with the user's first card. Doc id = userId. */
export interface IdentityDoc extends IdentityFacts {
  id: string;
  verifiedAt: number;
}

/** Makes an ID number the verified identity of one user only; doc id = `idn_<idFingerprint>`. Created on confirmation. */
export interface IdentityClaimDoc {
  id: string;
  userId: string;
  createdAt: number;
}

/**
 * Doc id = userId. The password's keyed hash with its own salt, and the wrong-try counter.
 *  - `scheme: 'hmac-sha256'`: HMAC-SHA256 under the server's `pay-password` key (derived from
 *    WXBANK_SECRET, never stored) of user id, salt and password — the database alone cannot
 *    confirm a guess, however cheap guessing six digits is.
 *  - no scheme (documents from before): scrypt with `cost`; upgraded at the next right try.
 */
export interface PayPasswordDoc {
  id: string;
  scheme?: 'hmac-sha256';
  hash: string;
  salt: string;
  /** Legacy scrypt documents only. */
  cost?: { N: number; r: number; p: number; keyLength: number };
  failedAttempts: number;
  /** Epoch ms until which the password is locked, or 0. */
  lockedUntil: number;
  /**
   * Credential generation: raised when the password locks or changes, which voids every ticket
   * issued before (each ticket carries the generation it was issued in). Absent = 0.
   */
  generation?: number;
  createdAt: number;
  updatedAt: number;
}

/** A single-use ticket; doc id = SHA-256 of the ticket, so the store never holds a usable one. */
export interface VerifyTicketDoc {
  id: string;
  userId: string;
  purpose: SensitivePurpose;
  /** The pay password's generation when it was issued: a lock or a change since voids it. Absent = 0. */
  generation?: number;
  expiresAt: number;
  usedAt: number | null;
  createdAt: number;
}

/** One SMS code in flight (re-issued on resend). The code itself is kept only as an HMAC. */
export interface SmsChallengeDoc {
  id: string;
  userId: string;
  /** What the code confirms, e.g. `cards.bind`, and the record it confirms. */
  purpose: string;
  subjectId: string;
  /** What the code is for, as the message says it (`绑定尾号1234的中国银行储蓄卡`). */
  about: string;
  /** The subject's own deadline: no resend after it. */
  closesAt: number;
  /** HMAC of the phone (Secrets 'phone-fingerprint'); the number is not stored. */
  phoneKey: string;
  phoneMasked: string;
  codeHash: string;
  sentAt: number;
  expiresAt: number;
  attemptsLeft: number;
  usedAt: number | null;
}

/**
 * SMS codes sent per China calendar day and when the last one went: per phone (doc id
 * `<phoneKey>:<day>`) and per user and phone (`<userId>:<phoneKey>:<day>`).
 */
export interface SmsPhoneDayDoc {
  id: string;
  count: number;
  lastSentAt: number;
}

/** All that is kept of a card number: bank, type, last four, fingerprint, the gateway's token. */
export interface CardParts {
  bankCode: BankCode;
  cardType: CardType;
  lastFour: string;
  /** HMAC of the card number (Secrets 'card-fingerprint'). */
  fingerprint: string;
  /** The bank gateway's token for the card. */
  gatewayToken: string;
  /** The bank's daily quick-payment (debit) limit for the card, as it said at binding; absent on older cards. */
  quickPayDailyLimitFen?: number;
}

/** A bound (or since unbound) card. */
export interface CardDoc extends CardParts {
  id: string;
  userId: string;
  status: 'bound' | 'unbound';
  boundAt: number;
  unboundAt: number | null;
}

/** Doc id = userId: the user's bound cards, updated in the transaction that binds or unbinds (limit, duplicates). */
export interface CardSetDoc {
  id: string;
  cards: { cardId: string; fingerprint: string }[];
  updatedAt: number;
}

/** A card binding between the bank's check and the SMS confirmation. */
export interface CardBindingDoc extends CardParts {
  id: string;
  userId: string;
  /**
   * The identity the bank confirmed with the card (name and ID fingerprint): for a user whose real
   * name is still pending, the confirmation verifies exactly this one. Absent on older bindings.
   * `idFingerprints`: the number's fingerprints under every version of the secret, when there are several.
   */
  holder?: { name: string; idFingerprint: string; idFingerprints?: string[] };
  /** The card's fingerprints under earlier versions of the secret, when there are any (duplicate checks). */
  earlierFingerprints?: string[];
  challengeId: string;
  status: 'pending' | 'bound';
  cardId: string | null;
  expiresAt: number;
  createdAt: number;
}

/**
 * State of the sandbox bank (server/adapters/sandbox/bank.ts): one account per test card, opened
 * on the card's first verification. Doc id = the gateway card token. No card number, ID or phone.
 */
export interface SandboxBankAccountDoc {
  id: string;
  /** Which row of the test-card table (its last four digits and behaviour), for people reading the data. */
  testCard: string;
  /** HMACs (Secrets 'sandbox-bank') of the holder this account was opened for. */
  holderNameKey: string;
  holderIdKey: string;
  balanceFen: number;
  /** How payments touching this card turn out (test-cards.ts PaymentBehaviour); absent = normal. */
  payment?: 'normal' | 'decline' | 'fail_later' | 'no_answer';
  /** The card's daily quick-payment limit (debits), and what was debited on `debitDay` (China day). */
  quickPayDailyLimitFen?: number;
  debitDay?: string;
  debitedOnDayFen?: number;
  openedAt: number;
  updatedAt: number;
}

/** A payment the sandbox bank received, keyed by our reference (the bank's idempotency key). */
export interface SandboxBankPaymentDoc {
  id: string;
  kind: 'debit' | 'credit' | 'transfer';
  /** The sandbox account the money comes from or goes to, when the card has one. */
  accountId: string | null;
  amountFen: number;
  state: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  failure: string | null;
  /** A PENDING payment becomes final (failure set → FAILED, else SUCCEEDED) at this time. */
  settlesAt: number;
  /** Until this time the bank does not answer about it. */
  silentUntil: number;
  receivedAt: number;
  updatedAt: number;
}

/** The sandbox SMS outbox (server/adapters/sandbox/sms.ts), sealed: text encrypted, phone as an HMAC. */
export interface SandboxSmsDoc {
  id: string;
  phoneKey: string;
  /** base64url of iv ‖ tag ‖ AES-256-GCM ciphertext of the text. */
  sealed: string;
  sentAt: number;
}

/** The assistant conversation of one user (doc id = userId): message counter and the handoff state. */
export interface AssistantConversationDoc {
  id: string;
  userId: string;
  /** seq of the last message; messages are `<userId>_<seq>`. */
  lastSeq: number;
  handoff: HandoffStatus;
  handoffReason: 'question' | 'complaint' | null;
  /** When the conversation entered the human queue (null when not queued). */
  queuedAt: number | null;
  updatedAt: number;
}

/** One chat message, stored masked (redact.ts); data-bearing bot answers are stored without the data. */
export interface AssistantMessageDoc {
  id: string;
  userId: string;
  seq: number;
  role: MessageRole;
  text: string;
  source: MessageSource | null;
  reply: BotReply | null;
  createdAt: number;
}

/** 免密查询 of one user (doc id = userId). Valid while offAt is null and now < expiresAt. */
export interface AssistantQuickQueryDoc {
  id: string;
  userId: string;
  days: QuickQueryDays;
  enabledAt: number;
  expiresAt: number;
  offAt: number | null;
  offReason: QuickQueryOffReason | null;
  updatedAt: number;
}

/**
 * One money movement as the user sees it in 交易记录 (top-up, withdrawal, transfer, payment), with
 * the journal entries that booked it. Never a full card number: bank, last four, masked payee.
 */
export interface WalletOperationDoc {
  id: string;
  userId: string;
  type: 'topup' | 'withdraw' | 'transfer' | 'payment';
  status: 'PROCESSING' | 'SUCCEEDED' | 'RETURNED' | 'FAILED';
  amountFen: number;
  feeFen: number;
  /** Withdrawals: the part of the lifetime free quota this one used (given back if it is returned). */
  quotaUsedFen: number;
  /** Withdrawals: whose quota (the real-name identity key). */
  quotaKey: string | null;
  /** Top-up source / withdrawal target. */
  cardId: string | null;
  counterparty: {
    kind: 'card' | 'merchant';
    bankCode: string | null;
    name: string;
    cardType: 'debit' | 'credit' | null;
    lastFour: string | null;
    maskedHolder: string | null;
  };
  speed: 'fast' | 'nextDay' | null;
  failureReason: string | null;
  failureMessage: string | null;
  /** China calendar day the transfer counts against (daily limit), given back if returned. */
  limitDay: string | null;
  entryIds: string[];
  createdAt: number;
  updatedAt: number;
  expectedArrivalAt: number | null;
  resolvedAt: number | null;
  /** settle asks the bank about PROCESSING operations from this time on. */
  nextCheckAt: number;
  /** Payments: the merchant order paid. */
  order?: { merchantId: string; orderNo: string };
  /** Transfers to a typed card number: the payee card's fingerprint, to count 户名不符 returns (ledger/name-guard.ts). */
  payeeCardKey?: string;
}

/** Lifetime free withdrawal quota used, per real-name identity (doc id from the identity key). */
export interface WithdrawQuotaDoc {
  id: string;
  usedFen: number;
  updatedAt: number;
}

/** Transfers per user per China calendar day (doc id `userId:day`), for the daily limit. */
export interface DailyTransferDoc {
  id: string;
  userId: string;
  day: string;
  totalFen: number;
  updatedAt: number;
}

/** Opening hours of one day, in minutes after midnight China time; `close` is exclusive. */
export interface DayHours {
  open: number;
  close: number;
}

/** A bank branch: static facts, changed only by the bank (the seed, in the sandbox). */
export interface BranchDoc {
  id: string;
  bankCode: BranchBankCode;
  cityCode: string;
  name: string;
  address: string;
  /** The branch's public number, e.g. `010-65123456` (not personal data). */
  phone: string;
  /** GCJ-02 as a GeoJSON point, `[lng, lat]`: the shape CloudBase's 2dsphere index reads. */
  location: { type: 'Point'; coordinates: [number, number] };
  /** Monday first, seven entries; null = closed that weekday. */
  week: (DayHours | null)[];
  services: ServiceCode[];
  /** Step-free (无障碍) entrance. */
  accessible: boolean;
  updatedAt: number;
}

/** One counter line as the branch's queuing machine last reported it. */
export interface QueueLineState {
  service: CounterService;
  waiting: number;
  /** Number of the ticket called last today (A018 → 18); null before the first call. */
  lastCalled: number | null;
}

/** Latest queue report of a branch; id = branch id. Written only by the `queueFeed` action. */
export interface BranchQueueDoc {
  id: string;
  /** The China day the report belongs to: ticket numbers restart every day. */
  dayKey: string;
  countersOpen: number;
  lines: QueueLineState[];
  /** The machine's own increasing sequence: an older report arriving late is ignored. */
  seq: number;
  reportedAt: number;
}

/** A branch's queuing machine credential; id = branch id. Only a hash of the secret is kept. */
export interface QueueMachineDoc {
  id: string;
  secretHash: string;
  registeredAt: number;
  /** After a rotation (branches/provision.ts): the replaced secret's hash, accepted until previousValidUntil. */
  previousSecretHash?: string | null;
  previousValidUntil?: number | null;
  rotatedAt?: number;
}

/** Seats of one branch/service/day/slot; id from appointments/slots.ts. Updated only in transactions. */
export interface AppointmentSlotDoc {
  id: string;
  branchId: string;
  service: CounterService;
  dayKey: string;
  startMinute: number;
  capacity: number;
  /** Seat indexes taken (0-based); a seat freed by a cancellation is given out again. */
  taken: number[];
  updatedAt: number;
}

/** One user's booking of one slot; the id is derived from (slot, user), so a slot is booked once per user. */
export interface AppointmentDoc {
  id: string;
  userId: string;
  branchId: string;
  service: CounterService;
  slotId: string;
  dayKey: string;
  startMinute: number;
  startsAt: number;
  endsAt: number;
  seat: number;
  /** `A023`: the service's letter and ticketNumber. */
  ticket: string;
  ticketNumber: number;
  status: AppointmentStatus;
  /** The "your turn is near" message went out (sent once). */
  reminded: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * The upcoming appointments one user holds (id = user id), checked and changed in the booking
 * transaction so the per-user limit holds under concurrent bookings too.
 */
export interface AppointmentHoldsDoc {
  id: string;
  holds: { appointmentId: string; endsAt: number }[];
  updatedAt: number;
}

/** Local-host bookkeeping (what was seeded, sandbox keys); never used by deployed functions. */
export interface SandboxStateDoc {
  id: string;
  /** Version of the thing recorded, e.g. the branch seed's generator version, count and seed. */
  version: string;
  /** A sandbox-only secret (the key the seeded queue machines' secrets derive from). */
  secret: string;
  updatedAt: number;
}

/**
 * The sandbox Notifier's outbox (server/adapters/sandbox/notifier.ts): the WeChat subscribe messages
 * a user's phone would have received.
 */
export interface SandboxNotificationDoc {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  templateId: string;
  /** The template's fields as WeChat would show them (`thing1` → `转账到银行卡`). */
  data: Record<string, string>;
  createdAt: number;
}

/**
 * A receive code (收款码) of one bound card; id `rc_<codeId>`, the code id being what its token
 * carries. Revoked by the user, replaced on refresh; dead too once its card is unbound.
 */
export interface ReceiveCodeDoc {
  id: string;
  userId: string;
  cardId: string;
  status: 'active' | 'revoked';
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A merchant that takes payment codes; its money is the ledger account `merchant:<id>` (a sum of postings). */
export interface MerchantDoc {
  id: string;
  name: string;
  status: 'active' | 'closed';
  createdAt: number;
}

/**
 * The payment of one merchant order, id derived from (merchant, order number) and created in the
 * payment's own transaction: an order is paid at most once, by whoever comes first.
 */
export interface OrderPaymentDoc {
  id: string;
  merchantId: string;
  orderNo: string;
  amountFen: number;
  userId: string;
  operationId: string;
  paidAt: number;
}

/** One message of a user's message centre (消息中心); id from its event key, so an event writes it once. */
export interface MessageDoc {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  read: boolean;
  readAt: number | null;
  createdAt: number;
}

/**
 * A WeChat subscribe message to send for a MessageDoc (same id), written in the same transaction
 * as the message and the event behind it, sent after that commits (transactional outbox). `settle`
 * retries what is still pending.
 */
export interface NotificationOutboxDoc {
  id: string;
  userId: string;
  kind: string;
  template: SubscribeTemplateKey;
  /** By the template's own keys (config `fields`), values already fit for WeChat. */
  data: Record<string, string>;
  link: string | null;
  status: 'pending' | 'sent' | 'skipped' | 'failed';
  attempts: number;
  /** Pending: not tried again before this time (a retry's wait, or a sender's lease). */
  nextAttemptAt: number;
  /** One of the user's subscribe acceptances is set aside for this message (kept across retries). */
  creditHeld: boolean;
  /** The last failure's kind (an error name or WeChat's code), never a message text. */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  doneAt: number | null;
}

/** A user's acceptances of one subscribe template (id `<userId>:<template>`): messages WeChat still allows. */
export interface SubscriptionDoc {
  id: string;
  userId: string;
  template: SubscribeTemplateKey;
  remaining: number;
  updatedAt: number;
}

export interface Collections {
  users: UserDoc;
  wxAccounts: WxAccountDoc;
  wallets: WalletDoc;
  journalEntries: JournalEntryDoc;
  postings: PostingDoc;
  idempotencyKeys: IdempotencyKeyDoc;
  walletOperations: WalletOperationDoc;
  withdrawQuotas: WithdrawQuotaDoc;
  dailyTransfers: DailyTransferDoc;
  identities: IdentityDoc;
  pendingIdentities: PendingIdentityDoc;
  identityClaims: IdentityClaimDoc;
  payPasswords: PayPasswordDoc;
  verifyTickets: VerifyTicketDoc;
  smsChallenges: SmsChallengeDoc;
  smsPhoneDays: SmsPhoneDayDoc;
  cards: CardDoc;
  cardSets: CardSetDoc;
  cardBindings: CardBindingDoc;
  sandboxBankAccounts: SandboxBankAccountDoc;
  sandboxBankPayments: SandboxBankPaymentDoc;
  sandboxSmsOutbox: SandboxSmsDoc;
  assistantConversations: AssistantConversationDoc;
  assistantMessages: AssistantMessageDoc;
  assistantQuickQuery: AssistantQuickQueryDoc;
  sandboxNotifications: SandboxNotificationDoc;
  branches: BranchDoc;
  branchQueues: BranchQueueDoc;
  queueMachines: QueueMachineDoc;
  appointmentSlots: AppointmentSlotDoc;
  appointments: AppointmentDoc;
  appointmentHolds: AppointmentHoldsDoc;
  sandboxState: SandboxStateDoc;
  receiveCodes: ReceiveCodeDoc;
  merchants: MerchantDoc;
  orderPayments: OrderPaymentDoc;
  messages: MessageDoc;
  notificationOutbox: NotificationOutboxDoc;
  subscriptions: SubscriptionDoc;
  staffAccessCounters: StaffAccessCounterDoc;
  qrScenes: QrSceneDoc;
  rateCounters: RateCounterDoc;
  merchantOrders: MerchantOrderDoc;
  ledgerCheckpoints: LedgerCheckpointDoc;
  ledgerTotals: LedgerTotalDoc;
  ledgerAudits: LedgerAuditDoc;
}

export type CollectionName = keyof Collections;

export const COLLECTION_SPECS: Record<CollectionName, CollectionSpec> = {
  users: { indexes: [] },
  wxAccounts: { indexes: [['userId']] },
  wallets: { indexes: [['balanceFen']] },
  journalEntries: { indexes: [['operationId'], ['createdAt']] },
  // entryId: reconcile reads each page of entries' postings by `entryId in [...]`
  postings: { indexes: [['accountId', 'createdAt'], ['entryId']] },
  idempotencyKeys: { indexes: [] },
  walletOperations: {
    indexes: [
      ['userId', 'createdAt'],
      ['userId', 'type', 'createdAt'],
      ['userId', 'status'],
      ['status', 'nextCheckAt'],
    ],
  },
  withdrawQuotas: { indexes: [] },
  dailyTransfers: { indexes: [] },
  identities: { indexes: [] },
  pendingIdentities: { indexes: [] },
  identityClaims: { indexes: [] },
  payPasswords: { indexes: [] },
  verifyTickets: { indexes: [['expiresAt']] },
  smsChallenges: { indexes: [['expiresAt']] },
  smsPhoneDays: { indexes: [] },
  cards: { indexes: [['userId', 'status', 'boundAt']] },
  cardSets: { indexes: [] },
  cardBindings: { indexes: [['expiresAt']] },
  sandboxBankAccounts: { indexes: [] },
  sandboxBankPayments: { indexes: [] },
  sandboxSmsOutbox: { indexes: [['phoneKey', 'sentAt']] },
  assistantConversations: { indexes: [['handoff', 'queuedAt']] },
  assistantMessages: { indexes: [['userId', 'seq']] },
  assistantQuickQuery: { indexes: [] },
  sandboxNotifications: { indexes: [['userId', 'createdAt']] },
  // nearby search goes through the BranchLocator port (SQLite R*Tree / CloudBase 2dsphere on `location`)
  branches: { indexes: [['cityCode']] },
  // fetched by `id in [...]` for a page of branches: ids are indexed by every store already
  branchQueues: { indexes: [] },
  queueMachines: { indexes: [] },
  appointmentSlots: { indexes: [['branchId', 'service', 'dayKey']] },
  appointments: {
    indexes: [
      ['userId', 'startsAt'],
      ['branchId', 'dayKey', 'service', 'status'],
      ['dayKey', 'status'],
    ],
  },
  appointmentHolds: { indexes: [] },
  sandboxState: { indexes: [] },
  receiveCodes: {
    indexes: [
      ['userId', 'cardId', 'status'],
      // the local host's sandbox list of live codes
      ['status', 'createdAt'],
    ],
  },
  merchants: { indexes: [] },
  orderPayments: { indexes: [] },
  messages: {
    indexes: [
      ['userId', 'createdAt'],
      ['userId', 'read'],
    ],
  },
  notificationOutbox: {
    indexes: [
      ['status', 'nextAttemptAt'],
      ['status', 'createdAt'],
    ],
  },
  subscriptions: { indexes: [] },
  staffAccessCounters: { indexes: [] },
  qrScenes: { indexes: [] },
  rateCounters: { indexes: [] },
  merchantOrders: { indexes: [] },
  ledgerCheckpoints: { indexes: [] },
  ledgerTotals: { indexes: [] },
  ledgerAudits: { indexes: [] },
};
