/**
 * Queue reports from branch machines (authenticated by the branch's secret), the queue shown to
 * users, the "your turn is near" reminder, and the host's queue simulator.
 */
import type { AppointmentView, BranchDetail, MineView, QueueFeedResult } from '../../typings/branches';
import type { MessageListView } from '../../typings/messages';
import { CONFIG } from '../../server/config';
import { MemoryLogger } from '../../server/adapters/system';
import { createLocalApp } from '../../server/host/app';
import { listen } from '../../server/host/http';
import { rotateMachineSecret } from '../../server/domain/branches/provision';
import { seedBranches } from '../../server/host/branch-seed';
import { QueueSimulator, simulatedCalled } from '../../server/host/queue-simulator';
import { BRANCHES_HTTP_ACCESS, branchesFunction } from '../../server/functions/branches';
import { createCallOrHttpMain } from '../../server/runtime/http-access';
import { ManualClock } from '../helpers/clock';
import { addBranches, branches, chinaTime, machineSecretFor, makeBranch } from '../helpers/branches';
import { bookingUser } from '../helpers/booking';
import { hostClient, startTestHost, type TestHost } from '../helpers/host';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';

let host: TestHost;
const MONDAY_930 = chinaTime(2026, 11, 30, 9, 30);

beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(MONDAY_930);
  await addBranches(host, [makeBranch('br_q'), makeBranch('br_other')]);
});
afterEach(async () => {
  await host.close();
});

let seq = 1;
const report = (overrides: Record<string, unknown> = {}) => ({
  branchId: 'br_q',
  secret: machineSecretFor('br_q'),
  seq: seq++,
  countersOpen: 3,
  lines: [
    { service: 'personal', waiting: 12, nowCalling: 'A005' },
    { service: 'wealth', waiting: 2, nowCalling: null },
  ],
  ...overrides,
});
const feed = (body: Record<string, unknown>) => branches<QueueFeedResult>(host, 'queueFeed', body);

describe('queuing machines over the function’s HTTP path (CloudBase HTTP access)', () => {
  const httpMain = () => createCallOrHttpMain(branchesFunction, () => host.app.deps, BRANCHES_HTTP_ACCESS);
  const post = (path: string, body: unknown, context: object = { request_id: 'r-http' }) =>
    httpMain()(
      {
        path,
        httpMethod: 'POST',
        headers: { 'content-type': 'application/json' },
        queryStringParameters: {},
        body: JSON.stringify(body),
        isBase64Encoded: false,
      },
      context,
    );

  test('POST …/queueFeed with the branch’s secret is applied and answered as HTTP', async () => {
    const response = await post('/branches/queueFeed', report());
    expect(response).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((response as { body: string }).body)).toEqual({
      ok: true,
      data: { applied: true, reminders: 0 },
    });
    expect(await host.app.deps.store.get('branchQueues', 'br_q')).not.toBeNull();
  });

  test('a wrong secret is refused; no other action is reachable over HTTP; a mini program caller is refused', async () => {
    const refused = await post('/branches/queueFeed', report({ secret: 'z'.repeat(40) }));
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({
      ok: false,
      error: { code: 'MACHINE_AUTH_FAILED' },
    });
    expect(await post('/branches/catalog', {})).toMatchObject({ statusCode: 404 });
    const asUser = {
      request_id: 'r',
      environment: JSON.stringify({ WX_OPENID: 'o-user', WX_CONTEXT_KEYS: 'WX_OPENID' }),
    };
    expect(await post('/branches/queueFeed', report(), asUser)).toMatchObject({ statusCode: 403 });
    expect(await host.app.deps.store.get('branchQueues', 'br_q')).toBeNull();
  });

  test('the same entry still answers the mini program’s calls with the plain envelope', async () => {
    const answer = await httpMain()({ action: 'catalog' }, { request_id: 'r-call' });
    expect(answer).toMatchObject({ ok: true });
  });
});

