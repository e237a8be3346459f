/**
 * Asking for WeChat subscribe messages (一次性订阅). WeChat shows the prompt only in answer to a
 * tap, and only when `wx.requestSubscribeMessage` is the first thing the tap handler awaits — so a
 * page loads the template ids when it opens (`prepareSubscription`), and the tap handler of the
 * action whose outcome the user wants to hear about calls `askForSubscription` before anything
 * else. The answers are recorded by the `messages` function; a refusal or a failure never stops
 * the action.
 */
import type { SubscribeTemplateKey, SubscriptionView } from '../../typings/messages';
import { messagesService } from '../services/messages';

let templates: SubscriptionView[] = [];

/** On page load: the templates to ask for and what is left of each (empty when the call fails). */
export async function prepareSubscription(): Promise<SubscriptionView[]> {
  try {
    templates = (await messagesService.subscriptions()).templates;
  } catch {
    templates = [];
  }
  return templates;
}

/** In a tap handler, first: the prompt for these templates, and the answers recorded. */
export async function askForSubscription(keys: SubscribeTemplateKey[]): Promise<SubscriptionView[]> {
  const ids = templates.filter((template) => keys.includes(template.key)).map((template) => template.templateId);
  if (ids.length === 0) return templates;
  try {
    const answers = (await wx.requestSubscribeMessage({
      tmplIds: ids,
    } as WechatMiniprogram.RequestSubscribeMessageOption)) as unknown as Record<string, string>;
    const accepted = ids.filter((id) => answers[id] === 'accept');
    const rejected = ids.filter((id) => answers[id] === 'reject' || answers[id] === 'ban');
    if (accepted.length > 0 || rejected.length > 0) {
      templates = (await messagesService.subscribe({ accepted, rejected })).templates;
    }
  } catch {
    // Subscriptions are a courtesy: the payment goes on without one.
  }
  return templates;
}
