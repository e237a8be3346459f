/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';

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

/** The sandbox Notifier's outbox (server/adapters/sandbox/notifier.ts): what a user would have received. */
export interface SandboxNotificationDoc {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: number;
}

export interface Collections {
  users: UserDoc;
  wxAccounts: WxAccountDoc;
  wallets: WalletDoc;
  journalEntries: JournalEntryDoc;
  postings: PostingDoc;
  idempotencyKeys: IdempotencyKeyDoc;
  sandboxNotifications: SandboxNotificationDoc;
}

export type CollectionName = keyof Collections;

export const COLLECTION_SPECS: Record<CollectionName, CollectionSpec> = {
  users: { indexes: [] },
  wxAccounts: { indexes: [['userId']] },
  wallets: { indexes: [['balanceFen']] },
  journalEntries: { indexes: [['operationId'], ['createdAt']] },
  postings: { indexes: [['accountId', 'createdAt']] },
  idempotencyKeys: { indexes: [] },
  sandboxNotifications: { indexes: [['userId', 'createdAt']] },
};
