/**
 * The production Notifier: WeChat subscribe messages through the cloud function's open API
 * (`cloud.openapi.subscribeMessage.send` of wx-server-sdk), which needs no access token inside
 * CloudBase — only `"permissions": { "openapi": ["subscribeMessage.send"] }` in the sending
 * function's config.json (ledger, qrcode, settle, branches).
 *
 * WeChat's answer becomes the port's vocabulary: 43101 (the user has no acceptance left, or
 * refused) → NotificationRefusedError('notSubscribed'); a wrong template, field, page or openid →
 * NotificationRefusedError('invalid'); anything else (system busy, a timeout) is thrown as is, to
 * be retried by settle.
 */
import { CONFIG } from '../../config';
import { NotificationRefusedError, type Notification, type Notifier } from '../../domain/ports/notifier';
import type * as WxServerSdk from 'wx-server-sdk';

/** What `subscribeMessage.send` takes (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html). */
export interface SubscribeSendRequest {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogramState: string;
  lang: 'zh_CN';
}

export type SubscribeSend = (request: SubscribeSendRequest) => Promise<{ errCode?: number; errMsg?: string }>;

/** Codes that mean "this message can never be sent as it is" (retrying would not help). */
const INVALID_CODES = new Set([
  40003, // invalid openid
  40037, // invalid template id
  41030, // invalid page
  47003, // data does not fit the template
]);
const NOT_SUBSCRIBED = 43101;

let sdkSend: SubscribeSend | undefined;

/** wx-server-sdk, loaded on the first message (functions that never send never load it). */
function sendThroughSdk(request: SubscribeSendRequest): ReturnType<SubscribeSend> {
  if (!sdkSend) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cloud = require('wx-server-sdk') as typeof WxServerSdk;
    cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
    sdkSend = (body) => cloud.openapi.subscribeMessage.send(body);
  }
  return sdkSend(request);
}

function codeOf(value: unknown): number | undefined {
  const code = (value as { errCode?: unknown } | null)?.errCode;
  return typeof code === 'number' ? code : undefined;
}

export class WechatSubscribeNotifier implements Notifier {
  constructor(private readonly send: SubscribeSend = sendThroughSdk) {}

  async notify(notification: Notification): Promise<void> {
    const request: SubscribeSendRequest = {
      touser: notification.openid,
      templateId: notification.templateId,
      page: notification.link?.replace(/^\//, ''),
      data: Object.fromEntries(Object.entries(notification.data).map(([name, value]) => [name, { value }])),
      miniprogramState: CONFIG.notifications.miniprogramState,
      lang: 'zh_CN',
    };
    let code: number | undefined;
    try {
      code = codeOf(await this.send(request)) ?? 0;
    } catch (error) {
      code = codeOf(error);
      if (code === undefined) throw error;
    }
    if (code === 0) return;
    if (code === NOT_SUBSCRIBED) throw new NotificationRefusedError('notSubscribed', String(code));
    if (INVALID_CODES.has(code)) throw new NotificationRefusedError('invalid', String(code));
    throw new Error(`subscribeMessage.send failed: errCode ${code}`);
  }
}
