/**
 * Function `staff` as CloudBase's HTTP access service calls it: integrated requests in, integrated
 * responses out, over a real test store. The staff token (constant-time, store-backed throttling per
 * source address and in total), the four actions, and every malformed request answering the
 * envelope — never a crash, never open without the token, never a mini program user's function.
 */
import { STAFF_ACCESS_LIMITS } from '../../server/domain/assistant/staff-access';
import { createStaffMain, STAFF_ROUTES } from '../../server/functions/staff';
import type { HttpAccessMain, HttpAccessResponse } from '../../server/runtime/http-access';
import type { ChatMessage, HistoryResult, StaffConversationView } from '../../typings/assistant';
import type { Result } from '../../typings/result';
import type { StaffTranscript } from '../../typings/staff';
import { startTestHost, type TestHost } from '../helpers/host';

const TOKEN = 'staff-token-for-cloud-tests-0123456789abcdef';

let host: TestHost;
let main: HttpAccessMain;
beforeEach(async () => {
  host = await startTestHost();
  main = createStaffMain(
    () => host.app.deps,
    () => TOKEN,
  );
});
afterEach(async () => {
  await host.close();
});

/** What the gateway passes as context: no openid. */
const GATEWAY_CONTEXT = { request_id: 'req-staff', environment: '{}' };

interface RequestSpec {
  method?: string;
  path: string;
  token?: string | null;
  query?: Record<string, string>;
  body?: string;
  base64?: boolean;
  ip?: string;
  headers?: Record<string, string>;
}

/** An integrated request, shaped like the service's documented example. */
function event(spec: RequestSpec) {
  const headers: Record<string, string> = {
    host: 'env-id.service.tcloudbase.com',
    'content-type': 'application/json',
    'x-forwarded-for': spec.ip ?? '203.0.113.7',
    ...spec.headers,
  };
  const token = spec.token === undefined ? TOKEN : spec.token;
  if (token !== null) headers['X-Staff-Token'] = token;
  return {
    path: spec.path,
    httpMethod: spec.method ?? 'GET',
    headers,
    queryStringParameters: spec.query ?? {},
    requestContext: { requestId: 'cdbb9632', envId: 'env-id', appId: 123456789, uin: 123456789 },
    body: spec.base64 ? Buffer.from(spec.body ?? '').toString('base64') : (spec.body ?? ''),
    isBase64Encoded: spec.base64 === true,
  };
}

function envelope<T>(response: HttpAccessResponse): Result<T> {
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.isBase64Encoded).toBe(false);
  return JSON.parse(response.body) as Result<T>;
}

async function call<T>(spec: RequestSpec, context: unknown = GATEWAY_CONTEXT) {
  const response = await main(event(spec), context);
  return { status: response.statusCode, headers: response.headers, result: envelope<T>(response) };
}

async function data<T>(spec: RequestSpec): Promise<T> {
  const { status, result } = await call<T>(spec);
  if (!result.ok) throw new Error(`${spec.path}: ${result.error.code} ${result.error.message}`);
  expect(status).toBe(200);
  return result.data;
}

/** A user who asked for a person (10:00 China time: in service hours); their conversation id. */
async function queuedUser(openid: string): Promise<string> {
  const session = await host.call<{ data: { userId: string } }>('user', { action: 'session' }, openid);
  const asked = await host.call<{ ok: boolean }>('assistant', { action: 'send', text: 'RG' }, openid);
  expect(asked.body.ok).toBe(true);
  return session.body.data.userId;
}

const wrongToken = (ip: string) => call({ path: '/staff/conversations', token: 'x'.repeat(TOKEN.length), ip });

