/**
 * Function `staff`: the assistant's staff console (human handoff, domain/assistant/handoff.ts) —
 * list the conversations waiting for or with a person, read a transcript, reply, close. Reached
 * over HTTP only: in CloudBase through the HTTP access service (`cloudfunctions/staff/index.ts`), on
 * the local host at `/staff/<action>` (server/host/staff.ts), both through `createStaffMain`.
 * Every action first checks the staff token (domain/assistant/staff-access.ts): no openid, no
 * user, ever.
 */
import * as z from 'zod';
import { CONFIG } from '../config';
import { listHandoffQueue, staffClose, staffReply, staffTranscript } from '../domain/assistant/handoff';
import { authorizeStaff } from '../domain/assistant/staff-access';
import { MisconfiguredError } from '../domain/ports/failures';
import type { StaffCredential } from '../../typings/staff';
import { defineFunction, type FunctionDef, type PublicAction } from '../runtime/define';
import type { AppDeps } from '../runtime/deps';
import { createHttpAccessMain, type HttpAccessMain, type HttpAccessOptions } from '../runtime/http-access';
import { input, text } from '../runtime/validation';

/** The header that carries the staff token. */
export const STAFF_TOKEN_HEADER = 'x-staff-token';
const MIN_TOKEN_LENGTH = 32;

/** The staff token the environment configures (`WXBANK_STAFF_TOKEN`); undefined turns the console off. */
export function staffTokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.WXBANK_STAFF_TOKEN;
  if (!token) return undefined;
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new MisconfiguredError(`WXBANK_STAFF_TOKEN must be at least ${MIN_TOKEN_LENGTH} random characters`);
  }
  return token;
}

const staffAuth = z.object(
  { token: text(1024, '客服令牌').nullable(), sourceIp: text(64, '来源地址') },
  { error: '缺少客服令牌' },
);
const conversationId = text(80, '会话编号').min(1, { error: '缺少会话编号' });

/** An action's input: its own fields and the credential the HTTP adapter fills in. */
function staffInput<Shape extends z.ZodRawShape>(shape: Shape) {
  return input({ ...shape, staffAuth });
}

/** An action that runs only for the bearer of the staff token. */
function staffAction<Req extends { staffAuth: StaffCredential }, Res>(
  expectedToken: () => string | undefined,
  schema: z.ZodType<Req, unknown>,
  work: (request: Req, deps: AppDeps) => Promise<Res>,
): PublicAction<Req, Res> {
  return {
    auth: 'public',
    input: schema,
    handle: async (request, ctx) => {
      await authorizeStaff(ctx.deps, expectedToken(), request.staffAuth);
      return work(request, ctx.deps);
    },
  };
}

/** The staff actions, checking against the token `expectedToken` gives at each call. */
export function createStaffFunction(expectedToken: () => string | undefined): FunctionDef<'staff'> {
  return defineFunction('staff', {
    conversations: staffAction(expectedToken, staffInput({}), (_request, deps) => listHandoffQueue(deps)),
    transcript: staffAction(
      expectedToken,
      staffInput({
        conversationId,
        // from a query string on GET: digits as text
        beforeSeq: z.coerce.number({ error: '消息序号有误' }).int({ error: '消息序号有误' }).min(0).optional(),
      }),
      (request, deps) => staffTranscript(deps, request.conversationId, request.beforeSeq),
    ),
    reply: staffAction(
      expectedToken,
      staffInput({
        conversationId,
        text: text(CONFIG.assistant.maxMessageLength, '回复').trim().min(1, { error: '请输入回复内容' }),
      }),
      (request, deps) => staffReply(deps, request.conversationId, request.text),
    ),
    close: staffAction(expectedToken, staffInput({ conversationId }), (request, deps) =>
      staffClose(deps, request.conversationId),
    ),
  });
}

/** The deployed definition: the token from the function's environment. */
export const staffFunction = createStaffFunction(() => staffTokenFromEnvironment());

/** Every action and its method, at `…/<action>` (CloudBase) or `/staff/<action>` (local host). */
export const STAFF_ROUTES: HttpAccessOptions<'staff'>['routes'] = {
  conversations: 'GET',
  transcript: 'GET',
  reply: 'POST',
  close: 'POST',
};

/** The staff console's HTTP `main`, wherever it is served. */
export function createStaffMain(
  getDeps: () => AppDeps | Promise<AppDeps>,
  expectedToken: () => string | undefined,
): HttpAccessMain {
  return createHttpAccessMain(createStaffFunction(expectedToken), getDeps, {
    routes: STAFF_ROUTES,
    trusted: ({ headers, sourceIp }) => ({
      staffAuth: { token: headers[STAFF_TOKEN_HEADER] ?? null, sourceIp } satisfies StaffCredential,
    }),
  });
}
