/**
 * Function `messages`: the message centre (消息中心) — every balance change and appointment
 * reminder, newest first, with an unread count — and the WeChat subscribe messages a user accepted.
 */

/** What a message is about, machine-readable: `ledger.transfer.SUCCEEDED`, `appointment.reminder`, … */
export interface MessageView {
  messageId: string;
  kind: string;
  title: string;
  body: string;
  /** The page it opens (with its query), or null. */
  link: string | null;
  read: boolean;
  createdAt: number;
}

export interface MessageListRequest {
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** 1–50, default 20. */
  limit?: number;
}

export interface MessageListView {
  items: MessageView[];
  nextCursor: string | null;
  unreadCount: number;
}

/** Exactly one of the two. */
export interface MarkReadRequest {
  messageIds?: string[];
  all?: boolean;
}

/** The subscribe-message templates (一次性订阅消息) the mini program may ask the user to accept. */
export type SubscribeTemplateKey = 'fundChange' | 'appointment';

export interface SubscriptionView {
  key: SubscribeTemplateKey;
  /** For `wx.requestSubscribeMessage({ tmplIds })`. */
  templateId: string;
  title: string;
  /** Messages of this template WeChat will still let us send (one per acceptance). */
  remaining: number;
}

/** What `wx.requestSubscribeMessage` answered, by template id. */
export interface SubscribeRequest {
  /** Answered 'accept': one more message of that template may be sent. */
  accepted?: string[];
  /** Answered 'reject' or 'ban': none may be sent until accepted again. */
  rejected?: string[];
}

export interface MessagesActions {
  list: { request: MessageListRequest; response: MessageListView };
  unreadCount: { request: Record<string, never>; response: { unreadCount: number } };
  markRead: { request: MarkReadRequest; response: { unreadCount: number } };
  subscriptions: { request: Record<string, never>; response: { templates: SubscriptionView[] } };
  subscribe: { request: SubscribeRequest; response: { templates: SubscriptionView[] } };
}
