/**
 * What the assistant needs from the rest of the bank, as ports. The assistant's own rules (intents,
 * the pay-password gate, 免密查询, masking, handoff) live in domain/assistant; the facts it reports
 * (balance, entries, cards, transfers, branches) and the pay-password check belong to other modules
 * and reach it only through these interfaces, supplied by the function layer.
 */

export interface BalanceFacts {
  balanceFen: number;
  /** Amount + fee of transfers and withdrawals still in flight. */
  pendingFen: number;
}

export type EntryStatus = 'pending' | 'posted' | 'returned';

export interface EntryFacts {
  id: string;
  /** Shown as is, e.g. `转账到银行卡`, `充值`. */
  title: string;
  /** e.g. `招商银行(1234)`; never a full card number. */
  counterparty: string | null;
  /** Signed: negative leaves the wallet. */
  amountFen: number;
  feeFen: number;
  status: EntryStatus;
  createdAt: number;
}

export interface CardFacts {
  bankName: string;
  cardType: 'debit' | 'credit';
  lastFour: string;
}

export interface TransferStatusFacts {
  reference: string;
  status: EntryStatus;
  amountFen: number;
  feeFen: number;
  /** e.g. `招商银行(1234) *明`. */
  payee: string;
  createdAt: number;
  expectedArrivalAt: number | null;
  /** Why the bank returned it, in Chinese, when status is `returned`. */
  returnReason: string | null;
}

export interface BranchFacts {
  id: string;
  name: string;
  address: string;
  distanceMetres: number;
  openNow: boolean;
  waitingCount: number;
  estimatedWaitMinutes: number;
}

/**
 * The facts behind the data-bearing intents. Every method is called only for the caller's own
 * userId, after the assistant applied its gate. A method throws AppError when its source cannot
 * answer (e.g. FAILED_PRECONDITION when the feature is not available), and the chat says so.
 */
export interface AssistantData {
  balance(userId: string): Promise<BalanceFacts>;
  /** Newest first, at most `count`. */
  recentEntries(userId: string, count: number): Promise<EntryFacts[]>;
  cards(userId: string): Promise<CardFacts[]>;
  /** The transfer with this reference, or the latest one; null when none is the user's. */
  transferStatus(userId: string, reference: string | null): Promise<TransferStatusFacts | null>;
  /** Nearest first (GCJ-02 coordinates). */
  nearestBranches(latitude: number, longitude: number, count: number): Promise<BranchFacts[]>;
}

/**
 * Checks the user's pay password (verification module). Resolves when it is right; throws AppError
 * otherwise (wrong with tries left, locked, not set yet). It counts attempts, so call it once per try.
 */
export type VerifyPayPassword = (userId: string, password: string) => Promise<void>;

/** One guess of a text-understanding service: a knowledge entry id and a confidence 0–1. */
export interface UnderstandingGuess {
  entryId: string;
  confidence: number;
}

/**
 * Optional: an external understanding service (an NLU or LLM endpoint) consulted when the offline
 * matcher is unsure. It may only pick among the knowledge base's entry ids; it never writes answers.
 */
export interface TextUnderstanding {
  guess(text: string, entryIds: readonly string[]): Promise<UnderstandingGuess[]>;
}

export interface AssistantPorts {
  data: AssistantData;
  verifyPayPassword: VerifyPayPassword;
  understanding?: TextUnderstanding;
}
