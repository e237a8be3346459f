/** The branch detail page: hours, services, the live queue; calling, navigating and booking. */
import { addBranches, chinaTime, makeBranch, postQueueReport } from '../helpers/branches';
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage } from '../helpers/simulate';

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(chinaTime(2026, 11, 30, 10)); // Monday morning
  await addBranches(host, [
    makeBranch('br_d', {
      name: '招商银行北京建国路支行',
      bankCode: 'CMB',
      address: '北京市朝阳区建国路88号',
      phone: '010-85123456',
      location: { type: 'Point', coordinates: [116.4612, 39.9087] },
      services: ['personal', 'corporate', 'wealth', 'atm'],
    }),
    makeBranch('br_atm', { services: ['atm'] }),
    makeBranch('br_sunday', { week: [null, null, null, null, null, null, null] }),
  ]);
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-detail');
});
afterEach(async () => {
  await host.close();
});

async function openDetail(query: Record<string, string> = { id: 'br_d' }) {
  const page = await openPage('packageBranches/pages/detail/index', query);
  await page.waitFor(() => !page.instance.data.loading, 'the detail');
  return page;
}

test('shows the branch, its distance, today’s state, the week’s hours, services and notes', async () => {
  const page = await openDetail({ id: 'br_d', lat: '39.9087', lng: '116.4500' });
  expect(page.text('.branch-name')).toBe('招商银行北京建国路支行');
  expect(page.text('.bank-name')).toBe('招商银行');
  expect(page.text('.address')).toMatch(/^北京市朝阳区建国路88号 · 9\d\d m$/);
  expect(page.text('.today')).toBe('营业中 今日 09:00-17:00');
  expect(page.texts('.hours-row')).toEqual(['周一至周五 09:00-17:00', '周六 09:30-16:00', '周日 休息']);
  expect(page.texts('.service-tag')).toEqual(['个人业务', '对公业务', '理财', 'ATM']);
  expect(page.texts('.note')).toEqual(['对公业务仅工作日办理', '自助银行 24 小时开放', '设有无障碍通道']);
  expect(page.text('.queue-summary')).toBe('暂无排队信息');
  expect(device.requests[0]?.data).toMatchObject({ action: 'detail', branchId: 'br_d', lat: 39.9087, lng: 116.45 });
  page.detach();
});

test('shows the live queue the branch machine reported', async () => {
  await postQueueReport(host, 'br_d', {
    seq: 1,
    countersOpen: 2,
    lines: [
      { service: 'personal', waiting: 9, nowCalling: 'A031' },
      { service: 'corporate', waiting: 1, nowCalling: null },
    ],
  });
  const page = await openDetail();
  expect(page.text('.queue-summary')).toBe('排队 10 人 · 约 30 分钟 开放窗口 2 个');
  expect(page.texts('.queue-line')).toEqual(['个人业务 排队 9 人 · 正在叫号 A031', '对公业务 排队 1 人']);
  page.detach();
});

test('call, navigate and book act on the branch', async () => {
  device.answers.makePhoneCall = { ok: true };
  device.answers.openLocation = { ok: true };
  const page = await openDetail();
  await page.tap('.phone-cell');
  await page.tap('.navigate-button');
  expect(device.phoneCalls).toEqual([
    { api: 'makePhoneCall', options: { phoneNumber: '010-85123456' } },
    {
      api: 'openLocation',
      options: {
        latitude: 39.9087,
        longitude: 116.4612,
        name: '招商银行北京建国路支行',
        address: '北京市朝阳区建国路88号',
        scale: 16,
      },
    },
  ]);
  await page.tap('.book-button');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/packageBranches/pages/book/index?branchId=br_d' }]);
  page.detach();
});

test('a dialler closed by the user is no error; a map that cannot open says so', async () => {
  device.answers.makePhoneCall = { fail: 'makePhoneCall:fail cancel' };
  device.answers.openLocation = { fail: 'openLocation:fail' };
  const page = await openDetail();
  await page.tap('.phone-cell');
  await page.tap('.navigate-button');
  await page.waitFor(() => device.toasts.length > 0, 'the toast');
  expect(device.toasts).toEqual(['无法打开地图']);
  page.detach();
});

test('an ATM-only branch offers no booking; a closed day reads 今日休息; an unknown branch shows the server’s message', async () => {
  const atm = await openDetail({ id: 'br_atm' });
  expect(atm.comp.querySelector('.book-button')).toBeUndefined();
  atm.detach();
  const closed = await openDetail({ id: 'br_sunday' });
  expect(closed.text('.today')).toBe('休息中 今日休息');
  closed.detach();
  const missing = await openDetail({ id: 'br_missing' });
  expect(missing.text('.error-text')).toBe('网点不存在');
  missing.detach();
});
