/**
 * The QR pages against a real host: 扫一扫 on the home page (wx.scanCode answered by the test) →
 * the scan page → the transfer page prefilled, or the order payment page → pay-password sheet →
 * result; launches by `q` and `scene`; the 收款码 page with refresh, stop and card choice, and its
 * 小程序码.
 */
import { CONFIG } from '../../server/config';
import { DependencyUnavailableError } from '../../server/domain/ports/failures';
import type { MiniProgramCodeView, ReceiveCodeView } from '../../typings/qrcode';
import { answerScan, answerSubscribe, installDevice, type Device } from '../helpers/device';
import { readQrImage } from '../helpers/qr';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { act, ALICE, BOB, bindCard, ok, verifiedUser } from '../helpers/verification';

const FUND_CHANGE = CONFIG.notifications.templates.fundChange.templateId;

let host: TestHost;
let device: Device;
let bobCardId: string;

beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-alice');
  await verifiedUser(host, 'o-alice', ALICE);
  await verifiedUser(host, 'o-bob', BOB);
  const aliceCard = await bindCard(host, 'o-alice', '6222020000000000018');
  bobCardId = (await bindCard(host, 'o-bob', '6217000000000000020', BOB)).cardId;
  await ok(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: 'page-topup-1',
    cardId: aliceCard.cardId,
    amountFen: 5_000,
    payPassword: ALICE.payPassword,
  });
});
afterEach(async () => {
  await host.close();
});

const has = (page: PageHandle, selector: string) => page.comp.querySelector(selector) !== undefined;
async function press(page: PageHandle, digits: string): Promise<void> {
  for (const digit of digits) await page.tap(`.pay-sheet >>> .key-${digit}`);
}
const bobsCode = () => ok<ReceiveCodeView>(host, 'o-bob', 'qrcode', { action: 'receiveCode', cardId: bobCardId });
async function order(amountFen: number, extra: Record<string, unknown> = {}): Promise<{ content: string }> {
  const response = await host.raw('/sandbox/merchant-orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amountFen, ...extra }),
  });
  return (JSON.parse(response.text) as { data: { content: string } }).data;
}
const tokenOf = (content: string) => content.slice(CONFIG.qr.linkBase.length);

