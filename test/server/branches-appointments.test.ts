/** Appointments (预约取号) through the local host: slots, booking rules, cancellation, concurrency. */
import type { AppointmentView, MineView, SlotsView } from '../../typings/branches';
import { addBranches, branches, chinaTime, makeBranch, signIn } from '../helpers/branches';
import { bookingUser, personFor } from '../helpers/booking';
import { verifiedUser, type Envelope } from '../helpers/verification';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
// Monday 2026-11-30, 08:00 China time
const MONDAY_8AM = chinaTime(2026, 11, 30, 8);

beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(MONDAY_8AM);
  await addBranches(host, [
    makeBranch('br_a'),
    makeBranch('br_personal_only', { services: ['personal', 'atm'] }),
    makeBranch('br_weekdays', { week: [...makeBranch('x').week.slice(0, 5), null, null] }),
  ]);
});
afterEach(async () => {
  await host.close();
});

const book = (openid: string, body: Record<string, unknown>) =>
  branches<AppointmentView>(
    host,
    'book',
    { branchId: 'br_a', service: 'personal', date: '2026-11-30', ...body },
    openid,
  );

describe('slots', () => {
  test('the window is a week from today; past slots are marked; a closed day has none', async () => {
    host.clock.set(chinaTime(2026, 11, 30, 10, 5));
    const today = await branches<SlotsView>(host, 'slots', { branchId: 'br_a', service: 'personal' });
    if (!today.ok) throw new Error(today.error.message);
    expect(today.data.date).toBe('2026-11-30');
    expect(today.data.days.map((d) => d.date)).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    expect(today.data.days[0]!.label).toBe('今天 周一');
    expect(today.data.days[5]).toEqual({ date: '2026-12-05', label: '12月5日 周六', open: true });
    expect(today.data.days[6]).toEqual({ date: '2026-12-06', label: '12月6日 周日', open: false });
    // 09:00-17:00 in 30-minute slots
    expect(today.data.slots).toHaveLength(16);
    expect(today.data.slots[0]).toMatchObject({ time: '09:00', endTime: '09:30', status: 'passed', capacity: 4 });
    expect(today.data.slots[2]).toMatchObject({ time: '10:00', status: 'passed' });
    expect(today.data.slots[3]).toMatchObject({ time: '10:30', status: 'available', remaining: 4 });

    const sunday = await branches<SlotsView>(host, 'slots', {
      branchId: 'br_a',
      service: 'personal',
      date: '2026-12-06',
    });
    expect(sunday.ok && sunday.data.slots).toEqual([]);
  });

  test('days, slots and open-now are China time whatever zone the server runs in', async () => {
    host.clock.set(chinaTime(2026, 11, 30, 0, 30)); // Monday 00:30 in Beijing, still Sunday in UTC and LA
    const saved = process.env.TZ;
    const answers: unknown[] = [];
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env.TZ = zone;
        answers.push({
          slots: await branches(host, 'slots', { branchId: 'br_a', service: 'personal' }),
          detail: await branches(host, 'detail', { branchId: 'br_a' }),
        });
      }
    } finally {
      process.env.TZ = saved;
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({
      slots: {
        ok: true,
        data: { date: '2026-11-30', days: expect.arrayContaining([expect.objectContaining({ label: '今天 周一' })]) },
      },
      detail: { ok: true, data: { openNow: false, todayHours: '09:00-17:00' } },
    });
  });

  test('corporate banking is not served at weekends, even where the doors open', async () => {
    const saturday = await branches<SlotsView>(host, 'slots', {
      branchId: 'br_a',
      service: 'corporate',
      date: '2026-12-05',
    });
    expect(saturday.ok && saturday.data.slots).toEqual([]);
    expect(saturday.ok && saturday.data.days.find((d) => d.date === '2026-12-05')?.open).toBe(false);
    await bookingUser(host, 'o-corp');
    const refused = await book('o-corp', { service: 'corporate', date: '2026-12-05', time: '10:00' });
    expect(refused).toEqual({ ok: false, error: { code: 'SLOT_CLOSED', message: '对公业务仅工作日办理' } });
  });

  test('remaining seats count down as users book', async () => {
    for (const openid of ['o-1', 'o-2']) {
      await bookingUser(host, openid);
      expect((await book(openid, { time: '09:30' })).ok).toBe(true);
    }
    const view = await branches<SlotsView>(host, 'slots', {
      branchId: 'br_a',
      service: 'personal',
      date: '2026-11-30',
    });
    expect(view.ok && view.data.slots.find((s) => s.time === '09:30')).toMatchObject({ remaining: 2 });
  });
});

