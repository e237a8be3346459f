/**
 * Function `assistant`: the smart customer service chat. Identity is the runtime caller's; every
 * action works on the caller's own conversation. Staff use the `staff` function (HTTP access, staff
 * token) instead.
 */
import * as z from 'zod';
import { CONFIG } from '../config';
import { ledgerAssistantData } from '../adapters/assistant/ledger';
import { listOwnedCards } from '../domain/cards/cards';
import { findNearby } from '../domain/branches/nearby';
import { authorizeSensitiveAction } from '../domain/verify/authorize';
import { askForPerson, history, leavePerson, sendMessage, unlock } from '../domain/assistant/chat';
import { disableQuickQuery, enableQuickQuery, quickQueryStatus } from '../domain/assistant/quick-query';
import type { AssistantPorts } from '../domain/ports/assistant';
import { requireUser } from '../domain/users/session';
import { defineFunction, type UserContext } from '../runtime/define';
import type { AppDeps } from '../runtime/deps';
import { input, noInput, paging, text } from '../runtime/validation';

/**
 * Where the assistant's facts and the pay-password check come from (docs/api.md, "assistant:
 * seams"). Wired: the verification module's pay-password check (counted, lockable, purpose
 * `assistant.query`), the cards module's bound cards, the ledger's balance, entries and transfers,
 * and the branches module's nearest branches.
 */
export function assistantPorts(deps: AppDeps): AssistantPorts {
  return {
    data: {
      ...ledgerAssistantData(deps),
      cards: async (userId) =>
        (await listOwnedCards(deps, userId)).map((card) => ({
          bankName: card.bank.name,
          cardType: card.cardType,
          lastFour: card.lastFour,
        })),
      // the nearest ones however far: the widest radius nearby allows
      nearestBranches: async (latitude, longitude, count) =>
        (
          await findNearby(deps, {
            lat: latitude,
            lng: longitude,
            radiusM: CONFIG.branches.nearby.maxRadiusM,
            limit: count,
          })
        ).branches.map((branch) => ({
          id: branch.id,
          name: branch.name,
          address: branch.address,
          distanceMetres: branch.distanceM ?? 0,
          openNow: branch.openNow,
          waitingCount: branch.queue?.waiting ?? 0,
          estimatedWaitMinutes: branch.queue?.estimatedWaitMinutes ?? 0,
        })),
    },
    verifyPayPassword: async (userId, password) => {
      await authorizeSensitiveAction(deps, userId, { payPassword: password }, 'assistant.query');
    },
  };
}

const { assistant } = CONFIG;

const payPassword = z
  .string({ error: '请输入 6 位数字支付密码' })
  .regex(/^\d{6}$/, { error: '请输入 6 位数字支付密码' });
const count = z
  .number({ error: '笔数格式有误' })
  .int({ error: '笔数应为整数' })
  .min(1, { error: '笔数至少为 1' })
  .max(assistant.entriesMaxCount, { error: `笔数最多为 ${assistant.entriesMaxCount}` });
const seq = z
  .number({ error: '消息序号格式有误' })
  .int({ error: '消息序号应为整数' })
  .min(0, { error: '消息序号有误' });

const sendInput = input({
  text: text(assistant.maxMessageLength, '消息').trim().min(1, { error: '请输入消息内容' }),
  source: z.enum(['text', 'voice'], { error: '消息来源有误' }).optional(),
  location: z
    .object(
      {
        latitude: z
          .number({ error: '纬度格式有误' })
          .min(-90, { error: '纬度超出范围' })
          .max(90, { error: '纬度超出范围' }),
        longitude: z
          .number({ error: '经度格式有误' })
          .min(-180, { error: '经度超出范围' })
          .max(180, { error: '经度超出范围' }),
      },
      { error: '位置格式有误' },
    )
    .optional(),
});

const unlockInput = input({
  intent: z.enum(['balance', 'entries'], { error: '不支持的查询' }),
  count: count.optional(),
  payPassword,
});

const historyInput = input({
  beforeSeq: seq.optional(),
  afterSeq: seq.optional(),
  // Pages by message seq rather than a cursor; the page size is every paged action's.
  limit: paging(assistant.historyMaxPageSize).limit,
});

const enableInput = input({
  days: z.union([z.literal(1), z.literal(30), z.literal(90)], { error: '有效期只能选 1 天、30 天或 90 天' }),
  payPassword,
});

const handoffInput = input({ reason: z.enum(['question', 'complaint'], { error: '转人工原因有误' }).optional() });

async function userId(ctx: UserContext): Promise<string> {
  return (await requireUser(ctx.deps, ctx.caller)).id;
}

export const assistantFunction = defineFunction('assistant', {
  send: {
    auth: 'user',
    input: sendInput,
    handle: async (request, ctx) => sendMessage(ctx.deps, assistantPorts(ctx.deps), await userId(ctx), request),
  },
  unlock: {
    auth: 'user',
    input: unlockInput,
    handle: async (request, ctx) => unlock(ctx.deps, assistantPorts(ctx.deps), await userId(ctx), request),
  },
  history: {
    auth: 'user',
    input: historyInput,
    handle: async (request, ctx) => history(ctx.deps, await userId(ctx), request),
  },
  quickQueryStatus: {
    auth: 'user',
    input: noInput,
    handle: async (_request, ctx) => quickQueryStatus(ctx.deps, await userId(ctx)),
  },
  enableQuickQuery: {
    auth: 'user',
    input: enableInput,
    handle: async (request, ctx) =>
      enableQuickQuery(
        ctx.deps,
        await userId(ctx),
        request.days,
        request.payPassword,
        assistantPorts(ctx.deps).verifyPayPassword,
      ),
  },
  disableQuickQuery: {
    auth: 'user',
    input: noInput,
    handle: async (_request, ctx) => disableQuickQuery(ctx.deps, await userId(ctx)),
  },
  requestHandoff: {
    auth: 'user',
    input: handoffInput,
    handle: async (request, ctx) => askForPerson(ctx.deps, await userId(ctx), request.reason ?? 'question'),
  },
  endHandoff: {
    auth: 'user',
    input: noInput,
    handle: async (_request, ctx) => leavePerson(ctx.deps, await userId(ctx)),
  },
});
