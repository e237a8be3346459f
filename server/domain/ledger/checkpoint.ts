/**
 * Incremental reconciliation: what `settle` checks on every run, at a cost that grows with what is
 * new, not with the journal's history. A checkpoint keeps each ledger account's sum of postings
 * through a moment (`throughAt`); each run
 *  1. reads the entries booked after it (by createdAt) and checks each: it sums to zero and matches
 *     its posting documents;
 *  2. adds their postings to the totals of the accounts they touch, and checks what those totals
 *     now say: each wallet touched against its balance document (and not negative), all postings
 *     together against zero, transit against the open holds, each house account on its side of zero;
 *  3. moves the checkpoint to LAG before now, with the totals of the entries up to there, in one
 *     transaction. An entry carries the time its transaction began, so one still committing may
 *     carry a time already passed: the lag is longer than any transaction lasts.
 * The totals are derived data, checked in turn: the daily audit (audit.ts) recomputes each from the
 * postings, reports a drift (an entry committed later than the lag allows, a posting changed behind
 * the journal's back) and re-bases the total. A wallet whose balance document alone is changed, with
 * no new entry of its own, is found by that audit, not here.
 */
import { CONFIG } from '../../config';
import type { JournalEntryDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { HOUSE_ACCOUNT_SIGNS, isWalletAccount } from './accounts';
import { checkEntries, checkHouseAccounts, checkWallet, type ReconciliationBreak } from './reconcile';

/** The one checkpoint document (`ledgerCheckpoints/journal`). */
export interface LedgerCheckpointDoc {
  id: string;
  /** The totals hold every entry with createdAt ≤ this. */
  throughAt: number;
  /** How many entries that is. */
  entries: number;
  /** All the totals together: zero while every entry balances. */
  totalFen: number;
  /** The China day of the last full audit. */
  auditedDay: string | null;
  updatedAt: number;
}

/** One account's sum of postings through the checkpoint (`ledgerTotals/<accountId>`). */
export interface LedgerTotalDoc {
  id: string;
  totalFen: number;
  updatedAt: number;
}

export const CHECKPOINT_ID = 'journal';

/** Entries read per query; their postings (2–3 each) fit one 1,000-document query. */
const PAGE = 250;
/** Ids per `in` query. */
const IDS_PER_QUERY = 200;

export interface IncrementalReport {
  ok: boolean;
  mode: 'incremental';
  /** Entries checked in this run (booked since the checkpoint). */
  entries: number;
  /** Wallets checked in this run (touched by those entries). */
  wallets: number;
  /** All postings together, as the totals and the new entries say. */
  totalFen: number;
  breaks: ReconciliationBreak[];
  /** The checkpoint after this run. */
  throughAt: number;
  /** False when more was new than one run reads: the balance checks wait for a run that catches up. */
  caughtUp: boolean;
}

/** `items` in slices of `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * The entries booked after `afterAt`, oldest first, at most about `cap` of them: a run stops only
 * between two milliseconds, so every entry of the last millisecond read is included.
 */
async function entriesAfter(
  store: DomainDeps['store'],
  afterAt: number,
  cap: number,
): Promise<{ entries: JournalEntryDoc[]; complete: boolean }> {
  const entries: JournalEntryDoc[] = [];
  let from = afterAt;
  for (;;) {
    const page = await store.find('journalEntries', {
      where: [{ field: 'createdAt', op: '>', value: from }],
      orderBy: [
        ['createdAt', 'asc'],
        ['id', 'asc'],
      ],
      limit: PAGE,
    });
    if (page.length < PAGE) {
      entries.push(...page);
      return { entries, complete: true };
    }
    // The page may end inside a millisecond: keep what is before it, then read that millisecond whole.
    const lastAt = page[page.length - 1]!.createdAt;
    entries.push(...page.filter((entry) => entry.createdAt < lastAt));
    let afterId = '';
    for (;;) {
      const same = await store.find('journalEntries', {
        where: [
          { field: 'createdAt', op: '==', value: lastAt },
          ...(afterId ? [{ field: 'id' as const, op: '>' as const, value: afterId }] : []),
        ],
        orderBy: [['id', 'asc']],
        limit: PAGE,
      });
      entries.push(...same);
      if (same.length < PAGE) break;
      afterId = same[same.length - 1]!.id;
    }
    from = lastAt;
    if (entries.length >= cap) return { entries, complete: false };
  }
}

export async function readCheckpoint(store: DomainDeps['store']): Promise<LedgerCheckpointDoc> {
  return (
    (await store.get('ledgerCheckpoints', CHECKPOINT_ID)) ?? {
      id: CHECKPOINT_ID,
      throughAt: 0,
      entries: 0,
      totalFen: 0,
      auditedDay: null,
      updatedAt: 0,
    }
  );
}

/** The totals kept for `accountIds` (0 for an account without one). */
export async function readTotals(
  store: DomainDeps['store'],
  accountIds: readonly string[],
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const ids of slices(accountIds, IDS_PER_QUERY)) {
    const docs = await store.find('ledgerTotals', {
      where: [{ field: 'id', op: 'in', value: ids }],
      limit: ids.length,
    });
    for (const doc of docs) totals.set(doc.id, doc.totalFen);
  }
  return totals;
}

