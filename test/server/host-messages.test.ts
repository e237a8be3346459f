/**
 * The message centre and WeChat subscribe messages through the local host: every balance change
 * writes one message (however often its transaction runs or its request is replayed), read state
 * and paging, acceptances counted and spent, and an outbox that never blocks the money and is
 * retried by settle until WeChat takes the message, refuses it, or the tries run out.
 */
import { CONFIG } from '../../server/config';
import { NotificationRefusedError, type Notification, type Notifier } from '../../server/domain/ports/notifier';
import type { OperationView, SettleReport } from '../../typings/ledger';
import type { MessageListView, SubscriptionView } from '../../typings/messages';
import { startTestHost, type TestHost } from '../helpers/host';
import { act, ALICE, BOB, bindCard, ok, verifiedUser } from '../helpers/verification';

const CARD = '6222020000000000018';
const PAYEE_RETURN = '6222020000000000133';
const PAYEE_DECLINE = '6222020000000000125';
const FUND_CHANGE = CONFIG.notifications.templates.fundChange.templateId;

let host: TestHost;
let cardId: string;
let sequence = 0;
const rid = () => `msg-req-${sequence++}`;

async function start(notifier?: Notifier): Promise<void> {
  host = await startTestHost({ notifier });
  await verifiedUser(host, 'o-alice', ALICE);
  ({ cardId } = await bindCard(host, 'o-alice', CARD));
}
afterEach(async () => {
  await host.close();
});

const list = (extra: Record<string, unknown> = {}, openid = 'o-alice') =>
  ok<MessageListView>(host, openid, 'messages', { action: 'list', ...extra });
const topup = (amountFen: number, requestId = rid()) =>
  ok<OperationView>(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId,
    cardId,
    amountFen,
    payPassword: ALICE.payPassword,
  });
const transfer = (cardNumber: string, amountFen: number) =>
  ok<OperationView>(host, 'o-alice', 'ledger', {
    action: 'transferToCard',
    requestId: rid(),
    payeeName: '王小明',
    cardNumber,
    amountFen,
    speed: 'fast',
    payPassword: ALICE.payPassword,
  });
const settle = async () => (await host.call<{ ok: true; data: SettleReport }>('settle', { action: 'run' })).body.data;
const subscribe = (body: Record<string, unknown>, openid = 'o-alice') =>
  act<{ templates: SubscriptionView[] }>(host, openid, 'messages', { action: 'subscribe', ...body });
const remaining = async () =>
  (
    await ok<{ templates: SubscriptionView[] }>(host, 'o-alice', 'messages', { action: 'subscriptions' })
  ).templates.find((t) => t.key === 'fundChange')!.remaining;
const outboxDocs = () => host.app.deps.store.find('notificationOutbox', { orderBy: [['createdAt', 'asc']] });

