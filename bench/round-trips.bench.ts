/**
 * Store round trips per action — what each call would cost on CloudBase, where every store call is
 * a network hop. A story on the local host (in this process, over HTTP, one request at a time)
 * calls every action of every function; a counting store (bench/lib/round-trips.ts) records, per
 * action, the store calls, the critical-path depth ("rounds") and the transactions. The sandbox
 * bank and SMS keep the uncounted store: their calls stand for the bank's, outside the budget.
 *
 * Budgets (issue #14): read-only actions ≤ 2 rounds; topup, withdraw, transferToCard and payOrder
 * ≤ 3 rounds plus the bank call; settle ≤ 2 rounds per operation it resolves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG } from '../server/config';
import { MemoryLogger } from '../server/adapters/system';
import { createLocalApp } from '../server/host/app';
import { listen } from '../server/host/http';
import { seedDemoData } from '../server/host/seed';
import { hostClient, type HostClient } from '../test/helpers/host';
import {
  ALICE,
  BOB as DEMO_BOB,
  bindStartBody,
  idNumberFor,
  latestSmsCode,
  sandboxCardNumbers,
  type Envelope,
} from '../test/helpers/verification';
import { RoundTripCounter, countingLocator, countingStore, type RoundTrips } from './lib/round-trips';

const READ_ONLY = new Set([
  'user.profile',
  'cards.detect',
  'cards.list',
  'cards.detail',
  'cards.sandboxSmsCode',
  'ledger.summary',
  'ledger.history',
  'ledger.entry',
  'ledger.withdrawQuote',
  'ledger.transferQuote',
  'ledger.transferStatus',
  'qrcode.resolve',
  'messages.list',
  'messages.unreadCount',
  'messages.subscriptions',
  'branches.catalog',
  'branches.nearby',
  'branches.detail',
  'branches.slots',
  'branches.mine',
  'assistant.history',
  'assistant.quickQueryStatus',
  'staff.conversations',
  'staff.transcript',
]);
const SUBMITS = new Set(['ledger.topup', 'ledger.withdraw', 'ledger.transferToCard', 'qrcode.payOrder']);

function budgetOf(action: string): number | null {
  if (READ_ONLY.has(action)) return 2;
  if (SUBMITS.has(action)) return 3;
  return null;
}

/** Not the demo seed's B, whose ID number the seed has already confirmed. */
const BOB = { ...DEMO_BOB, idNumber: idNumberFor('19870512', '310104', '123') };
const STAFF_TOKEN = 'bench-staff-token-0123456789abcdef0123456789';

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-trips-'));
  let now = Date.UTC(2026, 11, 7, 2, 0); // a Monday, 10:00 in China: branches open, staff on duty
  const clock = { now: () => now };
  const app = createLocalApp({
    dbFile: path.join(dir, 'trips.sqlite'),
    clock,
    log: new MemoryLogger(),
    staffToken: STAFF_TOKEN,
  });
  const seeded = await seedDemoData(app.deps, app.sandbox);
  const counter = new RoundTripCounter();
  app.deps.store = countingStore(app.deps.store, counter);
  app.deps.branchLocator = countingLocator(app.deps.branchLocator, counter);
  const { port } = await listen(app.server, 0);
  const client = hostClient(`http://127.0.0.1:${port}`);
  const host: HostClient = { ...client, clock: { advance: (ms) => void (now += ms) } };

  const measured = new Map<string, RoundTrips[]>();
  const record = (key: string, trips: RoundTrips) => measured.set(key, [...(measured.get(key) ?? []), trips]);

  /** One action as `openid`, counted under `fn.action` (and a variant, when one action has several paths). */
  async function call<T = unknown>(
    openid: string,
    fn: string,
    body: Record<string, unknown>,
    variant = '',
  ): Promise<T> {
    counter.reset();
    const response = await client.call<Envelope<T>>(fn, body, openid);
    record(`${fn}.${String(body.action)}${variant}`, counter.snapshot());
    if (!response.body.ok)
      throw new Error(`${fn}.${String(body.action)}: ${response.body.error.code} ${response.body.error.message}`);
    return response.body.data;
  }
  async function staff<T = unknown>(method: 'GET' | 'POST', action: string, body?: object): Promise<T> {
    counter.reset();
    const response = await client.raw(`/staff/${action}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-staff-token': STAFF_TOKEN },
      body: body && JSON.stringify(body),
    });
    record(`staff.${action}`, counter.snapshot());
    const parsed = JSON.parse(response.text) as Envelope<T>;
    if (!parsed.ok) throw new Error(`staff.${action}: ${parsed.error.code}`);
    return parsed.data;
  }

  // — identity, pay password, a card (alice); bob to receive —
  const [aliceCardNumber, bobCardNumber] = sandboxCardNumbers(2, 900) as [string, string];
  const alice = 'o-trips-alice';
  const bob = 'o-trips-bob';
  for (const [openid, person] of [
    [alice, ALICE],
    [bob, BOB],
  ] as const) {
    await call(openid, 'user', { action: 'session' });
    await call(openid, 'user', { action: 'verifyRealName', name: person.name, idNumber: person.idNumber });
    await call(openid, 'verify', {
      action: 'setPayPassword',
      payPassword: person.payPassword,
      confirmPayPassword: person.payPassword,
    });
  }
  await call(alice, 'user', { action: 'profile' });
  await call(alice, 'cards', { action: 'detect', cardNumber: aliceCardNumber });
  const ticket = await call<{ ticket: string }>(alice, 'verify', {
    action: 'verifyPayPassword',
    payPassword: ALICE.payPassword,
    purpose: 'cards.bind',
  });
  const started = await call<{ bindingId: string; sms: { challengeId: string } }>(alice, 'cards', {
    ...bindStartBody(aliceCardNumber, ALICE, { ticket: ticket.ticket }),
    payPassword: undefined,
  });
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  await call(alice, 'verify', { action: 'resendSms', challengeId: started.sms.challengeId, phone: '13800138000' });
  await call(alice, 'cards', { action: 'sandboxSmsCode', bindingId: started.bindingId });
  const card = await call<{ cardId: string }>(alice, 'cards', {
    action: 'bindConfirm',
    bindingId: started.bindingId,
    smsCode: await latestSmsCode(host),
  });
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  const bobStarted = await call<{ bindingId: string }>(bob, 'cards', bindStartBody(bobCardNumber, BOB));
  const bobCard = await call<{ cardId: string }>(bob, 'cards', {
    action: 'bindConfirm',
    bindingId: bobStarted.bindingId,
    smsCode: await latestSmsCode(host),
  });
  await call(alice, 'cards', { action: 'list' });
  await call(alice, 'cards', { action: 'detail', cardId: card.cardId });

  // — money: top-up, withdrawal, transfers, settle —
  const pay = { payPassword: ALICE.payPassword };
  for (let i = 0; i < 3; i++) {
    await call(alice, 'ledger', {
      action: 'topup',
      requestId: `trips-topup-${i}`,
      cardId: card.cardId,
      amountFen: 100_000,
      ...pay,
    });
  }
  await call(alice, 'ledger', { action: 'summary' });
  await call(alice, 'ledger', { action: 'withdrawQuote', amountFen: 10_000 });
  const withdrawal = await call<{ operationId: string }>(alice, 'ledger', {
    action: 'withdraw',
    requestId: 'trips-withdraw-0',
    cardId: card.cardId,
    amountFen: 10_000,
    ...pay,
  });
  await call(alice, 'ledger', {
    action: 'transferQuote',
    cardNumber: '6217000000000000160',
    amountFen: 1_000,
    speed: 'fast',
  });
  let transfer = { operationId: '' };
  for (let i = 0; i < 10; i++) {
    transfer = await call(
      alice,
      'ledger',
      {
        action: 'transferToCard',
        requestId: `trips-transfer-${i}`,
        payeeName: '王小明',
        cardNumber: '6217000000000000160',
        amountFen: 1_000 + i,
        speed: 'fast',
        ...pay,
      },
      ' (card number)',
    );
  }
  await call(alice, 'ledger', { action: 'transferStatus', operationId: transfer.operationId });
  await call(alice, 'ledger', { action: 'entry', operationId: withdrawal.operationId });
  await call(alice, 'ledger', { action: 'history', limit: 20 });

  // settle: an empty run, then one resolving the 11 bank-pending operations
  await call('', 'settle', { action: 'run' }, ' (nothing due)');
  now += CONFIG.sandbox.settleAfterMs + 1;
  const report = await call<{ resolved: Record<string, number> }>('', 'settle', { action: 'run' }, ' (11 due)');
  const resolvedBySettle = 11;

  // — QR: bob's receive code, alice pays it; a merchant order —
  const receive = await call<{ codeId: string; content: string }>(bob, 'qrcode', {
    action: 'receiveCode',
    cardId: bobCard.cardId,
  });
  await call(bob, 'qrcode', { action: 'miniProgramCode', codeId: receive.codeId });
  await call(alice, 'qrcode', { action: 'resolve', content: receive.content });
  const receiveToken = receive.content.slice(CONFIG.qr.linkBase.length);
  await call(
    alice,
    'ledger',
    { action: 'transferQuote', receiveToken, amountFen: 1_000, speed: 'fast' },
    ' (receive code)',
  );
  await call(
    alice,
    'ledger',
    { action: 'transferToCard', requestId: 'trips-receive-0', receiveToken, amountFen: 1_000, speed: 'fast', ...pay },
    ' (receive code)',
  );
  await call(bob, 'qrcode', { action: 'revokeReceiveCode', codeId: receive.codeId });
  const order = JSON.parse(
    (
      await client.raw('/sandbox/merchant-orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amountFen: 2_800 }),
      })
    ).text,
  ) as Envelope<{ content: string }>;
  if (!order.ok) throw new Error('merchant order');
  await call(alice, 'qrcode', { action: 'resolve', content: order.data.content }, ' (order)');
  await call(alice, 'qrcode', {
    action: 'payOrder',
    requestId: 'trips-order-0',
    orderToken: order.data.content.slice(CONFIG.qr.linkBase.length),
    ...pay,
  });

  // — messages —
  await call(alice, 'messages', { action: 'unreadCount' });
  await call(alice, 'messages', { action: 'list' });
  await call(alice, 'messages', { action: 'markRead', all: true });
  await call(alice, 'messages', { action: 'subscriptions' });
  await call(alice, 'messages', {
    action: 'subscribe',
    accepted: [CONFIG.notifications.templates.fundChange.templateId],
  });

  // — branches —
  await call(alice, 'branches', { action: 'catalog' });
  const nearby = await call<{ branches: { id: string }[] }>(alice, 'branches', {
    action: 'nearby',
    lat: 31.2304,
    lng: 121.4737,
  });
  const branchId = nearby.branches[0]!.id;
  await call(alice, 'branches', { action: 'detail', branchId, lat: 31.2304, lng: 121.4737 });
  const slots = await call<{ date: string; slots: { time: string; status: string }[] }>(alice, 'branches', {
    action: 'slots',
    branchId,
    service: 'personal',
  });
  const slot = slots.slots.find((candidate) => candidate.status === 'available')!;
  const booked = await call<{ id: string }>(alice, 'branches', {
    action: 'book',
    branchId,
    service: 'personal',
    date: slots.date,
    time: slot.time,
  });
  await call(alice, 'branches', { action: 'mine' });
  await call(alice, 'branches', { action: 'cancel', appointmentId: booked.id });
  await call('', 'branches', {
    action: 'queueFeed',
    branchId,
    secret: seeded.branches.secretOf(branchId),
    seq: now,
    countersOpen: 2,
    lines: [{ service: 'personal', waiting: 3, nowCalling: 'A001' }],
  });

  // — the assistant and the staff console —
  await call(alice, 'assistant', { action: 'send', text: '转账手续费多少' });
  await call(alice, 'assistant', { action: 'history' });
  await call(alice, 'assistant', { action: 'unlock', intent: 'balance', ...pay });
  await call(alice, 'assistant', { action: 'quickQueryStatus' });
  await call(alice, 'assistant', { action: 'enableQuickQuery', days: 1, ...pay });
  await call(alice, 'assistant', { action: 'disableQuickQuery' });
  await call(alice, 'assistant', { action: 'requestHandoff' });
  const queue = await staff<{ conversationId: string }[]>('GET', 'conversations');
  await staff('GET', `transcript?conversationId=${queue[0]!.conversationId}`);
  await staff('POST', 'reply', { conversationId: queue[0]!.conversationId, text: '您好，请问有什么可以帮您？' });
  await staff('POST', 'close', { conversationId: queue[0]!.conversationId });
  await call(alice, 'assistant', { action: 'requestHandoff' }, ' (again)');
  await call(alice, 'assistant', { action: 'endHandoff' });

  // — last: password change, unbinding —
  await call(alice, 'verify', {
    action: 'changePayPassword',
    oldPayPassword: ALICE.payPassword,
    newPayPassword: '739184',
    confirmPayPassword: '739184',
  });
  await call(bob, 'cards', { action: 'unbind', cardId: bobCard.cardId, payPassword: BOB.payPassword });

  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const rows = [...measured.entries()].sort(([a], [b]) => a.localeCompare(b));
  console.log(`${'action'.padEnd(40)} ${'calls'.padStart(6)} ${'rounds'.padStart(6)} ${'tx'.padStart(4)}  budget`);
  let over = 0;
  for (const [key, trips] of rows) {
    const worst = {
      calls: Math.max(...trips.map((t) => t.calls)),
      rounds: Math.max(...trips.map((t) => t.rounds)),
      transactions: Math.max(...trips.map((t) => t.transactions)),
    };
    const action = key.replace(/ \(.*\)$/, '').replace(/\?.*$/, '');
    const budget = budgetOf(action);
    const verdict = budget === null ? '' : worst.rounds <= budget ? `≤ ${budget} ok` : `≤ ${budget} OVER`;
    if (budget !== null && worst.rounds > budget) over++;
    const label = key.replace(/\?.*$/, '');
    console.log(
      `${label.padEnd(40)} ${String(worst.calls).padStart(6)} ${String(worst.rounds).padStart(6)} ${String(worst.transactions).padStart(4)}  ${verdict}`,
    );
  }
  const due = measured.get('settle.run (11 due)')![0]!;
  const idle = measured.get('settle.run (nothing due)')![0]!;
  const perOperation = (due.rounds - idle.rounds) / resolvedBySettle;
  console.log(
    `\nsettle per resolved operation: ${((due.calls - idle.calls) / resolvedBySettle).toFixed(1)} calls, ` +
      `${perOperation.toFixed(1)} rounds, ${((due.transactions - idle.transactions) / resolvedBySettle).toFixed(1)} transactions ` +
      `(budget ≤ 2 rounds: ${perOperation <= 2 ? 'ok' : 'OVER'}; settle resolved ${JSON.stringify(report.resolved)})`,
  );
  console.log(`${rows.length} actions measured; ${over} over their budget (worst of each action's calls shown)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
