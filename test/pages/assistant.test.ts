/**
 * The chat page and the 免密查询 settings page, driven with miniprogram-simulate against a real
 * local host. Only phone APIs are answered by the test: the location, and speech recognition.
 * (The agent's side goes through the same domain calls the host serves; real-name and pay
 * password setup go over HTTP like any client.)
 */
import { assistantPorts } from '../../server/functions/assistant';
import { history, sendMessage } from '../../server/domain/assistant/chat';
import { staffReply } from '../../server/domain/assistant/handoff';
import { enableQuickQuery } from '../../server/domain/assistant/quick-query';
import { openSession } from '../../server/domain/users/session';
import { addBranches, makeBranch } from '../helpers/branches';
import { answerLocation, answerSpeech, installDevice, type Device } from '../helpers/device';
import { startTestHost, type TestHost } from '../helpers/host';
import { openPage, type PageHandle } from '../helpers/simulate';
import { ALICE, verifiedUser } from '../helpers/verification';

const OPENID = 'o-chat';

let host: TestHost;
let device: Device;
let userId: string;
beforeEach(async () => {
  host = await startTestHost();
  host.clock.set(Date.UTC(2026, 10, 28, 2, 0)); // 10:00 China time: agents on duty
  device = installDevice();
  device.storage.set('wxbank.localHostUrl', host.url);
  device.storage.set('wxbank.devOpenid', OPENID);
  userId = (await openSession(host.app.deps, { openid: OPENID })).userId;
});
afterEach(async () => {
  await host.close();
});

type Messages = { role: string; text: string; kind: string }[];
/** Six digits on the pay-password sheet's own keyboard. */
async function pressKeys(page: PageHandle, digits: string): Promise<void> {
  for (const digit of digits) await page.tap(`.pay-sheet >>> .key-${digit}`);
}
const messagesOf = (page: PageHandle) => page.instance.data.messages as Messages;
const lastBot = (page: PageHandle) => [...messagesOf(page)].reverse().find((m) => m.role === 'bot');

async function openChat(query: Record<string, string> = {}): Promise<PageHandle> {
  const page = await openPage('pages/assistant/index', query);
  await page.waitFor(() => !page.instance.data.loading, 'the history to load');
  return page;
}

async function sendTyped(page: PageHandle, text: string): Promise<void> {
  const before = messagesOf(page).length;
  await page.type('.message-field', text);
  await page.tap('.send-button');
  await page.waitFor(() => !page.instance.data.sending && messagesOf(page).length > before, `the answer to ${text}`);
}

function tapNth(page: PageHandle, selector: string, index: number): void {
  const elements = page.comp.querySelectorAll(selector);
  if (!elements[index]) throw new Error(`no ${selector} #${index}; page text: ${page.text()}`);
  elements[index].dispatchEvent('tap');
}

test('a new conversation shows the welcome and its quick replies; a quick reply is sent as a message', async () => {
  const page = await openChat();
  expect(page.text('.welcome')).toContain('您好，我是微信银行智能客服');
  expect(page.text('.quick-query-row')).toBe('免密查询 未开启');
  tapNth(page, '.welcome .quick-reply', 2); // 附近网点
  await page.waitFor(() => lastBot(page) !== undefined, 'the bot answer');
  expect(messagesOf(page)[0]).toMatchObject({ role: 'user', text: '附近的网点' });
  expect(lastBot(page)).toMatchObject({ kind: 'location' });

  // "Send my location" asks the phone, then asks the same question again with it: the branches module answers.
  await addBranches(host, [
    makeBranch('br_sz', {
      name: '招商银行深圳科技园支行',
      address: '深圳市南山区科苑路15号',
      location: { type: 'Point', coordinates: [113.951, 22.541] },
    }),
  ]);
  answerLocation({ latitude: 22.54, longitude: 113.95 });
  await page.tap('.share-location');
  await page.waitFor(() => messagesOf(page).length === 4, 'the answer with the location');
  expect(lastBot(page)?.text).toMatch(/^离您最近的网点：\n1\. 招商银行深圳科技园支行，\d+米，营业中/);
  page.detach();
});

