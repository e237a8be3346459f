/**
 * The nearby page (subpackage packageBranches) against a real host: the phone's location answered
 * per test at the wx boundary; map markers, the distance-sorted list, filter chips, the city
 * picker when the location is refused, paging, and the way into a branch.
 */
import { destination } from '../../server/domain/branches/geo';
import { addBranches, chinaTime, makeBranch } from '../helpers/branches';
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';

const HERE = { lat: 39.9042, lng: 116.4074 };
const at = (bearing: number, metres: number) => {
  const point = destination(HERE, bearing, metres);
  return { type: 'Point' as const, coordinates: [point.lng, point.lat] as [number, number] };
};

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(chinaTime(2026, 11, 30, 10)); // Monday morning
  await addBranches(host, [
    makeBranch('br_far', { name: '建设银行北京远郊支行', bankCode: 'CCB', location: at(0, 1_500) }),
    makeBranch('br_near', { name: '工商银行北京东长安街支行', location: at(90, 300) }),
    makeBranch('br_mid', {
      name: '中国银行北京王府井支行',
      bankCode: 'BOC',
      location: at(200, 800),
      week: [null, null, null, null, null, null, null],
    }),
    makeBranch('br_out', { name: '农业银行北京郊外支行', bankCode: 'ABC', location: at(45, 20_000) }),
  ]);
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-nearby');
});
afterEach(async () => {
  await host.close();
});

const listed = (page: PageHandle) => page.texts('.branch-name');

async function openWithLocation(): Promise<PageHandle> {
  device.answers.getLocation = { ok: { latitude: HERE.lat, longitude: HERE.lng } };
  const page = await openPage('packageBranches/pages/nearby/index');
  await page.waitFor(() => listed(page).length > 0, 'the branch list');
  return page;
}

test('with the location: a marker per branch and the list nearest first, with distance, hours and queue', async () => {
  const page = await openWithLocation();
  expect(device.phoneCalls[0]).toEqual({ api: 'getLocation', options: { type: 'gcj02' } });
  expect(listed(page)).toEqual(['工商银行北京东长安街支行', '中国银行北京王府井支行', '建设银行北京远郊支行']);
  expect(page.texts('.branch-distance')).toEqual(['300 m', '800 m', '1.5 km']);
  expect(page.texts('.branch-open')).toEqual(['营业中', '休息中', '营业中']); // br_mid never opens
  expect(page.texts('.branch-hours')).toEqual(['09:00-17:00', '今日休息', '09:00-17:00']);
  // a closed branch shows no queue line: 休息中 is said once
  expect(page.texts('.branch-queue')).toEqual(['暂无排队信息', '暂无排队信息']);
  expect(page.texts('.branch-item')[1]).toBe('中国银行北京王府井支行 800 m 北京市东城区东长安街1号 休息中 今日休息');
  const markers = page.instance.data.markers as { latitude: number; title: string; iconPath: string }[];
  expect(markers.map((m) => m.title)).toEqual(listed(page));
  expect(markers[0]!.iconPath).toBe('/packageBranches/images/marker.png');
  expect(page.text('.origin')).toBe('当前位置');
  page.detach();
});

test('bank, service and open-now chips narrow the search on the server', async () => {
  const page = await openWithLocation();
  await page.tapText('.bank-chip', '中国银行');
  await page.waitFor(() => listed(page).length === 1, 'the Bank of China branch alone');
  expect(listed(page)).toEqual(['中国银行北京王府井支行']);
  expect(device.requests.at(-1)?.data).toMatchObject({ action: 'nearby', bankCodes: ['BOC'] });

  await page.tapText('.bank-chip', '中国银行'); // off again
  await page.tapText('.open-chip', '营业中');
  await page.waitFor(() => listed(page).length === 2, 'the open branches');
  expect(listed(page)).not.toContain('中国银行北京王府井支行');
  expect(device.requests.at(-1)?.data).toMatchObject({ openNow: true });

  await page.tapText('.service-chip', '外币兑换');
  await page.waitFor(() => device.requests.at(-1)?.data !== undefined && !page.instance.data.loading, 'the search');
  expect(device.requests.at(-1)?.data).toMatchObject({ service: 'forex', openNow: true });
  page.detach();
});

