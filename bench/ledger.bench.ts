/**
 * The ledger's throughput, each figure next to a baseline measured in the same run:
 *  (a) baseline: a minimal SQLite transaction — one row inserted, two balances updated — per
 *      second, on a file with the same pragmas as the store (WAL, synchronous=NORMAL);
 *  (b) transferToCard + settle through the domain on SQLite (sandbox bank, tickets issued
 *      beforehand so the pay-password check is not what is measured — verify.bench.ts measures that), and the
 *      ratio (b)/(a);
 * The same functions over HTTP are http.bench.ts's (the host in its own process, autocannon in another).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG } from '../server/config';
import { MemoryLogger } from '../server/adapters/system';
import { transferToCard } from '../server/domain/ledger/operations';
import { settle } from '../server/domain/ledger/settle';
import { issueTicket } from '../server/domain/verify/authorize';
import { createLocalApp } from '../server/host/app';
import { listen } from '../server/host/http';
import { hostClient, type HostClient } from '../test/helpers/host';
import { ALICE } from '../test/helpers/verification';
import { fundedUser } from './lib/funded-user';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-ledger-'));
const PASSWORD = ALICE.payPassword;
const PAYEE = '6217000000000000160';

function rawBaseline(seconds: number): number {
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE accounts (id TEXT PRIMARY KEY, balance INTEGER NOT NULL)');
  db.exec('CREATE TABLE transfers (id INTEGER PRIMARY KEY, source TEXT, target TEXT, amount INTEGER)');
  db.prepare('INSERT INTO accounts VALUES (?, ?), (?, ?)').run('a', 1e12, 'b', 0);
  const insert = db.prepare('INSERT INTO transfers (source, target, amount) VALUES (?, ?, ?)');
  const debit = db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ?');
  const credit = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?');
  const transfer = db.transaction((amount: number) => {
    insert.run('a', 'b', amount);
    debit.run(amount, 'a');
    credit.run(amount, 'b');
  });
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    for (let i = 0; i < 100; i++) transfer.immediate(1 + (count % 100));
    count += 100;
  }
  db.close();
  return count / seconds;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores`);
  const baseline = rawBaseline(3);
  console.log(`(a) baseline: minimal SQLite transaction (1 insert + 2 balance updates): ${baseline.toFixed(0)} tx/s`);

  let now = Date.now();
  const clock = { now: () => now };
  const app = createLocalApp({ dbFile: path.join(dir, 'ledger.sqlite'), clock, log: new MemoryLogger() });
  const { port } = await listen(app.server, 0);
  const url = `http://127.0.0.1:${port}`;
  const host: HostClient = { ...hostClient(url), clock: { advance: (ms) => void (now += ms) } };
  await fundedUser(host, 'o-bench-domain', '11010519491231002X', '6222020000000000018', 100_000);

  // (b) tickets first (not timed), then the ledger path alone.
  const count = 800;
  const caller = { openid: 'o-bench-domain' };
  const tickets: string[] = [];
  for (let i = 0; i < count; i += 40) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(40, count - i) }, () =>
        issueTicket(app.deps, caller, { payPassword: PASSWORD, purpose: 'ledger.transfer' }),
      ),
    );
    tickets.push(...batch.map((t) => t.ticket));
  }
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    await transferToCard(app.deps, caller, {
      requestId: `bench-domain-${i}`,
      payeeName: '王小明',
      cardNumber: PAYEE,
      amountFen: 1_000 + (i % 500),
      speed: 'fast',
      ticket: tickets[i]!,
    });
  }
  const submittedMs = Number(process.hrtime.bigint() - started) / 1e6;
  now += CONFIG.sandbox.settleAfterMs + 1;
  const settleStarted = process.hrtime.bigint();
  let pending = count;
  let reconciled = true;
  while (pending > 0) {
    const report = await settle(app.deps);
    pending = report.stillPending;
    reconciled &&= report.reconciliation.ok;
  }
  const settleMs = Number(process.hrtime.bigint() - settleStarted) / 1e6;
  const ledgerPerSecond = count / ((submittedMs + settleMs) / 1000);
  console.log(
    `(b) ledger transferToCard + settle through the domain: ${ledgerPerSecond.toFixed(0)} transfers/s ` +
      `(submit ${(submittedMs / count).toFixed(2)} ms each, settle ${(settleMs / count).toFixed(2)} ms each incl. reconciliation; books reconcile: ${reconciled})`,
  );
  console.log(`    ratio (b)/(a) = ${(ledgerPerSecond / baseline).toFixed(3)} (goal ≥ 0.6)`);

  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
