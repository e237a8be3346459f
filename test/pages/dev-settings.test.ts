/** The dev settings page, loaded with miniprogram-simulate, talking to a real local host. */
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage } from '../helpers/simulate';

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
});
afterEach(async () => {
  await host.close();
});

test('typing a host and an openid, then tapping connect, shows the session from the host', async () => {
  const page = await openPage('pages/dev-settings/index');
  expect(page.text('.connect-button')).toBe('保存并连接');

  await page.type('.host-field', host.url);
  await page.type('.openid-field', 'o-page-user');
  await page.tap('.connect-button');
  await page.waitFor(() => page.comp.querySelector('.session-level') !== undefined, 'the session cells');

  expect(page.text('.session-level')).toContain('未实名');
  const userId = page.text('.session-user');
  expect(userId).toMatch(/用户编号 u_[0-9a-z]+/);
  // the page really reached the host as the typed identity
  expect(device.storage.get('wxbank.devOpenid')).toBe('o-page-user');
  expect(await host.app.deps.store.get('wxAccounts', 'o-page-user')).toEqual(
    expect.objectContaining({ userId: userId.split(' ')[1] }),
  );
  page.detach();
});

test('an unreachable host shows the transport error on the page', async () => {
  const page = await openPage('pages/dev-settings/index');
  await page.type('.host-field', 'http://127.0.0.1:9');
  await page.type('.openid-field', 'o-page-user');
  await page.tap('.connect-button');
  await page.waitFor(() => page.text().includes('无法连接本地服务'), 'the error message');
  page.detach();
});

test('an empty openid is refused before any request', async () => {
  const page = await openPage('pages/dev-settings/index');
  await page.type('.host-field', host.url);
  await page.type('.openid-field', '');
  await page.tap('.connect-button');
  expect(page.text()).toContain('请填写本地服务地址');
  expect(device.requests).toHaveLength(0);
  page.detach();
});
