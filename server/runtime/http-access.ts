/**
 * A function reached through CloudBase's HTTP access service (HTTP 访问服务) instead of
 * `wx.cloud.callFunction`. The gateway hands `main` an "integrated request" and sends back what it
 * returns as an "integrated response" (https://docs.cloudbase.net/service/access-cloud-function):
 *
 *   event:  { path, httpMethod, headers, queryStringParameters, body, isBase64Encoded, requestContext }
 *   answer: { statusCode, headers, body, isBase64Encoded }
 *
 * This adapter turns the request into the call event `createMain` takes — `{ action, ...fields }`,
 * the action named by the path's last segment, the fields from the query (GET) or the JSON body
 * (POST), plus the fields the function reads from the request itself (`trusted`, e.g. a token
 * header), which always win over the body's — and runs it through `createMain`, so validation,
 * the `{ ok, data | error }` envelope, error mapping and logging are those of every other function.
 *
 * A call from the mini program (an openid in the context) is refused: such a function is never a
 * user's function, whatever its event looks like.
 */
import type { ActionName, FunctionName } from '../../typings/api';
import type { ErrorCode } from '../../typings/errors';
import type { Result } from '../../typings/result';
import { AppError } from '../domain/errors';
import type { AppDeps } from './deps';
import type { FunctionDef } from './define';
import { callerFromContext } from './identity';
import { createMain } from './main';

export type HttpMethod = 'GET' | 'POST';

/** The integrated request, as far as this adapter reads it (anything may be missing or mistyped). */
export interface HttpAccessEvent {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
  requestContext?: Record<string, unknown>;
}

export interface HttpAccessResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** The envelope, as JSON. */
  body: string;
  isBase64Encoded: false;
}

/** What a function may read from the request itself: its headers (lower-case names) and source address. */
export interface HttpAccessRequest {
  headers: Readonly<Record<string, string>>;
  sourceIp: string;
}

export interface HttpAccessOptions<F extends FunctionName> {
  /** The actions reachable over HTTP, each with the one method it answers to, at `…/<action>`. */
  routes: { readonly [A in ActionName<F>]?: HttpMethod };
  /** Fields taken from the request rather than the body (credentials); they replace any of the body's. */
  trusted(request: HttpAccessRequest): Record<string, unknown>;
}

export type HttpAccessMain = (event: unknown, context: unknown) => Promise<HttpAccessResponse>;

/** Far above any staff request; what a JSON body may weigh before it is parsed at all. */
const MAX_BODY_CHARS = 256 * 1024;

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  FAILED_PRECONDITION: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** String values only, names lower-cased: the gateway's spelling of header names is not relied on. */
function stringRecord(value: unknown, lowerCaseNames = false): Record<string, string> {
  const record: Record<string, string> = {};
  if (!isPlainObject(value)) return record;
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') record[lowerCaseNames ? name.toLowerCase() : name] = item;
  }
  return record;
}

/**
 * The caller's address: the gateway's own `requestContext.sourceIp` when it gives one, else the
 * last `x-forwarded-for` entry — the one the gateway appended (earlier entries are whatever the
 * client sent). Assumed, not verified against a live gateway; a wrong guess only makes callers
 * share one per-address counter, never lifts a limit.
 */
function sourceIpOf(event: Record<string, unknown>, headers: Record<string, string>): string {
  const context = isPlainObject(event.requestContext) ? event.requestContext : {};
  if (typeof context.sourceIp === 'string' && context.sourceIp.length > 0) return context.sourceIp.slice(0, 64);
  const forwarded = (headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return (forwarded.at(-1) ?? 'unknown').slice(0, 64);
}

function answer(result: Result<unknown>): HttpAccessResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  };
  const retryAfterMs = result.ok ? undefined : result.error.details?.retryAfterMs;
  if (typeof retryAfterMs === 'number') headers['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  return {
    statusCode: result.ok ? 200 : (STATUS[result.error.code] ?? 400),
    headers,
    body: JSON.stringify(result),
    isBase64Encoded: false,
  };
}

function refuse(code: ErrorCode, message: string, statusCode?: number): HttpAccessResponse {
  const response = answer({ ok: false, error: new AppError(code, message).toApiError() });
  return statusCode ? { ...response, statusCode } : response;
}

