/**
 * The one CloudBase app of a process (`@cloudbase/node-sdk`), shared by every CloudBase adapter —
 * store, branch locator, notifier, mini program codes — so a function initialises the SDK once.
 *
 * Every SDK call goes through `callCloudBase`, which keeps the SDK's failure modes away from the
 * domain:
 *  - credentials are checked before the SDK is asked: without them the SDK (3.18) starts the
 *    request anyway and rejects a promise nobody awaits, which kills the process; here the call
 *    fails at once with DependencyUnavailableError('cloudbase', 'credentials');
 *  - timeouts, refused connections, 5xx answers and answers that are not JSON (a gateway's error
 *    page) become DependencyUnavailableError too (answered UNAVAILABLE, safe to retry);
 *  - an error the API itself answers (a `code` such as DATABASE_TRANSACTION_CONFLICT) is kept as a
 *    CloudBaseError with that code, for the adapter to interpret.
 */
import tcb from '@cloudbase/node-sdk';
import { DependencyUnavailableError, MisconfiguredError } from '../../domain/ports/failures';

export type CloudBaseApp = ReturnType<typeof tcb.init>;

export interface CloudBaseConnection {
  /** Environment id; inside a cloud function the function's own environment when omitted. */
  env?: string;
  /** API keys, for use outside CloudBase (deploy, contract tests); inside, the platform provides them. */
  secretId?: string;
  secretKey?: string;
  /**
   * Another endpoint than Tencent Cloud's. Tests and the cold-start bench point the SDK at the
   * CloudBase emulator (test/helpers/cloudbase-emulator.ts); a deployment never sets it.
   */
  serviceUrl?: string;
  /** Per request, in ms. A function's own timeout must leave room for a few of these. */
  timeoutMs?: number;
}

/** An error the CloudBase API answered (its `code`), as opposed to not answering at all. */
export class CloudBaseError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CloudBaseError';
  }
}

/**
 * A document carries `_openid`: a WeChat client wrote it (a client-side `add` stamps it), so it
 * cannot be trusted. A MisconfiguredError — the collection's permissions let clients write, which
 * no retry fixes — so the function answers INTERNAL and logs the message for an operator. The
 * message names the collection only: document ids may be openids.
 */
export class UntrustedDocumentError extends MisconfiguredError {
  constructor(
    readonly collection: string,
    /** The document, when one was read (not in the message). */
    readonly id?: string,
  ) {
    super(
      `collection ${collection} holds a document written by a WeChat client (it carries _openid): set the ` +
        `collection's permission to "仅管理端可读写", then find the document with where({ _openid: _.exists(true) }) and remove it`,
    );
    this.name = 'UntrustedDocumentError';
  }
}

export const DEFAULT_TIMEOUT_MS = 5_000;

/** Credentials the SDK will find: given keys, an API key, or the temporary keys SCF injects. */
export function hasCredentials(connection: CloudBaseConnection, env: NodeJS.ProcessEnv = process.env): boolean {
  if (connection.secretId && connection.secretKey) return true;
  if (env.CLOUDBASE_APIKEY) return true;
  return Boolean(env.TENCENTCLOUD_SECRETID && env.TENCENTCLOUD_SECRETKEY);
}

const apps = new Map<string, CloudBaseApp>();

/** The app for these connection settings, created on first use. */
export function cloudBaseApp(connection: CloudBaseConnection = {}): CloudBaseApp {
  const key = JSON.stringify([connection.env, connection.secretId, connection.serviceUrl, connection.timeoutMs]);
  let app = apps.get(key);
  if (!app) {
    app = tcb.init({
      env: connection.env ?? tcb.SYMBOL_CURRENT_ENV,
      timeout: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(connection.secretId && connection.secretKey
        ? { secretId: connection.secretId, secretKey: connection.secretKey }
        : {}),
      ...(connection.serviceUrl ? { serviceUrl: connection.serviceUrl } : {}),
    });
    apps.set(key, app);
  }
  return app;
}

const NETWORK_CODES = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Codes with which CloudBase refuses the caller's credentials: not retryable, but not the user's fault. */
const CREDENTIAL_CODES = /^(AUTH_|SIGN_|INVALID_SECRET|SECRETID|SIGNATURE|PERMISSION_DENIED|ACCESS_TOKEN)/i;

/**
 * What a thrown SDK error means. Exported for the adapters that get results instead of throws
 * (`code` fields in a resolved value) — they pass those through `checkResult`.
 */
export function classifyCloudBaseError(error: unknown): Error {
  if (error instanceof DependencyUnavailableError || error instanceof CloudBaseError) return error;
  // The SDK parses every answer as JSON before looking at the status: a gateway's HTML error page
  // (502, 504, …) surfaces as the SyntaxError of that parse.
  if (error instanceof SyntaxError) return new DependencyUnavailableError('cloudbase', 'malformed_response');
  const value = (error ?? {}) as { code?: unknown; message?: unknown; errno?: unknown };
  const code = typeof value.code === 'string' || typeof value.code === 'number' ? String(value.code) : '';
  const message = typeof value.message === 'string' ? value.message : String(error);
  if (NETWORK_CODES.has(code)) return new DependencyUnavailableError('cloudbase', code.toLowerCase());
  // before the message test: the SDK's message for a 504 reads "504 Gateway Timeout | [url]"
  if (/^\d{3}$/.test(code)) {
    const status = Number(code);
    return status >= 500 || status === 429
      ? new DependencyUnavailableError('cloudbase', `http_${status}`)
      : new CloudBaseError(`HTTP_${status}`, message);
  }
  // only uncoded errors are judged by their message: an API code says what it means itself
  if (!code && /timeout|timed out|socket hang up|network/i.test(message)) {
    return new DependencyUnavailableError('cloudbase', 'timeout');
  }
  if (/missing secretId or secretKey/i.test(message)) return new DependencyUnavailableError('cloudbase', 'credentials');
  if (code && CREDENTIAL_CODES.test(code)) return new DependencyUnavailableError('cloudbase', 'credentials_rejected');
  if (code) return new CloudBaseError(code, message);
  return error instanceof Error ? error : new Error(message);
}

/** A resolved SDK result that carries an error `code` becomes a throw. */
export function checkResult<T>(result: T, operation: string): T {
  const coded = result as { code?: unknown; message?: unknown } | null | undefined;
  if (coded && typeof coded.code === 'string' && coded.code.length > 0) {
    throw classifyCloudBaseError({ code: coded.code, message: `${operation}: ${String(coded.message ?? '')}` });
  }
  return result;
}

/**
 * Runs one SDK call: credentials first, every failure classified. `operation` names the call in
 * errors and logs (never with data in it).
 */
export async function callCloudBase<T>(
  connection: CloudBaseConnection,
  operation: string,
  work: (app: CloudBaseApp) => Promise<T>,
): Promise<T> {
  if (!hasCredentials(connection)) throw new DependencyUnavailableError('cloudbase', 'credentials');
  let result: T;
  try {
    result = await work(cloudBaseApp(connection));
  } catch (error) {
    throw classifyCloudBaseError(error);
  }
  return checkResult(result, operation);
}
