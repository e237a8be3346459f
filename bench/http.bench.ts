/**
 * The local host over HTTP, next to a bare baseline measured in the same run. Each server runs in
 * its own process and autocannon in this one, so the load generator never shares the event loop it
 * measures:
 *  - baseline: plain `node:http` + better-sqlite3, one row read per POST, a small JSON answer;
 *  - the host (`server/host/main.ts`, as `npm start` runs it: demo seed, settle timer, queue
 *    simulator): user.session, ledger.summary, ledger.history, branches.nearby, and
 *    ledger.transferToCard confirmed by the pay password (a new requestId each).
 * 50 connections, 5 s each. Ratios are against the baseline; goals are issue #14's.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnHost } from '../test/helpers/processes';
import { hostClient, type HostClient } from '../test/helpers/host';
import { ALICE } from '../test/helpers/verification';
import { fundedUser } from './lib/funded-user';

const CONNECTIONS = 50;
const SECONDS = 5;
const OPENID = 'o-bench-http';
const PAYEE = '6217000000000000160';

/** The baseline server, run as `node <this bundle> baseline <dbFile>`: answers each POST from one SQLite read. */
function serveBaseline(dbFile: string): void {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE IF NOT EXISTS wallets (id TEXT PRIMARY KEY, balance_fen INTEGER NOT NULL)');
  db.prepare('INSERT OR REPLACE INTO wallets VALUES (?, ?)').run(OPENID, 500_000);
  const read = db.prepare<[string], { balance_fen: number }>('SELECT balance_fen FROM wallets WHERE id = ?');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const row = read.get(OPENID);
      const body = JSON.stringify({ ok: true, data: { balanceFen: row?.balance_fen ?? 0 } });
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') console.log(`ready on http://127.0.0.1:${address.port}`);
  });
}

async function spawnBaseline(dbFile: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [__filename, 'baseline', dbFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /ready on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`baseline server exited (${code})`)));
  });
  return { url, stop: () => void child.kill('SIGTERM') };
}

interface Figure {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

async function load(label: string, url: string, body: () => object, openid?: string): Promise<Figure> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (openid) headers['X-WX-OPENID'] = openid;
  let failures = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: JSON.stringify(body()) }),
        onResponse: (_status, responseBody) => {
          if (!String(responseBody).startsWith('{"ok":true')) failures++;
        },
      },
    ],
  });
  return {
    label,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: failures + result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores; ${CONNECTIONS} connections, ${SECONDS} s each`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-http-'));
  const figures: Figure[] = [];
  const baselineServer = await spawnBaseline(path.join(dir, 'baseline.sqlite'));
  try {
    figures.push(await load('baseline: node:http + 1 SQLite read', baselineServer.url, () => ({ action: 'read' })));
  } finally {
    baselineServer.stop();
  }

  const hostProcess = await spawnHost(path.join(dir, 'host.sqlite'));
  try {
    const host: HostClient = { ...hostClient(hostProcess.url), clock: { advance: () => undefined } };
    await fundedUser(host, OPENID, ALICE.idNumber, '6222020000000000018', 100_000);
    const fn = (name: string) => `${hostProcess.url}/fn/${name}`;
    figures.push(await load('user.session', fn('user'), () => ({ action: 'session' }), OPENID));
    figures.push(await load('ledger.summary', fn('ledger'), () => ({ action: 'summary' }), OPENID));
    figures.push(await load('ledger.history', fn('ledger'), () => ({ action: 'history', limit: 20 }), OPENID));
    figures.push(
      await load('branches.nearby', fn('branches'), () => ({ action: 'nearby', lat: 31.2304, lng: 121.4737 }), OPENID),
    );
    let transfers = 0;
    figures.push(
      await load(
        'ledger.transferToCard (pay password)',
        fn('ledger'),
        () => ({
          action: 'transferToCard',
          requestId: `bench-http-transfer-${transfers++}`,
          payeeName: '王小明',
          cardNumber: PAYEE,
          amountFen: 100,
          speed: 'fast',
          payPassword: ALICE.payPassword,
        }),
        OPENID,
      ),
    );
  } finally {
    await hostProcess.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const baseline = figures[0]!;
  const summary = figures.find((figure) => figure.label === 'ledger.summary')!;
  console.log(
    `\n${'what'.padEnd(40)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  ratio  failed`,
  );
  for (const figure of figures) {
    console.log(
      `${figure.label.padEnd(40)} ${figure.perSecond.toFixed(0).padStart(8)} ${String(figure.p50).padStart(7)} ` +
        `${String(figure.p99).padStart(7)}  ${(figure.perSecond / baseline.perSecond).toFixed(2).padStart(5)}  ${figure.failures}`,
    );
  }
  const transfer = figures.at(-1)!;
  const session = figures.find((figure) => figure.label === 'user.session')!;
  console.log(
    `\ngoals: ledger.summary ≥ 0.5× baseline and p99 < 25 ms → ${(summary.perSecond / baseline.perSecond).toFixed(2)}×, p99 ${summary.p99} ms; ` +
      `user.session ≥ 0.6× → ${(session.perSecond / baseline.perSecond).toFixed(2)}×; ` +
      `transferToCard ≥ 0.5× of ledger.summary and p99 < 100 ms → ${(transfer.perSecond / summary.perSecond).toFixed(2)}×, p99 ${transfer.p99} ms`,
  );
}

if (process.argv[2] === 'baseline') {
  serveBaseline(process.argv[3]!);
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