test('location refused → the city picker; choosing a city lists from its centre', async () => {
  device.answers.getLocation = { fail: 'getLocation:fail auth deny' };
  const page = await openPage('packageBranches/pages/nearby/index');
  await page.waitFor(() => page.comp.querySelector('.city-option') !== undefined, 'the city picker');
  expect(page.text('.city-hint')).toBe('您未授权使用位置信息，请选择城市查看网点');
  expect(page.texts('.city-option')).toEqual(expect.arrayContaining(['北京', '上海', '哈尔滨']));
  expect(device.requests.some((r) => (r.data as { action?: string }).action === 'nearby')).toBe(false);

  await page.tapText('.city-option', '北京');
  await page.waitFor(() => listed(page).length > 0, 'the Beijing list');
  expect(page.text('.origin')).toBe('北京');
  expect(device.requests.at(-1)?.data).toMatchObject({ action: 'nearby', lat: 39.9087, lng: 116.3975 });
  expect(listed(page)[0]).toBe('工商银行北京东长安街支行');
  page.detach();
});

test('a location failure that is not a refusal also offers the cities, and retrying can succeed', async () => {
  device.answers.getLocation = { fail: 'getLocation:fail system permission denied timeout' };
  const page = await openPage('packageBranches/pages/nearby/index');
  await page.waitFor(() => page.comp.querySelector('.city-option') !== undefined, 'the city picker');
  device.answers.getLocation = { ok: { latitude: HERE.lat, longitude: HERE.lng } };
  await page.tap('.retry-location');
  await page.waitFor(() => listed(page).length === 3, 'the list after locating');
  page.detach();
});

test('tapping a marker highlights its branch; its callout and the list open the detail page', async () => {
  const page = await openWithLocation();
  await page.trigger('.map', 'markertap', { markerId: 1 });
  expect(page.instance.data.selectedId).toBe('br_mid');
  expect(page.comp.querySelectorAll('.branch-item--selected')).toHaveLength(1);
  await page.trigger('.map', 'callouttap', { markerId: 0 });
  await page.tapText('.branch-item', '建设银行北京远郊支行');
  expect(device.navigations).toEqual([
    { kind: 'navigateTo', url: `/packageBranches/pages/detail/index?id=br_near&lat=${HERE.lat}&lng=${HERE.lng}` },
    { kind: 'navigateTo', url: `/packageBranches/pages/detail/index?id=br_far&lat=${HERE.lat}&lng=${HERE.lng}` },
  ]);
  page.detach();
});

test('more than a page: 加载更多 appends the next page from the cursor', async () => {
  await addBranches(
    host,
    Array.from({ length: 22 }, (_, i) =>
      makeBranch(`br_extra_${String(i).padStart(2, '0')}`, {
        name: `邮储银行北京${i}号支行`,
        location: at(i * 16, 2_000 + i * 50),
      }),
    ),
  );
  const page = await openWithLocation();
  expect(listed(page)).toHaveLength(20);
  await page.tap('.load-more');
  await page.waitFor(() => listed(page).length === 25, 'the second page');
  expect(page.comp.querySelector('.load-more')).toBeUndefined();
  expect(page.text('.list-end')).toBe('没有更多了');
  expect(new Set(listed(page)).size).toBe(25);
  page.detach();
});

test('host down: the error and a retry', async () => {
  device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
  device.answers.getLocation = { ok: { latitude: HERE.lat, longitude: HERE.lng } };
  const page = await openPage('packageBranches/pages/nearby/index');
  await page.waitFor(() => page.text().includes('无法连接本地服务'), 'the error');
  device.storage.set('wxbank.localHostUrl', host.url);
  await page.tap('.retry-button');
  await page.waitFor(() => listed(page).length === 3, 'the list after retry');
  page.detach();
});

test('the home page’s 网点 entry opens the nearby page', async () => {
  const page = await openPage('pages/index/index');
  await page.waitFor(() => !page.instance.data.loading, 'the home page');
  await page.tap('.branches-link');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/packageBranches/pages/nearby/index' }]);
  page.detach();
});
