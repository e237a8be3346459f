/**
 * The daily ledger audit: the full reconciliation (reconcile.ts, every entry and every wallet), and
 * a check of the running totals the incremental runs keep (checkpoint.ts) against the postings
 * themselves. `settle` runs it on its first run of each China day (and an operator whenever they
 * like, `settle.audit`); each writes a dated report (`ledgerAudits/<day>`, the day's last run wins),
 * which `settle.auditReports` and the local host's /ledger/audits page show. A drifted total is
 * reported and re-based on the postings: the totals are derived data; the journal is never changed.
 */
import type { LedgerAuditView } from '../../../typings/ledger';
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { chinaDayKey } from '../time';
import { HOUSE_ACCOUNT_SIGNS, merchantAccountId } from './accounts';
import { CHECKPOINT_ID, readCheckpoint, readTotals, type LedgerCheckpointDoc } from './checkpoint';
import { reconcile, type ReconciliationBreak } from './reconcile';

/** One day's audit as stored (`ledgerAudits/<YYYY-MM-DD>`). */
export interface LedgerAuditDoc extends LedgerAuditView {
  id: string;
}

/** Breaks kept in a report; the count says how many there were. */
const MAX_BREAKS_KEPT = 200;
const PAGE = 250;

/** Every ledger account that can hold postings: wallets, merchants, the house accounts. */
async function allAccountIds(store: DomainDeps['store']): Promise<string[]> {
  const ids = new Set<string>(HOUSE_ACCOUNT_SIGNS.map(({ accountId }) => accountId));
  for (const [collection, toAccount] of [
    ['wallets', (id: string) => id],
    ['merchants', merchantAccountId],
    ['ledgerTotals', (id: string) => id],
  ] as const) {
    let cursor = '';
    for (;;) {
      const page = await store.find(collection, {
        where: cursor ? [{ field: 'id', op: '>', value: cursor }] : [],
        orderBy: [['id', 'asc']],
        limit: PAGE,
      });
      for (const doc of page) ids.add(toAccount(doc.id));
      if (page.length < PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
  }
  return [...ids].sort();
}

/** The checkpoint and its totals as of one moment: read again until no incremental run moved it between. */
async function consistentTotals(
  store: DomainDeps['store'],
  accountIds: readonly string[],
): Promise<{ checkpoint: LedgerCheckpointDoc | null; kept: Map<string, number> }> {
  for (;;) {
    const checkpoint = await store.get('ledgerCheckpoints', CHECKPOINT_ID);
    const kept = await readTotals(store, accountIds);
    const again = await store.get('ledgerCheckpoints', CHECKPOINT_ID);
    if ((again?.throughAt ?? null) === (checkpoint?.throughAt ?? null)) return { checkpoint, kept };
  }
}

/**
 * Each account's running total against its postings through the checkpoint; a drifted one
 * reported and corrected by the difference (which stays right however far incremental runs have
 * moved the checkpoint since). A first audit builds the totals.
 */
async function auditTotals(
  deps: Pick<DomainDeps, 'store' | 'clock'>,
  breaks: ReconciliationBreak[],
): Promise<{ accounts: number; throughAt: number }> {
  const { store } = deps;
  const accountIds = await allAccountIds(store);
  const { checkpoint, kept } = await consistentTotals(store, accountIds);
  const throughAt = checkpoint?.throughAt ?? deps.clock.now() - CONFIG.ledger.reconcileLagMs;
  const corrections = new Map<string, number>();
  for (const accountId of accountIds) {
    const postedFen = await store.sum('postings', 'amountFen', [
      { field: 'accountId', op: '==', value: accountId },
      { field: 'createdAt', op: '<=', value: throughAt },
    ]);
    const keptFen = kept.get(accountId) ?? 0;
    if (postedFen === keptFen) continue;
    corrections.set(accountId, postedFen - keptFen);
    if (checkpoint) {
      breaks.push({
        check: 'checkpoint_drift',
        subject: accountId,
        detail: `running total ${keptFen}, postings ${postedFen}`,
      });
    }
  }
  const entries = checkpoint
    ? 0
    : await store.count('journalEntries', [{ field: 'createdAt', op: '<=', value: throughAt }]);
  const now = deps.clock.now();
  await store.transaction(async (tx) => {
    const current = await tx.get('ledgerCheckpoints', CHECKPOINT_ID);
    // a first audit that a concurrent run beat to building the checkpoint leaves it to that run
    if (!checkpoint && current) return;
    let correctedFen = 0;
    for (const [id, fen] of corrections) {
      correctedFen += fen;
      const total = await tx.get('ledgerTotals', id);
      await tx.set('ledgerTotals', { id, totalFen: (total?.totalFen ?? 0) + fen, updatedAt: now });
    }
    await tx.set('ledgerCheckpoints', {
      id: CHECKPOINT_ID,
      throughAt: current?.throughAt ?? throughAt,
      entries: current?.entries ?? entries,
      totalFen: (current?.totalFen ?? 0) + correctedFen,
      auditedDay: chinaDayKey(now),
      updatedAt: now,
    });
  });
  return { accounts: accountIds.length, throughAt };
}

/** Runs the full audit now and writes today's report. */
export async function auditLedger(deps: Pick<DomainDeps, 'store' | 'clock' | 'log'>): Promise<LedgerAuditView> {
  const startedAt = deps.clock.now();
  const full = await reconcile(deps);
  const breaks = [...full.breaks];
  const totals = await auditTotals(deps, breaks);
  const finishedAt = deps.clock.now();
  const report: LedgerAuditDoc = {
    id: chinaDayKey(startedAt),
    day: chinaDayKey(startedAt),
    startedAt,
    finishedAt,
    ok: breaks.length === 0,
    entries: full.entries,
    wallets: full.wallets,
    accounts: totals.accounts,
    totalFen: full.totalFen,
    checkpointThroughAt: totals.throughAt,
    breakCount: breaks.length,
    breaks: breaks.slice(0, MAX_BREAKS_KEPT),
  };
  await deps.store.set('ledgerAudits', report);
  if (!report.ok) {
    deps.log.error('ledger.audit_break', { day: report.day, breaks: report.breakCount, first: breaks[0]?.check });
  }
  return auditView(report);
}

/** Runs the audit if today's has not run yet (settle's first run of each China day). */
export async function auditIfDue(deps: Pick<DomainDeps, 'store' | 'clock' | 'log'>): Promise<LedgerAuditView | null> {
  const checkpoint = await readCheckpoint(deps.store);
  return checkpoint.auditedDay === chinaDayKey(deps.clock.now()) ? null : auditLedger(deps);
}

function auditView(doc: LedgerAuditDoc): LedgerAuditView {
  const { id: _id, ...view } = doc;
  return view;
}

/** The latest reports, newest day first. */
export async function auditReports(deps: Pick<DomainDeps, 'store'>, limit: number): Promise<LedgerAuditView[]> {
  const docs = await deps.store.find('ledgerAudits', { orderBy: [['id', 'desc']], limit });
  return docs.map(auditView);
}
