/** The Notifier port's sandbox outbox on the local host, and sendNotification's promise to callers. */
import { MemoryLogger } from '../../server/adapters/system';
import { sendNotification } from '../../server/domain/notify/send';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

type Outbox = { ok: true; data: { items: { kind: string; title: string; body: string; link: string | null }[] } };

test('messages land in the outbox, newest first, once per key; the host shows them by userId or openid', async () => {
  const session = await host.call<{ data: { userId: string } }>('user', { action: 'session' }, 'o-note');
  const userId = session.body.data.userId;
  const notifier = host.app.deps.notifier;
  await notifier.notify({ userId, kind: 'test.first', title: '一', body: '第一条', key: 'k1' });
  host.clock.advance(1000);
  await notifier.notify({ userId, kind: 'test.first', title: '一', body: '第一条（重发）', key: 'k1' });
  await notifier.notify({ userId, kind: 'test.second', title: '二', body: '第二条', link: '/pages/index/index' });
  await notifier.notify({ userId: 'u_someone_else', kind: 'test.other', title: '别人', body: '不应出现' });

  const byUser = JSON.parse((await host.raw(`/sandbox/notifications?userId=${userId}`)).text) as Outbox;
  expect(byUser.data.items.map((m) => [m.kind, m.body, m.link])).toEqual([
    ['test.second', '第二条', '/pages/index/index'],
    ['test.first', '第一条', null],
  ]);
  const byOpenid = JSON.parse((await host.raw('/sandbox/notifications?openid=o-note')).text) as Outbox;
  expect(byOpenid).toEqual(byUser);
  const missing = JSON.parse((await host.raw('/sandbox/notifications?userId=')).text) as { ok: boolean };
  expect(missing.ok).toBe(false);
});

test('sendNotification logs a failed delivery and reports it instead of throwing', async () => {
  const log = new MemoryLogger();
  const failing = {
    notify: () => Promise.reject(new TypeError('provider down')),
  };
  const delivered = await sendNotification(
    { notifier: failing, log },
    { userId: 'u1', kind: 'test.kind', title: 't', body: 'b' },
  );
  expect(delivered).toBe(false);
  expect(log.lines.join('\n')).toContain('"event":"notify.failed"');
  expect(log.lines.join('\n')).toContain('TypeError');
});
