/**
 * Journey 3, branches: the phone is put in Shanghai (the preview's position control answers
 * wx.getLocation); home → 网点 lists the nearest branch first — checked against a brute-force
 * great-circle sort of every branch in the store — then the branch, 预约取号 (service → day →
 * slot → confirm), the ticket in 我的预约, and cancelling it there.
 */
import { greatCircleMetres } from '../../server/domain/branches/geo';
import type { AppointmentDoc, BranchDoc } from '../../server/domain/collections';
import { seedBranches } from '../../server/host/branch-seed';
import { formatDistance } from '../../miniprogram/packageBranches/utils/format';
import { bookingUser } from '../helpers/booking';
import { chinaTime } from '../helpers/branches';
import type { PreviewPage } from '../helpers/browser';
import { useJourney } from '../helpers/journey';

const OPENID = 'o-journey-branches';
/** Lujiazui, Shanghai (GCJ-02, as the map and getLocation use). */
const LUJIAZUI = { lat: 31.2397, lng: 121.4998 };

const journey = useJourney({
  async prepare(host) {
    host.clock.set(chinaTime(2026, 11, 30, 9, 40)); // Monday morning: today's later slots are open
    await seedBranches(host.app.deps); // the 2,000 branches `npm start` seeds
    await bookingUser(host, OPENID); // booking needs a real name the bank confirmed
  },
});

/** Every stored branch, nearest to `from` first (ties by id, as the server breaks them). */
async function branchesByDistance(from: { lat: number; lng: number }) {
  const all: BranchDoc[] = [];
  for (let page: BranchDoc[] = []; all.length === 0 || page.length === 1000;) {
    page = await journey.host.app.deps.store.find('branches', {
      where: [{ field: 'id', op: '>', value: all[all.length - 1]?.id ?? '' }],
      orderBy: [['id', 'asc']],
      limit: 1000,
    });
    all.push(...page);
  }
  return all
    .map((branch) => {
      const [lng, lat] = branch.location.coordinates;
      return { branch, distanceM: greatCircleMetres(from, { lat, lng }) };
    })
    .sort((a, b) => a.distanceM - b.distanceM || (a.branch.id < b.branch.id ? -1 : 1));
}

async function appointmentsOf(openid: string): Promise<AppointmentDoc[]> {
  const account = await journey.host.app.deps.store.get('wxAccounts', openid);
  return journey.host.app.deps.store.find('appointments', {
    where: [{ field: 'userId', op: '==', value: account!.userId }],
  });
}

/** Types a position into the side panel, as a developer does; getLocation answers it from then on. */
async function setPosition(preview: PreviewPage, position: { lat: number; lng: number }): Promise<void> {
  await preview.page.locator('.pv-position__lat').fill(String(position.lat));
  await preview.page.locator('.pv-position__lng').fill(String(position.lng));
  await preview.page.locator('.pv-position__lng').dispatchEvent('change');
}

test('Shanghai: nearest branch first → book a slot → in 我的预约 → cancelled', async () => {
  const started = Date.now();
  const [nearest, second] = await branchesByDistance(LUJIAZUI);

  const preview = await journey.open({ openid: OPENID });
  await preview.waitForText('已实名');
  await setPosition(preview, LUJIAZUI);
  await preview.tap('.branches-link');
  await preview.waitForRoute('packageBranches/pages/nearby/index');
  const first = await preview.locate('.branch-item');
  await first.waitFor();
  await preview.idle();
  expect(await preview.text('.origin')).toBe('当前位置');

  // the list starts with the nearest branch of the whole store, at its distance
  expect(await first.getAttribute('data-id')).toBe(nearest!.branch.id);
  expect(await preview.text('.branch-name')).toBe(nearest!.branch.name);
  expect(await preview.text('.branch-distance')).toBe(formatDistance(Math.round(nearest!.distanceM)));
  expect(await preview.text('.branch-item:nth-child(2) .branch-name')).toBe(second!.branch.name);
  await preview.screenshot('branches-1-nearby');

  await first.click();
  await preview.waitForRoute('packageBranches/pages/detail/index');
  await preview.waitForText('预约取号');
  expect(await preview.text('.branch-name')).toBe(nearest!.branch.name);
  expect(await preview.title()).toBe(nearest!.branch.name);
  // the detail measures from where the phone is, too
  expect(await preview.text('.distance')).toBe(`· ${formatDistance(Math.round(nearest!.distanceM))}`);
  await preview.screenshot('branches-2-detail');

  await preview.tap('.book-button');
  await preview.waitForRoute('packageBranches/pages/book/index');
  await preview.waitForText('1. 选择业务');
  const service = await preview.text('.service-option');
  await preview.tap('.service-option');
  await preview.waitForText('3. 选择时段');
  expect(await preview.text('.day-option')).toBe('今天 周一 可预约');
  // 09:40 now: the first open slot is 10:00
  const slot = await preview.locate('.slot--available');
  expect(await slot.getAttribute('data-time')).toBe('10:00');
  await slot.click();
  await preview.waitForText('确认预约');
  expect(await preview.text('.confirm-when')).toBe('时间 2026-11-30 10:00-10:30');
  await preview.screenshot('branches-3-confirm');
  await preview.tap('.confirm-button');
  await preview.waitForText('预约成功');
  const ticket = await preview.text('.ticket');
  expect(ticket).toMatch(/^[A-Z]\d{3}$/);
  expect(await preview.text('.done-info')).toBe(nearest!.branch.name);
  await preview.screenshot('branches-4-booked');

  const [booked] = await appointmentsOf(OPENID);
  expect(booked).toMatchObject({
    branchId: nearest!.branch.id,
    startsAt: chinaTime(2026, 11, 30, 10, 0),
    ticket,
    status: 'booked',
  });

  await preview.tap('.appointments-button');
  await preview.waitForRoute('packageBranches/pages/appointments/index');
  await preview.waitForText('待办理');
  expect(await preview.text('.upcoming-item')).toBe(
    `${ticket} 待办理 ${nearest!.branch.name} ${service} · 2026-11-30 10:00-10:30 取消预约`,
  );
  await preview.screenshot('branches-5-appointments');

  await preview.tap('.cancel-button');
  expect(await preview.dialogText()).toContain(
    `确定取消 2026-11-30 10:00 在${nearest!.branch.name}的预约（${ticket}）吗？`,
  );
  await preview.pressDialog('取消预约');
  await preview.waitForText('已取消');
  expect(await preview.locate('.upcoming-item').then((items) => items.count())).toBe(0);
  expect(await preview.text('.history-item')).toContain(`${ticket} 已取消 ${nearest!.branch.name}`);
  await preview.screenshot('branches-6-cancelled');

  expect((await appointmentsOf(OPENID)).map((a) => a.status)).toEqual(['cancelled']);
  expect(await preview.problems()).toEqual([]);
  console.log(`branches journey ${Date.now() - started} ms`);
});
