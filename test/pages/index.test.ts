/** Home page: opens the session on load, shows the level, offers retry when the host is down. */
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage } from '../helpers/simulate';

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-home');
});
afterEach(async () => {
  await host.close();
});

test('shows the caller as 未实名 after opening the session', async () => {
  const page = await openPage('pages/index/index');
  await page.waitFor(() => page.comp.querySelector('.level-cell') !== undefined, 'the level cell');
  expect(page.text('.level-cell')).toBe('身份 未实名');
  expect(await host.app.deps.store.get('wxAccounts', 'o-home')).not.toBeNull();
  page.detach();
});

test('host down → error and retry; retry after it is back shows the level', async () => {
  device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
  const page = await openPage('pages/index/index');
  await page.waitFor(() => page.text().includes('无法连接本地服务'), 'the error state');
  device.storage.set('wxbank.localHostUrl', host.url);
  await page.tap('.retry-button');
  await page.waitFor(() => page.comp.querySelector('.level-cell') !== undefined, 'the level cell after retry');
  page.detach();
});

test('the dev settings row navigates to the settings page', async () => {
  const page = await openPage('pages/index/index');
  await page.waitFor(() => !page.instance.data.loading, 'loading to finish');
  await page.tap('.dev-settings-link');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/dev-settings/index' }]);
  page.detach();
});

test('the 银行卡 and 安全中心 entries open their pages', async () => {
  const page = await openPage('pages/index/index');
  await page.waitFor(() => !page.instance.data.loading, 'loading to finish');
  await page.tap('.cards-link');
  await page.tap('.security-link');
  expect(device.navigations).toEqual([
    { kind: 'navigateTo', url: '/pages/cards/index' },
    { kind: 'navigateTo', url: '/pages/security/index' },
  ]);
  page.detach();
});