describe('扫一扫', () => {
  test('home → camera → scan page → the transfer page prefilled with the payee of a receive code', async () => {
    const code = await bobsCode();
    answerScan(code.content);
    const home = await openPage('pages/index/index');
    await home.waitFor(() => !home.instance.data.loading, 'the home page');
    await home.tap('.scan-link');
    await home.waitFor(() => device.navigations.length === 1, 'the scan page');
    expect(device.phoneCalls[0]).toMatchObject({ api: 'scanCode', options: { scanType: ['qrCode', 'wxCode'] } });
    const url = device.navigations[0]!.url!;
    expect(url).toBe(`/pages/qrcode/scan/index?content=${encodeURIComponent(code.content)}`);
    home.detach();

    const scan = await openPage('pages/qrcode/scan/index', { content: encodeURIComponent(code.content) });
    await scan.waitFor(() => device.navigations.length === 2, 'the transfer page');
    expect(device.navigations[1]).toEqual({
      kind: 'redirectTo',
      // only the token: the transfer page shows the payee as the server reads it, never link text
      url: `/pages/transfer/index?receiveToken=${tokenOf(code.content)}`,
    });
    scan.detach();
  });

  test('launched by WeChat’s scanner: `q` (a code’s link), `scene` (a 小程序码’s scene, or a bare token typed in the devtools)', async () => {
    const code = await bobsCode();
    const byLink = await openPage('pages/qrcode/scan/index', { q: encodeURIComponent(code.content) });
    await byLink.waitFor(() => device.navigations.length === 1, 'the transfer page');
    byLink.detach();
    const { scene } = await ok<MiniProgramCodeView>(host, 'o-bob', 'qrcode', {
      action: 'miniProgramCode',
      codeId: code.codeId,
    });
    const byScene = await openPage('pages/qrcode/scan/index', { scene: encodeURIComponent(scene) });
    await byScene.waitFor(() => device.navigations.length === 2, 'the transfer page again');
    byScene.detach();
    const byToken = await openPage('pages/qrcode/scan/index', { scene: encodeURIComponent(tokenOf(code.content)) });
    await byToken.waitFor(() => device.navigations.length === 3, 'the transfer page once more');
    expect(device.navigations[1]).toEqual(device.navigations[0]);
    expect(device.navigations[2]).toEqual(device.navigations[0]);
    byToken.detach();
  });

  test('the app remembers a QR launch that opened the home page, and the home page hands it on once', async () => {
    const { content } = await order(1_200);
    let definition: { globalData: object; onLaunch(options: object): void } | undefined;
    const globals = globalThis as unknown as { App?: unknown; getApp?: unknown };
    globals.App = (options: typeof definition) => (definition = options);
    globals.getApp = () => definition;
    try {
      // app.ts calls App() when loaded, as the WeChat client runs app.js
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require('../../miniprogram/app'));
      definition!.onLaunch({ path: 'pages/index/index', query: { q: encodeURIComponent(content) }, scene: 1011 });
      const home = await openPage('pages/index/index');
      expect(device.navigations).toEqual([
        { kind: 'navigateTo', url: `/pages/qrcode/scan/index?content=${encodeURIComponent(content)}` },
      ]);
      (home.instance as unknown as { onShow(): void }).onShow();
      expect(device.navigations).toHaveLength(1);
      home.detach();
    } finally {
      delete globals.App;
      delete globals.getApp;
    }
  });

  test('a foreign or tampered code says why and offers to scan again; backing out of the camera says so', async () => {
    const scan = await openPage('pages/qrcode/scan/index', { content: encodeURIComponent('https://example.com/x') });
    await scan.waitFor(() => scan.text().includes('无法识别该二维码'), 'the refusal');
    expect(scan.text()).toContain('请对准本行的收款码或商户付款码重新扫描');
    const { content } = await order(900);
    answerScan(content);
    await scan.tap('.scan-again-button');
    await scan.waitFor(() => device.navigations.length === 1, 'the payment page');
    expect(device.navigations[0]).toEqual({
      kind: 'redirectTo',
      url: `/pages/qrcode/pay/index?orderToken=${tokenOf(content)}`,
    });
    scan.detach();

    const tampered = content.replace(/.{12}$/, (tail) => `${tail[0] === 'A' ? 'B' : 'A'}${tail.slice(1)}`);
    const again = await openPage('pages/qrcode/scan/index', { content: encodeURIComponent(tampered) });
    await again.waitFor(() => again.text().includes('二维码校验失败'), 'the tamper refusal');
    again.detach();

    answerScan('cancel');
    const empty = await openPage('pages/qrcode/scan/index');
    await empty.waitFor(() => empty.text().includes('没有扫描到二维码'), 'the cancelled scan');
    expect(device.toasts).toEqual([]);
    empty.detach();
  });
});

