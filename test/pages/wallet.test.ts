/**
 * The wallet pages against a real host: home, top-up, withdraw, transfer (confirm sheet, pay
 * password, result kept current until the bank answers), history with paging and filters, and an
 * entry's detail. Money is typed on the pages' own keypads, as a user does.
 */
import { CONFIG } from '../../server/config';
import type { CardView } from '../../typings/cards';
import type { HistoryView, SummaryView } from '../../typings/ledger';
import type { ReceiveCodeView } from '../../typings/qrcode';
import { installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { ALICE, BOB, bindCard, ok, verifiedUser } from '../helpers/verification';

const PAYEE_NORMAL = '6217000000000000160';
const CMB_CREDIT = '6225750000000048';
const PAYEE_RETURNS = '6222020000000000133';

let host: TestHost;
let device: Device;
let aliceCardId: string;

beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-alice');
  await verifiedUser(host, 'o-alice', ALICE);
  aliceCardId = (await bindCard(host, 'o-alice', '6222020000000000018')).cardId;
});
afterEach(async () => {
  await host.close();
});

const summary = () => ok<SummaryView>(host, 'o-alice', 'ledger', { action: 'summary' });
const historyOf = (openid = 'o-alice') => ok<HistoryView>(host, openid, 'ledger', { action: 'history', limit: 50 });
let topups = 0;
const topup = (amountFen: number) =>
  ok(host, 'o-alice', 'ledger', {
    action: 'topup',
    requestId: `wallet-page-topup-${++topups}`,
    cardId: aliceCardId,
    amountFen,
    payPassword: ALICE.payPassword,
  });
