/**
 * The Notifier port's two adapters: the sandbox outbox on the local host, and the WeChat
 * subscribe-message adapter's request and its reading of WeChat's answers (the SDK call itself is
 * the one thing replaced: it needs a deployed function).
 */
import { WechatSubscribeNotifier, type SubscribeSendRequest } from '../../server/adapters/wechat/notifier';
import { NotificationRefusedError, type Notification } from '../../server/domain/ports/notifier';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

type Outbox = {
  ok: true;
  data: { items: { kind: string; body: string; link: string | null; templateId: string; data: object }[] };
};

const message = (overrides: Partial<Notification> = {}): Notification => ({
  userId: 'u1',
  openid: 'o-someone',
  kind: 'test.kind',
  title: '标题',
  body: '正文',
  key: 'k',
  templateId: 'tpl-1',
  data: { thing1: '转账到银行卡', amount2: '¥12.00' },
  ...overrides,
});

test('sandbox: messages land in the outbox, newest first, once per key; the host shows them by userId or openid', async () => {
  const session = await host.call<{ data: { userId: string } }>('user', { action: 'session' }, 'o-note');
  const userId = session.body.data.userId;
  const notifier = host.app.deps.notifier;
  await notifier.notify(message({ userId, kind: 'test.first', body: '第一条', key: 'k1' }));
  host.clock.advance(1000);
  await notifier.notify(message({ userId, kind: 'test.first', body: '第一条（重发）', key: 'k1' }));
  await notifier.notify(
    message({ userId, kind: 'test.second', body: '第二条', link: '/pages/index/index', key: 'k2' }),
  );
  await notifier.notify(message({ userId: 'u_someone_else', kind: 'test.other', key: 'k3' }));

  const byUser = JSON.parse((await host.raw(`/sandbox/notifications?userId=${userId}`)).text) as Outbox;
  expect(byUser.data.items.map((m) => [m.kind, m.body, m.link, m.templateId])).toEqual([
    ['test.second', '第二条', '/pages/index/index', 'tpl-1'],
    ['test.first', '第一条', null, 'tpl-1'],
  ]);
  expect(byUser.data.items[0]!.data).toEqual({ thing1: '转账到银行卡', amount2: '¥12.00' });
  expect(JSON.stringify(byUser)).not.toContain('o-someone');
  const byOpenid = JSON.parse((await host.raw('/sandbox/notifications?openid=o-note')).text) as Outbox;
  expect(byOpenid).toEqual(byUser);
  const missing = JSON.parse((await host.raw('/sandbox/notifications?userId=')).text) as { ok: boolean };
  expect(missing.ok).toBe(false);
});

describe('WeChat subscribe messages', () => {
  test('the request: recipient, template, page without the leading slash, fields as { value }', async () => {
    const sent: SubscribeSendRequest[] = [];
    const notifier = new WechatSubscribeNotifier(async (request) => {
      sent.push(request);
      return { errcode: 0, errmsg: 'ok' };
    });
    await notifier.notify(message({ link: '/pages/history/detail/index?id=op_1' }));
    expect(sent).toEqual([
      {
        touser: 'o-someone',
        template_id: 'tpl-1',
        page: 'pages/history/detail/index?id=op_1',
        data: { thing1: { value: '转账到银行卡' }, amount2: { value: '¥12.00' } },
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      },
    ]);
  });

  test.each([
    ['43101 (no acceptance left)', 43101, 'notSubscribed'],
    ['40037 (wrong template id)', 40037, 'invalid'],
    ['47003 (data does not fit)', 47003, 'invalid'],
    ['40003 (unknown openid)', 40003, 'invalid'],
  ])('%s → refused for good (%s)', async (_label, errCode, reason) => {
    const notifier = new WechatSubscribeNotifier(async () => ({ errcode: errCode, errmsg: 'fail' }));
    const failure = await notifier.notify(message()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotificationRefusedError);
    expect(failure).toMatchObject({ reason, providerCode: String(errCode) });
  });

  test('system busy or a network failure is an ordinary error: retried later', async () => {
    const busy = new WechatSubscribeNotifier(async () => ({ errcode: -1 }));
    const busyFailure = await busy.notify(message()).catch((error: unknown) => error);
    expect(busyFailure).toBeInstanceOf(Error);
    expect(busyFailure).not.toBeInstanceOf(NotificationRefusedError);
    const down = new WechatSubscribeNotifier(() => Promise.reject(new TypeError('socket hang up')));
    await expect(down.notify(message())).rejects.toThrow(TypeError);
  });
});
