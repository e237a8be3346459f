/** Card list, detail with unbind, and the add-card flow, against a real host with the sandbox bank and SMS. */
import { CONFIG } from '../../server/config';
import { SANDBOX_RESERVED_PHONE, TEST_CARDS, UNSUPPORTED_BANK_CARD } from '../../server/adapters/sandbox/test-cards';
import { MemoryLogger } from '../../server/adapters/system';
import { createLocalApp } from '../../server/host/app';
import { listen } from '../../server/host/http';
import { ManualClock } from '../helpers/clock';
import { installDevice, type Device } from '../helpers/device';
import { hostClient, startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { tempDbFile } from '../helpers/tmp';
import { ALICE, BOB, bindCard, latestSmsCode, ok, outbox, verifiedUser } from '../helpers/verification';
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
  jest.restoreAllMocks();
  await host.close();
});

const ICBC = TEST_CARDS[0]!.number;
const CMB_CREDIT = TEST_CARDS[3]!.number;

async function press(page: PageHandle, digits: string): Promise<void> {
  for (const digit of digits) await page.tap(`.pay-sheet >>> .key-${digit}`);
}
const has = (page: PageHandle, selector: string) => page.comp.querySelector(selector) !== undefined;
/** The code in the 测试环境 banner, '' while there is none. */
const bannerCode = (page: PageHandle) => (has(page, '.sandbox-sms-code') ? page.text('.sandbox-sms-code') : '');

describe('cards list', () => {
  test('empty: says so and offers to add; a follower is sent to the security centre', async () => {
    await ok(host, 'o-alice', 'user', { action: 'session' });
    const page = await openPage('pages/cards/index');
    await page.waitFor(() => has(page, '.empty'), 'the empty state');
    expect(page.text('.empty')).toContain('还没有绑定银行卡');
    await page.tap('.add-button');
    await page.waitFor(() => device.modals.length === 1, 'the modal');
    expect(device.modals[0]!.content).toContain('实名认证');
    await page.waitFor(() => device.navigations.length === 1, 'the navigation');
    expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/security/index' }]);
    page.detach();
  });

  test('bound cards as tiles in bank colours with 尾号, tapping opens the detail; verified users go to add', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const first = await bindCard(host, 'o-alice', ICBC);
    await bindCard(host, 'o-alice', CMB_CREDIT);
    const page = await openPage('pages/cards/index');
    await page.waitFor(() => has(page, '.card-1'), 'two tiles');
    // the tiles name banks the way WeChat's card list does: 工商银行, 浦发银行
    expect(page.text('.card-0')).toBe('工商银行 储蓄卡 **** **** **** 0018 尾号0018');
    expect(page.text('.card-1')).toContain('招商银行 信用卡');
    expect(page.text('.count')).toBe('已绑定 2/10 张');
    expect(page.comp.querySelector('.card-0 >>> .bank-card')!.dom!.getAttribute('style')).toContain('#c7000b');
    expect(page.text()).not.toContain(ICBC);

    await page.tap('.card-0 >>> .bank-card');
    expect(device.navigations).toEqual([
      { kind: 'navigateTo', url: `/pages/cards/detail/index?cardId=${first.cardId}` },
    ]);
    await page.tap('.add-button');
    await page.waitFor(() => device.navigations.length === 2, 'the add page');
    expect(device.navigations[1]).toEqual({ kind: 'navigateTo', url: '/pages/cards/add/index' });
    page.detach();
  });

  test('host down: error with retry', async () => {
    device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
    const page = await openPage('pages/cards/index');
    await page.waitFor(() => page.text().includes('无法连接本地服务'), 'the error');
    device.storage.set('wxbank.localHostUrl', host.url);
    await ok(host, 'o-alice', 'user', { action: 'session' });
    await page.tap('.retry-button');
    await page.waitFor(() => has(page, '.empty'), 'the list after retry');
    page.detach();
  });
});

