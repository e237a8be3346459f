/**
 * The Notifier port's two adapters: the sandbox outbox on the local host, and the WeChat
 * subscribe-message adapter — its request and its reading of WeChat's answers — through the real
 * SDK's open-API call, answered by the CloudBase emulator.
 */
import type { CloudBaseConnection } from '../../server/adapters/cloudbase/app';
import {
  sendThroughCloudBase,
  SUBSCRIBE_SEND_API,
  WechatSubscribeNotifier,
} from '../../server/adapters/wechat/notifier';
import { DependencyUnavailableError } from '../../server/domain/ports/failures';
import { NotificationRefusedError, type Notification } from '../../server/domain/ports/notifier';
import { startCloudBaseEmulator, type CloudBaseEmulator } from '../helpers/cloudbase-emulator';
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
  // through the real SDK's open-API call (`wx.api`), answered by the CloudBase emulator
  let emulator: CloudBaseEmulator;
  beforeAll(async () => {
    emulator = await startCloudBaseEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => emulator.reset());

  const connection = (timeoutMs?: number): CloudBaseConnection => ({
    env: 'test-env',
    secretId: 'x',
    secretKey: 'y',
    serviceUrl: emulator.url,
    timeoutMs,
  });
  const notifier = (timeoutMs?: number) => new WechatSubscribeNotifier(sendThroughCloudBase(connection(timeoutMs)));
  const answer = (errcode: number) => emulator.answerOpenApi(SUBSCRIBE_SEND_API, { errcode, errmsg: 'fail' });

  test('the request: recipient, template, page without the leading slash, fields as { value }', async () => {
    await notifier().notify(message({ link: '/pages/history/detail/index?id=op_1' }));
    expect(emulator.actions()).toEqual(['wx.api']);
    expect(emulator.openApiCalls()).toEqual([
      {
        apiName: '/cgi-bin/message/subscribe/send',
        requestData: {
          touser: 'o-someone',
          template_id: 'tpl-1',
          page: 'pages/history/detail/index?id=op_1',
          data: { thing1: { value: '转账到银行卡' }, amount2: { value: '¥12.00' } },
          miniprogram_state: 'formal',
          lang: 'zh_CN',
        },
      },
    ]);
  });

  test.each([
    ['43101 (no acceptance left)', 43101, 'notSubscribed'],
    ['40037 (wrong template id)', 40037, 'invalid'],
    ['47003 (data does not fit)', 47003, 'invalid'],
    ['40003 (unknown openid)', 40003, 'invalid'],
    ['41030 (page not released)', 41030, 'invalid'],
  ])('%s → refused for good (%s)', async (_label, errCode, reason) => {
    answer(errCode);
    const failure = await notifier()
      .notify(message())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotificationRefusedError);
    expect(failure).toMatchObject({ reason, providerCode: String(errCode) });
  });

  test('system busy is an ordinary error: retried later', async () => {
    answer(-1);
    const failure = await notifier()
      .notify(message())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(NotificationRefusedError);
    expect((failure as Error).message).toContain('errcode -1');
  });

  test('a timeout, a 5xx or no credentials is DependencyUnavailableError: retried later, never a refusal', async () => {
    emulator.failNext('wx.api', { delayMs: 1_000 });
    await expect(notifier(200).notify(message())).rejects.toBeInstanceOf(DependencyUnavailableError);
    emulator.failNext('wx.api', { status: 502 });
    await expect(notifier().notify(message())).rejects.toBeInstanceOf(DependencyUnavailableError);

    emulator.clearRequests();
    const saved = { id: process.env.TENCENTCLOUD_SECRETID, key: process.env.TENCENTCLOUD_SECRETKEY };
    delete process.env.TENCENTCLOUD_SECRETID;
    delete process.env.TENCENTCLOUD_SECRETKEY;
    try {
      const keyless = new WechatSubscribeNotifier(sendThroughCloudBase({ env: 'test-env', serviceUrl: emulator.url }));
      await expect(keyless.notify(message())).rejects.toMatchObject({
        name: 'DependencyUnavailableError',
        reason: 'credentials',
      });
    } finally {
      if (saved.id !== undefined) process.env.TENCENTCLOUD_SECRETID = saved.id;
      if (saved.key !== undefined) process.env.TENCENTCLOUD_SECRETKEY = saved.key;
    }
    expect(emulator.openApiCalls()).toEqual([]);
  });
});