test('typing and sending: the typing bubble shows while waiting; links open their pages', async () => {
  const page = await openChat();
  await page.type('.message-field', '转500元给张三');
  await page.tap('.send-button');
  expect(page.instance.data.sending).toBe(true);
  expect(page.comp.querySelector('.typing')).toBeDefined();
  expect(messagesOf(page).at(-1)).toMatchObject({ role: 'user', text: '转500元给张三' });
  await page.waitFor(() => !page.instance.data.sending, 'the answer');
  expect(page.comp.querySelector('.typing')).toBeUndefined();
  expect(page.instance.data.inputText).toBe('');
  expect(page.text('.link')).toBe('去转账 ›');
  await page.tap('.link');
  expect(device.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/transfer/index?amountFen=50000' }]);
  page.detach();
});

test('balance asks for the pay password; the sheet shows the server’s answer, then the gated reply', async () => {
  await verifiedUser(host, OPENID, ALICE);
  const page = await openChat();
  await sendTyped(page, 'CXYE');
  expect(lastBot(page)).toMatchObject({ kind: 'payPassword' });
  expect(page.text()).not.toMatch(/¥/);
  await page.tap('.unlock-button');
  expect(page.instance.data.sheetVisible).toBe(true);
  expect(page.instance.data.pendingUnlock).toEqual({ intent: 'balance' });
  await pressKeys(page, '135790');
  await page.waitFor(
    () => page.text('.pay-sheet >>> .message').includes('还可以再试4次'),
    'the wrong-password message',
  );
  expect(page.instance.data.sheetVisible).toBe(true);
  await pressKeys(page, ALICE.payPassword);
  await page.waitFor(() => !page.instance.data.sheetVisible, 'the sheet to close');
  // the password opened the gate; the balance comes from the ledger
  expect(lastBot(page)).toMatchObject({ kind: 'answer', text: '您的零钱余额为 ¥0.00。' });
  page.detach();
});

test('older messages load on demand', async () => {
  for (let i = 0; i < 15; i++)
    await sendMessage(host.app.deps, assistantPorts(host.app.deps), userId, { text: `谢谢 ${i}` });
  const page = await openChat();
  expect(messagesOf(page)).toHaveLength(20);
  expect(page.text('.load-older')).toBe('查看更早的消息');
  await page.tap('.load-older');
  await page.waitFor(() => messagesOf(page).length === 30, 'the older page');
  expect(messagesOf(page)[0]).toMatchObject({ role: 'user', text: '谢谢 0' });
  expect(page.comp.querySelector('.load-older')).toBeUndefined();
  page.detach();
});

test('handoff: the banner shows the queue, an agent’s reply arrives, the user ends it', async () => {
  const page = await openChat();
  await sendTyped(page, '转人工');
  expect(page.text('.handoff-text')).toBe('正在为您转接人工客服，请稍候');
  await staffReply(host.app.deps, userId, '您好，请问有什么可以帮您？');
  await (page.instance as unknown as { pollNew(): Promise<void> }).pollNew();
  expect(messagesOf(page).at(-1)).toMatchObject({ role: 'staff', text: '您好，请问有什么可以帮您？' });
  expect(page.text('.staff-label')).toBe('人工客服');
  expect(page.text('.handoff-text')).toBe('人工客服服务中');
  await page.tap('.end-handoff-button');
  await page.waitFor(() => page.comp.querySelector('.handoff-banner') === undefined, 'the banner to go');
  expect(messagesOf(page).at(-1)).toMatchObject({ role: 'system' });
  page.detach();
});

test('hold to talk where the phone recognises speech; the text goes out as voice', async () => {
  answerSpeech('查一下余额');
  const page = await openChat();
  await page.tap('.voice-toggle');
  const button = page.comp.querySelector('.hold-to-talk')!;
  expect(page.text('.hold-to-talk')).toBe('按住 说话');
  button.dispatchEvent('touchstart');
  await page.waitFor(() => page.instance.data.recording === true, 'recording to start');
  expect(page.text('.hold-to-talk')).toBe('松开 发送');
  button.dispatchEvent('touchend');
  await page.waitFor(() => lastBot(page) !== undefined, 'the answer to the spoken question');
  expect(lastBot(page)).toMatchObject({ kind: 'payPassword' });
  const stored = await history(host.app.deps, userId, {});
  expect(stored.messages[0]).toMatchObject({ role: 'user', source: 'voice', text: '查一下余额' });
  page.detach();
});

test('without speech recognition the page offers text only', async () => {
  const page = await openChat();
  expect(page.comp.querySelector('.voice-toggle')).toBeUndefined();
  expect(page.comp.querySelector('.message-field')).toBeDefined();
  page.detach();
});

test('the help entry opens the chat with the help answer; errors show the server’s message', async () => {
  const page = await openChat({ ask: encodeURIComponent('帮助') });
  await page.waitFor(() => lastBot(page) !== undefined, 'the help answer');
  expect(lastBot(page)!.text).toContain('CXYE');
  device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
  await page.type('.message-field', '你好');
  await page.tap('.send-button');
  await page.waitFor(() => !page.instance.data.sending, 'the failure');
  expect(device.toasts).toContain('无法连接本地服务，请先运行 npm start');
  expect(page.instance.data.inputText).toBe('你好');
  expect(messagesOf(page).some((m) => m.text === '你好')).toBe(false);
  page.detach();
});

test('host down on open → error state; retry loads', async () => {
  device.storage.set('wxbank.localHostUrl', 'http://127.0.0.1:9');
  const page = await openChat();
  expect(page.text('.error-text')).toBe('无法连接本地服务，请先运行 npm start');
  device.storage.set('wxbank.localHostUrl', host.url);
  await page.tap('.retry-button');
  await page.waitFor(() => page.comp.querySelector('.welcome') !== undefined, 'the welcome after retry');
  page.detach();
});

test('home has the assistant and help entries', async () => {
  const page = await openPage('pages/index/index');
  await page.waitFor(() => !page.instance.data.loading, 'home to load');
  await page.tap('.assistant-link');
  await page.tap('.help-link');
  expect(device.navigations).toEqual([
    { kind: 'navigateTo', url: '/pages/assistant/index' },
    { kind: 'navigateTo', url: `/pages/assistant/index?ask=${encodeURIComponent('帮助')}` },
  ]);
  page.detach();
});

describe('免密查询 settings', () => {
  test('off: choose a validity, confirm with the pay password on the sheet', async () => {
    await verifiedUser(host, OPENID, ALICE);
    const page = await openPage('pages/assistant/quick-query/index');
    await page.waitFor(() => !page.instance.data.loading, 'the status');
    expect(page.text('.status-cell')).toBe('免密查询 未开启');
    expect(page.instance.data.choices).toEqual([1, 30, 90]);
    expect(page.instance.data.selectedDays).toBe(30);
    await page.tap('.days-90');
    expect(page.instance.data.selectedDays).toBe(90);
    await page.tap('.enable-button');
    expect(page.instance.data.sheetVisible).toBe(true);
    await pressKeys(page, '135790');
    await page.waitFor(
      () => page.text('.pay-sheet >>> .message').includes('还可以再试4次'),
      'the wrong-password message',
    );
    await pressKeys(page, ALICE.payPassword);
    await page.waitFor(() => device.toasts.includes('已开启免密查询'), 'the toast');
    expect(page.text('.status-cell')).toContain('已开启');
    page.detach();
  });

  test('on: the chat row and the settings page show its validity; it can be turned off', async () => {
    await enableQuickQuery(host.app.deps, userId, 30, '135790', async () => undefined);
    const chat = await openChat();
    await chat.waitFor(() => chat.instance.data.quickQueryLabel !== '', 'the row');
    expect(chat.text('.quick-query-row')).toBe('免密查询 已开启 · 至 2026-12-28 10:00');
    await chat.tap('.quick-query-row');
    expect(device.navigations.at(-1)).toEqual({ kind: 'navigateTo', url: '/pages/assistant/quick-query/index' });
    chat.detach();

    const page = await openPage('pages/assistant/quick-query/index');
    await page.waitFor(() => !page.instance.data.loading, 'the status');
    expect(page.text('.status-cell')).toBe('免密查询 已开启');
    expect(page.text('.valid-until-cell')).toBe('有效期至 2026-12-28 10:00');
    await page.tap('.disable-button');
    await page.waitFor(() => page.instance.data.enabled === false, 'it to turn off');
    expect(device.modals[0]).toMatchObject({ title: '关闭免密查询' });
    expect(page.text('.status-cell')).toBe('免密查询 已手动关闭 未开启');
    page.detach();
  });
});