describe('card detail', () => {
  test('shows the card; unbinding asks to confirm, then the pay password; a wrong one shows the tries left', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const { cardId } = await bindCard(host, 'o-alice', ICBC);
    const page = await openPage('pages/cards/detail/index', { cardId });
    await page.waitFor(() => has(page, '.fact-number'), 'the card');
    expect(page.text('.fact-bank')).toBe('银行 中国工商银行');
    expect(page.text('.fact-number')).toBe('卡号 尾号0018');
    // the bank's daily quick-payment limit (this test card's was raised at its bank)
    expect(page.text('.fact-limit')).toBe('快捷支付单日限额 充值从这张卡扣款，以发卡行限额为准 ¥200,000.00');

    device.modalAnswer.confirm = false;
    await page.tap('.unbind-button');
    await page.waitFor(() => device.modals.length === 1, 'the confirmation');
    expect(page.instance.data.sheet).toMatchObject({ show: false });

    device.modalAnswer.confirm = true;
    await page.tap('.unbind-button');
    await page.waitFor(() => (page.instance.data.sheet as { show: boolean }).show, 'the sheet');
    expect(page.text('.pay-sheet >>> .subtitle')).toBe('解绑中国工商银行(0018)');
    await press(page, '000001');
    await page.waitFor(() => page.text('.pay-sheet >>> .message').includes('还可以再试4次'), 'the tries left');
    await press(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'going back');
    expect(device.navigations).toEqual([{ kind: 'navigateBack' }]);
    expect(device.toasts).toContain('已解除绑定');
    expect(await ok(host, 'o-alice', 'cards', { action: 'list' })).toMatchObject({ cards: [] });
    page.detach();
  });

  test('the binding day is Beijing’s, whatever zone the phone is in', async () => {
    // 2026-11-29 01:30 in Beijing is still the 28th for a phone set to UTC
    const zone = process.env.TZ;
    process.env.TZ = 'UTC';
    try {
      host.clock.advance(Date.UTC(2026, 10, 28, 17, 30) - host.clock.now());
      await verifiedUser(host, 'o-alice', ALICE);
      const { cardId } = await bindCard(host, 'o-alice', ICBC);
      const page = await openPage('pages/cards/detail/index', { cardId });
      await page.waitFor(() => has(page, '.fact-bound'), 'the card');
      expect(page.text('.fact-bound')).toBe('绑定时间 2026年11月29日');
      page.detach();
    } finally {
      process.env.TZ = zone;
    }
  });

  test("someone else's card: the server's NOT_FOUND message", async () => {
    await verifiedUser(host, 'o-bob', BOB);
    const { cardId } = await bindCard(host, 'o-bob', ICBC, BOB);
    await ok(host, 'o-alice', 'user', { action: 'session' });
    const page = await openPage('pages/cards/detail/index', { cardId });
    await page.waitFor(() => page.text().includes('银行卡不存在或已解绑'), 'the error');
    expect(has(page, '.unbind-button')).toBe(false);
    page.detach();
  });
});

