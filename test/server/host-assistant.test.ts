/**
 * Function `assistant` through the local host over HTTP, and the staff console: chat, history
 * paging, the pay-password gate, 免密查询's seams, handoff queue and service hours (ManualClock),
 * staff replies in the user's chat, masking in storage and logs, and bad input.
 */
import { readFileSync, existsSync } from 'node:fs';
import { CONFIG } from '../../server/config';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, BOB, bindCard, verifiedUser } from '../helpers/verification';
import type { ChatMessage, HistoryResult, SendResult, StaffConversationView } from '../../typings/assistant';

const STAFF_TOKEN = 'staff-secret-for-tests';
const HOUR = 60 * 60 * 1000;
/** China time on 2026-11-28 as epoch ms. */
const chinaTime = (hour: number, minute = 0) => Date.UTC(2026, 10, 28, hour - 8, minute);

type Ok<T> = { ok: true; data: T };
type Failure = { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost({ staffToken: STAFF_TOKEN });
});
afterEach(async () => {
  await host.close();
});

async function signIn(openid: string): Promise<string> {
  const session = await host.call<Ok<{ userId: string }>>('user', { action: 'session' }, openid);
  return session.body.data.userId;
}

async function assistant<T>(openid: string, action: string, fields: object = {}): Promise<Ok<T> | Failure> {
  return (await host.call<Ok<T> | Failure>('assistant', { action, ...fields }, openid)).body;
}

async function ok<T>(openid: string, action: string, fields: object = {}): Promise<T> {
  const body = await assistant<T>(openid, action, fields);
  if (!body.ok) throw new Error(`${action} failed: ${body.error.code} ${body.error.message}`);
  return body.data;
}

const send = (openid: string, text: string, extra: object = {}) => ok<SendResult>(openid, 'send', { text, ...extra });
const bot = (result: SendResult) => result.messages.find((message) => message.role === 'bot')!;

async function staff<T>(method: 'GET' | 'POST', path: string, body?: object, token: string | null = STAFF_TOKEN) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['X-Staff-Token'] = token;
  const response = await host.raw(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return JSON.parse(response.text) as Ok<T> | Failure;
}

