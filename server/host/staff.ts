/**
 * The staff console of the assistant on the local host: human agents list the conversations waiting
 * for a person, read a transcript (masked), reply, and close. Authenticated by a staff token
 * (`X-Staff-Token`, configured as WXBANK_STAFF_TOKEN), never by openid; without a configured token
 * the routes are off.
 *
 *   GET  /staff/conversations                         → waiting and served conversations, longest waiting first
 *   GET  /staff/transcript?conversationId=…[&beforeSeq=] → a page of one transcript
 *   POST /staff/reply  { conversationId, text }       → the reply, now in the user's chat
 *   POST /staff/close  { conversationId }             → ends the handoff
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { Result } from '../../typings/result';
import { CONFIG } from '../config';
import { listHandoffQueue, staffClose, staffReply, staffTranscript } from '../domain/assistant/handoff';
import { AppError } from '../domain/errors';
import type { AppDeps } from '../runtime/deps';
import { describeIssue, text } from '../runtime/validation';
import type { HostRoute } from './http';

const TOKEN_HEADER = 'x-staff-token';

const conversationId = text(80, '会话编号').min(1, { error: '缺少会话编号' });
const replySchema = z.object({
  conversationId,
  text: text(CONFIG.assistant.maxMessageLength, '回复').trim().min(1, { error: '请输入回复内容' }),
});
const closeSchema = z.object({ conversationId });
const transcriptSchema = z.object({
  conversationId,
  beforeSeq: z.coerce.number({ error: '消息序号有误' }).int().min(0).optional(),
});

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function authorise(expected: string | undefined, headers: http.IncomingHttpHeaders): void {
  if (!expected) throw new AppError('FAILED_PRECONDITION', '客服后台未启用：请设置 WXBANK_STAFF_TOKEN');
  const given = headers[TOKEN_HEADER];
  // Compare digests in constant time: the token's length and content do not leak through timing.
  if (typeof given !== 'string' || !timingSafeEqual(digest(given), digest(expected))) {
    throw new AppError('UNAUTHENTICATED', '客服令牌无效');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new AppError('INVALID_ARGUMENT', describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

export function staffRoutes(deps: AppDeps, staffToken: string | undefined): HostRoute[] {
  const route = (
    method: HostRoute['method'],
    path: string,
    work: (request: Parameters<HostRoute['handle']>[0]) => Promise<unknown>,
  ): HostRoute => ({
    method,
    path,
    async handle(request): Promise<Result<unknown>> {
      authorise(staffToken, request.headers);
      return { ok: true, data: await work(request) };
    },
  });
  return [
    route('GET', '/staff/conversations', () => listHandoffQueue(deps)),
    route('GET', '/staff/transcript', async ({ query }) => {
      const request = parse(transcriptSchema, Object.fromEntries(query));
      return staffTranscript(deps, request.conversationId, request.beforeSeq);
    }),
    route('POST', '/staff/reply', async ({ body }) => {
      const request = parse(replySchema, body);
      return staffReply(deps, request.conversationId, request.text);
    }),
    route('POST', '/staff/close', async ({ body }) => staffClose(deps, parse(closeSchema, body).conversationId)),
  ];
}
