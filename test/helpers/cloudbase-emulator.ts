/**
 * A CloudBase emulator: an HTTP server on 127.0.0.1 that answers the CloudBase server API the way
 * `@cloudbase/node-sdk` 3.18.3 talks to it, so the CloudBase adapters run in tests through the real
 * SDK. Point the SDK at it with `serviceUrl: emulator.url` (as CloudBaseConnection's `serviceUrl`),
 * or — for a built function in its own process — with the SDK's own injection variable
 * `TCB_CONTEXT_CNFG={"URL":"<emulator.url>"}`, which `getServerInjectUrl()` reads before the
 * Tencent Cloud endpoints. That works inside the SCF look-alike environment too
 * (`TENCENTCLOUD_RUNENV=SCF SCF_NAMESPACE=<env> TENCENTCLOUD_REGION=ap-shanghai` with any
 * `TENCENTCLOUD_SECRETID`/`TENCENTCLOUD_SECRETKEY`): the SDK then takes the environment id from
 * SCF_NAMESPACE and the keys from the variables, and still posts to the injected URL
 * (test/server/cloudbase-store-emulated.test.ts checks it).
 *
 * The SDK posts JSON to `<url>?env=…&seqId=…` with an `action` field; answers are
 * `{ ...data, requestId }` or, for an error, `{ code, message, requestId }` (HTTP 200). Supported:
 *  - `database.*` — see cloudbase-emulator-database.ts (documents, queries, aggregation with
 *    `$geoNear`, transactions with conflict detection);
 *  - `wx.api` (`app.callWxOpenApi`): each call is recorded `{ apiName, requestData }` and answered
 *    `{ data: { responseData: '<json>' } }` from `answerOpenApi` (subscribe-message sends answer
 *    `{ errcode: 0 }` unless told otherwise; an API without an answer is an error);
 *    `wx.openApi` (`app.callCompatibleWxOpenApi`, multipart) likewise, answering raw bytes (e.g. a
 *    小程序码 image) or JSON;
 *  - cloud storage: `storage.getUploadMetadata` + the PUT upload it points at (`app.uploadFile`),
 *    `storage.batchGetDownloadUrl` + GET of the temporary URL (`getTempFileURL`, `downloadFile`),
 *    `storage.batchDeleteFile` (`deleteFile`), in memory.
 * Anything else is answered with the code EMULATOR_UNSUPPORTED.
 *
 * Test hooks: failures injected for the next N calls of an action (an error code, an HTTP status,
 * a delay, a dropped connection), a forced commit conflict, the request log, reset.
 *
 * While an emulator runs, the process has TENCENTCLOUD=true and SILENCE=true (restored by the last
 * close). Outside SCF the SDK otherwise probes http://metadata.tencentyun.com twice before every
 * request (30 ms timeouts plus DNS: 60+ ms a request here, seconds when the resolver is slow);
 * TENCENTCLOUD=true answers that probe ("on Tencent Cloud"), which only changes the endpoint the
 * SDK would pick without a serviceUrl. SILENCE=true stops the SDK's 3-second "slow request" timer,
 * which a failed request leaves running (keeping jest alive and printing warnings).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, EmulatedDatabase, type DatabaseOptions, type Doc } from './cloudbase-emulator-database';

export { MONGODB_EARTH_RADIUS_M } from './cloudbase-emulator-database';
export type { Doc as EmulatedDocument } from './cloudbase-emulator-database';

/** What the next call(s) of an action get instead of (or before) their answer. */
export type InjectedFailure =
  /** An error answer (HTTP 200, `{ code, message }`), as the API gives for its own failures. */
  | { code: string; message?: string }
  /** An HTTP status, with a gateway's HTML page for a body unless `body` is given (e.g. JSON). */
  | { status: number; body?: string }
  /** The answer comes this late (then normally: a write still happens, as it may on a real timeout). */
  | { delayMs: number }
  /** The connection is dropped without an answer. */
  | { drop: true };

export interface RecordedRequest {
  action: string;
  /** The request body (multipart fields for `wx.openApi`), minus the SDK's token fields. */
  params: Record<string, unknown>;
}

export interface OpenApiCall {
  apiName: string;
  /** The request body as the caller passed it (parsed back from the JSON string the SDK sends). */
  requestData: unknown;
}

/** A JSON value (sent as the response data), or bytes (only over `wx.openApi`). */
export type OpenApiAnswerValue = Buffer | string | number | boolean | null | object;
export type OpenApiAnswer = OpenApiAnswerValue | ((requestData: unknown) => OpenApiAnswerValue);