/** The timer trigger's run (no openid: the system calls it). */
async function settle(): Promise<void> {
  const { body } = await host.call<{ ok: boolean }>('settle', { action: 'run' });
  expect(body.ok).toBe(true);
}
/** `2026-11-28 12:05` in China time, `ms` after the host's now. */
function chinaTimeAfter(ms: number): string {
  return new Date(host.clock.now() + ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

async function typeAmount(page: PageHandle, text: string): Promise<void> {
  for (const key of text) await page.tap(`.keypad >>> .key-${key === '.' ? 'point' : key}`);
}
async function enterPassword(page: PageHandle, password: string): Promise<void> {
  for (const digit of password) await page.tap(`.pay-sheet >>> .key-${digit}`);
}
const sheetOpen = (page: PageHandle) => (page.instance.data.sheet as { show: boolean }).show;
/** The result page a submission redirected to, opened as the client would. */
async function followRedirect(): Promise<PageHandle> {
  const last = device.navigations[device.navigations.length - 1]!;
  expect(last.kind).toBe('redirectTo');
  const [route, query] = last.url!.slice(1).split('?');
  return openPage(route!, Object.fromEntries(new URLSearchParams(query)));
}

describe('home', () => {
  test('balance, 处理中 amount, latest entries, the eye that hides the balance, and the unread badge', async () => {
    await topup(50_000);
    await ok(host, 'o-alice', 'ledger', {
      action: 'transferToCard',
      requestId: 'home-transfer-1',
      payeeName: BOB.name,
      cardNumber: PAYEE_NORMAL,
      amountFen: 12_345,
      speed: 'fast',
      payPassword: ALICE.payPassword,
    });
    const home = await openPage('pages/index/index');
    await home.waitFor(() => home.instance.data.loaded === true && home.instance.data.unreadCount !== 0, 'the wallet');
    expect(home.text('.balance')).toBe('¥376.43');
    expect(home.text('.pending')).toBe('¥123.57 处理中');
    expect(home.texts('.latest-item')).toHaveLength(2);
    expect(home.text('.latest-0')).toMatch(
      /^转账到银行卡 中国建设银行\(0160\) \*四 2026-11-28 \d\d:\d\d -¥123\.57 处理中$/,
    );
    expect(home.text('.latest-1')).toMatch(/^充值 .+\(0018\) 2026-11-28 \d\d:\d\d \+¥500\.00 成功$/);
    // two messages: the top-up and the transfer sent
    expect(home.text('.messages-link')).toContain('2');

    await home.tap('.eye');
    expect(home.text('.balance')).toBe('****');
    expect(device.storage.get('wxbank.hideBalance')).toBe(true);
    home.detach();
    const again = await openPage('pages/index/index');
    await again.waitFor(() => again.instance.data.loaded === true, 'the wallet again');
    expect(again.text('.balance')).toBe('****');
    again.detach();
  });

  test('pulling down shows what changed meanwhile, then ends the refresh', async () => {
    const home = await openPage('pages/index/index');
    await home.waitFor(() => home.instance.data.loaded === true, 'the wallet');
    expect(home.text('.balance')).toBe('¥0.00');
    await topup(2_500);
    await (home.instance as unknown as { onPullDownRefresh(): Promise<void> }).onPullDownRefresh();
    expect(home.text('.balance')).toBe('¥25.00');
    expect(home.text('.latest-0')).toContain('+¥25.00');
    expect(home.text('.messages-link')).toContain('1');
    expect(device.pullDownStops).toBe(1);
    home.detach();
  });

  test('the shortcuts open their pages; an entry opens its detail', async () => {
    await topup(1_000);
    const home = await openPage('pages/index/index');
    await home.waitFor(() => home.instance.data.loaded === true, 'the wallet');
    for (const link of ['topup', 'withdraw', 'transfer', 'receive', 'history', 'messages'])
      await home.tap(`.${link}-link`);
    await home.tap('.latest-0 >>> .operation');
    const { operationId } = (await historyOf()).items[0]!;
    expect(device.navigations.map((n) => n.url)).toEqual([
      '/pages/topup/index',
      '/pages/withdraw/index',
      '/pages/transfer/index',
      '/pages/qrcode/receive/index',
      '/pages/history/index',
      '/pages/messages/index',
      `/pages/history/detail/index?id=${operationId}`,
    ]);
    home.detach();
  });
});

describe('top-up', () => {
  test('the bound card is chosen, the amount typed on the keypad, the pay password entered → 充值成功', async () => {
    const page = await openPage('pages/topup/index');
    await page.waitFor(() => !page.instance.data.loading, 'the cards');
    expect(page.text('.card-picker')).toContain('(0018)');
    await typeAmount(page, '0500.50');
    expect(page.text('.amount-field')).toContain('500.5'); // no leading zero; the keypad keeps it well formed
    await page.tap('.keypad >>> .key-confirm');
    expect(sheetOpen(page)).toBe(true);
    expect(page.text('.pay-sheet >>> .subtitle')).toBe('充值 ¥500.50');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    page.detach();

    const result = await followRedirect();
    await result.waitFor(() => result.instance.data.shown !== null, 'the result');
    expect(result.text('.headline')).toBe('充值成功');
    expect(result.text('.head-amount')).toBe('+¥500.50');
    expect(result.text('.detail')).toContain('付款银行卡');
    expect((await summary()).balanceFen).toBe(50_050);
    result.detach();
  });

  test('only debit cards are offered; with credit cards alone the page says a debit card is needed', async () => {
    await bindCard(host, 'o-alice', CMB_CREDIT);
    const page = await openPage('pages/topup/index');
    await page.waitFor(() => !page.instance.data.loading, 'the cards');
    expect((page.instance.data.cards as CardView[]).map((card) => card.lastFour)).toEqual(['0018']);
    expect(page.text('.card-picker')).toContain('储蓄卡(0018)');
    page.detach();
    await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId: aliceCardId, payPassword: ALICE.payPassword });
    for (const [route, text] of [
      ['pages/topup/index', '信用卡不能充值零钱，请添加一张本人储蓄卡'],
      ['pages/withdraw/index', '零钱只能提现到储蓄卡，请添加一张本人储蓄卡'],
    ]) {
      const again = await openPage(route!);
      await again.waitFor(() => !again.instance.data.loading, 'the cards');
      expect(again.text('.no-cards')).toContain(text!);
      again.detach();
    }
  });

  test('zero and three decimals are refused on the page; a wrong pay password stays on the sheet', async () => {
    const page = await openPage('pages/topup/index');
    await page.waitFor(() => !page.instance.data.loading, 'the cards');
    await typeAmount(page, '0.00');
    await page.tap('.keypad >>> .key-confirm');
    expect(page.text('.amount-field')).toContain('请输入大于0的金额');
    await page.tap('.keypad >>> .key-delete');
    await typeAmount(page, '19'); // the keypad refuses a third decimal: 0.01
    expect(page.instance.data.amountText).toBe('0.01');
    await page.tap('.keypad >>> .key-confirm');
    await enterPassword(page, '999999');
    await page.waitFor(
      () => page.text('.pay-sheet >>> .message').includes('还可以再试4次'),
      'the refusal on the sheet',
    );
    expect(sheetOpen(page)).toBe(true);
    expect(device.navigations).toEqual([]);
    expect((await summary()).balanceFen).toBe(0);
    page.detach();
  });
});