describe('book', () => {
  test('returns the ticket in slot order and the slot; the same user cannot hold a slot twice', async () => {
    await bookingUser(host, 'o-alice');
    await bookingUser(host, 'o-bob');
    const first = await book('o-alice', { time: '10:00' });
    expect(first).toEqual({
      ok: true,
      data: expect.objectContaining({
        branchId: 'br_a',
        branchName: '工商银行北京测试br_a支行',
        bankName: '中国工商银行',
        service: 'personal',
        serviceLabel: '个人业务',
        date: '2026-11-30',
        time: '10:00',
        endTime: '10:30',
        // slot 2 of the day (09:00, 09:30, 10:00), seat 0, four seats a slot → 2·4 + 1
        ticket: 'A009',
        status: 'booked',
        startsAt: chinaTime(2026, 11, 30, 10),
        endsAt: chinaTime(2026, 11, 30, 10, 30),
      }),
    });
    const second = await book('o-bob', { time: '10:00' });
    expect(second.ok && second.data.ticket).toBe('A010');
    const again = await book('o-alice', { time: '10:00' });
    expect(again).toEqual({ ok: false, error: { code: 'ALREADY_BOOKED', message: '您已预约该时段' } });
    const wealth = await book('o-alice', { time: '10:00', service: 'wealth' });
    expect(wealth.ok && wealth.data.ticket).toBe('D009');
  });

  test('many parallel bookings for the last seat: exactly one wins', async () => {
    for (const openid of ['o-s1', 'o-s2', 'o-s3']) {
      await bookingUser(host, openid);
      expect((await book(openid, { time: '11:00' })).ok).toBe(true);
    }
    const contenders = Array.from({ length: 24 }, (_, i) => `o-race-${i}`);
    for (const openid of contenders) await bookingUser(host, openid);
    const results = await Promise.all(contenders.map((openid) => book(openid, { time: '11:00' })));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(Array(23).fill('SLOT_FULL'));
    const seats = await host.app.deps.store.find('appointmentSlots', {
      where: [{ field: 'branchId', op: '==', value: 'br_a' }],
    });
    expect(seats.map((s) => s.taken)).toEqual([[0, 1, 2, 3]]);
    expect(await host.app.deps.store.count('appointments', [{ field: 'status', op: '==', value: 'booked' }])).toBe(4);
  });

  test('one user booking the same slot in parallel gets it once', async () => {
    await bookingUser(host, 'o-twice');
    const results = await Promise.all(Array.from({ length: 10 }, () => book('o-twice', { time: '14:00' })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(new Set(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code))).toEqual(
      new Set(['ALREADY_BOOKED']),
    );
  });

  test('past, closed, too far ahead, unaligned, unoffered and unknown are each refused precisely', async () => {
    await bookingUser(host, 'o-rules');
    host.clock.set(chinaTime(2026, 11, 30, 10, 0));
    const code = async (body: Record<string, unknown>) => {
      const result = await book('o-rules', body);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await code({ time: '09:30' })).toBe('SLOT_PASSED');
    expect(await code({ time: '10:00' })).toBe('SLOT_PASSED'); // started just now
    expect(await code({ date: '2026-11-29', time: '11:00' })).toBe('SLOT_PASSED');
    expect(await code({ time: '08:00' })).toBe('SLOT_CLOSED');
    expect(await code({ time: '17:00' })).toBe('SLOT_CLOSED');
    expect(await code({ date: '2026-12-06', time: '10:00' })).toBe('SLOT_CLOSED'); // Sunday
    expect(await code({ branchId: 'br_weekdays', date: '2026-12-05', time: '10:00' })).toBe('SLOT_CLOSED');
    expect(await code({ date: '2026-12-07', time: '10:00' })).toBe('SLOT_NOT_YET_BOOKABLE');
    expect(await code({ time: '10:15' })).toBe('INVALID_ARGUMENT');
    expect(await code({ branchId: 'br_personal_only', service: 'forex', time: '11:00' })).toBe('SERVICE_NOT_OFFERED');
    expect(await code({ branchId: 'br_nowhere', time: '11:00' })).toBe('NOT_FOUND');
    expect(await code({ time: '10:30' })).toBe('ok');
    expect(await code({ date: '2026-12-06', time: '10:00', service: 'atm' })).toBe('INVALID_ARGUMENT');
  });

  test('a user holds at most five upcoming appointments; a cancelled or past one frees a place', async () => {
    await bookingUser(host, 'o-many');
    const wanted = [
      ['2026-11-30', '09:00'],
      ['2026-11-30', '09:30'],
      ['2026-12-01', '09:00'],
      ['2026-12-01', '09:30'],
      ['2026-12-02', '09:00'],
    ];
    const booked: AppointmentView[] = [];
    for (const [date, time] of wanted) {
      const result = await book('o-many', { date, time });
      if (!result.ok) throw new Error(result.error.message);
      booked.push(result.data);
    }
    const sixth = await book('o-many', { date: '2026-12-02', time: '09:30' });
    expect(sixth.ok ? 'ok' : sixth.error.code).toBe('APPOINTMENT_LIMIT_REACHED');
    await branches(host, 'cancel', { appointmentId: booked[4]!.id }, 'o-many');
    expect((await book('o-many', { date: '2026-12-02', time: '09:30' })).ok).toBe(true);
    host.clock.set(chinaTime(2026, 11, 30, 9, 31)); // the 09:00 slot is over
    expect((await book('o-many', { date: '2026-12-03', time: '12:00' })).ok).toBe(true);
  });

  test('one account holds at most two appointments a day and one seat a slot: the other seats are for others', async () => {
    await bookingUser(host, 'o-hoarder');
    expect((await book('o-hoarder', { time: '09:00' })).ok).toBe(true);
    expect((await book('o-hoarder', { time: '10:00', service: 'wealth' })).ok).toBe(true);
    const third = await book('o-hoarder', { branchId: 'br_personal_only', time: '11:00' });
    expect(third).toEqual({
      ok: false,
      error: {
        code: 'APPOINTMENT_LIMIT_REACHED',
        message: '同一天最多预约 2 个时段，请先取消或改约其他日期',
        details: { limit: 2, date: '2026-11-30' },
      },
    });
    expect(await host.app.deps.store.count('appointments')).toBe(2);
    const tuesday = await book('o-hoarder', { date: '2026-12-01', time: '11:00' });
    expect(tuesday.ok).toBe(true);
    const mine = await branches<MineView>(host, 'mine', {}, 'o-hoarder');
    const monday = mine.ok ? mine.data.upcoming.filter((a) => a.date === '2026-11-30') : [];
    await branches(host, 'cancel', { appointmentId: monday[0]!.id }, 'o-hoarder');
    expect((await book('o-hoarder', { branchId: 'br_personal_only', time: '11:00' })).ok).toBe(true);
  });

  test('booking and cancelling are throttled per user, by the hour and the day; cancelling is never refused', async () => {
    const HOUR = 60 * 60 * 1000;
    await bookingUser(host, 'o-fickle');
    await bookingUser(host, 'o-calm');
    const started = host.clock.now();
    const cancel = (appointmentId: string) => branches<AppointmentView>(host, 'cancel', { appointmentId }, 'o-fickle');
    /** Books then cancels `date time` until `changes` bookings and cancellations were made, or one is refused. */
    async function fiddle(date: string, time: string, changes: number): Promise<string | null> {
      let id: string | null = null;
      for (let change = 0; change < changes; change++) {
        const result: Envelope<AppointmentView> = id ? await cancel(id) : await book('o-fickle', { date, time });
        if (!result.ok) throw new Error(`change ${change}: ${result.error.code}`);
        id = id ? null : result.data.id;
      }
      return id;
    }
    expect((await book('o-fickle', { time: '09:00' })).ok).toBe(true);
    const held = await fiddle('2026-11-30', '10:00', 9); // 10 changes in this hour, the last a booking
    const refused = await book('o-fickle', { date: '2026-12-01', time: '09:00' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        message: '预约和取消太频繁，请1小时后再试',
        details: { retryAfterMs: HOUR, retryAt: started + HOUR },
      },
    });
    expect((await cancel(held!)).ok).toBe(true); // freeing a seat always works (and counts)
    expect((await book('o-calm', { time: '10:00' })).ok).toBe(true); // others are not held back

    host.clock.advance(HOUR);
    await fiddle('2026-12-01', '10:00', 9); // 20 changes today
    const tomorrow = await book('o-fickle', { date: '2026-12-02', time: '09:00' });
    expect(tomorrow).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAt: started + 24 * HOUR } },
    });
    expect(!tomorrow.ok && tomorrow.error.message).toBe('预约和取消太频繁，请23小时后再试');
  });

  test('needs a session and a verified real-name identity', async () => {
    const anonymous = await book('', { time: '10:00' });
    expect(anonymous.ok ? 'ok' : anonymous.error.code).toBe('UNAUTHENTICATED');
    const noSession = await book('o-never-opened', { time: '10:00' });
    expect(noSession.ok ? 'ok' : noSession.error.code).toBe('FAILED_PRECONDITION');
    await signIn(host, 'o-follower');
    const follower = await book('o-follower', { time: '10:00' });
    expect(follower).toMatchObject({ ok: false, error: { code: 'REAL_NAME_REQUIRED' } });
    // a real name submitted but not yet confirmed by the bank (no card bound) is not enough either
    await verifiedUser(host, 'o-pending', personFor('o-pending'));
    const pending = await book('o-pending', { time: '10:00' });
    expect(pending).toMatchObject({ ok: false, error: { code: 'REAL_NAME_REQUIRED' } });
    expect(await host.app.deps.store.count('appointments')).toBe(0);
    expect(await host.app.deps.store.count('appointmentSlots')).toBe(0);
  });
});

