/**
 * Costs of verification, each next to a baseline measured in the same run:
 *  1. one pay-password check as stored today (a keyed HMAC-SHA256) and as legacy documents still
 *     hold it (scrypt N=2^14, r=8, p=1, re-hashed at their next right try), vs an HMAC fingerprint;
 *  2. cards.detect and verify.verifyPayPassword over HTTP on a local host vs user.session.
 */
import autocannon from 'autocannon';
import { createHmac, randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLogger } from '../server/adapters/system';
import { createLocalApp } from '../server/host/app';
import { listen } from '../server/host/http';

/** The cost legacy documents were hashed with (PayPasswordDoc.cost). */
const LEGACY = { N: 2 ** 14, r: 8, p: 1, keyLength: 32 };

function legacyHashOnce(): Promise<void> {
  return new Promise((resolve, reject) =>
    scrypt('258036', randomBytes(16), LEGACY.keyLength, { ...LEGACY, maxmem: 256 * LEGACY.N * LEGACY.r }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

async function timeEach(count: number, work: () => Promise<void> | void): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await work();
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

async function hashing(): Promise<void> {
  const key = randomBytes(32);
  const hmacMs = await timeEach(20_000, () => void createHmac('sha256', key).update('6222020000000000018').digest());
  const keyedMs = await timeEach(
    20_000,
    () => void createHmac('sha256', key).update('u_0123456789abcdef\u0000c2FsdHNhbHRzYWx0c2FsdA\u0000258036').digest(),
  );
  const scryptMs = await timeEach(20, legacyHashOnce);
  console.log(`HMAC-SHA256 fingerprint (baseline): ${(hmacMs * 1000).toFixed(2)} µs`);
  console.log(
    `pay password, keyed HMAC-SHA256: ${(keyedMs * 1000).toFixed(2)} µs (${(keyedMs / hmacMs).toFixed(2)}× the baseline)`,
  );
  console.log(
    `pay password, legacy scrypt N=2^14 r=8 p=1 (until re-hashed): ${scryptMs.toFixed(1)} ms ` +
      `(${Math.round(scryptMs / hmacMs)}× the baseline)`,
  );
}

async function overHttp(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-'));
  const app = createLocalApp({ dbFile: path.join(dir, 'bench.sqlite'), log: new MemoryLogger() });
  const { port } = await listen(app.server, 0);
  const url = `http://127.0.0.1:${port}`;
  const post = async (fn: string, body: object) =>
    (await fetch(`${url}/fn/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-bench' },
      body: JSON.stringify(body),
    }).then((r) => r.json())) as { ok: boolean };
  await post('user', { action: 'session' });
  await post('user', { action: 'verifyRealName', name: '张三', idNumber: '11010519491231002X' });
  await post('verify', { action: 'setPayPassword', payPassword: '258036', confirmPayPassword: '258036' });

  const run = async (label: string, fn: string, body: object) => {
    const result = await autocannon({
      url: `${url}/fn/${fn}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-bench' },
      body: JSON.stringify(body),
      connections: 8,
      duration: 3,
    });
    console.log(
      `${label}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
    );
    return result.requests.average;
  };
  const baseline = await run('user.session (baseline)', 'user', { action: 'session' });
  const detect = await run('cards.detect', 'cards', { action: 'detect', cardNumber: '6222020000000000018' });
  const verify = await run('verify.verifyPayPassword (right password)', 'verify', {
    action: 'verifyPayPassword',
    payPassword: '258036',
    purpose: 'cards.bind',
  });
  console.log(
    `relative to the baseline: detect ${(detect / baseline).toFixed(2)}×, verifyPayPassword ${(verify / baseline).toFixed(2)}×`,
  );
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores`);
  await hashing();
  await overHttp();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
