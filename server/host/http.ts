/**
 * The local host: serves every cloud function over HTTP on loopback, the way the mini program's
 * local transport calls it. `POST /fn/<name>` takes the body `wx.cloud.callFunction` would send as
 * `data`, the caller's openid in `X-WX-OPENID`, builds the context CloudBase would pass, and answers
 * with exactly what the function's `main` returns. Only loopback names and the host's own origin
 * are served (see `foreignRequest`).
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Result } from '../../typings/result';
import { isAppError } from '../domain/errors';
import type { Logger } from '../domain/ports/system';
import type { Main } from '../runtime/main';

/** wx.cloud.callFunction caps `data` well below this; anything larger is refused unread. */
export const MAX_BODY_BYTES = 256 * 1024;
const OPENID_HEADER = 'x-wx-openid';

/** A host route besides the functions; an AppError it throws is answered as the function envelope's error. */
export interface HostRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(request: {
    query: URLSearchParams;
    body: unknown;
    headers: http.IncomingHttpHeaders;
  }): Promise<unknown> | unknown;
}

/** What a route answers when it is a page for a person, not JSON: the HTML, sent as is. */
export class HtmlPage {
  constructor(readonly html: string) {}
}

/** Text for HTML: every character that could open markup escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A folder served as static files under a URL prefix (GET only), e.g. the browser preview. */
export interface StaticMount {
  prefix: string;
  dir: string;
}

export interface HostOptions {
  functions: Readonly<Record<string, Main>>;
  routes?: readonly HostRoute[];
  statics?: readonly StaticMount[];
  log: Logger;
  /** What the context reports as WX_APPID / TCB_ENV. */
  appId?: string;
  envId?: string;
}

type Envelope = Result<unknown>;

export function invalid(message: string): Envelope {
  return { ok: false, error: { code: 'INVALID_ARGUMENT', message } };
}

function send(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/** The file under `mount` a URL path names (index.html for the folder itself), or undefined; never outside it. */
function staticFile(mount: StaticMount, pathname: string): string | undefined {
  if (pathname !== mount.prefix && !pathname.startsWith(`${mount.prefix}/`)) return undefined;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(mount.prefix.length)).replace(/^\/+/, '');
  } catch {
    return undefined;
  }
  const dir = path.resolve(mount.dir);
  const file = path.resolve(dir, relative || 'index.html');
  if (file !== dir && !file.startsWith(dir + path.sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the body up to the limit; past it, keeps draining (so the client sees our answer) but keeps nothing. */
function readBody(request: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        // A client streaming far past the limit is cut off rather than read forever.
        if (size > MAX_BODY_BYTES * 64) request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge }));
    request.on('error', reject);
  });
}

