/**
 * The local host trusts the X-WX-OPENID header, so only the developer's own tools may reach it: no
 * CORS grant lets another web page call it (as any openid), a request for another host name (DNS
 * rebinding) is refused, and so is a browser request from another origin. The preview, served by
 * the host itself, is same-origin and keeps working.
 */
import http from 'node:http';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
let port: number;
beforeAll(async () => {
  host = await startTestHost();
  port = Number(new URL(host.url).port);
});
afterAll(async () => {
  await host.close();
});

const session = JSON.stringify({ action: 'session' });

function post(path: string, headers: Record<string, string>) {
  return host.raw(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-WX-OPENID': 'o-victim', ...headers },
    body: session,
  });
}

/** Status and response headers (host.raw gives the body only). */
function headersOf(
  path: string,
  method: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${host.url}${path}`, { method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function users(): Promise<number> {
  return host.app.deps.store.count('wxAccounts');
}

test('a cross-origin preflight gets no CORS grant, for any route', async () => {
  for (const path of ['/fn/user', '/staff/conversations', '/sandbox/merchant-orders']) {
    const response = await headersOf(path, 'OPTIONS', {
      Origin: 'https://evil.example',
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, x-wx-openid',
    });
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(response.status).toBeGreaterThanOrEqual(400);
  }
});

test('a call from another origin is refused before any work, with a clear status and message', async () => {
  const before = await users();
  for (const origin of [
    'https://evil.example',
    'http://127.0.0.1.evil.example',
    'https://servicewechat.com.evil.example',
    'null',
  ]) {
    const response = await post('/fn/user', { Origin: origin });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text)).toEqual({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
    });
  }
  expect(await users()).toBe(before);
});

test('a request for another host name (DNS rebinding) is refused, on every route', async () => {
  const before = await users();
  for (const hostName of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.2:${port}`]) {
    const call = await post('/fn/user', { Host: hostName });
    expect({ hostName, status: call.status }).toEqual({ hostName, status: 403 });
    expect(JSON.parse(call.text)).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(call.text).toContain('127.0.0.1');
    const health = await host.raw('/health', { headers: { Host: hostName } });
    expect(health.status).toBe(403);
  }
  expect(await users()).toBe(before);
});

test('loopback names with the host’s port, and the host’s own origin, are served without CORS headers', async () => {
  for (const hostName of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
    const response = await post('/fn/user', { Host: hostName, Origin: `http://${hostName.toLowerCase()}` });
    expect({ hostName, status: response.status }).toEqual({ hostName, status: 200 });
    expect(JSON.parse(response.text)).toMatchObject({ ok: true });
  }
  const plain = await post('/fn/user', {});
  expect(JSON.parse(plain.text)).toMatchObject({ ok: true });
  // the developer's other local tools, and WeChat's page frame (the devtools' and phones' wx.request)
  for (const origin of [`http://localhost:${port + 1}`, 'http://127.0.0.1:9000', 'https://servicewechat.com']) {
    const response = await post('/fn/user', { Origin: origin });
    expect({ origin, status: response.status }).toEqual({ origin, status: 200 });
  }
  const health = (await headersOf('/health', 'GET')).headers;
  expect(health['access-control-allow-origin']).toBeUndefined();
});
