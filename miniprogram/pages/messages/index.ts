/**
 * 消息中心: every balance change and appointment reminder, newest first, unread ones marked.
 * Opening a message marks it read and goes where it points; 全部已读 clears the badge. The
 * subscription row asks WeChat to deliver the next messages as subscribe messages too.
 */
import type { MessageView, SubscriptionView } from '../../../typings/messages';
import { messagesService } from '../../services/messages';
import { errorMessage } from '../../services/transport';
import type { DatasetEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { askForSubscription, prepareSubscription } from '../../utils/subscribe';
import { formatChinaDateTime } from '../../utils/time';

type Item = MessageView & { timeText: string };

const item = (message: MessageView): Item => ({ ...message, timeText: formatChinaDateTime(message.createdAt) });

function subscriptionText(templates: SubscriptionView[]): string {
  const left = templates.reduce((sum, template) => sum + template.remaining, 0);
  return left > 0 ? `还可接收 ${left} 条微信通知` : '未开启';
}

Component({
  data: {
    loading: true,
    loadingMore: false,
    errorMessage: '',
    items: [] as Item[],
    nextCursor: null as string | null,
    unreadCount: 0,
    subscriptionText: '',
  },
  methods: {
    onShow() {
      void this.load();
      void prepareSubscription().then((templates) => this.setData({ subscriptionText: subscriptionText(templates) }));
    },
    load() {
      return loadWithState(
        this,
        async () => {
          const page = await messagesService.list();
          this.setData({ items: page.items.map(item), nextCursor: page.nextCursor, unreadCount: page.unreadCount });
        },
        '加载失败，请重试',
      );
    },
    async onReachBottom() {
      const cursor = this.data.nextCursor;
      if (!cursor || this.data.loadingMore) return;
      this.setData({ loadingMore: true });
      try {
        const page = await messagesService.list(cursor);
        this.setData({
          items: [...this.data.items, ...page.items.map(item)],
          nextCursor: page.nextCursor,
          unreadCount: page.unreadCount,
        });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '加载失败，请重试'), icon: 'none' });
      } finally {
        this.setData({ loadingMore: false });
      }
    },
    onRetry() {
      void this.load();
    },
    async onOpen(event: DatasetEvent<{ index: number }>) {
      const index = event.currentTarget.dataset.index;
      const message = this.data.items[index];
      if (!message) return;
      if (!message.read) {
        this.setData({ [`items[${index}].read`]: true, unreadCount: Math.max(0, this.data.unreadCount - 1) });
        void messagesService.markRead([message.messageId]).catch(() => undefined);
      }
      if (message.link) {
        wx.navigateTo({
          url: message.link,
          fail: () => wx.showToast({ title: '该页面暂不可用', icon: 'none' }),
        });
      }
    },
    async onReadAll() {
      try {
        const { unreadCount } = await messagesService.markAllRead();
        this.setData({ unreadCount, items: this.data.items.map((message) => ({ ...message, read: true })) });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '操作失败，请重试'), icon: 'none' });
      }
    },
    async onSubscribe() {
      const templates = await askForSubscription(['fundChange', 'appointment']);
      this.setData({ subscriptionText: subscriptionText(templates) });
    },
  },
});
