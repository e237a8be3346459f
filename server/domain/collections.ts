/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';
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

export interface Collections {
  users: UserDoc;
  wxAccounts: WxAccountDoc;
  wallets: WalletDoc;
  journalEntries: JournalEntryDoc;
  postings: PostingDoc;
  idempotencyKeys: IdempotencyKeyDoc;
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
  assistantConversations: { indexes: [['handoff', 'queuedAt']] },
  assistantMessages: { indexes: [['userId', 'seq']] },
  assistantQuickQuery: { indexes: [] },
};