describe('cancel and mine', () => {
  test('cancel frees the seat, is idempotent, refuses once the slot started; others see NOT_FOUND', async () => {
    await bookingUser(host, 'o-owner');
    await bookingUser(host, 'o-stranger');
    const booked = await book('o-owner', { time: '15:00' });
    if (!booked.ok) throw new Error(booked.error.message);
    const stranger = await branches(host, 'cancel', { appointmentId: booked.data.id }, 'o-stranger');
    expect(stranger).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '预约不存在' } });
    const unknown = await branches(host, 'cancel', { appointmentId: `ap_${'0'.repeat(32)}` }, 'o-owner');
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');

    const cancelled = await branches<AppointmentView>(host, 'cancel', { appointmentId: booked.data.id }, 'o-owner');
    expect(cancelled.ok && cancelled.data.status).toBe('cancelled');
    const again = await branches<AppointmentView>(host, 'cancel', { appointmentId: booked.data.id }, 'o-owner');
    expect(again.ok && again.data.status).toBe('cancelled');
    const slots = await branches<SlotsView>(host, 'slots', {
      branchId: 'br_a',
      service: 'personal',
      date: '2026-11-30',
    });
    expect(slots.ok && slots.data.slots.find((s) => s.time === '15:00')?.remaining).toBe(4);
    // the same slot can be booked again, and gets the freed seat's ticket
    const rebooked = await book('o-owner', { time: '15:00' });
    expect(rebooked.ok && [rebooked.data.id, rebooked.data.ticket]).toEqual([booked.data.id, booked.data.ticket]);

    host.clock.set(chinaTime(2026, 11, 30, 15, 0));
    const late = await branches(host, 'cancel', { appointmentId: booked.data.id }, 'o-owner');
    expect(late.ok ? 'ok' : late.error.code).toBe('APPOINTMENT_STARTED');
  });

  test('mine lists upcoming soonest first and history latest first, only the caller’s', async () => {
    await bookingUser(host, 'o-mine');
    await bookingUser(host, 'o-other');
    const later = await book('o-mine', { time: '16:00' });
    const sooner = await book('o-mine', { time: '09:00' });
    const gone = await book('o-mine', { date: '2026-12-01', time: '12:00' });
    await book('o-other', { date: '2026-12-01', time: '12:00' });
    if (!later.ok || !sooner.ok || !gone.ok) throw new Error('booking failed');
    await branches(host, 'cancel', { appointmentId: gone.data.id }, 'o-mine');
    host.clock.set(chinaTime(2026, 11, 30, 9, 45)); // the 09:00 slot is over
    const mine = await branches<MineView>(host, 'mine', {}, 'o-mine');
    if (!mine.ok) throw new Error(mine.error.message);
    expect(mine.data.upcoming.map((a) => a.time)).toEqual(['16:00']);
    expect(mine.data.history.map((a) => [a.time, a.status])).toEqual([
      ['12:00', 'cancelled'],
      ['09:00', 'booked'],
    ]);
    expect(mine.data.upcoming[0]).toMatchObject({ branchName: '工商银行北京测试br_a支行', ticketsAhead: null });
  });
});