type Parsed = { fields: Record<string, unknown> } | { refused: HttpAccessResponse };

/** The JSON object a POST carries, or the answer refusing anything else. */
function bodyFields(event: Record<string, unknown>): Parsed {
  let text = typeof event.body === 'string' ? event.body : '';
  if (text.length > MAX_BODY_CHARS) return { refused: refuse('INVALID_ARGUMENT', '请求内容过大', 413) };
  // The gateway base64-encodes bodies it takes for binary; JSON normally comes as text.
  if (event.isBase64Encoded === true || event.isBase64Encoded === 'true') {
    text = Buffer.from(text, 'base64').toString('utf8');
  }
  if (text.trim().length === 0) return { fields: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { refused: refuse('INVALID_ARGUMENT', '请求内容不是有效的 JSON') };
  }
  return isPlainObject(parsed) ? { fields: parsed } : { refused: refuse('INVALID_ARGUMENT', '请求格式有误') };
}

export function createHttpAccessMain<F extends FunctionName>(
  fn: FunctionDef<F>,
  getDeps: () => AppDeps | Promise<AppDeps>,
  options: HttpAccessOptions<F>,
): HttpAccessMain {
  const callMain = createMain(fn as FunctionDef, getDeps);
  const routes = options.routes as Readonly<Record<string, HttpMethod>>;
  return async function main(event: unknown, context: unknown): Promise<HttpAccessResponse> {
    if (callerFromContext(context)) return refuse('PERMISSION_DENIED', '该服务不接受小程序调用');
    if (!isPlainObject(event) || typeof event.httpMethod !== 'string' || typeof event.path !== 'string') {
      return refuse('INVALID_ARGUMENT', '请通过 HTTP 访问该服务');
    }
    // Whatever the trigger path (`/staff`, `/api/staff`, …), the last segment names the action.
    const action = event.path.replace(/\/+$/, '').split('/').pop() ?? '';
    const method = Object.prototype.hasOwnProperty.call(routes, action) ? routes[action] : undefined;
    if (!method) return refuse('NOT_FOUND', '没有这个地址');
    if (event.httpMethod.toUpperCase() !== method) return refuse('INVALID_ARGUMENT', `请使用 ${method} 请求`, 405);
    const parsed = method === 'GET' ? { fields: stringRecord(event.queryStringParameters) } : bodyFields(event);
    if ('refused' in parsed) return parsed.refused;
    const headers = stringRecord(event.headers, true);
    const trusted = options.trusted({ headers, sourceIp: sourceIpOf(event, headers) });
    return answer(await callMain({ ...parsed.fields, ...trusted, action }, context));
  };
}

/** An event the HTTP access service sent (as opposed to a `wx.cloud.callFunction` or timer event). */
export function isHttpAccessEvent(event: unknown): boolean {
  return isPlainObject(event) && typeof event.httpMethod === 'string' && typeof event.path === 'string';
}

/**
 * A function reached both ways: by the mini program through `wx.cloud.callFunction`, and by
 * machines through its HTTP path, where only `options.routes` answer. (`branches`: users call
 * every action, queuing machines post `queueFeed` with their secret.)
 */
export function createCallOrHttpMain<F extends FunctionName>(
  fn: FunctionDef<F>,
  getDeps: () => AppDeps | Promise<AppDeps>,
  options: HttpAccessOptions<F>,
): (event: unknown, context: unknown) => Promise<Result<unknown> | HttpAccessResponse> {
  const callMain = createMain(fn as FunctionDef, getDeps);
  const httpMain = createHttpAccessMain(fn, getDeps, options);
  return (event, context) => (isHttpAccessEvent(event) ? httpMain(event, context) : callMain(event, context));
}

/**
 * The integrated request for an HTTP request that arrived some other way (the local host's
 * `/staff/…` routes), so that it takes exactly the cloud's path.
 */
export function httpAccessEvent(request: {
  method: HttpMethod;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  body: unknown;
  sourceIp: string;
}): HttpAccessEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  return {
    path: request.path,
    httpMethod: request.method,
    headers,
    queryStringParameters: request.query,
    body: request.body === undefined ? '' : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: { sourceIp: request.sourceIp },
  };
}
