/**
 * Handing a conversation to a person. Agents work 07:00–22:00 China time (config); outside those
 * hours a request is not queued and the user is told when service resumes. A queued conversation
 * waits until an agent replies (then `serving`) and ends when either side closes it. While queued,
 * the user's free text goes to the agent instead of the bot. Staff see and answer conversations
 * through the staff console (the `staff` function over HTTP access, or the local host's /staff
 * routes; staff token); their replies land in the user's transcript.
 */
import type { ChatMessage, HandoffStatus, HandoffView, StaffConversationView } from '../../../typings/assistant';
import { CONFIG } from '../../config';
import type { AssistantConversationDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { chinaMidnight, chinaMinuteOfDay, formatMinuteOfDay } from '../time';
import {
  appendMessages,
  loadConversation,
  readHistory,
  toChatMessage,
  type ConversationPatch,
  type MessageDraft,
} from './conversation';
import { FACTS } from './knowledge';
import { maskSensitiveText } from './redact';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ServiceWindow {
  open: boolean;
  /** Next opening time when closed. */
  resumesAt?: number;
}

export function serviceWindow(now: number): ServiceWindow {
  const { serviceOpensAtMinute: opens, serviceClosesAtMinute: closes } = CONFIG.assistant;
  const minute = chinaMinuteOfDay(now);
  if (minute >= opens && minute < closes) return { open: true };
  const midnight = chinaMidnight(now);
  const resumesAt = minute < opens ? midnight + opens * 60_000 : midnight + DAY_MS + opens * 60_000;
  return { open: false, resumesAt };
}

/** `今天 07:00` / `明天 07:00`. */
export function describeResume(resumesAt: number, now: number): string {
  const day = chinaMidnight(resumesAt) === chinaMidnight(now) ? '今天' : '明天';
  return `${day} ${formatMinuteOfDay(chinaMinuteOfDay(resumesAt))}`;
}

async function queuePosition(deps: DomainDeps, conversation: AssistantConversationDoc): Promise<number> {
  if (conversation.handoff !== 'waiting' || conversation.queuedAt === null) return 0;
  return deps.store.count('assistantConversations', [
    { field: 'handoff', op: '==', value: 'waiting' },
    { field: 'queuedAt', op: '<', value: conversation.queuedAt },
  ]);
}

export async function handoffView(deps: DomainDeps, conversation: AssistantConversationDoc): Promise<HandoffView> {
  const now = deps.clock.now();
  const window = serviceWindow(now);
  const view: HandoffView = {
    status: conversation.handoff,
    inServiceHours: window.open,
    serviceHours: FACTS.serviceHours!,
  };
  if (window.resumesAt !== undefined) view.resumesAt = window.resumesAt;
  if (conversation.handoff === 'waiting') view.position = await queuePosition(deps, conversation);
  return view;
}

export function isWithPerson(status: HandoffStatus): boolean {
  return status !== 'none';
}

/**
 * Queues the user's conversation for a person, or explains why not (outside service hours) or that
 * it already is. Appends `before` (the user's message asking for it, if any) and the bot's notice in
 * one commit; returns them with the new state.
 */
export async function requestHandoff(
  deps: DomainDeps,
  userId: string,
  reason: 'question' | 'complaint',
  preface: string[] = [],
  before: MessageDraft[] = [],
): Promise<{ messages: ChatMessage[]; handoff: HandoffView }> {
  const now = deps.clock.now();
  const window = serviceWindow(now);
  const existing = await loadConversation(deps.store, userId, now);
  let text: string;
  let patch: ConversationPatch | ((current: AssistantConversationDoc) => ConversationPatch) | undefined;
  if (isWithPerson(existing.handoff)) {
    text = '您已在人工客服队列中，请稍候，客服回复会显示在这里。';
  } else if (!window.open) {
    text = `人工客服服务时间为每天 ${FACTS.serviceHours}（北京时间），现在不在服务时间内，将于${describeResume(window.resumesAt!, now)} 恢复。您可以先向我提问，或在服务时间内再发送「转人工」。`;
  } else {
    text = '已为您转接人工客服，请稍候。您可以直接描述问题，客服接入后会在这里回复您。';
    // Read again inside the transaction: two requests at once queue once.
    patch = (current) =>
      isWithPerson(current.handoff) ? {} : { handoff: 'waiting', handoffReason: reason, queuedAt: now };
  }
  const lead = preface.length > 0 ? `${preface.join('')}\n` : '';
  const { messages, conversation } = await appendMessages(
    deps,
    userId,
    [
      ...before,
      {
        role: 'bot',
        text: lead + text,
        reply: {
          kind: 'handoff',
          intent: reason === 'complaint' ? 'complaint' : 'handoff',
          confidence: 1,
          quickReplies: [],
          links: [],
        },
      },
    ],
    patch,
  );
  if (patch && conversation.handoff === 'waiting' && conversation.queuedAt === now) {
    deps.log.info('assistant.handoff_queued', { userId, reason });
  }
  return { messages: messages.map(toChatMessage), handoff: await handoffView(deps, conversation) };
}

export async function endHandoff(
  deps: DomainDeps,
  userId: string,
): Promise<{ message: ChatMessage; handoff: HandoffView }> {
  const { messages, conversation } = await appendMessages(
    deps,
    userId,
    [{ role: 'system', text: '人工服务已结束，智能客服继续为您服务。' }],
    { handoff: 'none', handoffReason: null, queuedAt: null },
  );
  return { message: toChatMessage(messages[0]!), handoff: await handoffView(deps, conversation) };
}

// ---- the staff side -----------------------------------------------------------------------------

const STAFF_RECENT = 5;

async function requireQueued(deps: DomainDeps, conversationId: string): Promise<AssistantConversationDoc> {
  const conversation = await deps.store.get('assistantConversations', conversationId);
  if (!conversation) throw new AppError('NOT_FOUND', '没有这个会话');
  if (!isWithPerson(conversation.handoff)) throw new AppError('FAILED_PRECONDITION', '该会话不在人工队列中');
  return conversation;
}

/** Conversations waiting for or being served by a person, longest waiting first. */
export async function listHandoffQueue(deps: DomainDeps): Promise<StaffConversationView[]> {
  const queued = await deps.store.find('assistantConversations', {
    where: [{ field: 'handoff', op: 'in', value: ['waiting', 'serving'] }],
    orderBy: [['queuedAt', 'asc']],
    limit: 200,
  });
  return Promise.all(
    queued.map(async (conversation) => ({
      conversationId: conversation.id,
      status: conversation.handoff as Exclude<HandoffStatus, 'none'>,
      reason: conversation.handoffReason ?? 'question',
      queuedAt: conversation.queuedAt ?? conversation.updatedAt,
      recent: (await readHistory(deps.store, conversation.userId, { limit: STAFF_RECENT })).messages,
    })),
  );
}

export async function staffTranscript(deps: DomainDeps, conversationId: string, beforeSeq?: number) {
  const conversation = await deps.store.get('assistantConversations', conversationId);
  if (!conversation) throw new AppError('NOT_FOUND', '没有这个会话');
  return readHistory(deps.store, conversation.userId, { beforeSeq, limit: CONFIG.assistant.historyMaxPageSize });
}

/** An agent's reply: appears in the user's transcript (masked like everything else). */
export async function staffReply(deps: DomainDeps, conversationId: string, text: string): Promise<ChatMessage> {
  const conversation = await requireQueued(deps, conversationId);
  const { messages } = await appendMessages(
    deps,
    conversation.userId,
    [{ role: 'staff', text: maskSensitiveText(text) }],
    (current) => (isWithPerson(current.handoff) ? { handoff: 'serving' } : {}),
  );
  deps.log.info('assistant.staff_replied', { conversationId });
  return toChatMessage(messages[0]!);
}

export async function staffClose(deps: DomainDeps, conversationId: string): Promise<ChatMessage> {
  const conversation = await requireQueued(deps, conversationId);
  const { message } = await endHandoff(deps, conversation.userId);
  return message;
}
