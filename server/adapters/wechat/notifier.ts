/**
 * The production Notifier: WeChat subscribe messages (`subscribeMessage.send`) through the
 * CloudBase app's open-API call (`callWxOpenApi`, the node SDK's 云调用), which needs no access
 * token inside CloudBase — only `"permissions": { "openapi": ["subscribeMessage.send"] }` in the
 * sending function's config.json. The request is the HTTPS API's body
 * (https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html).
 *
 * WeChat's answer becomes the port's vocabulary: 43101 (the user has no acceptance left, or
 * refused) → NotificationRefusedError('notSubscribed'); a wrong template, field, page or openid →
 * NotificationRefusedError('invalid'); anything else (system busy, a timeout) is thrown as is, to
 * be retried by settle.
 */
import { CONFIG } from '../../config';
import { NotificationRefusedError, type Notification, type Notifier } from '../../domain/ports/notifier';
import { callCloudBase, type CloudBaseConnection } from '../cloudbase/app';

/** The body of `POST /cgi-bin/message/subscribe/send`. */
export interface SubscribeSendRequest {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state: string;
  lang: 'zh_CN';
}

/** WeChat's answer: `errcode` 0 is success. */
export type SubscribeSend = (request: SubscribeSendRequest) => Promise<{ errcode?: number; errmsg?: string }>;

export const SUBSCRIBE_SEND_API = '/cgi-bin/message/subscribe/send';

/** Codes that mean "this message can never be sent as it is" (retrying would not help). */
const INVALID_CODES = new Set([
  40003, // invalid openid
  40037, // invalid template id
  41030, // invalid page
  47003, // data does not fit the template
]);
const NOT_SUBSCRIBED = 43101;

/** The open-API call of the shared CloudBase app. */
export function sendThroughCloudBase(connection: CloudBaseConnection = {}): SubscribeSend {
  return async (request) => {
    const answer = await callCloudBase(connection, 'subscribeMessage.send', (app) =>
      app.callWxOpenApi({ apiName: SUBSCRIBE_SEND_API, requestData: request }),
    );
    const result = (answer as { result?: unknown }).result;
    return result !== null && typeof result === 'object' ? (result as { errcode?: number; errmsg?: string }) : {};
  };
}

export class WechatSubscribeNotifier implements Notifier {
  constructor(private readonly send: SubscribeSend = sendThroughCloudBase()) {}

  async notify(notification: Notification): Promise<void> {
    const request: SubscribeSendRequest = {
      touser: notification.openid,
      template_id: notification.templateId,
      page: notification.link?.replace(/^\//, ''),
      data: Object.fromEntries(Object.entries(notification.data).map(([name, value]) => [name, { value }])),
      miniprogram_state: CONFIG.notifications.miniprogramState,
      lang: 'zh_CN',
    };
    const answer = await this.send(request);
    const code = typeof answer.errcode === 'number' ? answer.errcode : 0;
    if (code === 0) return;
    if (code === NOT_SUBSCRIBED) throw new NotificationRefusedError('notSubscribed', String(code));
    if (INVALID_CODES.has(code)) throw new NotificationRefusedError('invalid', String(code));
    throw new Error(`subscribeMessage.send failed: errcode ${code}`);
  }
}
