/** Security centre against a real host: the real name stated and pending until a card confirms it, setting and changing the pay password on the sheet. */
import { CONFIG } from '../../server/config';
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { ALICE, act, bindCard, ok, verifiedUser } from '../helpers/verification';
import type * as TypedIdNumber from '../../miniprogram/utils/typed-id-number';

let host: TestHost;
let device: Device;
beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-alice');
});
afterEach(async () => {
  await host.close();
});

async function press(page: PageHandle, digits: string): Promise<void> {
  for (const digit of digits) await page.tap(`.pay-sheet >>> .key-${digit}`);
}
const sheetText = (page: PageHandle, selector: string) => page.text(`.pay-sheet >>> ${selector}`);
const loaded = (page: PageHandle) => page.waitFor(() => !page.instance.data.loading, 'the profile');

test('a follower states the real name: pending, masked to the last four, with the way to complete it by a card', async () => {
  await ok(host, 'o-alice', 'user', { action: 'session' });
  const page = await openPage('pages/security/index');
  await loaded(page);
  expect(page.text('.pay-password-cell')).toContain('填写实名信息后可设置');

  await page.type('.name-field', ALICE.name);
  await page.type('.id-field', '110105199003071230');
  await page.tap('.verify-button');
  await page.waitFor(() => page.text().includes('校验位'), 'the server’s message');

  await page.type('.id-field', ALICE.idNumber);
  await page.tap('.verify-button');
  await page.waitFor(() => page.comp.querySelector('.identity-name') !== undefined, 'the identity cells');
  expect(page.text('.identity-name')).toBe('姓名 *三');
  expect(page.text('.identity-id')).toBe(`身份证号 ${'*'.repeat(14)}${ALICE.idNumber.slice(-4)}`);
  expect(page.text('.identity-status')).toBe('状态 待绑卡验证');
  expect(page.text()).not.toContain(ALICE.idNumber);
  expect(device.toasts).toContain('已提交，绑定本人银行卡即完成认证');
  expect(page.text('.set-pay-password')).toContain('设置支付密码');
  // the number stays in this session's memory for the add-card form, nowhere else
  const memory = jest.requireActual<typeof TypedIdNumber>('../../miniprogram/utils/typed-id-number');
  expect(memory.typedIdNumberEnding(ALICE.idNumber.slice(-4))).toBe(ALICE.idNumber);
  expect([...device.storage.values()].join(' ')).not.toContain(ALICE.idNumber);

  // 绑定银行卡完成认证 asks for the pay password first
  await page.tap('.bind-card-button');
  await page.waitFor(() => device.modals.length === 1, 'the modal');
  await page.waitFor(() => (page.instance.data.sheet as { show: boolean }).show, 'the set-password sheet');
  expect(sheetText(page, '.title')).toBe('设置支付密码');
  page.detach();
});

test('a pending real name can be corrected before a card confirms it', async () => {
  await ok(host, 'o-alice', 'user', { action: 'session' });
  await ok(host, 'o-alice', 'user', { action: 'verifyRealName', name: '张山', idNumber: ALICE.idNumber });
  const page = await openPage('pages/security/index');
  await loaded(page);
  await page.tap('.edit-real-name');
  expect(page.instance.data).toMatchObject({ editing: true, name: '张山' });
  await page.type('.name-field', ALICE.name);
  await page.type('.id-field', ALICE.idNumber);
  await page.tap('.verify-button');
  await page.waitFor(() => page.comp.querySelector('.identity-name') !== undefined, 'the identity cells');
  expect(page.text('.identity-name')).toBe('姓名 *三');
  expect(await ok(host, 'o-alice', 'user', { action: 'profile' })).toMatchObject({ pendingIdentity: { name: '张三' } });
  page.detach();
});

test('verified by the first card: shown as 已认证 when the page shows again, nothing to complete or correct', async () => {
  await verifiedUser(host, 'o-alice', ALICE);
  const page = await openPage('pages/security/index');
  await loaded(page);
  expect(page.text('.identity-status')).toBe('状态 待绑卡验证');
  // the add-card page, opened from here, binds the first card; coming back shows the page again
  await bindCard(host, 'o-alice', TEST_CARDS[0]!.number);
  (page.instance as unknown as { onShow(): void }).onShow();
  await page.waitFor(
    () => page.comp.querySelector('.identity-status') !== undefined && page.text('.identity-status') === '状态 已认证',
    'the verified identity',
  );
  expect(page.comp.querySelector('.bind-card-button')).toBeUndefined();
  expect(page.comp.querySelector('.edit-real-name')).toBeUndefined();
  expect(page.text('.change-pay-password')).toContain('修改支付密码');
  page.detach();
});

