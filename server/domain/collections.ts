/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';
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

/** A user's real-name identity; doc id = userId. The ID number is kept masked and as a fingerprint only. */
export interface IdentityDoc {
  id: string;
  name: string;
  idNumberMasked: string;
  /** HMAC of the ID number (Secrets 'id-fingerprint'). */
  idFingerprint: string;
  /** `YYYYMMDD`: for the age (minors' rules) and to refuse birthday pay passwords. */
  birthDate: string;
  verifiedAt: number;
}

/** Makes an ID number the identity of one user only; doc id = `idn_<idFingerprint>`. */
export interface IdentityClaimDoc {
  id: string;
  userId: string;
  createdAt: number;
}

/** Doc id = userId. scrypt hash with its own salt and cost, and the wrong-try counter. */
export interface PayPasswordDoc {
  id: string;
  hash: string;
  salt: string;
  cost: { N: number; r: number; p: number; keyLength: number };
  failedAttempts: number;
  /** Epoch ms until which the password is locked, or 0. */
  lockedUntil: number;
  createdAt: number;
  updatedAt: number;
}

/** A single-use ticket; doc id = SHA-256 of the ticket, so the store never holds a usable one. */
export interface VerifyTicketDoc {
  id: string;
  userId: string;
  purpose: SensitivePurpose;
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

/** Per phone and China calendar day: codes sent and when the last one went. Doc id = `<phoneKey>:<day>`. */
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
}

export type CollectionName = keyof Collections;

export const COLLECTION_SPECS: Record<CollectionName, CollectionSpec> = {
  users: { indexes: [] },
  wxAccounts: { indexes: [['userId']] },
  wallets: { indexes: [['balanceFen']] },
  journalEntries: { indexes: [['operationId'], ['createdAt']] },
  postings: { indexes: [['accountId', 'createdAt']] },
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
};