describe('the message centre', () => {
  beforeEach(() => start());

  test('every balance change is one message, once: top-up, withdrawal, transfers returned and refused, replays', async () => {
    const requestId = rid();
    await topup(100_000, requestId);
    await topup(100_000, requestId); // a replay: no second message
    host.clock.advance(1000);
    await ok(host, 'o-alice', 'ledger', {
      action: 'withdraw',
      requestId: rid(),
      cardId,
      amountFen: 5_000,
      payPassword: ALICE.payPassword,
    });
    host.clock.advance(1000);
    await transfer(PAYEE_DECLINE, 1_000);
    host.clock.advance(1000);
    await transfer(PAYEE_RETURN, 2_000);
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    await settle();
    await settle();

    const page = await list();
    const kinds = page.items.map((m) => [m.kind, m.title]);
    // the withdrawal and the returned transfer were answered in the same settle run, at one time
    expect(kinds.slice(0, 2)).toEqual(
      expect.arrayContaining([
        ['ledger.transfer.RETURNED', '转账已退回'],
        ['ledger.withdraw.SUCCEEDED', '提现到账'],
      ]),
    );
    expect(kinds.slice(2)).toEqual([
      ['ledger.transfer.PROCESSING', '转账已提交'],
      ['ledger.transfer.FAILED', '转账失败'],
      ['ledger.transfer.PROCESSING', '转账已提交'],
      ['ledger.withdraw.PROCESSING', '提现已受理'],
      ['ledger.topup.SUCCEEDED', '充值成功'],
    ]);
    const returned = page.items.find((m) => m.kind === 'ledger.transfer.RETURNED')!;
    expect(returned.body).toBe(
      '向中国工商银行(0133) **明转账 ¥20.00未成功：收款人户名与卡号不符，资金已原路退回零钱。',
    );
    expect(page.unreadCount).toBe(7);
    expect(await host.app.deps.store.count('messages')).toBe(7);
  });

  test('unread count, marking read (only one’s own), all read, and pages without loss or repeats', async () => {
    for (let i = 1; i <= 5; i++) {
      await topup(i * 100);
      if (i % 2 === 0) host.clock.advance(1000); // some share a millisecond, some do not
    }
    expect(await ok(host, 'o-alice', 'messages', { action: 'unreadCount' })).toEqual({ unreadCount: 5 });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((m) => m.messageId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);

    await verifiedUser(host, 'o-bob', BOB);
    // Bob naming Alice's messages changes nothing
    expect(await ok(host, 'o-bob', 'messages', { action: 'markRead', messageIds: seen.slice(0, 2) })).toEqual({
      unreadCount: 0,
    });
    expect((await list()).unreadCount).toBe(5);
    expect(await ok(host, 'o-alice', 'messages', { action: 'markRead', messageIds: seen.slice(0, 2) })).toEqual({
      unreadCount: 3,
    });
    const after = await list();
    expect(after.items.filter((m) => m.read).map((m) => m.messageId)).toEqual(seen.slice(0, 2));
    expect(await ok(host, 'o-alice', 'messages', { action: 'markRead', all: true })).toEqual({ unreadCount: 0 });
    expect(
      await act(host, 'o-alice', 'messages', { action: 'markRead', all: true, messageIds: seen.slice(0, 1) }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('subscribe messages', () => {
  beforeEach(() => start());

  test('each acceptance lets one message go to WeChat; without one the message stays in the centre only', async () => {
    const options = await ok<{ templates: SubscriptionView[] }>(host, 'o-alice', 'messages', {
      action: 'subscriptions',
    });
    expect(options.templates).toEqual([
      { key: 'fundChange', templateId: FUND_CHANGE, title: '资金变动提醒', remaining: 0 },
      {
        key: 'appointment',
        templateId: CONFIG.notifications.templates.appointment.templateId,
        title: '排队提醒',
        remaining: 0,
      },
    ]);
    expect(await subscribe({ accepted: [FUND_CHANGE, FUND_CHANGE] })).toMatchObject({
      ok: true,
      data: {
        templates: [
          { key: 'fundChange', remaining: 2 },
          { key: 'appointment', remaining: 0 },
        ],
      },
    });
    await topup(100);
    await topup(200);
    await topup(300);
    expect(await remaining()).toBe(0);
    expect((await outboxDocs()).map((doc) => doc.status)).toEqual(['sent', 'sent', 'skipped']);
    const sandbox = JSON.parse((await host.raw('/sandbox/notifications?openid=o-alice')).text) as {
      data: { items: { data: Record<string, string> }[] };
    };
    expect(sandbox.data.items.map((m) => m.data)).toEqual(
      expect.arrayContaining([
        {
          thing1: '零钱充值',
          amount2: '¥1.00',
          time3: expect.stringMatching(/^2026-11-28 \d\d:\d\d$/),
          thing4: '已到账零钱',
        },
        {
          thing1: '零钱充值',
          amount2: '¥2.00',
          time3: expect.stringMatching(/^2026-11-28 \d\d:\d\d$/),
          thing4: '已到账零钱',
        },
      ]),
    );
    expect((await list()).items).toHaveLength(3);
  });

  test('a rejection clears what is left; unknown templates are refused; the count is capped', async () => {
    await subscribe({ accepted: [FUND_CHANGE] });
    expect(await subscribe({ rejected: [FUND_CHANGE] })).toMatchObject({
      ok: true,
      data: { templates: [{ key: 'fundChange', remaining: 0 }, {}] },
    });
    expect(await subscribe({ accepted: ['someone-elses-template'] })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
    for (let i = 0; i < 6; i++) await subscribe({ accepted: Array(10).fill(FUND_CHANGE) });
    expect(await remaining()).toBe(CONFIG.notifications.maxRemaining);
  });
});

/** A WeChat that fails (or refuses) the first `failures` sends, then takes them into the sandbox outbox. */
function flakyWeChat(failures: number, failure: () => Error = () => new Error('system busy')) {
  const attempts: Notification[] = [];
  const notifier: Notifier = {
    async notify(notification) {
      attempts.push(notification);
      if (attempts.length <= failures) throw failure();
    },
  };
  return { notifier, attempts };
}

describe('the outbox', () => {
  test('a failing WeChat never fails or undoes the money; settle retries after the wait, spending one acceptance', async () => {
    const wechat = flakyWeChat(2);
    await start(wechat.notifier);
    await subscribe({ accepted: [FUND_CHANGE] });
    const done = await topup(10_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(wechat.attempts).toHaveLength(1);
    expect(await remaining()).toBe(0);
    expect((await outboxDocs())[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      creditHeld: true,
      lastError: 'Error',
    });

    expect((await settle()).outbox).toEqual({
      sent: 0,
      skipped: 0,
      retrying: 0,
      failed: 0,
      pending: 1,
      oldestPendingMs: 0,
    });
    host.clock.advance(CONFIG.notifications.retryDelaysMs[0]!);
    expect((await settle()).outbox).toMatchObject({ retrying: 1, pending: 1 });
    host.clock.advance(CONFIG.notifications.retryDelaysMs[1]!);
    expect((await settle()).outbox).toMatchObject({ sent: 1, pending: 0, oldestPendingMs: 0 });
    expect(wechat.attempts).toHaveLength(3);
    expect(new Set(wechat.attempts.map((n) => n.key)).size).toBe(1);
    expect(wechat.attempts[0]).toMatchObject({ openid: 'o-alice', templateId: FUND_CHANGE, title: '充值成功' });
    expect(await remaining()).toBe(0);
    expect(host.log.lines.join('\n')).toContain('notify.failed');
  });

  test('after the last try the delivery is given up and its acceptance given back', async () => {
    const wechat = flakyWeChat(Infinity);
    await start(wechat.notifier);
    await subscribe({ accepted: [FUND_CHANGE] });
    await topup(10_000);
    for (const delay of [...CONFIG.notifications.retryDelaysMs, 0]) {
      host.clock.advance(delay);
      await settle();
    }
    expect(wechat.attempts).toHaveLength(CONFIG.notifications.maxAttempts);
    expect((await outboxDocs())[0]).toMatchObject({ status: 'failed', attempts: CONFIG.notifications.maxAttempts });
    expect(await remaining()).toBe(1);
    host.clock.advance(24 * 60 * 60 * 1000);
    expect((await settle()).outbox).toMatchObject({ pending: 0, retrying: 0, failed: 0 });
    expect(wechat.attempts).toHaveLength(CONFIG.notifications.maxAttempts);
  });

  test('WeChat saying the user has no acceptance: skipped, the count cleared; an invalid template: failed and logged', async () => {
    const refusals = [
      new NotificationRefusedError('notSubscribed', '43101'),
      new NotificationRefusedError('invalid', '40037'),
    ];
    const wechat = flakyWeChat(2, () => refusals.shift()!);
    await start(wechat.notifier);
    await subscribe({ accepted: [FUND_CHANGE, FUND_CHANGE, FUND_CHANGE] });
    await topup(100);
    expect(await remaining()).toBe(0);
    await subscribe({ accepted: [FUND_CHANGE] });
    await topup(200);
    expect(await remaining()).toBe(1);
    expect((await outboxDocs()).map((doc) => [doc.status, doc.lastError])).toEqual([
      ['skipped', 'notSubscribed:43101'],
      ['failed', 'invalid:40037'],
    ]);
    expect(host.log.lines.join('\n')).toContain('"event":"notify.refused"');
    host.clock.advance(60 * 60 * 1000);
    await settle();
    expect(wechat.attempts).toHaveLength(2);
  });
});