describe('adding a card', () => {
  /** The pay password on the sheet, then Alice's ICBC card, ID number and the reserved phone. */
  async function fillCardForm(page: PageHandle): Promise<void> {
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.card-field'), 'the card form');
    await page.type('.card-field', ICBC);
    await page.type('.id-field', ALICE.idNumber);
    await page.type('.phone-field', SANDBOX_RESERVED_PHONE);
  }

  async function openAddPage(): Promise<PageHandle> {
    const page = await openPage('pages/cards/add/index');
    await page.waitFor(() => (page.instance.data.sheet as { show: boolean }).show, 'the pay password sheet');
    return page;
  }

  test('password → card (bank shown as typed) → refusal shown → SMS code with countdown → bound', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const page = await openAddPage();
    expect(page.text('.pay-sheet >>> .subtitle')).toBe('验证身份以添加银行卡');
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.card-field'), 'the card form');
    expect(page.instance.data.holderName).toBe('张三');

    await page.type('.card-field', UNSUPPORTED_BANK_CARD);
    await page.waitFor(() => page.text().includes('暂不支持平安银行的银行卡'), 'the unsupported warning');
    await page.type('.card-field', ICBC);
    await page.waitFor(() => page.text().includes('中国工商银行 储蓄卡'), 'the detected bank');
    expect(page.text()).not.toContain('暂不支持');

    await page.type('.id-field', ALICE.idNumber);
    await page.type('.phone-field', '13900139000');
    await page.tap('.next-button');
    await page.waitFor(() => page.text().includes('手机号与银行预留手机号不一致'), 'the bank’s refusal');

    await page.type('.phone-field', SANDBOX_RESERVED_PHONE);
    await page.tap('.next-button');
    await page.waitFor(() => has(page, '.code-field'), 'the SMS step');
    expect(page.text('.sent-to')).toBe('验证码已发送至 1380013****');
    expect(page.text('.binding-card')).toBe('中国工商银行储蓄卡（尾号0018）');
    expect(page.text('.resend-button')).toBe('60秒后重新发送');

    // the 测试环境 banner shows the code the sandbox sent, never the phone in full
    const code = await latestSmsCode(host);
    await page.waitFor(() => has(page, '.sandbox-sms-code'), 'the sandbox banner');
    expect(page.text('.sandbox-sms-tag')).toBe('测试环境');
    expect(page.text('.sandbox-sms-code')).toBe(code);
    expect(page.text('.sandbox-sms-text')).toContain(`验证码${code}，用于绑定尾号0018的中国工商银行储蓄卡`);
    expect(page.text()).not.toContain(SANDBOX_RESERVED_PHONE);
    await page.type('.code-field', code === '000000' ? '000001' : '000000');
    await page.tap('.confirm-button');
    await page.waitFor(() => page.text().includes('验证码错误，还可以再试4次'), 'the wrong code');
    await page.type('.code-field', code);
    await page.tap('.confirm-button');
    await page.waitFor(() => device.navigations.length === 1, 'going back to the list');
    // the first card completed the pending real name
    expect(device.toasts).toContain('绑定成功，已完成实名认证');
    expect(device.navigations).toEqual([{ kind: 'navigateBack' }]);
    expect(await ok(host, 'o-alice', 'cards', { action: 'list' })).toMatchObject({ cards: [{ lastFour: '0018' }] });
    expect(await ok(host, 'o-alice', 'user', { action: 'profile' })).toMatchObject({ level: 'verified' });
    page.detach();
  });

  test('a pending real name: holder locked to it, the ID number filled in from this session, a note that the card completes it', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const page = await openAddPage();
    // what the security centre remembers after the real-name form (memory of this session only)
    const memory = jest.requireActual<typeof TypedIdNumber>('../../miniprogram/utils/typed-id-number');
    memory.rememberTypedIdNumber(ALICE.idNumber);
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.card-field'), 'the card form');
    expect(page.instance.data).toMatchObject({ holderName: ALICE.name, completesRealName: true });
    expect(page.text('.first-card-note')).toContain('同时完成实名认证');
    await page.type('.card-field', ICBC);
    await page.type('.phone-field', SANDBOX_RESERVED_PHONE);
    await page.tap('.next-button');
    await page.waitFor(() => has(page, '.code-field'), 'the SMS step, without typing the ID number');
    page.detach();
  });

  test('a verified user: no note, the ID number asked with its last four as a hint', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    await bindCard(host, 'o-alice', CMB_CREDIT);
    const page = await openAddPage();
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.card-field'), 'the card form');
    expect(has(page, '.first-card-note')).toBe(false);
    expect(page.instance.data).toMatchObject({
      completesRealName: false,
      idNumber: '',
      idLastFour: ALICE.idNumber.slice(-4),
    });
    await page.type('.card-field', ICBC);
    await page.type('.id-field', ALICE.idNumber);
    await page.type('.phone-field', SANDBOX_RESERVED_PHONE);
    await page.tap('.next-button');
    await page.waitFor(() => has(page, '.code-field'), 'the SMS step');
    await page.type('.code-field', await latestSmsCode(host));
    await page.tap('.confirm-button');
    await page.waitFor(() => device.navigations.length === 1, 'going back to the list');
    expect(device.toasts).toContain('绑定成功');
    page.detach();
  });

  test('resend becomes possible when the countdown ends and sends a new code', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const page = await openAddPage();
    await fillCardForm(page);
    await page.tap('.next-button');
    await page.waitFor(() => has(page, '.code-field'), 'the SMS step');

    // a minute passes for the phone and for the server
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + CONFIG.sms.resendIntervalMs);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    await page.waitFor(() => page.text('.resend-button') === '重新发送', 'the countdown to end', 3000);
    await page.tap('.resend-button');
    await page.waitFor(() => page.text('.resend-button') === '60秒后重新发送', 'a new countdown');
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toHaveLength(2);
    // the banner follows the new code
    const resent = await latestSmsCode(host);
    await page.waitFor(() => bannerCode(page) === resent, 'the new code in the banner');
    page.detach();
  });

  test('刷新 in the banner fetches the code again (here: one resent behind the page’s back)', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const page = await openAddPage();
    await fillCardForm(page);
    await page.tap('.next-button');
    const first = await latestSmsCode(host);
    await page.waitFor(() => bannerCode(page) === first, 'the first code');
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    const binding = page.instance.data.binding as { sms: { challengeId: string } };
    await ok(host, 'o-alice', 'verify', {
      action: 'resendSms',
      challengeId: binding.sms.challengeId,
      phone: SANDBOX_RESERVED_PHONE,
    });
    const second = await latestSmsCode(host);
    await page.tap('.sandbox-sms-refresh');
    await page.waitFor(() => bannerCode(page) === second, 'the refreshed code');
    page.detach();
  });

  test('where a real SMS provider sends (no outbox for the functions): no banner, nothing else changes', async () => {
    const clock = new ManualClock();
    const app = createLocalApp({ dbFile: tempDbFile(), clock, log: new MemoryLogger(), smsOutbox: false });
    const url = `http://127.0.0.1:${(await listen(app.server, 0)).port}`;
    const real = { ...hostClient(url), clock };
    device.storage.set('wxbank.localHostUrl', url);
    try {
      await verifiedUser(real, 'o-alice', ALICE);
      const page = await openAddPage();
      await fillCardForm(page);
      await page.tap('.next-button');
      await page.waitFor(() => has(page, '.code-field'), 'the SMS step');
      await page.waitFor(() => page.instance.data._noSandboxSms === true, 'the action to answer 不支持的操作');
      expect(has(page, '.sandbox-sms')).toBe(false);
      expect(page.text()).not.toContain('测试环境');
      expect(page.text('.sent-to')).toBe('验证码已发送至 1380013****');
      expect(page.text('.resend-button')).toBe('60秒后重新发送');
      expect(has(page, '.form-error')).toBe(false);
      // the code reached the (sandbox) phone all the same: the binding completes
      await page.type('.code-field', await latestSmsCode(real));
      await page.tap('.confirm-button');
      await page.waitFor(() => device.navigations.length === 1, 'going back to the list');
      expect(device.toasts).toContain('绑定成功，已完成实名认证');
      page.detach();
    } finally {
      await app.close();
    }
  });

  test('a ticket that ran out asks for the password again and keeps what was typed', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const page = await openAddPage();
    await fillCardForm(page);
    host.clock.advance(CONFIG.payPassword.ticketTtlMs);
    await page.tap('.next-button');
    await page.waitFor(() => page.text('.pay-sheet >>> .message').includes('验证已超时'), 'the sheet again');
    await press(page, ALICE.payPassword);
    await page.waitFor(() => has(page, '.card-field'), 'the form again');
    expect(page.instance.data).toMatchObject({ cardNumber: ICBC, phone: SANDBOX_RESERVED_PHONE });
    await page.tap('.next-button');
    await page.waitFor(() => has(page, '.code-field'), 'the SMS step');
    page.detach();
  });

  test('without a real name the page says what to do first', async () => {
    await ok(host, 'o-alice', 'user', { action: 'session' });
    const page = await openPage('pages/cards/add/index');
    await page.waitFor(() => has(page, '.security-button'), 'the blocked state');
    expect(page.text('.blocked')).toContain('请先完成实名认证');
    await page.tap('.security-button');
    expect(device.navigations).toEqual([{ kind: 'redirectTo', url: '/pages/security/index' }]);
    page.detach();
  });
});