test('with the pay password set, 绑定银行卡完成认证 opens the add-card page', async () => {
  await verifiedUser(host, 'o-alice', ALICE);
  const page = await openPage('pages/security/index');
  await loaded(page);
  await page.tap('.bind-card-button');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/cards/add/index' }]);
  page.detach();
});

test('setting the pay password: a trivial one is refused on the sheet, then two matching entries set it', async () => {
  await ok(host, 'o-alice', 'user', { action: 'session' });
  await ok(host, 'o-alice', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
  const page = await openPage('pages/security/index');
  await loaded(page);
  await page.tap('.set-pay-password');
  expect(sheetText(page, '.title')).toBe('设置支付密码');

  await press(page, '123456');
  expect(sheetText(page, '.title')).toBe('请再次输入以确认');
  await press(page, '123456');
  await page.waitFor(() => sheetText(page, '.message').includes('连续'), 'the refusal on the sheet');
  expect(sheetText(page, '.title')).toBe('设置支付密码');

  await press(page, ALICE.payPassword);
  await press(page, ALICE.payPassword);
  await page.waitFor(() => page.comp.querySelector('.change-pay-password') !== undefined, 'the change cell');
  expect(device.toasts).toContain('支付密码已设置');
  expect(page.instance.data.sheet).toMatchObject({ show: false });
  expect(await ok(host, 'o-alice', 'user', { action: 'profile' })).toMatchObject({ payPassword: { set: true } });
  page.detach();
});

test('changing it: a wrong old password shows the tries left; the right ones change it', async () => {
  await verifiedUser(host, 'o-alice', ALICE);
  const page = await openPage('pages/security/index');
  await loaded(page);
  await page.tap('.change-pay-password');
  await press(page, '000001');
  await press(page, '739184');
  await press(page, '739184');
  await page.waitFor(() => sheetText(page, '.message').includes('还可以再试4次'), 'the tries left');
  expect(sheetText(page, '.title')).toBe('请输入原支付密码');

  await press(page, ALICE.payPassword);
  await press(page, '739184');
  await press(page, '739184');
  await page.waitFor(() => device.toasts.includes('支付密码已修改'), 'the change');
  const ticket = await act(host, 'o-alice', 'verify', {
    action: 'verifyPayPassword',
    payPassword: '739184',
    purpose: 'cards.bind',
  });
  expect(ticket.ok).toBe(true);
  page.detach();
});

test('a locked pay password: the page says until when, and the sheet shows the lock message', async () => {
  await verifiedUser(host, 'o-alice', ALICE);
  for (let i = 0; i < CONFIG.payPassword.maxAttempts; i++) {
    await act(host, 'o-alice', 'verify', { action: 'verifyPayPassword', payPassword: '000001', purpose: 'cards.bind' });
  }
  const page = await openPage('pages/security/index');
  await loaded(page);
  expect(page.text('.change-pay-password')).toMatch(/已锁定，\d+月\d+日 \d\d:\d\d后可用/);
  await page.tap('.change-pay-password');
  await press(page, ALICE.payPassword);
  await press(page, '739184');
  await press(page, '739184');
  await page.waitFor(() => page.comp.querySelector('.pay-sheet >>> .locked-message') !== undefined, 'the lock');
  expect(sheetText(page, '.locked-message')).toBe('支付密码错误次数过多，已锁定，请3小时后再试');
  page.detach();
});

test('host down: an error with retry', async () => {
  device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
  const page = await openPage('pages/security/index');
  await page.waitFor(() => page.text().includes('无法连接本地服务'), 'the error state');
  device.storage.set('wxbank.localHostUrl', host.url);
  await ok(host, 'o-alice', 'user', { action: 'session' });
  await page.tap('.retry-button');
  await page.waitFor(() => page.comp.querySelector('.name-field') !== undefined, 'the form after retry');
  page.detach();
});
