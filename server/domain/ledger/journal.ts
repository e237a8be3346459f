/**
 * The journal: immutable entries of postings that sum to zero. Appending an entry writes the entry,
 * one posting document per line (so each account's postings can be summed), and the new balance of
 * every wallet it touches — all inside the caller's transaction, all by document id.
 */
import type { DocumentOps } from '../ports/store';
import type { Collections, JournalEntryDoc, WalletDoc } from '../collections';
import { AppError } from '../errors';
import { isWalletAccount } from './accounts';

export interface Posting {
  accountId: string;
  /** Positive credits the account, negative debits it. */
  amountFen: number;
}

export type EntryKind =
  | 'topup'
  | 'withdraw.hold'
  | 'withdraw.post'
  | 'withdraw.void'
  | 'transfer.hold'
  | 'transfer.post'
  | 'transfer.void'
  | 'payment';

export interface NewEntry {
  /** Deterministic (derived from the operation), so the same step can never be booked twice. */
  id: string;
  kind: EntryKind;
  /** The wallet transaction this entry belongs to. */
  operationId: string;
  userId: string | null;
  postings: readonly Posting[];
}

/** The entry that moved a withdrawal's or transfer's amount + fee from the wallet to transit. */
export function holdEntryId(operationId: string): string {
  return `${operationId}:hold`;
}

export function assertBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new Error('an entry needs at least two postings');
  let sum = 0;
  for (const posting of postings) {
    if (!Number.isSafeInteger(posting.amountFen) || posting.amountFen === 0) {
      throw new Error(`posting amounts are non-zero integer fen, got ${posting.amountFen}`);
    }
    sum += posting.amountFen;
  }
  if (sum !== 0) throw new Error(`entry postings sum to ${sum}, not 0`);
}

/**
 * Appends an entry. Throws INSUFFICIENT_FUNDS (and the transaction rolls back) if a wallet would go
 * negative; a DocumentExistsError if this entry id was booked already.
 */
export async function appendEntry(tx: DocumentOps<Collections>, entry: NewEntry, now: number): Promise<void> {
  assertBalanced(entry.postings);
  const walletDeltas = new Map<string, number>();
  for (const posting of entry.postings) {
    if (isWalletAccount(posting.accountId)) {
      walletDeltas.set(posting.accountId, (walletDeltas.get(posting.accountId) ?? 0) + posting.amountFen);
    }
  }
  for (const [accountId, delta] of walletDeltas) {
    const wallet = await tx.get('wallets', accountId);
    const balanceFen = (wallet?.balanceFen ?? 0) + delta;
    if (balanceFen < 0) throw new AppError('INSUFFICIENT_FUNDS');
    if (wallet) await tx.update('wallets', accountId, { balanceFen, updatedAt: now });
    else {
      const created: WalletDoc = {
        id: accountId,
        userId: accountId.slice('wallet:'.length),
        balanceFen,
        createdAt: now,
        updatedAt: now,
      };
      await tx.create('wallets', created);
    }
  }
  const doc: JournalEntryDoc = {
    id: entry.id,
    kind: entry.kind,
    operationId: entry.operationId,
    userId: entry.userId,
    postings: entry.postings.map((p) => ({ accountId: p.accountId, amountFen: p.amountFen })),
    createdAt: now,
  };
  await tx.create('journalEntries', doc);
  for (const [index, posting] of entry.postings.entries()) {
    await tx.create('postings', {
      id: `${entry.id}#${index}`,
      entryId: entry.id,
      accountId: posting.accountId,
      amountFen: posting.amountFen,
      createdAt: now,
    });
  }
}