describe('chat', () => {
  test('a message is answered and both are kept, in order, in the caller’s history', async () => {
    await signIn('o-alice');
    const result = await send('o-alice', '你好');
    expect(result.messages.map((m) => [m.role, m.seq])).toEqual([
      ['user', 1],
      ['bot', 2],
    ]);
    expect(bot(result).reply).toMatchObject({ kind: 'answer', intent: 'greeting' });
    expect(bot(result).reply!.quickReplies.length).toBeGreaterThan(0);
    expect(result.handoff).toMatchObject({ status: 'none', inServiceHours: true, serviceHours: '07:00–22:00' });
    const history = await ok<HistoryResult>('o-alice', 'history');
    expect(history.messages).toEqual(result.messages);
    expect(history.hasMore).toBe(false);
  });

  test('voice is text with its source recorded', async () => {
    await signIn('o-alice');
    const result = await send('o-alice', '附近的网点', { source: 'voice' });
    expect(result.messages[0]).toMatchObject({ role: 'user', source: 'voice', text: '附近的网点' });
    expect(bot(result).reply).toMatchObject({ intent: 'nearestBranch', kind: 'location' });
  });

  test('deep links carry what the user said; money never moves from a message', async () => {
    await signIn('o-alice');
    const transfer = bot(await send('o-alice', '转500元给张三'));
    expect(transfer.reply!.links).toEqual([{ label: '去转账', url: '/pages/transfer/index?amountFen=50000' }]);
    expect(transfer.text).toContain('手续费为 ¥0.50');
    const fees = bot(await send('o-alice', 'FL#1000'));
    expect(fees.text).toContain('转账 ¥1,000.00 的手续费为 ¥1.00，零钱共扣 ¥1,001.00');
    expect(await host.app.deps.store.count('journalEntries')).toBe(0);
  });

  test('a malformed shortcode gets its usage; an unclear question gets three guesses and 转人工', async () => {
    await signIn('o-alice');
    const usage = bot(await send('o-alice', 'CXMX#abc'));
    expect(usage.reply).toMatchObject({ kind: 'usage', intent: 'entries' });
    expect(usage.text).toContain('用法：CXMX');
    const unsure = bot(await send('o-alice', '看下我零钱'));
    expect(unsure.reply).toMatchObject({ kind: 'guesses', intent: 'fallback' });
    expect(unsure.reply!.quickReplies).toHaveLength(4);
    expect(unsure.reply!.quickReplies[0]).toEqual({ label: '查余额', text: '查询零钱余额' });
    expect(unsure.reply!.quickReplies.at(-1)).toEqual({ label: '转人工', text: '转人工' });
    const help = bot(await send('o-alice', 'HELP'));
    for (const code of ['CXYE', 'CXMX', 'CXKA', 'ZZCX', 'WD', 'FL', 'RG']) expect(help.text).toContain(code);
  });

  test('history pages backwards by seq and forwards with afterSeq', async () => {
    await signIn('o-alice');
    for (let i = 0; i < 12; i++) await send('o-alice', `谢谢 ${i}`);
    const newest = await ok<HistoryResult>('o-alice', 'history', { limit: 10 });
    expect(newest.messages.map((m) => m.seq)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(newest.hasMore).toBe(true);
    const older = await ok<HistoryResult>('o-alice', 'history', { limit: 10, beforeSeq: 15 });
    expect(older.messages.map((m) => m.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const oldest = await ok<HistoryResult>('o-alice', 'history', { limit: 10, beforeSeq: 5 });
    expect(oldest).toMatchObject({ hasMore: false });
    expect(oldest.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    const since = await ok<HistoryResult>('o-alice', 'history', { afterSeq: 21 });
    expect(since.messages.map((m) => m.seq)).toEqual([22, 23, 24]);
  });

  test('another user never sees the caller’s messages, whatever ids the body carries', async () => {
    const aliceId = await signIn('o-alice');
    await signIn('o-bob');
    await send('o-alice', '我的卡号是6222020200112233445');
    const bob = await ok<HistoryResult>('o-bob', 'history', { userId: aliceId, openid: 'o-alice' });
    expect(bob.messages).toEqual([]);
    await send('o-bob', '你好');
    const alice = await ok<HistoryResult>('o-alice', 'history');
    expect(alice.messages.every((m) => !m.text.includes('你好') || m.role === 'bot')).toBe(true);
    expect(alice.messages).toHaveLength(2);
  });
});

describe('throttling', () => {
  const [perMinute, perDay] = CONFIG.assistant.sendLimits;

  test('past the per-minute limit a message is refused with RATE_LIMITED saying when to retry, and not stored', async () => {
    await signIn('o-alice');
    await signIn('o-bob');
    for (let i = 0; i < perMinute!.max; i++) await send('o-alice', `你好 ${i}`);
    const stored = await host.app.deps.store.count('assistantMessages');
    const refused = await assistant('o-alice', 'send', { text: '你好' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/请\d+分钟后再试/),
        details: { retryAfterMs: perMinute!.windowMs, retryAt: host.clock.now() + perMinute!.windowMs },
      },
    });
    expect(await host.app.deps.store.count('assistantMessages')).toBe(stored);
    // per user: Bob is not held back by Alice
    expect((await assistant('o-bob', 'send', { text: '你好' })).ok).toBe(true);
    host.clock.advance(perMinute!.windowMs);
    expect((await assistant('o-alice', 'send', { text: '你好' })).ok).toBe(true);
  });

  test('past the per-day limit the answer says to come back when the day’s window ends', async () => {
    await signIn('o-alice');
    const started = host.clock.now();
    // one message every few seconds: under the per-minute limit, up to the day's
    const spacing = Math.ceil(perMinute!.windowMs / perMinute!.max) + 1;
    for (let i = 0; i < perDay!.max; i++) {
      const body = await assistant('o-alice', 'send', { text: 'XE' });
      if (!body.ok) throw new Error(`message ${i}: ${body.error.code}`);
      host.clock.advance(spacing);
    }
    const refused = await assistant('o-alice', 'send', { text: 'XE' });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: started + perDay!.windowMs } },
    });
    expect(!refused.ok && refused.error.message).toMatch(/请\d+小时(\d+分钟)?后再试/);
  }, 60_000);
});

