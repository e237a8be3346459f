/** Function `messages`: the message centre and the caller's WeChat subscribe-message acceptances. */
import * as z from 'zod';
import { CONFIG } from '../config';
import { listMessages, markRead, unreadCount } from '../domain/notify/messages';
import { subscribe, subscriptions } from '../domain/notify/subscriptions';
import { defineFunction } from '../runtime/define';
import { input, noInput, paging, recordId, text } from '../runtime/validation';

const templateIds = z
  .array(text(64, '订阅消息模板'), { error: '订阅结果格式有误' })
  .max(10, { error: '订阅结果过多' })
  .optional();

export const messagesFunction = defineFunction('messages', {
  list: {
    auth: 'user',
    input: input(paging(CONFIG.notifications.maxPageSize)),
    handle: (request, ctx) => listMessages(ctx.deps, ctx.caller, request),
  },
  unreadCount: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => unreadCount(ctx.deps, ctx.caller),
  },
  markRead: {
    auth: 'user',
    input: input({
      messageIds: z
        .array(recordId('消息编号'), { error: '消息编号格式有误' })
        .min(1, { error: '请指定要标为已读的消息' })
        .max(100, { error: '一次最多标记100条消息' })
        .optional(),
      all: z.literal(true, { error: '全部已读应为 true' }).optional(),
    }).refine((value) => (value.all === true) !== (value.messageIds !== undefined), {
      error: '请指定要标为已读的消息，或选择全部已读',
      path: ['messageIds'],
    }),
    handle: (request, ctx) => markRead(ctx.deps, ctx.caller, request),
  },
  subscriptions: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => subscriptions(ctx.deps, ctx.caller),
  },
  subscribe: {
    auth: 'user',
    input: input({ accepted: templateIds, rejected: templateIds }),
    handle: (request, ctx) => subscribe(ctx.deps, ctx.caller, request),
  },
});