describe('the four actions over HTTP access', () => {
  test('list, transcript, reply and close: the reply lands in the user’s chat and the handoff ends', async () => {
    const conversationId = await queuedUser('o-alice');

    const queue = await data<StaffConversationView[]>({ path: '/staff/conversations' });
    expect(queue).toEqual([expect.objectContaining({ conversationId, status: 'waiting', reason: 'question' })]);

    const transcript = await data<StaffTranscript>({ path: '/staff/transcript', query: { conversationId } });
    expect(transcript.messages.map((message) => message.role)).toEqual(['user', 'bot']);
    const older = await data<StaffTranscript>({ path: '/staff/transcript', query: { conversationId, beforeSeq: '2' } });
    expect(older.messages.map((message) => message.seq)).toEqual([1]);

    const reply = await data<ChatMessage>({
      method: 'POST',
      path: '/staff/reply',
      body: JSON.stringify({ conversationId, text: '您好，卡号 6222020200112233445 已收到' }),
    });
    expect(reply).toMatchObject({ role: 'staff', text: expect.stringContaining('****3445') });
    const seen = await host.call<{ data: HistoryResult }>('assistant', { action: 'history' }, 'o-alice');
    expect(seen.body.data.messages.at(-1)).toMatchObject({ role: 'staff', seq: reply.seq });
    expect(seen.body.data.handoff.status).toBe('serving');

    // a body the gateway took for binary arrives base64-encoded
    const closed = await data<ChatMessage>({
      method: 'POST',
      path: '/staff/close',
      body: JSON.stringify({ conversationId }),
      base64: true,
    });
    expect(closed.role).toBe('system');
    expect(await data<StaffConversationView[]>({ path: '/staff/conversations' })).toEqual([]);
  });

  test('the action is the path’s last segment, whatever the trigger path; the method must match', async () => {
    for (const path of ['/staff/conversations', '/conversations', '/api/staff/conversations/', '/conversations']) {
      expect((await call({ path })).status).toBe(200);
    }
    const wrongMethod = await call({ method: 'POST', path: '/staff/conversations' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect((await call({ method: 'get', path: '/staff/conversations' })).status).toBe(200);
  });
});

describe('the staff token', () => {
  test('a missing, empty or wrong token, one in the body or in the query, or an openid: UNAUTHENTICATED / refused', async () => {
    const conversationId = await queuedUser('o-alice');
    for (const token of [null, '', 'wrong', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const listed = await call({ path: '/staff/conversations', token });
      expect(listed.status).toBe(401);
      expect(listed.result).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '客服令牌无效' } });
    }
    // the credential is read from the request, never from what the caller wrote in the body or query
    const forged = await call({
      method: 'POST',
      path: '/staff/reply',
      token: null,
      body: JSON.stringify({ conversationId, text: 'hi', staffAuth: { token: TOKEN, sourceIp: '10.0.0.1' } }),
    });
    expect(forged.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const inQuery = await call({ path: '/staff/transcript', token: null, query: { conversationId, token: TOKEN } });
    expect(inQuery.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });

    // a mini program user: refused even with the right token (the context carries an openid)
    const fromMiniProgram = await call(
      { path: '/staff/conversations' },
      { request_id: 'r', environment: JSON.stringify({ WX_OPENID: 'o-alice', WX_CONTEXT_KEYS: 'WX_OPENID' }) },
    );
    expect(fromMiniProgram.status).toBe(403);
    expect(fromMiniProgram.result).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    // what wx.cloud.callFunction would send: not an HTTP request at all
    const callFunction = await main({ action: 'conversations', staffAuth: { token: TOKEN, sourceIp: 'x' } }, {});
    expect(envelope(callFunction)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });

    const seen = await host.call<{ data: HistoryResult }>('assistant', { action: 'history' }, 'o-alice');
    expect(seen.body.data.messages.some((message) => message.role === 'staff')).toBe(false);
    expect(host.log.lines.join('\n')).not.toContain(TOKEN);
  });

  test('every action refuses without the token, and a valid request is what it refuses', async () => {
    const conversationId = await queuedUser('o-alice');
    for (const [action, method] of Object.entries(STAFF_ROUTES)) {
      const spec = {
        method,
        path: `/staff/${action}`,
        query: method === 'GET' ? { conversationId } : undefined,
        body: method === 'POST' ? JSON.stringify({ conversationId, text: 'hi' }) : undefined,
      };
      expect((await call({ ...spec, token: null })).result).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      expect((await call({ ...spec, token: 'wrong' })).result).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
    // the same requests with the token go through (close last: it ends the handoff)
    for (const [action, method] of Object.entries(STAFF_ROUTES)) {
      const spec = {
        method,
        path: `/staff/${action}`,
        query: method === 'GET' ? { conversationId } : undefined,
        body: method === 'POST' ? JSON.stringify({ conversationId, text: 'hi' }) : undefined,
      };
      expect((await call(spec)).result).toMatchObject({ ok: true });
    }
  });

  test('without a configured token the console is off: FAILED_PRECONDITION, whatever is sent', async () => {
    const off = createStaffMain(
      () => host.app.deps,
      () => undefined,
    );
    for (const token of [null, '', TOKEN]) {
      const response = await off(event({ path: '/staff/conversations', token }), GATEWAY_CONTEXT);
      expect(response.statusCode).toBe(409);
      expect(envelope(response)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });
    }
  });
});

