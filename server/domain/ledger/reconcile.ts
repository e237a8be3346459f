/**
 * The full reconciliation check — the daily audit (audit.ts) runs it, and tests after every
 * sequence; `settle` runs the same checks on what is new since its checkpoint (checkpoint.ts):
 *  1. every journal entry's postings sum to zero, and match its posting documents;
 *  2. each wallet's balance document equals the sum of its postings;
 *  3. no wallet is negative;
 *  4. all postings together sum to zero;
 *  5. transit holds exactly the holds of the PROCESSING withdrawals and transfers (each has one);
 *  6. each house account is on its allowed side of zero.
 * 5 and 6 see money that came from nowhere, which 1–4 cannot: a balanced entry that takes from
 * transit more than was held keeps every sum right. It reads page by page, so it works on any
 * size of journal; it reports, it never repairs. It is not a snapshot: run while operations are
 * booked or resolved, 2 and 5 may report a movement caught half-way, gone on the next run.
 */
import type { JournalEntryDoc, PostingDoc, WalletDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { HOUSE_ACCOUNTS, HOUSE_ACCOUNT_SIGNS } from './accounts';
import { holdEntryId } from './journal';

export interface ReconciliationBreak {
  check:
    | 'entry_unbalanced'
    | 'entry_postings_mismatch'
    | 'wallet_mismatch'
    | 'wallet_negative'
    | 'total_nonzero'
    | 'transit_mismatch'
    | 'hold_missing'
    | 'house_account_sign'
    /** The daily audit: the running totals kept for incremental checks disagree with the postings. */
    | 'checkpoint_drift';
  subject: string;
  detail: string;
}

export interface ReconciliationReport {
  ok: boolean;
  entries: number;
  wallets: number;
  totalFen: number;
  breaks: ReconciliationBreak[];
}

/** Entries per page; their postings (2–3 each) must fit one 1,000-document query. */
const PAGE = 250;

export async function reconcile(deps: Pick<DomainDeps, 'store'>): Promise<ReconciliationReport> {
  const { store } = deps;
  const breaks: ReconciliationBreak[] = [];
  let entries = 0;
  let cursor = '';
  for (;;) {
    const page = await store.find('journalEntries', {
      where: cursor ? [{ field: 'id', op: '>', value: cursor }] : [],
      orderBy: [['id', 'asc']],
      limit: PAGE,
    });
    await checkEntries(store, page, breaks);
    entries += page.length;
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }

  let wallets = 0;
  cursor = '';
  for (;;) {
    const page = await store.find('wallets', {
      where: cursor ? [{ field: 'id', op: '>', value: cursor }] : [],
      orderBy: [['id', 'asc']],
      limit: PAGE,
    });
    for (const wallet of page) {
      wallets += 1;
      const posted = await store.sum('postings', 'amountFen', [{ field: 'accountId', op: '==', value: wallet.id }]);
      checkWallet(wallet, posted, breaks);
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }

  const totalFen = await store.sum('postings', 'amountFen');
  if (totalFen !== 0) breaks.push({ check: 'total_nonzero', subject: 'all postings', detail: `sum ${totalFen}` });

  const balances = new Map<string, number>();
  for (const { accountId } of HOUSE_ACCOUNT_SIGNS) {
    balances.set(
      accountId,
      await store.sum('postings', 'amountFen', [{ field: 'accountId', op: '==', value: accountId }]),
    );
  }
  await checkHouseAccounts(deps, balances, breaks);
  return { ok: breaks.length === 0, entries, wallets, totalFen, breaks };
}

/**
 * Checks 1 for a page of entries: each sums to zero and matches its posting documents (read in
 * one query). Returns the posting documents, as stored.
 */
export async function checkEntries(
  store: DomainDeps['store'],
  page: readonly JournalEntryDoc[],
  breaks: ReconciliationBreak[],
): Promise<PostingDoc[]> {
  if (page.length === 0) return [];
  const postings = await store.find('postings', {
    where: [{ field: 'entryId', op: 'in', value: page.map((entry) => entry.id) }],
    limit: 1000,
  });
  // grouped by entry
  const stored = new Map<string, string[]>();
  for (const posting of postings) {
    stored.set(posting.entryId, [...(stored.get(posting.entryId) ?? []), `${posting.accountId}:${posting.amountFen}`]);
  }
  for (const entry of page) {
    const sum = entry.postings.reduce((total, posting) => total + posting.amountFen, 0);
    if (sum !== 0) breaks.push({ check: 'entry_unbalanced', subject: entry.id, detail: `sums to ${sum}` });
    const expected = entry.postings.map((p) => `${p.accountId}:${p.amountFen}`).sort();
    const actual = (stored.get(entry.id) ?? []).sort();
    if (expected.join() !== actual.join()) {
      breaks.push({
        check: 'entry_postings_mismatch',
        subject: entry.id,
        detail: `${actual.length} posting documents`,
      });
    }
  }
  return postings;
}

/** Checks 5 and 6, given each house account's balance (sum of its postings). */
export async function checkHouseAccounts(
  deps: Pick<DomainDeps, 'store'>,
  balances: ReadonlyMap<string, number>,
  breaks: ReconciliationBreak[],
): Promise<void> {
  const openHoldsFen = await sumOpenHolds(deps, breaks);
  const transitFen = balances.get(HOUSE_ACCOUNTS.transit) ?? 0;
  if (transitFen !== openHoldsFen) {
    breaks.push({
      check: 'transit_mismatch',
      subject: HOUSE_ACCOUNTS.transit,
      detail: `balance ${transitFen}, open holds ${openHoldsFen}`,
    });
  }
  for (const { accountId, sign } of HOUSE_ACCOUNT_SIGNS) {
    const balanceFen = balances.get(accountId) ?? 0;
    if (sign === 'atMostZero' ? balanceFen > 0 : balanceFen < 0) {
      breaks.push({
        check: 'house_account_sign',
        subject: accountId,
        detail: `balance ${balanceFen}, must be ${sign === 'atMostZero' ? '≤' : '≥'} 0`,
      });
    }
  }
}

/** Checks 2 and 3 for one wallet, given the sum of its postings. */
export function checkWallet(wallet: WalletDoc, postedFen: number, breaks: ReconciliationBreak[]): void {
  if (postedFen !== wallet.balanceFen) {
    breaks.push({
      check: 'wallet_mismatch',
      subject: wallet.id,
      detail: `balance ${wallet.balanceFen}, postings ${postedFen}`,
    });
  }
  if (wallet.balanceFen < 0)
    breaks.push({ check: 'wallet_negative', subject: wallet.id, detail: `${wallet.balanceFen}` });
}

/** What a hold entry put into transit. */
function transitFenOf(entry: JournalEntryDoc): number {
  return entry.postings
    .filter((posting) => posting.accountId === HOUSE_ACCOUNTS.transit)
    .reduce((total, posting) => total + posting.amountFen, 0);
}

/**
 * What the holds of the PROCESSING withdrawals and transfers put into transit, a page of
 * operations and one query for their hold entries at a time; one without its hold is a break.
 */
async function sumOpenHolds(deps: Pick<DomainDeps, 'store'>, breaks: ReconciliationBreak[]): Promise<number> {
  const { store } = deps;
  let openHoldsFen = 0;
  let cursor = '';
  for (;;) {
    const page = await store.find('walletOperations', {
      where: [
        { field: 'status', op: '==', value: 'PROCESSING' },
        ...(cursor ? [{ field: 'id', op: '>', value: cursor } as const] : []),
      ],
      orderBy: [['id', 'asc']],
      limit: PAGE,
    });
    const holding = page.filter((op) => op.type === 'withdraw' || op.type === 'transfer');
    const holds = new Map<string, JournalEntryDoc>();
    if (holding.length > 0) {
      const found = await store.find('journalEntries', {
        where: [{ field: 'id', op: 'in', value: holding.map((op) => holdEntryId(op.id)) }],
        limit: PAGE,
      });
      for (const entry of found) holds.set(entry.id, entry);
    }
    for (const op of holding) {
      const hold = holds.get(holdEntryId(op.id));
      if (hold) openHoldsFen += transitFenOf(hold);
      else
        breaks.push({ check: 'hold_missing', subject: op.id, detail: `PROCESSING ${op.type} without its hold entry` });
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }
  return openHoldsFen;
}
