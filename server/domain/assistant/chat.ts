/**
 * The chat, end to end for one user: a message in → understood → answered (or passed to the person
 * handling the conversation) → both stored, masked, in one commit → returned. Every read and write
 * is keyed by the caller's own userId; no action takes another user's id.
 */
import type {
  ChatMessage,
  HandoffResult,
  HistoryRequest,
  HistoryResult,
  SendRequest,
  SendResult,
  UnlockInput,
} from '../../../typings/assistant';
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import type { AssistantPorts } from '../ports/assistant';
import { takeRate } from '../throttle';
import { answer, answerUnlocked, type AnswerContext, type BotAnswer } from './answers';
import { appendMessages, loadConversation, readHistory, toChatMessage, type MessageDraft } from './conversation';
import { endHandoff, handoffView, isWithPerson, requestHandoff } from './handoff';
import { understand } from './understand';

function botDraft(bot: BotAnswer): MessageDraft {
  return { role: 'bot', text: bot.storedText, reply: bot.reply };
}

/** The stored bot message as the user sees it right now (private answers carry their figures live only). */
function live(message: ChatMessage, bot: BotAnswer): ChatMessage {
  return { ...message, text: bot.text };
}

export async function sendMessage(
  deps: DomainDeps,
  ports: AssistantPorts,
  userId: string,
  request: SendRequest,
): Promise<SendResult> {
  // Before any work: each message costs matching, storage and maybe a person's attention.
  await takeRate(
    deps,
    'assistantSend',
    userId,
    CONFIG.assistant.sendLimits,
    (wait) => `消息发送太频繁，请${wait}后再试`,
  );
  const now = deps.clock.now();
  const text = request.text.trim();
  const understanding = understand(text, now);
  const userDraft: MessageDraft = { role: 'user', text: understanding.maskedText, source: request.source ?? 'text' };
  const conversation = await loadConversation(deps.store, userId, now);

  // With a person on the conversation, free text is for them; shortcodes still self-serve.
  if (isWithPerson(conversation.handoff) && !understanding.shortcode) {
    const stored = await appendMessages(deps, userId, [userDraft]);
    return { messages: stored.messages.map(toChatMessage), handoff: await handoffView(deps, stored.conversation) };
  }

  const ctx: AnswerContext = { deps, ports, userId, location: request.location };
  const bot = await answer(ctx, understanding);
  if (bot.handoff) {
    const result = await requestHandoff(deps, userId, bot.handoff, bot.text ? [bot.text] : [], [userDraft]);
    return { messages: result.messages, handoff: result.handoff };
  }
  const stored = await appendMessages(deps, userId, [userDraft, botDraft(bot)]);
  const [userMessage, botMessage] = stored.messages.map(toChatMessage);
  return { messages: [userMessage!, live(botMessage!, bot)], handoff: await handoffView(deps, stored.conversation) };
}

/** The pay-password sheet was completed for a gated answer: only the bot's answer is added. */
export async function unlock(
  deps: DomainDeps,
  ports: AssistantPorts,
  userId: string,
  request: UnlockInput,
): Promise<SendResult> {
  const bot = await answerUnlocked({ deps, ports, userId }, request.intent, request.count, request.payPassword);
  const stored = await appendMessages(deps, userId, [botDraft(bot)]);
  return {
    messages: [live(toChatMessage(stored.messages[0]!), bot)],
    handoff: await handoffView(deps, stored.conversation),
  };
}

export async function history(deps: DomainDeps, userId: string, request: HistoryRequest): Promise<HistoryResult> {
  // the page and the conversation's state, read together
  const [page, conversation] = await Promise.all([
    readHistory(deps.store, userId, request),
    loadConversation(deps.store, userId, deps.clock.now()),
  ]);
  return { ...page, handoff: await handoffView(deps, conversation) };
}

export async function askForPerson(
  deps: DomainDeps,
  userId: string,
  reason: 'question' | 'complaint',
): Promise<HandoffResult> {
  const preface = reason === 'complaint' ? ['很抱歉给您带来不好的体验。'] : [];
  const result = await requestHandoff(deps, userId, reason, preface);
  return { message: result.messages[result.messages.length - 1]!, handoff: result.handoff };
}

export async function leavePerson(deps: DomainDeps, userId: string): Promise<HandoffResult> {
  return endHandoff(deps, userId);
}