export interface StoredFile {
  content: Buffer;
  contentType: string;
}

export interface CloudBaseEmulator {
  /** The `serviceUrl`: `http://127.0.0.1:<port>/admin`. */
  readonly url: string;
  close(): Promise<void>;
  /** Forgets documents, collections, transactions, files, answers, failures and the log. */
  reset(): void;

  /** The next `times` calls of `action` (e.g. 'database.getDocument', 'wx.api') get `failure`. */
  failNext(action: string, failure: InjectedFailure, times?: number): void;
  /** The next `times` commits answer DATABASE_TRANSACTION_CONFLICT. */
  conflictNextCommit(times?: number): void;

  /** Every request received, oldest first. */
  requests(): RecordedRequest[];
  /** Just the actions of `requests()`. */
  actions(): string[];
  clearRequests(): void;

  /** `wx.api` / `wx.openApi` calls, oldest first. */
  openApiCalls(): OpenApiCall[];
  /** How the open API `apiName` (e.g. '/wxa/getwxacodeunlimit') answers from now on. */
  answerOpenApi(apiName: string, answer: OpenApiAnswer): void;

  createCollections(...names: string[]): void;
  collectionNames(): string[];
  /** A copy of a collection's documents as stored (with `_id`, GeoJSON, any `_openid`). */
  documents(collection: string): Doc[];
  /** Stores a document as it is, bypassing the API (the collection is created if needed). */
  putDocument(collection: string, doc: Doc): void;
  /** What a WeChat client's `db.collection(c).add({ data })` leaves: the document plus `_openid`. */
  clientAdd(collection: string, doc: Record<string, unknown>, openid: string): string;
  /** Transactions started and neither committed nor ended. */
  liveTransactions(): number;

  /** Uploaded files by cloud path. */
  files(): Map<string, StoredFile>;
}

export interface CloudBaseEmulatorOptions extends DatabaseOptions {
  /** Port to listen on (default: any free one). */
  port?: number;
}

const SUBSCRIBE_SEND = '/cgi-bin/message/subscribe/send';

/** The SDK settings an emulator needs, set while at least one runs (see the header). */
const SDK_ENVIRONMENT = { TENCENTCLOUD: 'true', SILENCE: 'true' } as const;
let running = 0;
let savedEnvironment: Record<string, string | undefined> = {};

function useSdkEnvironment(): void {
  if (running++ > 0) return;
  savedEnvironment = Object.fromEntries(Object.keys(SDK_ENVIRONMENT).map((name) => [name, process.env[name]]));
  Object.assign(process.env, SDK_ENVIRONMENT);
}