describe('throttling wrong tokens', () => {
  const { failuresPerSource, failuresInTotal, windowMs } = STAFF_ACCESS_LIMITS;

  test('per source address: past the limit even the right token is refused there, until the window ends', async () => {
    for (let i = 0; i < failuresPerSource; i += 1) expect((await wrongToken('198.51.100.1')).status).toBe(401);
    const throttled = await wrongToken('198.51.100.1');
    expect(throttled.status).toBe(429);
    expect(throttled.result).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED', details: { retryAfterMs: windowMs } },
    });
    expect(throttled.headers['retry-after']).toBe(String(windowMs / 1000));
    // the right token from there: the same answer, so a guess made now learns nothing
    expect((await call({ path: '/staff/conversations', ip: '198.51.100.1' })).status).toBe(429);
    // another address is not affected
    expect((await call({ path: '/staff/conversations', ip: '198.51.100.2' })).status).toBe(200);

    host.clock.advance(windowMs - 1);
    expect((await call({ path: '/staff/conversations', ip: '198.51.100.1' })).status).toBe(429);
    host.clock.advance(1);
    expect((await call({ path: '/staff/conversations', ip: '198.51.100.1' })).status).toBe(200);
    expect((await wrongToken('198.51.100.1')).status).toBe(401);
  });

  test('the address is the gateway’s: the last x-forwarded-for entry, or requestContext.sourceIp', async () => {
    for (let i = 0; i < failuresPerSource; i += 1) {
      // a client varying what it puts first does not get a fresh counter
      expect((await wrongToken(`10.9.${i}.1, 198.51.100.9`)).status).toBe(401);
    }
    expect((await wrongToken('10.9.99.1, 198.51.100.9')).status).toBe(429);

    const fromContext = event({ path: '/staff/conversations', ip: '198.51.100.10' });
    const response = await main(
      { ...fromContext, requestContext: { ...fromContext.requestContext, sourceIp: '198.51.100.9' } },
      GATEWAY_CONTEXT,
    );
    expect(response.statusCode).toBe(429);
  });

  test('in total: wrong tokens from many addresses throttle everyone; counters are in the store, addresses only as HMACs', async () => {
    const perAddress = failuresPerSource;
    for (let address = 0; address < failuresInTotal / perAddress; address += 1) {
      for (let i = 0; i < perAddress; i += 1) expect((await wrongToken(`192.0.2.${address}`)).status).toBe(401);
    }
    // a fresh address with the right token, and another instance of the function on the same store
    expect((await call({ path: '/staff/conversations', ip: '203.0.113.99' })).status).toBe(429);
    const otherInstance = createStaffMain(
      () => host.app.deps,
      () => TOKEN,
    );
    expect((await otherInstance(event({ path: '/staff/conversations' }), GATEWAY_CONTEXT)).statusCode).toBe(429);

    const counters = await host.app.deps.store.find('staffAccessCounters', { limit: 100 });
    expect(counters.find((doc) => doc.id === 'all')).toMatchObject({ failures: failuresInTotal });
    expect(counters).toHaveLength(1 + failuresInTotal / perAddress);
    expect(JSON.stringify(counters)).not.toContain('192.0.2.');

    host.clock.advance(windowMs);
    expect((await call({ path: '/staff/conversations', ip: '203.0.113.99' })).status).toBe(200);
  });

  test('concurrent wrong guesses: exactly the limit of them are compared, the rest throttled', async () => {
    const answers = await Promise.all(Array.from({ length: 3 * failuresPerSource }, () => wrongToken('198.51.100.50')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(failuresPerSource);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2 * failuresPerSource);
  });
});

