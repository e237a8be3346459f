/**
 * Costs of verification, each next to a baseline measured in the same run:
 *  1. one pay-password hash (scrypt at CONFIG cost) vs one HMAC fingerprint, sequential and 4 at a
 *     time (libuv's default thread pool), — what a pay-password try costs the server;
 *  2. cards.detect and verify.verifyPayPassword over HTTP on a local host vs user.session.
 */
import autocannon from 'autocannon';
import { createHmac, randomBytes, scrypt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG } from '../server/config';
import { MemoryLogger } from '../server/adapters/system';
import { createLocalApp } from '../server/host/app';
import { listen } from '../server/host/http';

const { cost, blockSize, parallelization, keyLength } = CONFIG.payPassword.scrypt;

function hashOnce(): Promise<void> {
  return new Promise((resolve, reject) =>
    scrypt(
      '258036',
      randomBytes(16),
      keyLength,
      { N: cost, r: blockSize, p: parallelization, maxmem: 256 * cost * blockSize },
      (error) => (error ? reject(error) : resolve()),
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
  const scryptMs = await timeEach(20, hashOnce);
  const started = Date.now();
  await Promise.all(Array.from({ length: 40 }, hashOnce));
  const parallelPerSecond = 40 / ((Date.now() - started) / 1000);
  console.log(`HMAC-SHA256 fingerprint (baseline): ${(hmacMs * 1000).toFixed(2)} µs`);
  console.log(
    `scrypt N=2^${Math.log2(cost)} r=${blockSize} p=${parallelization}: ${scryptMs.toFixed(1)} ms per hash ` +
      `(${Math.round(scryptMs / hmacMs)}× the baseline); ${parallelPerSecond.toFixed(0)} hashes/s with 40 in flight`,
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