describe('withdraw', () => {
  test('the fee and arrival are quoted as the amount is typed; 全部提现 solves amount + fee = balance', async () => {
    await topup(200_000);
    const page = await openPage('pages/withdraw/index');
    await page.waitFor(() => !page.instance.data.loading, 'the page');
    expect(page.text('.balance-text')).toBe('零钱余额 ¥2,000.00');
    expect(page.text('.hint')).toContain('剩余免费提现额度 ¥1,000.00');
    await typeAmount(page, '1500');
    await page.waitFor(() => page.text().includes('手续费 ¥0.50'), 'the quote', 2000);
    expect(page.text('.quote-line')).toBe('手续费 ¥0.50（免费额度抵扣 ¥1,000.00），共扣除 ¥1,500.50');
    expect(page.text('.arrival-line')).toMatch(/^预计 \d{4}-\d\d-\d\d \d\d:\d\d 前到账$/);

    await page.tap('.withdraw-all');
    await page.waitFor(() => page.instance.data.amountText !== '1500', 'the whole balance');
    // 2,000.00 = amount + 0.1% of what exceeds the free ¥1,000 (min ¥0.10), rounded half-up
    expect(page.instance.data.amountText).toBe('1999');
    expect(page.text('.quote-line')).toContain('共扣除 ¥2,000.00');
    await page.tap('.keypad >>> .key-confirm');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    page.detach();
    const result = await followRedirect();
    await result.waitFor(() => result.instance.data.shown !== null, 'the result');
    expect(result.text('.headline')).toBe('提现处理中');
    expect((await summary()).balanceFen).toBe(0);
    result.detach();
  });
});

describe('withdraw over the limit', () => {
  test('全部提现 of ¥60,000 takes the ¥50,000 one withdrawal may, and says the rest needs another', async () => {
    await topup(5_000_000);
    await topup(1_000_000);
    const page = await openPage('pages/withdraw/index');
    await page.waitFor(() => !page.instance.data.loading, 'the page');
    expect(page.comp.querySelector('.limit-line')).toBeUndefined();
    await page.tap('.withdraw-all');
    await page.waitFor(() => page.instance.data.amountText !== '', 'the quote');
    expect(page.instance.data.amountText).toBe('50000');
    expect(page.text('.quote-line')).toBe('手续费 ¥49.00（免费额度抵扣 ¥1,000.00），共扣除 ¥50,049.00');
    expect(page.text('.limit-line')).toBe('单笔最多提现 ¥50,000.00，剩余 ¥9,951.00 需再次提现');
    await page.tap('.keypad >>> .key-confirm');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    expect((await summary()).balanceFen).toBe(995_100);
    page.detach();
  });
});