describe('balance, entries and 免密查询', () => {
  test('without 免密查询, balance and entries ask for the pay-password sheet', async () => {
    await signIn('o-alice');
    for (const text of ['CXYE', '查一下余额', 'CXMX', '最近10笔流水']) {
      const reply = bot(await send('o-alice', text));
      expect(reply.reply).toMatchObject({ kind: 'payPassword' });
      expect(reply.text).not.toMatch(/¥/);
    }
    expect(bot(await send('o-alice', '最近10笔流水')).reply!.unlock).toEqual({ intent: 'entries', count: 10 });
  });

  test('the pay-password check is the verification module’s: not set, wrong (counted), then right', async () => {
    await signIn('o-alice');
    const unset = await assistant('o-alice', 'unlock', { intent: 'balance', payPassword: '135790' });
    expect(unset).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_NOT_SET' } });
    await verifiedUser(host, 'o-alice', ALICE);
    const wrong = await assistant('o-alice', 'enableQuickQuery', { days: 30, payPassword: '135790' });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_INCORRECT', details: { remainingAttempts: 4 } },
    });
    expect(await ok('o-alice', 'quickQueryStatus')).toEqual({
      enabled: false,
      days: null,
      enabledAt: null,
      expiresAt: null,
      offReason: null,
      choices: [1, 30, 90],
    });
    const inChat = bot(await send('o-alice', 'CXYE#135790'));
    expect(inChat.reply).toMatchObject({ kind: 'answer' });
    expect(inChat.text).toContain('还可以再试3次');
    expect(await ok('o-alice', 'enableQuickQuery', { days: 30, payPassword: ALICE.payPassword })).toMatchObject({
      enabled: true,
      days: 30,
    });
  });

  test('with 免密查询 on, the gate opens and the ledger answers with the caller’s own balance and entries', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const { cardId } = await bindCard(host, 'o-alice', '6222020000000000018');
    const topup = await host.call<{ ok: boolean }>(
      'ledger',
      { action: 'topup', requestId: 'assistant-topup-1', cardId, amountFen: 12_345, payPassword: ALICE.payPassword },
      'o-alice',
    );
    expect(topup.body.ok).toBe(true);
    expect(await ok('o-alice', 'enableQuickQuery', { days: 1, payPassword: ALICE.payPassword })).toMatchObject({
      enabled: true,
    });
    const balance = bot(await send('o-alice', 'CXYE'));
    expect(balance.reply).toMatchObject({ kind: 'answer', intent: 'balance' });
    expect(balance.text).toContain('¥123.45');
    expect(balance.reply!.links.map((l) => l.url)).toEqual([
      '/pages/history/index',
      '/pages/topup/index',
      '/pages/withdraw/index',
    ]);
    expect(bot(await send('o-alice', 'CXMX')).text).toContain('充值');
    expect(bot(await send('o-alice', 'CXKA')).text).toContain('0018');
    // another user sees only their own (empty) wallet
    await verifiedUser(host, 'o-bob', BOB);
    await ok('o-bob', 'enableQuickQuery', { days: 1, payPassword: BOB.payPassword });
    const bobs = bot(await send('o-bob', 'CXYE')).text;
    expect(bobs).toContain('¥0.00');
    expect(bobs).not.toContain('123.45');
    const status = await ok<{ enabled: boolean; expiresAt: number }>('o-alice', 'quickQueryStatus');
    expect(status).toMatchObject({ enabled: true, expiresAt: host.clock.now() + 24 * HOUR });
    await ok('o-alice', 'disableQuickQuery');
    expect(bot(await send('o-alice', 'CXYE')).reply).toMatchObject({ kind: 'payPassword' });
    expect(await ok('o-alice', 'quickQueryStatus')).toMatchObject({ enabled: false, offReason: 'userDisabled' });
  });
});

