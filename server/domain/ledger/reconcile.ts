/**
 * The reconciliation check `settle` runs after every pass, and tests run after every sequence:
 *  1. every journal entry's postings sum to zero, and match its posting documents;
 *  2. each wallet's balance document equals the sum of its postings;
 *  3. no wallet is negative;
 *  4. all postings together sum to zero.
 * It reads page by page, so it works on any size of journal; it reports, it never repairs.
 */
import type { DomainDeps } from '../deps';

export interface ReconciliationBreak {
  check: 'entry_unbalanced' | 'entry_postings_mismatch' | 'wallet_mismatch' | 'wallet_negative' | 'total_nonzero';
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
    // The page's posting documents in one query, grouped by entry.
    const stored = new Map<string, string[]>();
    const postings = await store.find('postings', {
      where: [{ field: 'entryId', op: 'in', value: page.map((entry) => entry.id) }],
      limit: 1000,
    });
    for (const posting of postings) {
      stored.set(posting.entryId, [
        ...(stored.get(posting.entryId) ?? []),
        `${posting.accountId}:${posting.amountFen}`,
      ]);
    }
    for (const entry of page) {
      entries += 1;
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
      if (posted !== wallet.balanceFen) {
        breaks.push({
          check: 'wallet_mismatch',
          subject: wallet.id,
          detail: `balance ${wallet.balanceFen}, postings ${posted}`,
        });
      }
      if (wallet.balanceFen < 0)
        breaks.push({ check: 'wallet_negative', subject: wallet.id, detail: `${wallet.balanceFen}` });
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }

  const totalFen = await store.sum('postings', 'amountFen');
  if (totalFen !== 0) breaks.push({ check: 'total_nonzero', subject: 'all postings', detail: `sum ${totalFen}` });
  return { ok: breaks.length === 0, entries, wallets, totalFen, breaks };
}
