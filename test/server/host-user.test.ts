/** `user.session` and the host's handling of bad requests, over real HTTP. */
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

type Session = { ok: true; data: { userId: string; level: string; created: boolean } };
type Failure = { ok: false; error: { code: string; message: string } };

describe('user.session', () => {
  test('creates the user on the first call and returns the same user afterwards', async () => {
    const first = await host.call<Session>('user', { action: 'session' }, 'o-test');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ ok: true, data: expect.objectContaining({ level: 'follower', created: true }) });
    const again = await host.call<Session>('user', { action: 'session' }, 'o-test');
    expect(again.body.data).toEqual({ ...first.body.data, created: false });
  });

  test('identity comes from the context only: openid/userId in the body are ignored', async () => {
    const alice = await host.call<Session>('user', { action: 'session' }, 'o-alice');
    const bob = await host.call<Session>(
      'user',
      { action: 'session', openid: 'o-alice', userId: alice.body.data.userId },
      'o-bob',
    );
    expect(bob.body.data.userId).not.toBe(alice.body.data.userId);
    expect(bob.body.data.created).toBe(true);
  });

  test('concurrent first calls of one openid create exactly one user', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => host.call<Session>('user', { action: 'session' }, 'o-race')),
    );
    expect(new Set(results.map((r) => r.body.data.userId)).size).toBe(1);
    expect(results.filter((r) => r.body.data.created)).toHaveLength(1);
    expect(await host.app.deps.store.count('users')).toBe(1);
  });

  test('no identity → UNAUTHENTICATED; a malformed openid header counts as none', async () => {
    const missing = await host.call<Failure>('user', { action: 'session' });
    expect(missing.body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
    const weird = await host.call<Failure>('user', { action: 'session' }, 'o;drop table users');
    expect(weird.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('bad requests get the error envelope and the host stays up', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    host.raw(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-test', ...headers },
      body,
    });

  const cases: [string, string, string][] = [
    ['non-JSON text', 'hello {', 'INVALID_ARGUMENT'],
    ['a JSON array', '[1,2,3]', 'INVALID_ARGUMENT'],
    ['a JSON string', '"session"', 'INVALID_ARGUMENT'],
    ['a JSON number', '42', 'INVALID_ARGUMENT'],
    ['null', 'null', 'INVALID_ARGUMENT'],
    ['an empty object', '{}', 'INVALID_ARGUMENT'],
    ['an unknown action', '{"action":"dropEverything"}', 'INVALID_ARGUMENT'],
    ['a prototype key as action', '{"action":"__proto__"}', 'INVALID_ARGUMENT'],
    ['constructor as action', '{"action":"constructor"}', 'INVALID_ARGUMENT'],
    ['a non-string action', '{"action":{"$ne":null}}', 'INVALID_ARGUMENT'],
    ['a 100 KB action name', JSON.stringify({ action: 'x'.repeat(100_000) }), 'INVALID_ARGUMENT'],
  ];

  test.each(cases)('%s', async (_label, body, code) => {
    const response = await post('/fn/user', body);
    const parsed = JSON.parse(response.text) as Failure;
    expect(parsed).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    expect(response.text).not.toMatch(/at .*\.ts|Error:|stack/i);
  });

  test('a body over the size limit is refused with 413 and the envelope', async () => {
    const response = await post('/fn/user', JSON.stringify({ action: 'session', junk: 'x'.repeat(2 * 1024 * 1024) }));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text)).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.any(String) },
    });
  });

  test('an unknown function, a GET on a function, and an unknown path', async () => {
    const unknown = await post('/fn/nope', '{"action":"session"}');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text).error.code).toBe('INVALID_ARGUMENT');
    const get = await host.raw('/fn/user');
    expect(get.status).toBe(405);
    const nowhere = await host.raw('/nowhere');
    expect(JSON.parse(nowhere.text)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  test('after all of that the host still answers', async () => {
    for (const [, body] of cases) await post('/fn/user', body);
    expect(JSON.parse((await host.raw('/health')).text)).toEqual({ ok: true });
    const session = await host.call<Session>('user', { action: 'session' }, 'o-after');
    expect(session.body.ok).toBe(true);
  });
});

describe('an unexpected failure inside a function', () => {
  test('answers INTERNAL without internals and logs the cause without the body', async () => {
    await host.app.deps.store.close(); // every store call now throws
    const response = await host.raw('/fn/user', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-test' },
      body: JSON.stringify({ action: 'session', secret: '6222020200112233445' }),
    });
    expect(JSON.parse(response.text)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' },
    });
    const logged = host.log.lines.join('\n');
    expect(logged).toContain('function.unexpected_error');
    expect(logged).not.toContain('6222020200112233445');
  });
});