describe('paying a merchant order', () => {
  test('order shown → subscribe asked → pay password (a wrong one first) → 付款成功; the merchant is paid', async () => {
    const { content } = await order(2_800, { orderNo: 'PAGE-0001' });
    const page = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(content) });
    await page.waitFor(() => has(page, '.pay-button'), 'the order');
    expect(page.text('.order')).toBe('街角咖啡（沙箱商户） ¥28.00');
    expect(page.text('.order-no')).toContain('PAGE-0001');
    expect(page.text('.method')).toContain('零钱（余额 ¥50.00）');

    answerSubscribe([FUND_CHANGE], 'accept');
    await page.tap('.pay-button');
    await page.waitFor(() => (page.instance.data.sheet as { show: boolean }).show, 'the pay password sheet');
    expect(device.phoneCalls.find((call) => call.api === 'requestSubscribeMessage')?.options).toEqual({
      tmplIds: [FUND_CHANGE],
    });
    expect(page.text('.pay-sheet >>> .subtitle')).toBe('向街角咖啡（沙箱商户）付款 ¥28.00');
    await press(page, '000001');
    await page.waitFor(() => page.text('.pay-sheet >>> .message').includes('还可以再试4次'), 'the tries left');
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.result'), 'the result');
    expect(page.text('.result')).toContain('付款成功 ¥28.00');
    expect(page.text('.result-order')).toContain('PAGE-0001');

    const status = JSON.parse(
      (await host.raw('/sandbox/merchant-orders?merchantId=m_corner_cafe&orderNo=PAGE-0001')).text,
    ) as { data: { paid: boolean; merchantBalanceFen: number } };
    expect(status.data).toMatchObject({ paid: true, merchantBalanceFen: 2_800 });
    const sent = JSON.parse((await host.raw('/sandbox/notifications?openid=o-alice')).text) as {
      data: { items: { title: string }[] };
    };
    expect(sent.data.items.map((m) => m.title)).toEqual(['付款成功']);
    await page.tap('.messages-button');
    expect(device.navigations).toEqual([{ kind: 'redirectTo', url: '/pages/messages/index' }]);
    page.detach();
  });

  test('an order paid already, one past its time, and one larger than the wallet', async () => {
    const paid = await order(100);
    // Bob's wallet is empty: his try fails and the order stays open
    const bobTries = await act(host, 'o-bob', 'qrcode', {
      action: 'payOrder',
      requestId: 'page-bob-pays',
      orderToken: tokenOf(paid.content),
      payPassword: BOB.payPassword,
    });
    expect(bobTries).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_FUNDS' } });
    const first = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(paid.content) });
    await first.waitFor(() => has(first, '.pay-button'), 'the open order');
    first.detach();
    await ok(host, 'o-alice', 'qrcode', {
      action: 'payOrder',
      requestId: 'page-alice-pays',
      orderToken: tokenOf(paid.content),
      payPassword: ALICE.payPassword,
    });
    const already = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(paid.content) });
    await already.waitFor(() => has(already, '.paid-note'), 'the paid note');
    expect(already.text('.paid-note')).toBe('该订单已支付');
    already.detach();

    const short = await order(6_000);
    const tooMuch = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(short.content) });
    await tooMuch.waitFor(() => has(tooMuch, '.pay-button'), 'the order');
    expect(tooMuch.text('.method')).toContain('零钱余额不足');
    expect(tooMuch.instance.data.enough).toBe(false);
    tooMuch.detach();

    const late = await order(100, { ttlSeconds: 60 });
    host.clock.advance(60_000);
    const expired = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(late.content) });
    await expired.waitFor(() => expired.text().includes('订单已过期'), 'the expiry');
    expired.detach();
  });

  test('the merchant issues the order again while the page is open: paying the old code ends on the page, not in the sheet', async () => {
    const { content } = await order(1_200, { orderNo: 'PAGE-RE-1' });
    const page = await openPage('pages/qrcode/pay/index', { orderToken: tokenOf(content) });
    await page.waitFor(() => has(page, '.pay-button'), 'the order');
    await order(1_800, { orderNo: 'PAGE-RE-1' }); // the till issues it again, for another amount
    answerSubscribe([FUND_CHANGE], 'reject');
    await page.tap('.pay-button');
    await page.waitFor(() => (page.instance.data.sheet as { show: boolean }).show, 'the pay password sheet');
    await press(page, ALICE.payPassword);
    await page.waitFor(() => page.text().includes('请扫描商户最新出示的付款码'), 'the refusal on the page');
    expect((page.instance.data.sheet as { show: boolean }).show).toBe(false);
    expect(has(page, '.result')).toBe(false);
    const summary = await ok<{ balanceFen: number }>(host, 'o-alice', 'ledger', { action: 'summary' });
    expect(summary.balanceFen).toBe(5_000);
    page.detach();
  });
});