function releaseSdkEnvironment(): void {
  if (--running > 0) return;
  for (const [name, value] of Object.entries(savedEnvironment)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}
const SDK_NOISE = new Set(['wxCloudApiToken', 'wxCloudbaseAccesstoken', 'tcb_sessionToken', 'crossAuthorizationToken']);

function readBody(request: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The fields of a multipart/form-data body (what the SDK's form-data sends for `wx.openApi`). */
function parseMultipart(body: Buffer, contentType: string): Record<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new ApiError('INVALID_PARAM', 'multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const fields: Record<string, Buffer> = {};
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/.exec(headers)?.[1];
    if (name !== undefined) fields[name] = part.subarray(split + 4);
    start = next;
  }
  return fields;
}

function contentTypeOf(bytes: Buffer, path = ''): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (/\.json$/i.test(path)) return 'application/json';
  return 'application/octet-stream';
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startCloudBaseEmulator(options: CloudBaseEmulatorOptions = {}): Promise<CloudBaseEmulator> {
  const database = new EmulatedDatabase(options);
  const log: RecordedRequest[] = [];
  const openApiLog: OpenApiCall[] = [];
  const failures = new Map<string, InjectedFailure[]>();
  const answers = new Map<string, OpenApiAnswer>();
  const files = new Map<string, StoredFile>();
  const timers = new Set<NodeJS.Timeout>();
  let requestCount = 0;
  let base = '';

  const resetAnswers = () => {
    answers.clear();
    answers.set(SUBSCRIBE_SEND, { errcode: 0, errmsg: 'ok' });
  };
  resetAnswers();

  const answerFor = (apiName: string, requestData: unknown): OpenApiAnswerValue => {
    const answer = answers.get(apiName);
    if (answer === undefined)
      throw new ApiError('EMULATOR_UNSUPPORTED', `no answer for the open API ${apiName}: call answerOpenApi first`);
    return typeof answer === 'function' ? answer(requestData) : answer;
  };

  const pathOfFileId = (fileId: unknown): string | undefined =>
    typeof fileId === 'string' ? /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId)?.[1] : undefined;

  /** One API action; returns the JSON answer's fields, or a raw body for `wx.openApi`. */
  const dispatch = (
    action: string,
    params: Record<string, unknown>,
  ): Record<string, unknown> | { raw: Buffer; contentType: string } => {
    if (action.startsWith('database.')) return database.handle(action, params);
    const env = typeof params.envName === 'string' ? params.envName : '';
    switch (action) {
      case 'wx.api': {
        const apiName = String(params.apiName ?? '');
        const raw = typeof params.requestData === 'string' ? params.requestData : '';
        const requestData = raw ? parseJsonOr(raw) : undefined;
        openApiLog.push({ apiName, requestData });
        const answer = answerFor(apiName, requestData);
        if (Buffer.isBuffer(answer))
          throw new ApiError('EMULATOR_UNSUPPORTED', `${apiName} answers bytes: call it through wx.openApi`);
        return { data: { responseData: typeof answer === 'string' ? answer : JSON.stringify(answer) } };
      }
      case 'wx.openApi': {
        const apiName = String(params.apiName ?? '');
        const raw = params.requestData;
        const requestData = Buffer.isBuffer(raw) ? parseJsonOr(raw.toString('utf8')) : raw;
        openApiLog.push({ apiName, requestData });
        const answer = answerFor(apiName, requestData);
        // the SDK tells a JSON answer from bytes by exactly this content type
        return Buffer.isBuffer(answer)
          ? { raw: answer, contentType: contentTypeOf(answer) }
          : { raw: Buffer.from(JSON.stringify(answer)), contentType: 'application/json; charset=utf-8' };
      }
      case 'storage.getUploadMetadata': {
        const cloudPath = params.path;
        if (typeof cloudPath !== 'string' || !cloudPath) throw new ApiError('INVALID_PARAM', 'path is required');
        return {
          data: {
            url: `${base}/cos/${cloudPath.split('/').map(encodeURIComponent).join('/')}`,
            token: 'emulated-token',
            authorization: 'emulated-authorization',
            fileId: `cloud://${env}.emulated-bucket/${cloudPath}`,
            cosFileId: `emulated-cos-${cloudPath}`,
          },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = Array.isArray(params.file_list)
          ? (params.file_list as { fileid?: unknown; max_age?: unknown }[])
          : [];
        return {
          data: {
            download_list: list.map(({ fileid, max_age }) => {
              const cloudPath = pathOfFileId(fileid);
              const found = cloudPath !== undefined && files.has(cloudPath);
              return {
                fileID: fileid,
                // unescaped, like the real ones: the SDK's downloadFile applies encodeURI itself
                tempFileURL: found ? `${base}/cos/${cloudPath}?sign=emulated` : '',
                code: found ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST',
                maxAge: max_age ?? 0,
              };
            }),
          },
        };
      }
      case 'storage.batchDeleteFile': {
        const list = Array.isArray(params.fileid_list) ? params.fileid_list : [];
        return {
          data: {
            delete_list: list.map((fileId: unknown) => {
              const cloudPath = pathOfFileId(fileId);
              const found = cloudPath !== undefined && files.delete(cloudPath);
              return { fileID: fileId, code: found ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
            }),
          },
        };
      }
      default:
        throw new ApiError('EMULATOR_UNSUPPORTED', `the CloudBase emulator does not support the action ${action}`);
    }
  };

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const sendJson = (response: http.ServerResponse, body: unknown, contentType = 'application/json') => {
    if (response.destroyed) return;
    response.writeHead(200, { 'content-type': contentType });
    response.end(JSON.stringify(body));
  };

  const serveApi = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await readBody(request);
    const requestId = `emulated-${++requestCount}`;
    const contentType = request.headers['content-type'] ?? '';
    let params: Record<string, unknown>;
    try {
      if (contentType.startsWith('multipart/form-data')) {
        const fields = parseMultipart(body, contentType);
        params = Object.fromEntries(
          Object.entries(fields).map(([name, value]) => [
            name,
            name === 'requestData' ? value : value.toString('utf8'),
          ]),
        );
      } else {
        const parsed: unknown = JSON.parse(body.toString('utf8'));
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        params = parsed as Record<string, unknown>;
      }
    } catch {
      sendJson(response, { code: 'INVALID_PARAM', message: 'the body is not a JSON object', requestId });
      return;
    }
    const action = typeof params.action === 'string' ? params.action : '';
    log.push({
      action,
      params: Object.fromEntries(Object.entries(params).filter(([key]) => !SDK_NOISE.has(key))),
    });

    const queued = failures.get(action);
    const failure = queued?.shift();
    if (queued && queued.length === 0) failures.delete(action);
    if (failure && 'drop' in failure) {
      request.socket.destroy();
      return;
    }
    if (failure && 'status' in failure) {
      const page = `<html><body>${failure.status} ${http.STATUS_CODES[failure.status] ?? ''}</body></html>`;
      response.writeHead(failure.status, {
        'content-type': failure.body === undefined ? 'text/html' : 'application/json',
      });
      response.end(failure.body ?? page);
      return;
    }
    if (failure && 'code' in failure) {
      sendJson(response, { code: failure.code, message: failure.message ?? `injected ${failure.code}`, requestId });
      return;
    }
    if (failure && 'delayMs' in failure) await delay(failure.delayMs);

    // Requests are signed (TC3-HMAC-SHA256); the emulator checks a signature is there, not its value.
    if (!request.headers.authorization) {
      sendJson(response, { code: 'SIGN_PARAM_INVALID', message: 'the request is not signed', requestId });
      return;
    }
    try {
      const answer = dispatch(action, params);
      if (Buffer.isBuffer(answer.raw) && typeof answer.contentType === 'string') {
        response.writeHead(200, { 'content-type': answer.contentType });
        response.end(answer.raw);
      } else {
        sendJson(response, { ...answer, requestId });
      }
    } catch (error) {
      if (error instanceof ApiError) sendJson(response, { code: error.code, message: error.message, requestId });
      else {
        response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(String(error instanceof Error ? error.stack : error));
      }
    }
  };

  const serveFile = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL) => {
    const cloudPath = decodeURIComponent(url.pathname.slice('/cos/'.length));
    if (request.method === 'PUT') {
      const content = await readBody(request);
      files.set(cloudPath, { content, contentType: contentTypeOf(content, cloudPath) });
      response.writeHead(200);
      response.end();
      return;
    }
    const file = files.get(cloudPath);
    if (!file) {
      response.writeHead(404, { 'content-type': 'application/xml' });
      response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.content.length });
    response.end(request.method === 'HEAD' ? undefined : file.content);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const work =
      url.pathname.startsWith('/cos/') && ['PUT', 'GET', 'HEAD'].includes(request.method ?? '')
        ? serveFile(request, response, url)
        : request.method === 'POST' && url.pathname === '/admin'
          ? serveApi(request, response)
          : Promise.resolve().then(() => {
              response.writeHead(404);
              response.end();
            });
    work.catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  useSdkEnvironment();
  let closed = false;

  return {
    url: `${base}/admin`,
    close: () =>
      new Promise<void>((resolve) => {
        if (!closed) releaseSdkEnvironment();
        closed = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        // the SDK keeps sockets alive outside SCF: drop them so close() does not wait for their idle timeout
        server.closeAllConnections();
      }),
    reset: () => {
      database.reset();
      log.length = 0;
      openApiLog.length = 0;
      failures.clear();
      files.clear();
      resetAnswers();
    },
    failNext: (action, failure, times = 1) => {
      failures.set(action, [...(failures.get(action) ?? []), ...Array.from({ length: times }, () => failure)]);
    },
    conflictNextCommit: (times = 1) => database.conflictNextCommit(times),
    requests: () => log.map((entry) => ({ ...entry })),
    actions: () => log.map((entry) => entry.action),
    clearRequests: () => {
      log.length = 0;
      openApiLog.length = 0;
    },
    openApiCalls: () => [...openApiLog],
    answerOpenApi: (apiName, answer) => {
      answers.set(apiName, answer);
    },
    createCollections: (...names) => names.forEach((name) => database.createCollection(name)),
    collectionNames: () => database.collectionNames(),
    documents: (collection) => database.documents(collection),
    putDocument: (collection, doc) => database.putDocument(collection, doc),
    clientAdd: (collection, doc, openid) => {
      const id = typeof doc._id === 'string' ? doc._id : `client-${Date.now().toString(36)}-${++requestCount}`;
      database.putDocument(collection, { ...(doc as Omit<Doc, '_id'>), _id: id, _openid: openid } as Doc);
      return id;
    },
    liveTransactions: () => database.liveTransactions(),
    files: () => files,
  };
}
