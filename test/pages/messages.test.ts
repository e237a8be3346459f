/**
 * The message centre and the home page's badge against a real host: messages from real balance
 * changes, read state, 全部已读, opening a message's page, asking for WeChat subscribe messages
 * (wx.requestSubscribeMessage answered by the test) and the count it leaves.
 */
import { CONFIG } from '../../server/config';
import { answerSubscribe, installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { ALICE, bindCard, ok, verifiedUser } from '../helpers/verification';

let host: TestHost;
let device: Device;
let cardId: string;

beforeEach(async () => {
  host = await startTestHost();
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', 'o-alice');
  await verifiedUser(host, 'o-alice', ALICE);
  ({ cardId } = await bindCard(host, 'o-alice', '6222020000000000018'));
});
afterEach(async () => {
  await host.close();
});

const has = (page: PageHandle, selector: string) => page.comp.querySelector(selector) !== undefined;
async function topups(count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await ok(host, 'o-alice', 'ledger', {
      action: 'topup',
      requestId: `page-msg-${i}`,
      cardId,
      amountFen: i * 100,
      payPassword: ALICE.payPassword,
    });
    host.clock.advance(1000);
  }
}

test('the home page shows the unread count on the message centre and opens it, and 收款码', async () => {
  await topups(3);
  const home = await openPage('pages/index/index');
  await home.waitFor(() => home.instance.data.unreadCount === 3, 'the unread count');
  expect(home.text('.messages-link')).toContain('3');
  await home.tap('.messages-link');
  await home.tap('.receive-link');
  expect(device.navigations).toEqual([
    { kind: 'navigateTo', url: '/pages/messages/index' },
    { kind: 'navigateTo', url: '/pages/qrcode/receive/index' },
  ]);
  home.detach();
});

test('newest first with unread marks; opening one marks it read and goes to its page; 全部已读', async () => {
  await topups(3);
  const page = await openPage('pages/messages/index');
  await page.waitFor(() => has(page, '.message-2'), 'three messages');
  expect(page.texts('.message-title')).toEqual(['充值成功', '充值成功', '充值成功']);
  expect(page.text('.message-0 .message-body')).toBe('从中国工商银行(0018)充值 ¥3.00，已到账零钱。');
  expect(page.text('.unread-text')).toBe('3 条未读');
  expect(page.comp.querySelectorAll('.unread')).toHaveLength(3);

  const second = (page.instance.data.items as { link: string }[])[1]!;
  await page.tap('.message-1');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: second.link }]);
  expect(second.link).toMatch(/^\/pages\/history\/detail\/index\?id=op_/);
  await page.waitFor(() => page.text('.unread-text') === '2 条未读', 'one read');
  await device.idle();
  expect(await ok(host, 'o-alice', 'messages', { action: 'unreadCount' })).toEqual({ unreadCount: 2 });

  await page.tap('.read-all-button');
  await page.waitFor(() => page.text('.unread-text') === '全部已读', 'all read');
  expect(page.comp.querySelectorAll('.unread')).toHaveLength(0);
  expect(await ok(host, 'o-alice', 'messages', { action: 'unreadCount' })).toEqual({ unreadCount: 0 });
  page.detach();
});

test('no messages: says so; the subscription row asks WeChat and shows what is left', async () => {
  const page = await openPage('pages/messages/index');
  await page.waitFor(() => has(page, '.empty'), 'the empty state');
  await page.waitFor(() => page.text('.subscribe-cell').includes('未开启'), 'no subscription yet');
  const ids = [
    CONFIG.notifications.templates.fundChange.templateId,
    CONFIG.notifications.templates.appointment.templateId,
  ];
  answerSubscribe(ids, 'accept');
  await page.tap('.subscribe-cell');
  await page.waitFor(() => page.text('.subscribe-cell').includes('还可接收 2 条微信通知'), 'two allowed');
  expect(device.phoneCalls).toEqual([{ api: 'requestSubscribeMessage', options: { tmplIds: ids } }]);
  await topups(1);
  const sent = JSON.parse((await host.raw('/sandbox/notifications?openid=o-alice')).text) as {
    data: { items: { title: string }[] };
  };
  expect(sent.data.items.map((m) => m.title)).toEqual(['充值成功']);
  page.detach();
});

test('a long list loads more at the bottom, without repeats', async () => {
  await topups(23);
  const page = await openPage('pages/messages/index');
  await page.waitFor(() => has(page, '.message-19'), 'the first page');
  expect(has(page, '.message-20')).toBe(false);
  await (page.instance as unknown as { onReachBottom(): Promise<void> }).onReachBottom();
  await page.waitFor(() => has(page, '.message-22'), 'the rest');
  expect(page.text('.more')).toBe('没有更多了');
  const ids = (page.instance.data.items as { messageId: string }[]).map((item) => item.messageId);
  expect(new Set(ids).size).toBe(23);
  page.detach();
});
