/**
 * Subscribe-message acceptances (一次性订阅): each 'accept' the user gives in
 * `wx.requestSubscribeMessage` lets WeChat deliver one message of that template. The mini program
 * reports the answers; we count them per template, spend one per message sent and forget them
 * when WeChat says they are gone. The client's report cannot be checked, so an inflated count only
 * makes WeChat refuse a send, which is then treated as "not subscribed".
 */
import type { SubscribeRequest, SubscribeTemplateKey, SubscriptionView } from '../../../typings/messages';
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { requireUser, type Caller } from '../users/session';

const TEMPLATES = CONFIG.notifications.templates;
const KEYS = Object.keys(TEMPLATES) as SubscribeTemplateKey[];

export function subscriptionId(userId: string, template: SubscribeTemplateKey): string {
  return `${userId}:${template}`;
}

async function views(deps: DomainDeps, userId: string): Promise<{ templates: SubscriptionView[] }> {
  const docs = await Promise.all(KEYS.map((key) => deps.store.get('subscriptions', subscriptionId(userId, key))));
  return {
    templates: KEYS.map((key, i) => ({
      key,
      templateId: TEMPLATES[key].templateId,
      title: TEMPLATES[key].title,
      remaining: docs[i]?.remaining ?? 0,
    })),
  };
}

export async function subscriptions(deps: DomainDeps, caller: Caller): Promise<{ templates: SubscriptionView[] }> {
  return views(deps, (await requireUser(deps, caller)).id);
}

function templateKey(templateId: string): SubscribeTemplateKey {
  const key = KEYS.find((candidate) => TEMPLATES[candidate].templateId === templateId);
  if (!key) throw new AppError('INVALID_ARGUMENT', '未知的订阅消息模板', { field: 'templateId' });
  return key;
}

/** Records what `wx.requestSubscribeMessage` answered. */
export async function subscribe(
  deps: DomainDeps,
  caller: Caller,
  request: SubscribeRequest,
): Promise<{ templates: SubscriptionView[] }> {
  const user = await requireUser(deps, caller);
  const accepted = (request.accepted ?? []).map(templateKey);
  const rejected = new Set((request.rejected ?? []).map(templateKey));
  const now = deps.clock.now();
  for (const key of new Set([...accepted, ...rejected])) {
    const gained = accepted.filter((candidate) => candidate === key).length;
    await deps.store.transaction(async (tx) => {
      const id = subscriptionId(user.id, key);
      const current = (await tx.get('subscriptions', id))?.remaining ?? 0;
      const remaining = rejected.has(key) ? 0 : Math.min(CONFIG.notifications.maxRemaining, current + gained);
      await tx.set('subscriptions', { id, userId: user.id, template: key, remaining, updatedAt: now });
    });
  }
  return views(deps, user.id);
}