describe('transfer', () => {
  async function fillTransfer(page: PageHandle, cardNumber: string, amount: string): Promise<void> {
    await page.type('.name-field', BOB.name);
    await page.type('.card-field', cardNumber);
    await page.waitFor(() => page.comp.querySelector('.bank-line') !== undefined, 'the detected bank', 2000);
    await page.tap('.amount-field >>> .amount-field');
    await typeAmount(page, amount);
    await page.tap('.keypad >>> .key-confirm');
    await page.waitFor(() => page.instance.data.confirm !== null, 'the confirm sheet');
  }

  test('¥123.45: confirm sheet with fee ¥0.12, total, payee and arrival → 处理中 → 成功 when the bank settles', async () => {
    await topup(50_000);
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    expect(page.text('.balance-line')).toBe('零钱余额 ¥500.00，今日还可转 ¥50,000.00');
    await fillTransfer(page, PAYEE_NORMAL, '123.45');
    expect(page.text('.bank-line')).toBe('中国建设银行 储蓄卡');
    expect(page.text('.confirm-amount')).toBe('¥123.45');
    expect(page.text('.confirm-payee')).toBe('收款人 中国建设银行(0160) *四');
    expect(page.text('.confirm-fee')).toBe('手续费 ¥0.12');
    expect(page.text('.confirm-total')).toBe('合计扣除 ¥123.57');
    expect(page.text('.confirm-arrival')).toBe(`到账时间 预计 ${chinaTimeAfter(CONFIG.ledger.arrivalMs.fast)} 前到账`);
    await page.tap('.confirm-button');
    expect(page.instance.data.confirm).toBeNull();
    expect(page.text('.pay-sheet >>> .subtitle')).toBe('向 中国建设银行(0160) *四 转账 ¥123.45，手续费 ¥0.12');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    page.detach();

    const result = await followRedirect();
    await result.waitFor(() => result.instance.data.shown !== null, 'the result');
    expect(result.text('.headline')).toBe('转账已提交，等待银行处理');
    expect(result.text('.head-amount')).toBe('-¥123.57');
    expect(result.text('.detail')).toContain('到账方式 2小时内到账');
    expect((await summary()).balanceFen).toBe(37_643);
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    await settle();
    // the page asks again by itself while the transfer is pending
    await result.waitFor(() => result.text('.headline') === '转账成功', 'the bank’s answer', 6000);
    expect(result.text('.detail')).toContain('完成时间');
    result.detach();
  });

  test('a wrong pay password, then the right one: one transfer, sent with one requestId', async () => {
    await topup(50_000);
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    await fillTransfer(page, PAYEE_NORMAL, '100');
    await page.tap('.confirm-button');
    await enterPassword(page, '999999');
    await page.waitFor(() => page.text('.pay-sheet >>> .message').includes('还可以再试'), 'the refusal');
    const firstId = (page.instance.data._intent as { requestId: string } | null)?.requestId;
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    page.detach();
    const transfers = (await historyOf()).items.filter((item) => item.type === 'transfer');
    expect(transfers).toHaveLength(1);
    expect(firstId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    // replaying the first id with the same payload returns that very transfer: it was the one sent
    const replay = await ok<{ operationId: string }>(host, 'o-alice', 'ledger', {
      action: 'transferToCard',
      requestId: firstId,
      payeeName: BOB.name,
      cardNumber: PAYEE_NORMAL,
      amountFen: 10_000,
      speed: 'fast',
      payPassword: ALICE.payPassword,
    });
    expect(replay.operationId).toBe(transfers[0]!.operationId);
  });

  test('the bank returns it (户名不符): the detail says 已退回 with the reason, and the balance is whole', async () => {
    await topup(50_000);
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    await fillTransfer(page, PAYEE_RETURNS, '200');
    await page.tap('.confirm-button');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    page.detach();
    expect((await summary()).balanceFen).toBe(29_980);
    host.clock.advance(CONFIG.sandbox.settleAfterMs);
    await settle();

    const [transfer] = (await historyOf()).items;
    const detail = await openPage('pages/history/detail/index', { id: transfer!.operationId });
    await detail.waitFor(() => detail.instance.data.shown !== null, 'the detail');
    expect(detail.text('.head-status')).toBe('已退回');
    expect(detail.text('.detail')).toContain('收款人户名与卡号不符');
    expect((await summary()).balanceFen).toBe(50_000);
    detail.detach();
  });

  test('from a scanned receive code: the payee is fixed and shown masked; only the amount is asked', async () => {
    await verifiedUser(host, 'o-bob', BOB);
    const bobCard = await bindCard(host, 'o-bob', '6217000000000000020', BOB);
    const code = await ok<ReceiveCodeView>(host, 'o-bob', 'qrcode', { action: 'receiveCode', cardId: bobCard.cardId });
    const resolved = await ok<{ receiveToken: string; payee: { label: string } }>(host, 'o-alice', 'qrcode', {
      action: 'resolve',
      content: code.content,
    });
    await topup(10_000);
    // a link can carry any text as `payee`: the page shows only what the server reads from the code
    const page = await openPage('pages/transfer/index', {
      receiveToken: resolved.receiveToken,
      payee: encodeURIComponent('中国银行官方客服(8888) 张三'),
    });
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    expect(page.text('.scanned-payee')).toBe('收款人 来自收款码 中国建设银行(0020) *四');
    expect(page.text()).not.toContain('官方客服');
    expect(page.comp.querySelector('.name-field')).toBeUndefined();
    await typeAmount(page, '50');
    await page.tap('.keypad >>> .key-confirm');
    await page.waitFor(() => page.instance.data.confirm !== null, 'the confirm sheet');
    expect(page.text('.confirm-payee')).toBe('收款人 中国建设银行(0020) *四');
    await page.tap('.confirm-button');
    await enterPassword(page, ALICE.payPassword);
    await page.waitFor(() => device.navigations.length === 1, 'the result page');
    expect((await historyOf()).items[0]).toMatchObject({ type: 'transfer', amountFen: 5_000, feeFen: 10 });
    page.detach();
  });

  test('the form is checked before the server is asked; the server’s refusals are shown as they come', async () => {
    await topup(1_000);
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    await page.tap('.next-button');
    expect(page.text('.form-error')).toBe('请输入收款人姓名');
    await page.type('.name-field', BOB.name);
    await page.type('.card-field', '6217000000');
    await page.tap('.next-button');
    expect(page.text('.form-error')).toBe('卡号位数不正确，请核对');
    await page.type('.card-field', PAYEE_NORMAL);
    await page.tap('.amount-field >>> .amount-field');
    await page.tap('.keypad >>> .key-confirm'); // nothing typed: the key is disabled
    expect(page.instance.data.confirm).toBeNull();
    await typeAmount(page, '50001');
    await page.tap('.keypad >>> .key-confirm');
    await page.waitFor(() => page.instance.data.submitError !== '', 'the limit');
    expect(page.text('.submit-error')).toContain('单笔');
    expect(page.instance.data.confirm).toBeNull();
    page.detach();
  });

  test('a credit card number is 信用卡还款, a separate service: said as it is detected, not quoted', async () => {
    await topup(1_000);
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => !page.instance.data.loading, 'the form');
    await page.type('.name-field', BOB.name);
    await page.type('.card-field', CMB_CREDIT);
    await page.waitFor(() => page.comp.querySelector('.credit-note') !== undefined, 'the credit card note', 2000);
    expect(page.text('.credit-note')).toBe('这是信用卡卡号：向信用卡转账属于信用卡还款，是单独的服务，暂不支持');
    await page.tap('.next-button');
    expect(page.text('.form-error')).toContain('信用卡还款');
    expect(page.instance.data.confirm).toBeNull();
    page.detach();
  });

  test('a user without a real name and pay password is sent to the security centre first', async () => {
    device.storage.set('wxbank.devOpenid', 'o-new');
    const page = await openPage('pages/transfer/index');
    await page.waitFor(() => page.instance.data.blocked !== '', 'the block');
    expect(page.text('.blocked')).toContain('请先完成实名认证并设置支付密码');
    await page.tap('.security-button');
    expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/security/index' }]);
    page.detach();
  });
});