describe('malformed requests answer the envelope', () => {
  test.each([
    ['invalid JSON', 400, 'INVALID_ARGUMENT', { method: 'POST', path: '/staff/reply', body: '{"conversationId":' }],
    ['an array body', 400, 'INVALID_ARGUMENT', { method: 'POST', path: '/staff/reply', body: '[1,2]' }],
    ['a string body', 400, 'INVALID_ARGUMENT', { method: 'POST', path: '/staff/close', body: '"close"' }],
    [
      'text as a number',
      400,
      'INVALID_ARGUMENT',
      { method: 'POST', path: '/staff/reply', body: '{"conversationId":"u_1","text":5}' },
    ],
    [
      'an empty reply',
      400,
      'INVALID_ARGUMENT',
      { method: 'POST', path: '/staff/reply', body: '{"conversationId":"u_1","text":"  "}' },
    ],
    [
      'a 10 KB reply',
      400,
      'INVALID_ARGUMENT',
      {
        method: 'POST',
        path: '/staff/reply',
        body: JSON.stringify({ conversationId: 'u_1', text: 'x'.repeat(10_000) }),
      },
    ],
    ['a 300 KB body', 413, 'INVALID_ARGUMENT', { method: 'POST', path: '/staff/reply', body: 'x'.repeat(300_000) }],
    ['a transcript without id', 400, 'INVALID_ARGUMENT', { path: '/staff/transcript' }],
    [
      'a transcript seq as words',
      400,
      'INVALID_ARGUMENT',
      { path: '/staff/transcript', query: { conversationId: 'u_1', beforeSeq: 'abc' } },
    ],
    [
      'an unknown conversation',
      404,
      'NOT_FOUND',
      { method: 'POST', path: '/staff/reply', body: '{"conversationId":"u_nobody","text":"hi"}' },
    ],
    ['an unknown path', 404, 'NOT_FOUND', { path: '/staff/export' }],
    ['the bare trigger path', 404, 'NOT_FOUND', { path: '/staff' }],
    ['a prototype name', 404, 'NOT_FOUND', { path: '/staff/constructor' }],
    ['a PUT', 405, 'INVALID_ARGUMENT', { method: 'PUT', path: '/staff/close' }],
  ] as const)('%s → %i %s', async (_label, status, code, spec) => {
    const answer = await call(spec as RequestSpec);
    expect(answer.status).toBe(status);
    expect(answer.result).toMatchObject({
      ok: false,
      error: { code, message: expect.stringMatching(/[\u4e00-\u9fff]/) },
    });
  });

  test('events of any shape: an envelope with a status, never a throw', async () => {
    const shapes: unknown[] = [
      null,
      undefined,
      42,
      'GET /staff/conversations',
      [],
      {},
      { path: 5, httpMethod: 'GET' },
      { path: '/staff/conversations', httpMethod: 'GET', headers: 'x-staff-token: nope' },
      { path: '/staff/conversations', httpMethod: 'GET', headers: { 'x-staff-token': ['a', 'b'] } },
      {
        path: '/staff/reply',
        httpMethod: 'POST',
        headers: { 'x-staff-token': TOKEN },
        body: { conversationId: 'u_1' },
      },
      { path: '/staff/transcript', httpMethod: 'GET', headers: { 'x-staff-token': TOKEN }, queryStringParameters: [1] },
    ];
    for (const shape of shapes) {
      const response = await main(shape, undefined);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(envelope(response)).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    }
  });
});

describe('the deployable entry (cloudfunctions/staff/index.ts)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  /** The entry's main, its dependencies from the environment: here the test host's SQLite file. */
  function deployedMain(staffToken: string | undefined): HttpAccessMain {
    process.env.WXBANK_DB = host.dbFile;
    if (staffToken === undefined) delete process.env.WXBANK_STAFF_TOKEN;
    else process.env.WXBANK_STAFF_TOKEN = staffToken;
    let entry: { main: HttpAccessMain } | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      entry = require('../../cloudfunctions/staff/index') as { main: HttpAccessMain };
    });
    return entry!.main;
  }

  test('reads WXBANK_STAFF_TOKEN: serves staff with it, is off without it, refuses to run with a short one', async () => {
    const conversationId = await queuedUser('o-alice');
    const served = await deployedMain(TOKEN)(event({ path: '/staff/conversations' }), GATEWAY_CONTEXT);
    expect(envelope<StaffConversationView[]>(served)).toMatchObject({ ok: true, data: [{ conversationId }] });

    const off = await deployedMain(undefined)(event({ path: '/staff/conversations' }), GATEWAY_CONTEXT);
    expect(envelope(off)).toMatchObject({ ok: false, error: { code: 'FAILED_PRECONDITION' } });

    const short = await deployedMain('short-token')(
      event({ path: '/staff/conversations', token: 'short-token' }),
      GATEWAY_CONTEXT,
    );
    expect(short.statusCode).toBe(500);
    expect(envelope(short)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