/** The context CloudBase passes to `main` for a call from the mini program (new-architecture `environment`). */
export function cloudbaseContext(functionName: string, openid: string | undefined, options: HostOptions) {
  const wxKeys = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_CLIENTIPV6'];
  const environment: Record<string, string> = {
    WX_APPID: options.appId ?? 'wx-local-host',
    WX_UNIONID: '',
    WX_CLIENTIP: '127.0.0.1',
    WX_CLIENTIPV6: '::1',
    WX_CONTEXT_KEYS: wxKeys.join(','),
    TCB_ENV: options.envId ?? 'local',
    TCB_CONTEXT_KEYS: 'TCB_ENV',
  };
  if (openid) environment.WX_OPENID = openid;
  return {
    request_id: randomUUID(),
    function_name: functionName,
    function_version: '$LATEST',
    namespace: options.envId ?? 'local',
    memory_limit_in_mb: 256,
    time_limit_in_ms: 20_000,
    environment: JSON.stringify(environment),
  };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const TRUSTED_ORIGIN = /^(http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?|https:\/\/servicewechat\.com)$/;

/**
 * Why a request must not be served, or null. The host trusts X-WX-OPENID, so only the developer's
 * own tools may reach it: a `Host` other than a loopback name with our port is a DNS-rebinding page
 * (its own name resolving to 127.0.0.1), and an `Origin` that is neither this machine's nor WeChat's
 * page frame is another web page in the developer's browser. No CORS header is ever sent: the preview is served from here, same-origin.
 */
function foreignRequest(request: http.IncomingMessage): string | null {
  const port = request.socket.localPort;
  const hostHeader = request.headers.host?.toLowerCase() ?? '';
  const ownNames = LOOPBACK_NAMES.flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
  if (!ownNames.includes(hostHeader)) {
    return `本地服务只接受发往 ${LOOPBACK_NAMES.map((name) => `${name}:${port}`).join('、')} 的请求`;
  }
  const origin = request.headers.origin;
  // No Origin: not sent by a web page (curl, scripts and tests). A page's origin must be this
  // machine's (the preview, a developer tool served on another local port) or WeChat's own page
  // frame, which the devtools' and phones' wx.request may name.
  if (origin !== undefined && !TRUSTED_ORIGIN.test(origin.toLowerCase())) {
    return '本地服务只接受本机工具和预览页面的请求，不接受其他网页的调用';
  }
  return null;
}

export function createHost(options: HostOptions): http.Server {
  const routes = options.routes ?? [];
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error('host.unexpected_error', { error: error instanceof Error ? error.message : 'unknown' });
      if (!response.headersSent)
        send(response, 500, { ok: false, error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } });
      else response.destroy();
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refusal = foreignRequest(request);
    if (refusal) {
      request.resume();
      return send(response, 403, { ok: false, error: { code: 'PERMISSION_DENIED', message: refusal } });
    }

    if (request.method === 'GET' && url.pathname === '/health') return send(response, 200, { ok: true });

    const fnMatch = /^\/fn\/([A-Za-z0-9_-]{1,40})$/.exec(url.pathname);
    if (fnMatch) {
      if (request.method !== 'POST') return send(response, 405, invalid('请使用 POST 调用云函数'));
      const name = fnMatch[1]!;
      const main = Object.prototype.hasOwnProperty.call(options.functions, name) ? options.functions[name] : undefined;
      const { text, tooLarge } = await readBody(request);
      if (!main) return send(response, 404, invalid(`云函数 ${name} 不存在`));
      if (tooLarge) return send(response, 413, invalid('请求内容过大'));
      let event: unknown;
      try {
        event = text.length === 0 ? {} : JSON.parse(text);
      } catch {
        return send(response, 400, invalid('请求内容不是有效的 JSON'));
      }
      const header = request.headers[OPENID_HEADER];
      const openid = typeof header === 'string' && header.length > 0 ? header : undefined;
      // CloudBase adds userInfo to a mini program's call; functions must ignore it, so it is here too.
      if (event && typeof event === 'object' && !Array.isArray(event) && openid) {
        event = { ...(event as object), userInfo: { appId: options.appId ?? 'wx-local-host', openId: openid } };
      }
      const result = await main(event, cloudbaseContext(name, openid, options));
      return send(response, 200, result);
    }

    if (request.method === 'GET') {
      for (const mount of options.statics ?? []) {
        // `/preview` → `/preview/`, so the page's relative script URLs resolve inside the mount.
        if (url.pathname === mount.prefix) {
          response.writeHead(302, { location: `${mount.prefix}/${url.search}` });
          response.end();
          return;
        }
        const file = staticFile(mount, url.pathname);
        if (!file) continue;
        response.writeHead(200, {
          'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        createReadStream(file).pipe(response);
        return;
      }
    }

    const route = routes.find((r) => r.method === request.method && r.path === url.pathname);
    if (route) {
      const { text, tooLarge } = await readBody(request);
      if (tooLarge) return send(response, 413, invalid('请求内容过大'));
      let body: unknown = undefined;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          return send(response, 400, invalid('请求内容不是有效的 JSON'));
        }
      }
      let answer: unknown;
      try {
        answer = await route.handle({ query: url.searchParams, body, headers: request.headers });
      } catch (error) {
        if (!isAppError(error)) throw error;
        answer = { ok: false, error: error.toApiError() } satisfies Envelope;
      }
      if (answer instanceof HtmlPage) {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(answer.html),
          'cache-control': 'no-store',
          // the page runs nothing: no script, no frame, nothing fetched
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        });
        response.end(answer.html);
        return;
      }
      return send(response, 200, answer);
    }

    await readBody(request);
    return send(response, 404, { ok: false, error: { code: 'NOT_FOUND', message: '没有这个地址' } });
  }

  return server;
}

/** Listens on loopback only: the openid header is trusted here and must not be reachable from outside. */
export function listen(server: http.Server, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