describe('history', () => {
  test('newest first, 20 a page, more at the bottom; filters by type', async () => {
    for (let i = 1; i <= 23; i++) await topup(i * 100);
    await ok(host, 'o-alice', 'ledger', {
      action: 'withdraw',
      requestId: 'history-withdraw-1',
      cardId: aliceCardId,
      amountFen: 1_000,
      payPassword: ALICE.payPassword,
    });
    const page = await openPage('pages/history/index');
    await page.waitFor(() => !page.instance.data.loading, 'the first page');
    expect(page.texts('.history-item')).toHaveLength(20);
    expect(page.text('.history-0')).toContain('提现');
    expect(page.text('.history-1')).toContain('+¥23.00');
    expect(page.text('.list-foot')).toBe('加载更多');
    await (page.instance as unknown as { onReachBottom(): void }).onReachBottom();
    await page.waitFor(() => page.texts('.history-item').length === 24, 'the second page');
    expect(page.text('.history-23')).toContain('+¥1.00');
    expect(page.text('.list-foot')).toBe('没有更多了');

    await page.tap('.filter-withdraw');
    await page.waitFor(() => page.texts('.history-item').length === 1, 'the withdrawals');
    expect(page.text('.history-0')).toContain('-¥10.00');
    await page.tap('.filter-payment');
    await page.waitFor(() => page.comp.querySelector('.empty') !== undefined, 'no payments');
    expect(page.text('.empty')).toContain('暂无交易记录');
    page.detach();
  });

  test('someone else’s entry is not found', async () => {
    await topup(1_000);
    const [mine] = (await historyOf()).items;
    device.storage.set('wxbank.devOpenid', 'o-bob');
    await verifiedUser(host, 'o-bob', BOB);
    const page = await openPage('pages/history/detail/index', { id: mine!.operationId });
    await page.waitFor(() => page.instance.data.errorMessage !== '', 'the refusal');
    expect(page.text()).toContain('不存在');
    expect(page.text()).not.toContain('¥10.00');
    page.detach();
  });
});