describe('feed authentication', () => {
  test('the branch’s own secret is accepted without any WeChat identity', async () => {
    expect(await feed(report())).toEqual({ ok: true, data: { applied: true, reminders: 0 } });
  });

  test('a wrong secret, another branch’s secret and an unknown branch get one and the same answer', async () => {
    const refusal = { ok: false, error: { code: 'MACHINE_AUTH_FAILED', message: '排队机认证失败' } };
    expect(await feed(report({ secret: 'x'.repeat(40) }))).toEqual(refusal);
    expect(await feed(report({ secret: machineSecretFor('br_other') }))).toEqual(refusal);
    expect(await feed(report({ branchId: 'br_unknown', secret: machineSecretFor('br_unknown') }))).toEqual(refusal);
    // a WeChat identity is no substitute for the secret
    const withOpenid = await branches(host, 'queueFeed', report({ secret: 'y'.repeat(40) }), 'o-someone');
    expect(withOpenid).toEqual(refusal);
    expect(await host.app.deps.store.get('branchQueues', 'br_q')).toBeNull();
  });

  test('only a hash of the secret is stored, and the secret is never logged', async () => {
    const machine = await host.app.deps.store.get('queueMachines', 'br_q');
    expect(machine?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(machine)).not.toContain(machineSecretFor('br_q'));
    await feed(report());
    await feed(report({ secret: 'wrong-secret-0123456789' }));
    const logged = host.log.lines.join('\n');
    expect(logged).toContain('branches.feed_auth_failed');
    expect(logged).not.toContain(machineSecretFor('br_q'));
    expect(logged).not.toContain('wrong-secret-0123456789');
  });

  test('an older report arriving late is ignored', async () => {
    expect(await feed(report({ seq: 100, countersOpen: 4 }))).toEqual({
      ok: true,
      data: { applied: true, reminders: 0 },
    });
    expect(await feed(report({ seq: 99, countersOpen: 1 }))).toEqual({
      ok: true,
      data: { applied: false, reminders: 0 },
    });
    expect(await feed(report({ seq: 100, countersOpen: 1 }))).toEqual({
      ok: true,
      data: { applied: false, reminders: 0 },
    });
    expect((await host.app.deps.store.get('branchQueues', 'br_q'))?.countersOpen).toBe(4);
  });

  test('a seq beyond now + 10 minutes (read as milliseconds) is refused, so no report can hold a branch for ever', async () => {
    for (const huge of [Number.MAX_SAFE_INTEGER, MONDAY_930 + 10 * 60 * 1000 + 1]) {
      const refused = await feed(report({ seq: huge }));
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', details: { field: 'seq' } } });
      expect(!refused.ok && refused.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await host.app.deps.store.get('branchQueues', 'br_q')).toBeNull();
    // a machine that counts in milliseconds, with its clock a little ahead, is fine
    expect(await feed(report({ seq: MONDAY_930 + 9 * 60 * 1000 }))).toMatchObject({
      ok: true,
      data: { applied: true },
    });
  });

  test('once the last report is no longer shown (30 minutes), any seq starts afresh: a reset machine recovers', async () => {
    expect(await feed(report({ seq: MONDAY_930 + 5 * 60 * 1000 }))).toMatchObject({ data: { applied: true } });
    expect(await feed(report({ seq: 1 }))).toMatchObject({ data: { applied: false } });
    host.clock.advance(CONFIG.branches.queue.staleAfterMs + 1);
    expect(await feed(report({ seq: 2, countersOpen: 1 }))).toMatchObject({ data: { applied: true } });
    expect(await feed(report({ seq: 1 }))).toMatchObject({ data: { applied: false } });
    expect((await host.app.deps.store.get('branchQueues', 'br_q'))?.countersOpen).toBe(1);
  });

  test('a machine secret is rotated by the operator: the new one works at once, the old one only for the overlap', async () => {
    const HOUR = 60 * 60 * 1000;
    const old = machineSecretFor('br_q');
    const fresh = 'rotated-machine-secret-for-br_q-0123456789';
    const rotated = await rotateMachineSecret(host.app.deps, 'br_q', fresh, { overlapMs: HOUR });
    expect(rotated).toEqual({ branchId: 'br_q', previousValidUntil: MONDAY_930 + HOUR });
    const stored = await host.app.deps.store.get('queueMachines', 'br_q');
    expect(JSON.stringify(stored)).not.toContain(fresh);
    expect(await feed(report({ secret: fresh }))).toMatchObject({ ok: true, data: { applied: true } });
    expect(await feed(report({ secret: old }))).toMatchObject({ ok: true, data: { applied: true } });
    host.clock.advance(HOUR);
    expect(await feed(report({ secret: old }))).toMatchObject({ ok: false, error: { code: 'MACHINE_AUTH_FAILED' } });
    expect(await feed(report({ secret: fresh }))).toMatchObject({ ok: true });
    // rotating again: the replaced secret gets the overlap, the one before it none
    const third = 'third-machine-secret-for-br_q-0123456789ab';
    await rotateMachineSecret(host.app.deps, 'br_q', third);
    expect(await feed(report({ secret: fresh }))).toMatchObject({ ok: true });
    expect(await feed(report({ secret: old }))).toMatchObject({ ok: false, error: { code: 'MACHINE_AUTH_FAILED' } });
    expect(await feed(report({ secret: third }))).toMatchObject({ ok: true });
  });

  test('rotation refuses an unknown branch, a short secret, the current secret and an overlap past a week', async () => {
    const deps = host.app.deps;
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'ok',
        (error: { code?: string }) => error.code ?? 'thrown',
      );
    expect(await code(rotateMachineSecret(deps, 'br_nowhere', 'x'.repeat(40)))).toBe('NOT_FOUND');
    expect(await code(rotateMachineSecret(deps, 'br_q', 'short-secret'))).toBe('INVALID_ARGUMENT');
    expect(await code(rotateMachineSecret(deps, 'br_q', machineSecretFor('br_q')))).toBe('INVALID_ARGUMENT');
    const week = 7 * 24 * 60 * 60 * 1000;
    expect(await code(rotateMachineSecret(deps, 'br_q', 'y'.repeat(40), { overlapMs: week + 1 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(await feed(report())).toMatchObject({ ok: true });
  });

  test('a called ticket of another line’s letter is refused', async () => {
    const wrong = await feed(report({ lines: [{ service: 'personal', waiting: 1, nowCalling: 'B003' }] }));
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('the queue users see', () => {
  test('detail shows waiting, counters, the numbers called, and the estimated wait', async () => {
    await feed(report());
    const detail = await branches<BranchDetail>(host, 'detail', { branchId: 'br_q' });
    expect(detail.ok && detail.data.queue).toEqual({
      waiting: 14,
      // 14 waiting × 6 minutes ÷ 3 counters
      estimatedWaitMinutes: 28,
      countersOpen: 3,
      lines: [
        { service: 'personal', label: '个人业务', waiting: 12, nowCalling: 'A005' },
        { service: 'wealth', label: '理财', waiting: 2, nowCalling: null },
      ],
      reportedAt: MONDAY_930,
    });
  });

  test('a report older than 30 minutes, or from yesterday, is not shown', async () => {
    await feed(report());
    host.clock.advance(30 * 60 * 1000);
    const fresh = await branches<BranchDetail>(host, 'detail', { branchId: 'br_q' });
    expect(fresh.ok && fresh.data.queue).not.toBeNull();
    host.clock.advance(1);
    const stale = await branches<BranchDetail>(host, 'detail', { branchId: 'br_q' });
    expect(stale.ok && stale.data.queue).toBeNull();

    host.clock.set(chinaTime(2026, 11, 30, 23, 50));
    await feed(report());
    host.clock.set(chinaTime(2026, 12, 1, 0, 5));
    const nextDay = await branches<BranchDetail>(host, 'detail', { branchId: 'br_q' });
    expect(nextDay.ok && nextDay.data.queue).toBeNull();
  });
});

describe('the reminder when three tickets are ahead', () => {
  async function bookAt(openid: string, time: string): Promise<AppointmentView> {
    await bookingUser(host, openid);
    const booked = await branches<AppointmentView>(
      host,
      'book',
      { branchId: 'br_q', service: 'personal', date: '2026-11-30', time },
      openid,
    );
    if (!booked.ok) throw new Error(booked.error.message);
    return booked.data;
  }
  /** The reminders in the user's message centre (whether WeChat delivers them depends on a subscription). */
  const outbox = async (openid: string) => {
    const list = await host.call<{ ok: true; data: MessageListView }>('messages', { action: 'list' }, openid);
    return list.body.data.items;
  };
  const calling = (ticket: string) => report({ lines: [{ service: 'personal', waiting: 5, nowCalling: ticket }] });

  test('goes out once, when the tickets ahead drop to 3, and mine shows how many are ahead', async () => {
    const appointment = await bookAt('o-remind', '11:00'); // slot 4 → A017
    expect(appointment.ticket).toBe('A017');
    expect(await feed(calling('A012'))).toEqual({ ok: true, data: { applied: true, reminders: 0 } }); // 4 ahead
    expect(await outbox('o-remind')).toEqual([]);
    const mine = await branches<MineView>(host, 'mine', {}, 'o-remind');
    expect(mine.ok && mine.data.upcoming[0]?.ticketsAhead).toBe(4);

    expect(await feed(calling('A013'))).toEqual({ ok: true, data: { applied: true, reminders: 1 } }); // 3 ahead
    expect(await feed(calling('A014'))).toEqual({ ok: true, data: { applied: true, reminders: 0 } });
    const messages = await outbox('o-remind');
    expect(messages).toEqual([
      {
        ...messages[0],
        kind: 'appointment.reminder',
        title: '排队提醒',
        body: '您在工商银行北京测试br_q支行预约的个人业务（A017）前面还有 3 位，请尽快到达网点。',
        link: '/packageBranches/pages/appointments/index',
      },
    ]);
  });

  test('a report that jumps past the 3-ahead point still reminds; a ticket already called does not', async () => {
    await bookAt('o-jump', '11:00'); // A017
    await bookAt('o-late', '10:00'); // A009: already called below
    expect(await feed(calling('A015'))).toEqual({ ok: true, data: { applied: true, reminders: 1 } });
    expect((await outbox('o-jump'))[0]?.body).toContain('前面还有 1 位');
    expect(await outbox('o-late')).toEqual([]);
  });

  test('concurrent reports remind exactly once', async () => {
    await bookAt('o-race', '11:00');
    const results = await Promise.all(Array.from({ length: 8 }, () => feed(calling('A014'))));
    const reminders = results.reduce((sum, r) => sum + (r.ok ? r.data.reminders : 0), 0);
    expect(reminders).toBe(1);
    expect(await outbox('o-race')).toHaveLength(1);
  });

  test('cancelled appointments and other services are not reminded', async () => {
    const cancelled = await bookAt('o-cancelled', '11:00');
    await branches(host, 'cancel', { appointmentId: cancelled.id }, 'o-cancelled');
    await bookingUser(host, 'o-wealth');
    await branches(
      host,
      'book',
      { branchId: 'br_q', service: 'wealth', date: '2026-11-30', time: '11:00' },
      'o-wealth',
    );
    expect(await feed(calling('A016'))).toEqual({ ok: true, data: { applied: true, reminders: 0 } });
  });
});

test('a failing notifier never fails the report; the reminder is written once, sent once, and retried by settle', async () => {
  const log = new MemoryLogger();
  const clock = new ManualClock(MONDAY_930);
  let attempts = 0;
  const app = createLocalApp({
    dbFile: tempDbFile(),
    clock,
    log,
    notifier: {
      notify: () => {
        attempts += 1;
        return Promise.reject(new Error('provider down'));
      },
    },
  });
  try {
    await addBranches({ app }, [makeBranch('br_f')]);
    const ctx = (openid?: string) => ({
      request_id: 'r',
      environment: JSON.stringify(openid ? { WX_OPENID: openid, WX_CONTEXT_KEYS: 'WX_OPENID' } : {}),
    });
    const main = app.mains.branches!;
    const { port } = await listen(app.server, 0);
    await bookingUser({ ...hostClient(`http://127.0.0.1:${port}`), clock }, 'o-f');
    const templateId = CONFIG.notifications.templates.appointment.templateId;
    await app.mains.messages!({ action: 'subscribe', accepted: [templateId] }, ctx('o-f'));
    const booked = await main(
      { action: 'book', branchId: 'br_f', service: 'personal', date: '2026-11-30', time: '11:00' },
      ctx('o-f'),
    );
    expect(booked.ok).toBe(true);
    const calling = (ticket: string) => ({
      action: 'queueFeed',
      ...report({ branchId: 'br_f', secret: machineSecretFor('br_f') }),
      lines: [{ service: 'personal', waiting: 1, nowCalling: ticket }],
    });
    expect(await main(calling('A013'), ctx())).toEqual({ ok: true, data: { applied: true, reminders: 1 } });
    expect(log.lines.join('\n')).toContain('notify.failed');
    expect(attempts).toBe(1);
    // the reminder was claimed with its message: a later report writes and sends nothing again
    expect(await main(calling('A014'), ctx())).toEqual({ ok: true, data: { applied: true, reminders: 0 } });
    expect(attempts).toBe(1);
    const list = (await app.mains.messages!({ action: 'list' }, ctx('o-f'))) as { ok: true; data: MessageListView };
    expect(list.data.items.map((item) => item.kind)).toEqual(['appointment.reminder']);
    // settle tries again once the wait is over
    clock.advance(CONFIG.notifications.retryDelaysMs[0]!);
    const settled = (await app.mains.settle!({ action: 'run' }, ctx())) as { ok: true; data: { outbox: object } };
    expect(settled.data.outbox).toMatchObject({ retrying: 1, pending: 1 });
    expect(attempts).toBe(2);
  } finally {
    await app.close();
    removeTempDirs();
  }
});

describe('the host’s queue simulator', () => {
  test('calls appointment tickets slot by slot', () => {
    const hours = { open: 540, close: 1020 };
    expect(simulatedCalled(hours, 539)).toBe(0);
    expect(simulatedCalled(hours, 540)).toBe(0);
    expect(simulatedCalled(hours, 548)).toBe(1); // a quarter into slot 0
    expect(simulatedCalled(hours, 570)).toBe(4); // slot 1 starts: slot 0's four are called
    expect(simulatedCalled(hours, 2000)).toBe(64); // after closing: the whole day
  });

  test('reports through queueFeed with the seeded secrets, and its numbers trigger the reminder on time', async () => {
    const seeded = await seedBranches(host.app.deps, { count: 156 });
    const simulator = new QueueSimulator({
      deps: host.app.deps,
      branchesMain: host.app.mains.branches!,
      machines: seeded,
      branchesPerTick: 20,
    });
    // a seeded branch open on Monday offering personal banking
    const branchId = seeded.branchIds.find((id) => id.startsWith('br_bj_'))!;
    const branch = (await host.app.deps.store.get('branches', branchId))!;
    const open = branch.week[0]!.open;
    await bookingUser(host, 'o-sim');
    const time = `${String(Math.floor((open + 60) / 60)).padStart(2, '0')}:${String((open + 60) % 60).padStart(2, '0')}`;
    host.clock.set(chinaTime(2026, 11, 30, 0) + (open - 30) * 60_000);
    const booked = await branches<AppointmentView>(
      host,
      'book',
      { branchId, service: 'personal', date: '2026-11-30', time },
      'o-sim',
    );
    if (!booked.ok) throw new Error(booked.error.message);
    expect(booked.data.ticket).toBe('A009'); // slot 2, seat 0

    // Opening time: nothing called yet; the round covers the slice and the branch with an appointment.
    host.clock.set(chinaTime(2026, 11, 30, 0) + open * 60_000);
    expect(await simulator.tick()).toBeGreaterThanOrEqual(20);
    expect((await host.app.deps.store.get('branchQueues', branchId))?.lines[0]?.lastCalled).toBeNull();
    // 40 minutes in: slot 1, a quarter through → A005 called, 3 ahead of A009
    host.clock.set(chinaTime(2026, 11, 30, 0) + (open + 38) * 60_000);
    await simulator.tick();
    const sent = await host.call<{ ok: true; data: MessageListView }>('messages', { action: 'list' }, 'o-sim');
    expect(sent.body.data.items.map((m) => m.body)).toEqual([expect.stringContaining('（A009）前面还有 3 位')]);
    expect(host.log.lines.join('\n')).not.toContain('report_refused');
  });
});
