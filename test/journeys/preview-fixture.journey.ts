/**
 * The preview on a mini program it has never seen (test/fixtures/preview-app): a tab bar, a
 * subpackage page, query strings and launch-by-QR options, the device APIs answered through the
 * frame's dialogs and the side panel, `<map>` on a canvas, and visible notices for what the preview
 * does not support. Pages are found from app.json, so nothing here is special-cased in the preview.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import type { PreviewPage } from '../helpers/browser';
import { useJourney } from '../helpers/journey';

const FIXTURE_PREVIEW = path.resolve(__dirname, '../../dist/preview-fixture');

const journey = useJourney({ previewDir: FIXTURE_PREVIEW });
let preview: PreviewPage;
let tmp: string;
beforeAll(async () => {
  preview = await journey.open();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'wxbank-qr-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const tabBar = () => preview.phone.locator('.pv-tabbar');

test('tab bar from app.json, a subpackage page with its query, and back', async () => {
  expect(await preview.route()).toBe('pages/home/index');
  expect(await preview.title()).toBe('预览夹具');
  expect(await tabBar().isVisible()).toBe(true);
  expect(await tabBar().innerText()).toMatch(/首页\s*设备/);
  // rpx in app.wxss follows the frame: 20rpx is 10px on a 375px-wide phone
  const padding = await preview.page
    .locator(await preview.page.evaluate(() => window.__preview.selector('.greeting')))
    .evaluate((node) => getComputedStyle(node).paddingTop);
  expect(padding).toBe('10px');

  await preview.type('.name-input', '小明');
  await preview.waitForText('输入：小明');

  await preview.tap('.open-echo');
  await preview.waitForRoute('packages/extra/pages/echo/index');
  expect(await preview.text('.options')).toBe('from=home&n=1');
  expect(await preview.title()).toBe('回显');
  expect(await tabBar().isVisible()).toBe(false);
  // redirectTo replaces the page (relative URL); a page not in app.json fails, visibly
  await preview.tap('.redirect');
  await preview.waitForText('redirected=1');
  expect((await preview.stack()).map((entry) => entry.query)).toEqual([{}, { redirected: '1' }]);
  await preview.tap('.missing');
  await preview.waitForText('navigateTo:fail page "pages/missing/index" is not found');
  expect(await preview.phone.locator('.pv-banner').last().innerText()).toContain('pages/missing/index');
  await preview.tap('.go-back');
  await preview.waitForRoute('pages/home/index');
  // the page kept its state underneath
  expect(await preview.text('.typed')).toBe('输入：小明');
});

test('launch by QR: scene and q arrive URL-encoded in onLoad, as WeChat passes them', async () => {
  const page = preview.page;
  await page.locator('.pv-open__route').selectOption('packages/extra/pages/echo/index');
  await page.locator('.pv-launch__scene').fill('shop=7');
  await page.locator('.pv-launch__go').click();
  await preview.waitForRoute('packages/extra/pages/echo/index');
  expect(await preview.text('.options')).toBe('scene=shop%3D7');
  expect(await preview.stack()).toHaveLength(1);

  // q from a QR image read in the page (jsQR)
  const image = path.join(tmp, 'launch.png');
  await QRCode.toFile(image, 'https://wxbank.example/pay?order=42');
  await page.locator('.pv-launch__scene').fill('');
  await page.locator('.pv-launch__image').setInputFiles(image);
  await page.getByText('读到：https://wxbank.example/pay?order=42').waitFor();
  await page.locator('.pv-launch__go').click();
  await preview.waitForText('q=');
  expect(await preview.text('.options')).toBe(`q=${encodeURIComponent('https://wxbank.example/pay?order=42')}`);
});

test('device APIs answer through visible dialogs and the side panel', async () => {
  await preview.page.locator('.pv-open__route').selectOption('pages/home/index');
  await preview.page.locator('.pv-open__go').click();
  await preview.waitForRoute('pages/home/index');
  await tabBar().getByText('设备').click();
  await preview.waitForRoute('pages/devices/index');
  expect(await preview.title()).toBe('设备');

  await preview.tap('.ask-modal');
  expect(await preview.dialogText()).toContain('要继续吗？');
  await preview.pressDialog('取消');
  await preview.waitForText('选了取消');

  await preview.tap('.ask-sheet');
  await preview.phone.getByRole('menuitem', { name: '乙' }).click();
  await preview.waitForText('菜单 1');

  await preview.page.locator('.pv-position__lat').fill('22.5431');
  await preview.page.locator('.pv-position__lng').fill('114.0579');
  await preview.page.locator('.pv-position__lng').dispatchEvent('change');
  await preview.tap('.locate');
  await preview.waitForText('位置 22.5431,114.0579');

  const qr = path.join(tmp, 'merchant.png');
  await QRCode.toFile(qr, 'wxbank://merchant-order/9001');
  await preview.tap('.scan');
  await preview.phone.locator('.pv-scan__file').setInputFiles(qr);
  await preview.waitForText('扫到 wxbank://merchant-order/9001');
  await preview.tap('.scan');
  await preview.pressDialog('取消');
  await preview.waitForText('失败：scanCode:fail cancel');

  await preview.tap('.call');
  expect(await preview.dialogText()).toContain('95588');
  await preview.pressDialog('呼叫');
  await preview.waitForText('已拨号');

  await preview.tap('.navigate');
  expect(await preview.dialogText()).toContain('人民广场支行');
  await preview.pressDialog('知道了');
  await preview.waitForText('已导航');

  await preview.tap('.subscribe');
  await preview.pressDialog('允许');
  await preview.waitForText('订阅 accept');
  await preview.screenshot('fixture-devices');
});

test('<map> draws markers on a canvas and reports marker taps', async () => {
  const map = preview.page.locator(await preview.page.evaluate(() => window.__preview.selector('.branch-map')));
  const box = (await map.boundingBox())!;
  expect(box.height).toBeCloseTo(150, 0); // 300rpx
  // marker 1 sits at the map's centre; its pin is drawn just above the point
  await preview.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2 - 14);
  await preview.waitForText('点了网点 1');
  await preview.screenshot('fixture-map');
});

test('what the preview cannot do is named, never blank or silent', async () => {
  await preview.tap('.soter');
  await preview.waitForText('失败：startSoterAuthentication:fail not supported in the preview');
  const problems = await preview.problems();
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringContaining('wx.startSoterAuthentication'),
      expect.stringContaining('<video>'),
      expect.stringContaining('<fancy-widget>'),
    ]),
  );
  expect(await preview.page.locator('.pv-notices').innerText()).toContain('wx.startSoterAuthentication');
  await tabBar().getByText('首页').click();
  await preview.waitForRoute('pages/home/index');
  const placeholders = preview.phone.locator('.wx-page:not([hidden]) [data-preview-unsupported]');
  expect(
    await placeholders.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.previewUnsupported)),
  ).toEqual(['video', 'fancy-widget']);
});
