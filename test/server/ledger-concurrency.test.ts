/**
 * Many concurrent money requests against one wallet, spread over three local-host processes on one
 * SQLite file, with every requestId sent more than once to different processes: the wallet never
 * overdraws, each requestId moves money exactly once, and the books reconcile.
 */
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { reconcile } from '../../server/domain/ledger/reconcile';
import type { OperationView, SummaryView } from '../../typings/ledger';
import { hostClient, type HostClient } from '../helpers/host';
import { spawnHost, type HostProcess } from '../helpers/processes';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { act, ALICE, bindCard, ok, verifiedUser, type Envelope } from '../helpers/verification';

jest.setTimeout(120_000);

const CARD = '6217000000000000020'; // ¥50,000 at the sandbox bank

const dbFile = tempDbFile();
const hosts: HostProcess[] = [];
const clients: HostClient[] = [];

beforeAll(async () => {
  // The first process migrates and seeds; the others open the same file afterwards.
  for (let i = 0; i < 3; i++) {
    const host = await spawnHost(dbFile);
    hosts.push(host);
    clients.push({ ...hostClient(host.url), clock: { advance: () => undefined } });
  }
});
afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  removeTempDirs();
});

const TRANSFER_FEN = 1_000; // fee ¥0.10 → 1,010 out of the wallet each
const BALANCE_FEN = 100_000; // room for 99 of them

test('≥ 200 concurrent transfers over 3 processes: no overdraft, each requestId once', async () => {
  const [first] = clients;
  await verifiedUser(first!, 'o-race', ALICE);
  const { cardId } = await bindCard(first!, 'o-race', CARD);
  for (const [index, amountFen] of [50_000, 50_000].entries()) {
    await ok(first!, 'o-race', 'ledger', {
      action: 'topup',
      requestId: `race-topup-${index}`,
      cardId,
      amountFen,
      payPassword: ALICE.payPassword,
    });
  }
  expect((await ok<SummaryView>(first!, 'o-race', 'ledger', { action: 'summary' })).balanceFen).toBe(BALANCE_FEN);

  // 160 distinct requests, 80 of them sent a second time to another process: 240 in flight.
  const distinct = Array.from({ length: 160 }, (_, i) => ({
    action: 'transferToCard',
    requestId: `race-transfer-${i}`,
    payeeName: '王小明',
    cardNumber: '6217000000000000160',
    amountFen: TRANSFER_FEN,
    speed: 'fast',
    payPassword: ALICE.payPassword,
  }));
  const sends = distinct.flatMap((body, i) =>
    i % 2 === 0 ? [[i % 3, body] as const, [(i + 1) % 3, body] as const] : [[i % 3, body] as const],
  );
  expect(sends.length).toBeGreaterThanOrEqual(200);
  const results = await Promise.all(
    sends.map(async ([hostIndex, body]) => ({
      body,
      result: await act<OperationView>(clients[hostIndex]!, 'o-race', 'ledger', body),
    })),
  );

  const byRequest = new Map<string, Envelope<OperationView>[]>();
  for (const { body, result } of results)
    byRequest.set(body.requestId, [...(byRequest.get(body.requestId) ?? []), result]);
  let accepted = 0;
  for (const [requestId, answers] of byRequest) {
    const successes = answers.filter((answer) => answer.ok) as { ok: true; data: OperationView }[];
    for (const answer of answers) {
      if (!answer.ok) expect(answer.error.code).toBe('INSUFFICIENT_FUNDS');
    }
    // every answer for one requestId that succeeded names the same operation
    expect(new Set(successes.map((answer) => answer.data.operationId)).size).toBeLessThanOrEqual(1);
    if (successes.length > 0) accepted += 1;
    void requestId;
  }
  expect(accepted).toBe(Math.floor(BALANCE_FEN / (TRANSFER_FEN + 10)));

  const store = new SqliteStore<Collections>({ file: dbFile, collections: COLLECTION_SPECS });
  try {
    // (the host's seed booked demo user B's own transfer in this file too)
    const { userId } = (await store.get('wxAccounts', 'o-race'))!;
    const holds = await store.count('journalEntries', [
      { field: 'kind', op: '==', value: 'transfer.hold' },
      { field: 'userId', op: '==', value: userId },
    ]);
    expect(holds).toBe(accepted);
    const summary = await ok<SummaryView>(first!, 'o-race', 'ledger', { action: 'summary' });
    expect(summary.balanceFen).toBe(BALANCE_FEN - accepted * (TRANSFER_FEN + 10));
    expect(summary.balanceFen).toBeGreaterThanOrEqual(0);
    const report = await reconcile({ store });
    expect(report.breaks).toEqual([]);
  } finally {
    await store.close();
  }
});

test('one merchant order paid at once from 3 processes under 10 requestIds, each sent 3 times: paid exactly once', async () => {
  const [first] = clients;
  const { cards } = await ok<{ cards: { cardId: string }[] }>(first!, 'o-race', 'cards', { action: 'list' });
  await ok(first!, 'o-race', 'ledger', {
    action: 'topup',
    requestId: 'race-topup-order',
    cardId: cards[0]!.cardId,
    amountFen: 20_000,
    payPassword: ALICE.payPassword,
  });
  const created = JSON.parse(
    (
      await first!.raw('/sandbox/merchant-orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amountFen: 6_600, orderNo: 'RACE-ORDER-1' }),
      })
    ).text,
  ) as Envelope<{ content: string; merchantId: string }>;
  if (!created.ok) throw new Error(created.error.code);
  const orderToken = created.data.content.split('/').pop()!;
  const sends = Array.from({ length: 10 }, (_, i) => `race-pay-${i}`).flatMap((requestId) =>
    [0, 1, 2].map((hostIndex) =>
      act<OperationView>(clients[hostIndex]!, 'o-race', 'qrcode', {
        action: 'payOrder',
        requestId,
        orderToken,
        payPassword: ALICE.payPassword,
      }).then((result) => ({ requestId, result })),
    ),
  );
  const results = await Promise.all(sends);
  const paid = results.filter((r) => r.result.ok) as { requestId: string; result: { ok: true; data: OperationView } }[];
  expect(new Set(paid.map((r) => r.result.data.operationId)).size).toBe(1);
  // every success is the winning request (or its replay); everything else is refused as paid
  expect(new Set(paid.map((r) => r.requestId)).size).toBe(1);
  for (const { result } of results) if (!result.ok) expect(result.error.code).toBe('ORDER_ALREADY_PAID');

  const store = new SqliteStore<Collections>({ file: dbFile, collections: COLLECTION_SPECS });
  try {
    expect(await store.count('orderPayments')).toBe(1);
    expect(await store.count('journalEntries', [{ field: 'kind', op: '==', value: 'payment' }])).toBe(1);
    expect(
      await store.sum('postings', 'amountFen', [
        { field: 'accountId', op: '==', value: `merchant:${created.data.merchantId}` },
      ]),
    ).toBe(6_600);
    expect((await reconcile({ store })).breaks).toEqual([]);
  } finally {
    await store.close();
  }
});