const add = (map: Map<string, number>, key: string, fen: number) => map.set(key, (map.get(key) ?? 0) + fen);

export async function reconcileIncrementally(deps: Pick<DomainDeps, 'store' | 'clock'>): Promise<IncrementalReport> {
  const { store } = deps;
  const now = deps.clock.now();
  const horizon = now - CONFIG.ledger.reconcileLagMs;
  const checkpoint = await readCheckpoint(store);
  const breaks: ReconciliationBreak[] = [];
  const { entries, complete } = await entriesAfter(
    store,
    checkpoint.throughAt,
    CONFIG.ledger.reconcileMaxEntriesPerRun,
  );

  // What each account moved since the checkpoint: in all, and up to where the checkpoint moves now.
  const sinceCheckpoint = new Map<string, number>();
  const upToNewCheckpoint = new Map<string, number>();
  const lastReadAt = entries.length > 0 ? entries[entries.length - 1]!.createdAt : checkpoint.throughAt;
  const throughAt = Math.max(checkpoint.throughAt, complete ? horizon : Math.min(horizon, lastReadAt));
  let entriesToCheckpoint = 0;
  for (const page of slices(entries, PAGE)) {
    const postings = await checkEntries(store, page, breaks);
    for (const posting of postings) {
      add(sinceCheckpoint, posting.accountId, posting.amountFen);
      if (posting.createdAt <= throughAt) add(upToNewCheckpoint, posting.accountId, posting.amountFen);
    }
    entriesToCheckpoint += page.filter((entry) => entry.createdAt <= throughAt).length;
  }

  const houseIds = HOUSE_ACCOUNT_SIGNS.map(({ accountId }) => accountId);
  const touched = [...new Set([...sinceCheckpoint.keys(), ...houseIds])];
  const kept = await readTotals(store, touched);
  const current = new Map(touched.map((id) => [id, (kept.get(id) ?? 0) + (sinceCheckpoint.get(id) ?? 0)]));
  let movedFen = 0;
  for (const fen of sinceCheckpoint.values()) movedFen += fen;
  const totalFen = checkpoint.totalFen + movedFen;
  let wallets = 0;
  if (complete) {
    // Balances are compared only against every entry up to now; a run that is behind leaves them to the next.
    const walletIds = touched.filter(isWalletAccount);
    for (const ids of slices(walletIds, IDS_PER_QUERY)) {
      const docs = await store.find('wallets', { where: [{ field: 'id', op: 'in', value: ids }], limit: ids.length });
      for (const wallet of docs) checkWallet(wallet, current.get(wallet.id)!, breaks);
      for (const id of ids.filter((walletId) => !docs.some((wallet) => wallet.id === walletId))) {
        breaks.push({
          check: 'wallet_mismatch',
          subject: id,
          detail: `no balance document, postings ${current.get(id)}`,
        });
      }
      wallets += ids.length;
    }
    if (totalFen !== 0) breaks.push({ check: 'total_nonzero', subject: 'all postings', detail: `sum ${totalFen}` });
    await checkHouseAccounts(deps, current, breaks);
  }

  if (throughAt > checkpoint.throughAt)
    await advance(deps, checkpoint, throughAt, upToNewCheckpoint, entriesToCheckpoint);
  return {
    ok: breaks.length === 0,
    mode: 'incremental',
    entries: entries.length,
    wallets,
    totalFen,
    breaks,
    throughAt,
    caughtUp: complete,
  };
}

/**
 * Moves the checkpoint to `throughAt` with the totals of the entries up to there, in one
 * transaction — unless another run moved it first (then that run's totals stand, and these are dropped).
 */
async function advance(
  deps: Pick<DomainDeps, 'store' | 'clock'>,
  from: LedgerCheckpointDoc,
  throughAt: number,
  moved: ReadonlyMap<string, number>,
  entries: number,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const current = await tx.get('ledgerCheckpoints', CHECKPOINT_ID);
    if ((current?.throughAt ?? 0) !== from.throughAt) return;
    let movedFen = 0;
    for (const [accountId, fen] of moved) {
      movedFen += fen;
      const total = await tx.get('ledgerTotals', accountId);
      await tx.set('ledgerTotals', { id: accountId, totalFen: (total?.totalFen ?? 0) + fen, updatedAt: now });
    }
    await tx.set('ledgerCheckpoints', {
      ...(current ?? from),
      throughAt,
      entries: (current?.entries ?? 0) + entries,
      totalFen: (current?.totalFen ?? 0) + movedFen,
      updatedAt: now,
    });
  });
}
