/** Typed client of the `messages` cloud function: the message centre and subscribe-message acceptances. */
import type { MessageListView, SubscribeRequest, SubscriptionView } from '../../typings/messages';
import { callFunction } from './transport';

export const messagesService = {
  list(cursor?: string): Promise<MessageListView> {
    return callFunction('messages', 'list', cursor ? { cursor } : {});
  },
  unreadCount(): Promise<{ unreadCount: number }> {
    return callFunction('messages', 'unreadCount', {});
  },
  markRead(messageIds: string[]): Promise<{ unreadCount: number }> {
    return callFunction('messages', 'markRead', { messageIds });
  },
  markAllRead(): Promise<{ unreadCount: number }> {
    return callFunction('messages', 'markRead', { all: true });
  },
  subscriptions(): Promise<{ templates: SubscriptionView[] }> {
    return callFunction('messages', 'subscriptions', {});
  },
  subscribe(request: SubscribeRequest): Promise<{ templates: SubscriptionView[] }> {
    return callFunction('messages', 'subscribe', request);
  },
};
