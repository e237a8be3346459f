/** The booking flow (service → date → slot → confirm) and "my appointments" (cancel), against a real host. */
import type { AppointmentView } from '../../typings/branches';
import { actingAs, addBranches, chinaTime, makeBranch, postQueueReport } from '../helpers/branches';
import { bookingUser, personFor } from '../helpers/booking';
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { verifiedUser } from '../helpers/verification';

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(chinaTime(2026, 11, 30, 9, 40)); // Monday, 09:40 China time
  await addBranches(host, [
    makeBranch('br_b', { name: '工商银行北京东长安街支行', services: ['personal', 'corporate', 'forex', 'atm'] }),
  ]);
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-booker');
  await bookingUser(host, 'o-booker');
});

/** Another user, verified so that they may book, acting through the functions. */
async function someoneElse(openid: string) {
  await bookingUser(host, openid);
  return actingAs(host, openid);
}
afterEach(async () => {
  await host.close();
});

async function openBooking(): Promise<PageHandle> {
  const page = await openPage('packageBranches/pages/book/index', { branchId: 'br_b' });
  await page.waitFor(() => !page.instance.data.loading, 'the booking page');
  return page;
}

async function chooseService(page: PageHandle, label: string) {
  await page.tapText('.service-option', label);
  await page.waitFor(() => page.texts('.slot-time').length > 0 || page.text().includes('该日不可预约'), 'the slots');
}

describe('booking', () => {
  test('service → date → slot → confirm gives the ticket, stored for this user', async () => {
    const page = await openBooking();
    expect(page.text('.branch')).toBe('工商银行北京东长安街支行');
    expect(page.texts('.service-option')).toEqual(['个人业务', '对公业务', '外币兑换']);

    await chooseService(page, '个人业务');
    expect(page.texts('.day-option')[0]).toBe('今天 周一 可预约');
    expect(page.texts('.day-option')[6]).toBe('12月6日 周日 不可约');
    // 09:00 and 09:30 have started; 10:00 is the first bookable slot
    expect(page.texts('.slot').slice(0, 3)).toEqual(['09:00 已过', '09:30 已过', '10:00 余 4']);

    await page.tapText('.day-option', '12月2日');
    await page.waitFor(() => page.instance.data.date === '2026-12-02' && !page.instance.data.loadingSlots, 'Wednesday');
    expect(page.texts('.slot')[0]).toBe('09:00 余 4');
    await page.tapText('.slot', '14:30');
    expect(page.text('.confirm-when')).toBe('时间 2026-12-02 14:30-15:00');
    await page.tap('.confirm-button');
    await page.waitFor(() => page.comp.querySelector('.ticket') !== undefined, 'the ticket');

    // 14:30 is slot 11 of the day: tickets 45–48, the first seat
    expect(page.text('.ticket')).toBe('A045');
    expect(page.texts('.done-info')).toEqual(['工商银行北京东长安街支行', '个人业务 · 2026-12-02 14:30-15:00']);
    const stored = await host.app.deps.store.find('appointments');
    const user = await host.app.deps.store.get('wxAccounts', 'o-booker');
    expect(stored).toEqual([expect.objectContaining({ userId: user!.userId, ticket: 'A045', status: 'booked' })]);

    await page.tap('.appointments-button');
    expect(device.navigations).toEqual([{ kind: 'redirectTo', url: '/packageBranches/pages/appointments/index' }]);
    page.detach();
  });

  test('without a real name confirmed, the page says booking needs one before anything is chosen', async () => {
    for (const openid of ['o-follower', 'o-pending']) {
      device.storage.set('wxbank.devOpenid', openid);
      if (openid === 'o-pending') await verifiedUser(host, openid, personFor(openid)); // stated, no card yet
      const page = await openBooking();
      expect(page.text('.blocked')).toContain('预约取号需先完成实名认证');
      expect(page.comp.querySelector('.service-option')).toBeUndefined();
      await page.tap('.security-button');
      expect(device.navigations.pop()).toEqual({ kind: 'redirectTo', url: '/pages/security/index' });
      page.detach();
    }
  });

  test('a closed day and passed slots cannot be picked', async () => {
    const page = await openBooking();
    await chooseService(page, '对公业务');
    await page.tapText('.day-option', '12月5日'); // Saturday: no corporate banking
    expect(page.instance.data.date).toBe('2026-11-30');
    await page.tapText('.slot', '09:30');
    expect(page.comp.querySelector('.confirm')).toBeUndefined();
    expect(page.texts('.day-option')[5]).toBe('12月5日 周六 不可约');
    page.detach();
  });

  test('the last seat taken meanwhile: the server’s message, and the slots refreshed as full', async () => {
    const page = await openBooking();
    await chooseService(page, '个人业务');
    await page.tapText('.slot', '11:00');
    // four other people take every seat of 11:00 while the page shows it as free
    for (const openid of ['o-x1', 'o-x2', 'o-x3', 'o-x4']) {
      const act = await someoneElse(openid);
      await act('book', { branchId: 'br_b', service: 'personal', date: '2026-11-30', time: '11:00' });
    }
    await page.tap('.confirm-button');
    await page.waitFor(() => page.texts('.notice').length > 0, 'the refusal');
    expect(page.text('.notice')).toBe('该时段已约满，请选择其他时段');
    await page.waitFor(() => page.texts('.slot').includes('11:00 已约满'), 'the refreshed slots');
    expect(page.comp.querySelector('.confirm')).toBeUndefined();
    expect(page.comp.querySelector('.ticket')).toBeUndefined();
    page.detach();
  });
});