describe('收款码', () => {
  test('no card: says so and leads to the cards', async () => {
    device.storage.set('wxbank.devOpenid', 'o-nocard');
    await ok(host, 'o-nocard', 'user', { action: 'session' });
    const page = await openPage('pages/qrcode/receive/index');
    await page.waitFor(() => has(page, '.empty'), 'the empty state');
    await page.tap('.add-card-button');
    expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/cards/index' }]);
    page.detach();
  });

  test('the code of a card as an image, refreshed (the old one stops), stopped and made again, on another card', async () => {
    device.storage.set('wxbank.devOpenid', 'o-bob');
    const second = await bindCard(host, 'o-bob', '6225880000000035', BOB);
    const page = await openPage('pages/qrcode/receive/index');
    await page.waitFor(() => has(page, '.qr-image'), 'the code');
    expect((page.instance.data.code as ReceiveCodeView).image).toMatch(/^data:image\/png;base64,/);
    expect(page.text('.payee')).toBe('中国建设银行(尾号0020) *四');
    expect(page.text('.card-cell')).toContain('中国建设银行(0020)');
    const first = page.instance.data.code as ReceiveCodeView;

    await page.tap('.refresh-button');
    await page.waitFor(() => (page.instance.data.code as ReceiveCodeView).codeId !== first.codeId, 'a new code');
    expect(device.toasts).toContain('已刷新，旧收款码已失效');
    const old = await host.call<{ ok: boolean; error?: { code: string } }>(
      'qrcode',
      { action: 'resolve', content: first.content },
      'o-alice',
    );
    expect(old.body.error?.code).toBe('QR_REVOKED');

    await page.tap('.revoke-button');
    await page.waitFor(() => has(page, '.stopped'), 'the stopped state');
    expect(device.modals[0]!.title).toBe('停用收款码');
    await page.tap('.renew-button');
    await page.waitFor(() => has(page, '.qr-image'), 'a new code');

    await page.tap('.card-cell');
    expect(page.instance.data.choosing).toBe(true);
    await page.trigger('.card-sheet', 'select', { name: '招商银行(0035)', cardId: second.cardId });
    await page.waitFor(() => (page.instance.data.code as ReceiveCodeView).cardId === second.cardId, 'the other card');
    expect(page.text('.payee')).toBe('招商银行(尾号0035) *四');
    page.detach();
  });
  test('the 小程序码: drawn when asked, its scene names the payee, a refresh replaces it; WeChat failing leaves the QR', async () => {
    device.storage.set('wxbank.devOpenid', 'o-bob');
    const page = await openPage('pages/qrcode/receive/index');
    await page.waitFor(() => has(page, '.qr-image'), 'the code');
    expect(has(page, '.mini-program-image')).toBe(false);
    await page.tap('.switch-mini-program');
    await page.waitFor(() => has(page, '.mini-program-image'), 'the 小程序码');
    expect(has(page, '.qr-image')).toBe(false);
    expect(page.text('.hint')).toBe('请付款方用微信扫一扫，在小程序中转账');
    const first = page.instance.data.miniProgramCode as MiniProgramCodeView;
    // the sandbox's image holds the scene, which a payer's WeChat would hand to the scan page
    expect(readQrImage(first.image)).toBe(first.scene);
    const payer = await act<{ kind: string; payee: { label: string } }>(host, 'o-alice', 'qrcode', {
      action: 'resolve',
      content: first.scene,
    });
    expect(payer).toMatchObject({ ok: true, data: { kind: 'receive', payee: { label: '中国建设银行(0020) *四' } } });

    await page.tap('.refresh-button');
    await page.waitFor(
      () =>
        (page.instance.data.miniProgramCode as MiniProgramCodeView | null)?.codeId ===
          (page.instance.data.code as ReceiveCodeView).codeId &&
        (page.instance.data.code as ReceiveCodeView).codeId !== first.codeId,
      'the new code’s 小程序码',
    );
    expect((page.instance.data.miniProgramCode as MiniProgramCodeView).scene).not.toBe(first.scene);

    await page.tap('.switch-qr');
    expect(has(page, '.qr-image')).toBe(true);
    page.detach();

    // WeChat cannot draw it: the page says so, offers the QR, and retries
    const drawing = host.app.deps.miniProgramCodes;
    host.app.deps.miniProgramCodes = {
      image: () => Promise.reject(new DependencyUnavailableError('wechat', 'errcode_-1')),
    };
    const failing = await openPage('pages/qrcode/receive/index');
    await failing.waitFor(() => has(failing, '.qr-image'), 'the code');
    await failing.tap('.switch-mini-program');
    await failing.waitFor(() => has(failing, '.mini-program-error'), 'the failure');
    expect(failing.text('.mini-program-error')).toContain('服务暂时不可用');
    expect(failing.text('.mini-program-error')).toContain('请使用二维码收款');
    host.app.deps.miniProgramCodes = drawing;
    await failing.tap('.mini-program-retry');
    await failing.waitFor(() => has(failing, '.mini-program-image'), 'the 小程序码 after all');
    await failing.tap('.switch-qr');
    expect(has(failing, '.qr-image')).toBe(true);
    failing.detach();
  });
});
