/**
 * The transcript: each user has one conversation document (message counter + handoff state) and
 * its messages, ids `<userId>_<seq>`. Messages are appended in one transaction with the counter, so
 * a user's messages have gapless, ordered seqs; callers pass text already masked.
 */
import type { ChatMessage, HistoryRequest, MessageRole, MessageSource, BotReply } from '../../../typings/assistant';
import { CONFIG } from '../../config';
import type { AssistantConversationDoc, AssistantMessageDoc, Collections } from '../collections';
import type { DomainDeps } from '../deps';
import type { DocumentOps, Store } from '../ports/store';

export interface MessageDraft {
  role: MessageRole;
  /** Masked already. */
  text: string;
  source?: MessageSource;
  reply?: BotReply;
}

export type ConversationPatch = Partial<Pick<AssistantConversationDoc, 'handoff' | 'handoffReason' | 'queuedAt'>>;

export function messageId(userId: string, seq: number): string {
  return `${userId}_${String(seq).padStart(10, '0')}`;
}

export function emptyConversation(userId: string, now: number): AssistantConversationDoc {
  return { id: userId, userId, lastSeq: 0, handoff: 'none', handoffReason: null, queuedAt: null, updatedAt: now };
}

export function toChatMessage(doc: AssistantMessageDoc): ChatMessage {
  const message: ChatMessage = { id: doc.id, seq: doc.seq, role: doc.role, text: doc.text, createdAt: doc.createdAt };
  if (doc.source) message.source = doc.source;
  if (doc.reply) message.reply = doc.reply;
  return message;
}

export async function loadConversation(
  store: Store<Collections>,
  userId: string,
  now: number,
): Promise<AssistantConversationDoc> {
  return (await store.get('assistantConversations', userId)) ?? emptyConversation(userId, now);
}

/**
 * Appends messages and applies a state change in one commit. `patch` may be a function of the
 * current state (read inside the transaction), e.g. "queue only if not queued yet".
 */
export async function appendMessages(
  deps: DomainDeps,
  userId: string,
  drafts: readonly MessageDraft[],
  patch?: ConversationPatch | ((current: AssistantConversationDoc) => ConversationPatch),
): Promise<{ messages: AssistantMessageDoc[]; conversation: AssistantConversationDoc }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx: DocumentOps<Collections>) => {
    const current = (await tx.get('assistantConversations', userId)) ?? emptyConversation(userId, now);
    const change = typeof patch === 'function' ? patch(current) : (patch ?? {});
    const messages = drafts.map((draft, index): AssistantMessageDoc => ({
      id: messageId(userId, current.lastSeq + index + 1),
      userId,
      seq: current.lastSeq + index + 1,
      role: draft.role,
      text: draft.text,
      source: draft.source ?? null,
      reply: draft.reply ?? null,
      createdAt: now,
    }));
    for (const message of messages) await tx.create('assistantMessages', message);
    const conversation: AssistantConversationDoc = {
      ...current,
      ...change,
      lastSeq: current.lastSeq + messages.length,
      updatedAt: now,
    };
    await tx.set('assistantConversations', conversation);
    return { messages, conversation };
  });
}

function pageSize(limit: number | undefined): number {
  const { historyPageSize, historyMaxPageSize } = CONFIG.assistant;
  return Math.min(Math.max(1, limit ?? historyPageSize), historyMaxPageSize);
}

/** A page of the user's own transcript, oldest first. */
export async function readHistory(
  store: Store<Collections>,
  userId: string,
  request: HistoryRequest,
): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  const limit = pageSize(request.limit);
  if (request.afterSeq !== undefined) {
    const newer = await store.find('assistantMessages', {
      where: [
        { field: 'userId', op: '==', value: userId },
        { field: 'seq', op: '>', value: request.afterSeq },
      ],
      orderBy: [['seq', 'asc']],
      limit,
    });
    const hasMore = (newer[0]?.seq ?? request.afterSeq + 1) > 1;
    return { messages: newer.map(toChatMessage), hasMore };
  }
  const where: { field: 'userId' | 'seq'; op: '==' | '<'; value: string | number }[] = [
    { field: 'userId', op: '==', value: userId },
  ];
  if (request.beforeSeq !== undefined) where.push({ field: 'seq', op: '<', value: request.beforeSeq });
  const older = await store.find('assistantMessages', { where, orderBy: [['seq', 'desc']], limit: limit + 1 });
  const hasMore = older.length > limit;
  return { messages: older.slice(0, limit).reverse().map(toChatMessage), hasMore };
}