describe('my appointments', () => {
  async function openMine(): Promise<PageHandle> {
    const page = await openPage('packageBranches/pages/appointments/index');
    await page.waitFor(() => !page.instance.data.loading, 'the appointments');
    return page;
  }

  test('nothing booked: the empty state leads to the branches', async () => {
    await actingAs(host, 'o-booker');
    const page = await openMine();
    expect(page.text('.empty')).toContain('暂无预约');
    await page.tap('.find-button');
    expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/packageBranches/pages/nearby/index' }]);
    page.detach();
  });

  test('lists upcoming with the tickets ahead today; cancelling asks first, then moves it to history', async () => {
    const act = await actingAs(host, 'o-booker');
    const today = await act<AppointmentView>('book', {
      branchId: 'br_b',
      service: 'personal',
      date: '2026-11-30',
      time: '11:00',
    });
    await act('book', { branchId: 'br_b', service: 'forex', date: '2026-12-01', time: '10:00' });
    await postQueueReport(host, 'br_b', {
      seq: 1,
      countersOpen: 2,
      lines: [{ service: 'personal', waiting: 6, nowCalling: 'A010' }],
    });

    const page = await openMine();
    expect(page.texts('.upcoming-item .ticket')).toEqual(['A017', 'C009']);
    expect(page.texts('.upcoming-item .meta')).toEqual([
      '个人业务 · 2026-11-30 11:00-11:30',
      '外币兑换 · 2026-12-01 10:00-10:30',
    ]);
    expect(page.texts('.ahead')).toEqual(['前面还有 6 位']);

    device.modalAnswer = { confirm: false };
    await page.tap('.cancel-button');
    expect(device.modals[0]?.content).toBe('确定取消 2026-11-30 11:00 在工商银行北京东长安街支行的预约（A017）吗？');
    expect((await host.app.deps.store.get('appointments', today.id))?.status).toBe('booked');

    device.modalAnswer = { confirm: true };
    await page.tap('.cancel-button');
    await page.waitFor(() => page.texts('.upcoming-item .ticket').length === 1, 'the list after cancelling');
    expect(device.toasts).toEqual(['已取消']);
    expect(page.texts('.history-item .ticket')).toEqual(['A017']);
    expect(page.texts('.history-item .status')).toEqual(['已取消']);
    expect((await host.app.deps.store.get('appointments', today.id))?.status).toBe('cancelled');
    page.detach();
  });

  test('a refused cancellation shows the server’s message', async () => {
    const act = await actingAs(host, 'o-booker');
    await act('book', { branchId: 'br_b', service: 'personal', date: '2026-11-30', time: '10:00' });
    const page = await openMine();
    host.clock.set(chinaTime(2026, 11, 30, 10, 1)); // the slot has started meanwhile
    await page.tap('.cancel-button');
    await page.waitFor(() => device.toasts.length > 0, 'the toast');
    expect(device.toasts).toEqual(['预约时段已开始，无法取消']);
    page.detach();
  });
});