describe('handoff to a person', () => {
  test('queued in service hours; staff list it, reply into the user’s chat, and close it', async () => {
    host.clock.set(chinaTime(10));
    const aliceId = await signIn('o-alice');
    await signIn('o-bob');
    const asked = await send('o-alice', '转人工');
    expect(asked.messages.map((m) => m.role)).toEqual(['user', 'bot']);
    expect(asked.handoff).toMatchObject({ status: 'waiting', position: 0 });
    host.clock.advance(60_000);
    const complaint = await ok<{ handoff: { status: string; position: number } }>('o-bob', 'requestHandoff', {
      reason: 'complaint',
    });
    expect(complaint.handoff).toMatchObject({ status: 'waiting', position: 1 });

    // While waiting, free text goes to the person (no bot answer); shortcodes still self-serve.
    const waiting = await send('o-alice', '我的转账一直没到，卡号6222020200112233445');
    expect(waiting.messages.map((m) => m.role)).toEqual(['user']);
    expect(waiting.messages[0]!.text).toBe('我的转账一直没到，卡号****3445');
    expect(bot(await send('o-alice', 'XE')).text).toContain('¥50,000.00');

    const queue = await staff<StaffConversationView[]>('GET', '/staff/conversations');
    expect(queue.ok && queue.data.map((c) => [c.conversationId, c.status, c.reason])).toEqual([
      [aliceId, 'waiting', 'question'],
      [expect.any(String), 'waiting', 'complaint'],
    ]);
    expect(queue.ok && queue.data[0]!.recent.map((m) => m.text).join('\n')).toContain('卡号****3445');

    const reply = await staff<ChatMessage>('POST', '/staff/reply', {
      conversationId: aliceId,
      text: '您好，我帮您查一下，请确认收款卡 6217 0000 1111 2222 333 是否正确。',
    });
    expect(reply).toMatchObject({ ok: true, data: { role: 'staff', text: expect.stringContaining('****2333') } });
    const seen = await ok<HistoryResult>('o-alice', 'history', { afterSeq: 4 });
    expect(seen.messages.map((m) => m.role)).toEqual(['bot', 'user', 'bot', 'staff'].slice(-seen.messages.length));
    expect(seen.messages.at(-1)).toMatchObject({ role: 'staff' });
    expect(seen.handoff).toMatchObject({ status: 'serving' });
    expect(JSON.stringify(await ok('o-bob', 'history'))).not.toContain('帮您查一下');

    const closed = await staff<ChatMessage>('POST', '/staff/close', { conversationId: aliceId });
    expect(closed).toMatchObject({ ok: true, data: { role: 'system' } });
    expect((await ok<HistoryResult>('o-alice', 'history')).handoff.status).toBe('none');
    expect(bot(await send('o-alice', '谢谢')).reply).toMatchObject({ intent: 'thanks' });
    const after = await staff<StaffConversationView[]>('GET', '/staff/conversations');
    expect(after.ok && after.data.map((c) => c.reason)).toEqual(['complaint']);
  });

  test('asking twice queues once; the user can end it', async () => {
    host.clock.set(chinaTime(9));
    await signIn('o-alice');
    await ok('o-alice', 'requestHandoff');
    const again = await ok<{ message: ChatMessage; handoff: { status: string } }>('o-alice', 'requestHandoff');
    expect(again.message.text).toContain('已在人工客服队列中');
    const queue = await staff<StaffConversationView[]>('GET', '/staff/conversations');
    expect(queue.ok && queue.data).toHaveLength(1);
    const ended = await ok<{ handoff: { status: string } }>('o-alice', 'endHandoff');
    expect(ended.handoff.status).toBe('none');
    const empty = await staff<StaffConversationView[]>('GET', '/staff/conversations');
    expect(empty).toEqual({ ok: true, data: [] });
  });

  test.each([
    [chinaTime(6, 59), false, '今天 07:00'],
    [chinaTime(7, 0), true, ''],
    [chinaTime(21, 59), true, ''],
    [chinaTime(22, 0), false, '明天 07:00'],
    [chinaTime(23, 30), false, '明天 07:00'],
    [Date.UTC(2026, 10, 28, 16, 30), false, '今天 07:00'], // 00:30 China time on the 29th
  ])('service hours 07:00–22:00 China time: at %d open=%s', async (now, open, resumes) => {
    host.clock.set(now);
    await signIn('o-alice');
    const result = await ok<{
      message: ChatMessage;
      handoff: { status: string; inServiceHours: boolean; resumesAt?: number };
    }>('o-alice', 'requestHandoff');
    expect(result.handoff.inServiceHours).toBe(open);
    expect(result.handoff.status).toBe(open ? 'waiting' : 'none');
    if (!open) {
      expect(result.message.text).toContain(`将于${resumes} 恢复`);
      expect(new Date(result.handoff.resumesAt! + 8 * HOUR).toISOString().slice(11, 16)).toBe('07:00');
    }
  });

  test('the staff console needs the staff token, not an openid; it is off without a configured token', async () => {
    host.clock.set(chinaTime(10));
    const aliceId = await signIn('o-alice');
    await send('o-alice', 'RG');
    for (const token of [null, '', 'wrong', `${STAFF_TOKEN}x`]) {
      const listed = await staff('GET', '/staff/conversations', undefined, token);
      expect(listed).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      const replied = await staff('POST', '/staff/reply', { conversationId: aliceId, text: 'hi' }, token);
      expect(replied).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    const viaOpenid = await host.raw('/staff/conversations', { headers: { 'X-WX-OPENID': 'o-alice' } });
    expect(JSON.parse(viaOpenid.text)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect((await ok<HistoryResult>('o-alice', 'history')).messages.some((m) => m.role === 'staff')).toBe(false);

    const plain = await startTestHost();
    try {
      const off = await plain.raw('/staff/conversations', { headers: { 'X-Staff-Token': 'anything' } });
      expect(JSON.parse(off.text)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    } finally {
      await plain.close();
    }
  });

  test.each([
    ['reply without a conversation', 'POST', '/staff/reply', { text: 'hi' }, 'INVALID_ARGUMENT'],
    ['a 10 KB reply', 'POST', '/staff/reply', { conversationId: 'u_x', text: 'x'.repeat(10_000) }, 'INVALID_ARGUMENT'],
    ['an empty reply', 'POST', '/staff/reply', { conversationId: 'u_x', text: '   ' }, 'INVALID_ARGUMENT'],
    ['an unknown conversation', 'POST', '/staff/reply', { conversationId: 'u_nobody', text: 'hi' }, 'NOT_FOUND'],
    ['closing an unknown conversation', 'POST', '/staff/close', { conversationId: 'u_nobody' }, 'NOT_FOUND'],
    ['a transcript without id', 'GET', '/staff/transcript', undefined, 'INVALID_ARGUMENT'],
  ] as const)('staff bad input: %s', async (_label, method, path, body, code) => {
    expect(await staff(method, path, body)).toMatchObject({ ok: false, error: { code } });
  });

  test('staff cannot reply to a conversation that is not queued', async () => {
    const aliceId = await signIn('o-alice');
    await send('o-alice', '你好');
    expect(await staff('POST', '/staff/reply', { conversationId: aliceId, text: 'hi' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
    const transcript = await staff<{ messages: ChatMessage[] }>('GET', `/staff/transcript?conversationId=${aliceId}`);
    expect(transcript.ok && transcript.data.messages).toHaveLength(2);
  });
});

describe('sensitive numbers', () => {
  const CARD = '6222020200112233445';
  const ID_NUMBER = '11010519491231002X';
  const PHONE = '13812345678';
  const CODE = '905713';

  test('are masked before storage, in responses and history, and never reach the database file or logs', async () => {
    await signIn('o-alice');
    const result = await send('o-alice', `卡号${CARD}，身份证${ID_NUMBER}，手机${PHONE}，验证码 ${CODE}，帮我绑卡`);
    expect(result.messages[0]!.text).toBe(
      '卡号****3445，身份证**************002X，手机1381234****，验证码 ******，帮我绑卡',
    );
    expect(bot(result).text).toContain('请勿在聊天中发送');
    await send('o-alice', `CXYE#${CARD}#${CODE}`);
    await send('o-alice', `CXMX#5#${CODE}`);
    const history = JSON.stringify(await ok('o-alice', 'history'));
    const stored = [host.dbFile, `${host.dbFile}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('utf8'))
      .join('');
    for (const secret of [CARD, ID_NUMBER, PHONE, CODE]) {
      expect(history).not.toContain(secret);
      expect(stored).not.toContain(secret);
      expect(host.log.lines.join('\n')).not.toContain(secret);
    }
    expect(history).toContain('CXYE#****3445#******');
  });
});

describe('bad input', () => {
  const cases: [string, string, object][] = [
    ['an empty message', 'send', { text: '' }],
    ['a blank message', 'send', { text: '   ' }],
    ['a number as text', 'send', { text: 123 }],
    ['a 10 KB message', 'send', { text: '余额'.repeat(5_000) }],
    ['no text', 'send', {}],
    ['an unknown source', 'send', { text: '你好', source: 'fax' }],
    ['a latitude out of range', 'send', { text: 'WD', location: { latitude: 91, longitude: 120 } }],
    ['a location as text', 'send', { text: 'WD', location: 'here' }],
    ['unlock of something else', 'unlock', { intent: 'everything', payPassword: '135790' }],
    ['a 5-digit password', 'unlock', { intent: 'balance', payPassword: '13579' }],
    ['a password as number', 'unlock', { intent: 'balance', payPassword: 135790 }],
    ['a password with letters', 'unlock', { intent: 'balance', payPassword: '13579a' }],
    ['unlock count 0', 'unlock', { intent: 'entries', count: 0, payPassword: '135790' }],
    ['unlock count 21', 'unlock', { intent: 'entries', count: 21, payPassword: '135790' }],
    ['history limit 0', 'history', { limit: 0 }],
    ['history limit 51', 'history', { limit: 51 }],
    ['a negative seq', 'history', { beforeSeq: -1 }],
    ['a fractional seq', 'history', { beforeSeq: 1.5 }],
    ['a seq as text', 'history', { afterSeq: '3' }],
    ['7 days of 免密查询', 'enableQuickQuery', { days: 7, payPassword: '135790' }],
    ['days as text', 'enableQuickQuery', { days: '30', payPassword: '135790' }],
    ['免密查询 without password', 'enableQuickQuery', { days: 30 }],
    ['an unknown handoff reason', 'requestHandoff', { reason: 'angry' }],
    ['HTML as reason', 'requestHandoff', { reason: '<script>alert(1)</script>' }],
  ];

  test.each(cases)('%s → INVALID_ARGUMENT with a Chinese message, nothing stored', async (_label, action, fields) => {
    await signIn('o-alice');
    const body = await assistant('o-alice', action, fields);
    expect(body).toEqual({
      ok: false,
      error: {
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(/[\u4e00-\u9fff]/),
        details: expect.anything(),
      },
    });
    expect(await host.app.deps.store.count('assistantMessages')).toBe(0);
  });

  test('no identity → UNAUTHENTICATED; no session yet → FAILED_PRECONDITION', async () => {
    expect(await host.call('assistant', { action: 'send', text: '你好' })).toMatchObject({
      body: { ok: false, error: { code: 'UNAUTHENTICATED' } },
    });
    expect(await assistant('o-new', 'send', { text: '你好' })).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
  });

  test('SQL and HTML in a message are just text', async () => {
    await signIn('o-alice');
    const result = await send('o-alice', "'; DROP TABLE assistantMessages; -- <img src=x onerror=alert(1)>");
    expect(result.messages[0]!.text).toContain('DROP TABLE');
    expect(bot(result).reply!.kind).toBe('guesses');
    expect(await host.app.deps.store.count('assistantMessages')).toBe(2);
  });
});
