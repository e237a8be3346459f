/**
 * settle's reconciliation as the journal grows: the same new work (a batch of fresh entries since
 * the checkpoint) reconciled on a journal of 1× and of 10× the entries. The incremental run
 * (checkpoint.ts) should cost the same on both — goal: the 10× figure within 1.5× of the 1× one.
 * The full check (reconcile.ts, what every settle run did before, now the daily audit) is timed
 * beside it, to show what grows with history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG } from '../server/config';
import { MemoryLogger } from '../server/adapters/system';
import { HOUSE_ACCOUNTS, walletAccountId } from '../server/domain/ledger/accounts';
import { auditLedger } from '../server/domain/ledger/audit';
import { reconcileIncrementally } from '../server/domain/ledger/checkpoint';
import { appendEntry } from '../server/domain/ledger/journal';
import { reconcile } from '../server/domain/ledger/reconcile';
import { createLocalApp } from '../server/host/app';

const BASE_ENTRIES = 5_000;
const WALLETS = 500;
const NEW_PER_RUN = 50;
const RUNS = 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Figures {
  entries: number;
  incrementalMs: number;
  fullMs: number;
  auditMs: number;
}

async function measure(entries: number): Promise<Figures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-reconcile-'));
  let now = Date.UTC(2026, 11, 7, 2, 0);
  const app = createLocalApp({
    dbFile: path.join(dir, 'ledger.sqlite'),
    clock: { now: () => now },
    log: new MemoryLogger(),
  });
  const { store } = app.deps;
  let booked = 0;
  /** `count` top-ups, spread over the wallets, one millisecond each. */
  const book = async (count: number) => {
    for (let start = 0; start < count; start += 1_000) {
      await store.transaction(async (tx) => {
        for (let i = start; i < Math.min(count, start + 1_000); i++, booked++) {
          now += 1;
          const amountFen = 100 + (booked % 900);
          await appendEntry(
            tx,
            {
              id: `bench-${String(booked).padStart(8, '0')}`,
              kind: 'topup',
              operationId: `bench-op-${booked}`,
              userId: null,
              postings: [
                { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -amountFen },
                { accountId: walletAccountId(`u_bench_${booked % WALLETS}`), amountFen },
              ],
            },
            now,
          );
        }
      });
    }
  };
  await book(entries);
  now += CONFIG.ledger.reconcileLagMs + 1;
  const auditStart = performance.now();
  const audit = await auditLedger(app.deps);
  const auditMs = performance.now() - auditStart;
  if (!audit.ok) throw new Error(`the bench's own ledger does not audit clean: ${audit.breaks[0]?.check}`);

  const incremental: number[] = [];
  const full: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await book(NEW_PER_RUN);
    now += CONFIG.ledger.reconcileLagMs + 1;
    let started = performance.now();
    const report = await reconcileIncrementally(app.deps);
    incremental.push(performance.now() - started);
    if (!report.ok || report.entries !== NEW_PER_RUN) throw new Error(`incremental run: ${JSON.stringify(report)}`);
    if (run < 3) {
      started = performance.now();
      await reconcile(app.deps);
      full.push(performance.now() - started);
    }
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return { entries, incrementalMs: median(incremental), fullMs: median(full), auditMs };
}

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${os.cpus().length} cores; ${NEW_PER_RUN} new entries per run, ${WALLETS} wallets`,
  );
  const one = await measure(BASE_ENTRIES);
  const ten = await measure(BASE_ENTRIES * 10);
  console.log('journal entries   incremental run (median)   full check (before)   daily audit');
  for (const f of [one, ten]) {
    console.log(
      `${String(f.entries).padStart(15)}   ${f.incrementalMs.toFixed(1).padStart(20)} ms   ${f.fullMs.toFixed(0).padStart(15)} ms   ${f.auditMs.toFixed(0).padStart(8)} ms`,
    );
  }
  const ratio = ten.incrementalMs / one.incrementalMs;
  console.log(
    `incremental at 10× the journal: ${ratio.toFixed(2)}× the 1× figure (goal ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}); the full check: ${(ten.fullMs / one.fullMs).toFixed(1)}×`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
