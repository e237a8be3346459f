/**
 * The one transport every service client uses. Cloud mode calls wx.cloud.callFunction; local mode
 * POSTs the same data to the local host with the developer-chosen openid. Either way the caller
 * gets the function's data, or a ServiceError carrying the server's code and Chinese message.
 */
import type { ActionName, FunctionName, RequestOf, ResponseOf } from '../../typings/api';
import type { ErrorCode } from '../../typings/errors';
import type { ApiError, Result } from '../../typings/result';
import { config } from '../config';

/** Codes the client adds for failures that never reached a function. */
export type ClientErrorCode = ErrorCode | 'NETWORK';

export class ServiceError extends Error {
  readonly code: ClientErrorCode;
  readonly details?: ApiError['details'];

  constructor(code: ClientErrorCode, message: string, details?: ApiError['details']) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.details = details;
  }
}

const DEV_OPENID_KEY = 'wxbank.devOpenid';
const DEV_HOST_KEY = 'wxbank.localHostUrl';

export function localHostUrl(): string {
  return (wx.getStorageSync(DEV_HOST_KEY) as string) || config.localHostUrl;
}

export function devOpenid(): string {
  return (wx.getStorageSync(DEV_OPENID_KEY) as string) || config.defaultDevOpenid;
}

export function setDevConnection(hostUrl: string, openid: string): void {
  wx.setStorageSync(DEV_HOST_KEY, hostUrl);
  wx.setStorageSync(DEV_OPENID_KEY, openid);
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

function unwrap<T>(value: unknown): T {
  if (!isResult(value)) throw new ServiceError('NETWORK', '服务返回格式异常，请稍后重试');
  if (!value.ok) throw new ServiceError(value.error.code, value.error.message, value.error.details);
  return value.data as T;
}

function requestLocal(name: string, data: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${localHostUrl()}/fn/${name}`,
      method: 'POST',
      data,
      header: { 'content-type': 'application/json', 'X-WX-OPENID': devOpenid() },
      success: (response) => resolve(response.data),
      fail: () => reject(new ServiceError('NETWORK', '无法连接本地服务，请先运行 npm start')),
    });
  });
}

function requestCloud(name: string, data: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.cloud.callFunction({
      name,
      data,
      success: (response) => resolve(response.result),
      fail: () => reject(new ServiceError('NETWORK', '网络异常，请稍后重试')),
    });
  });
}

export async function callFunction<F extends FunctionName, A extends ActionName<F>>(
  name: F,
  action: A,
  payload: RequestOf<F, A>,
): Promise<ResponseOf<F, A>> {
  const data = { ...(payload as object), action };
  const raw = config.transport === 'cloud' ? await requestCloud(name, data) : await requestLocal(name, data);
  return unwrap<ResponseOf<F, A>>(raw);
}

/** What to show for a failed call: the server's (or transport's) message, else the page's fallback. */
export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof ServiceError ? error.message : fallback;
}
