import { z } from 'zod';
import { topup, transferQuote, transferToCard, withdraw, withdrawQuote } from '../domain/ledger/operations';
import { history, operationDetail, summary, transferStatus } from '../domain/ledger/queries';
import { requireUser } from '../domain/users/session';
import { defineFunction } from '../runtime/define';
import {
  amountFen,
  cardNumber,
  input,
  noInput,
  personName,
  recordId,
  requestId,
  withCredential,
} from '../runtime/validation';

const speed = z.enum(['fast', 'nextDay'], { error: '到账时间只能选择 2小时内 或 次日' });
const operationType = z.enum(['topup', 'withdraw', 'transfer', 'payment'], { error: '交易类型有误' });
const operationId = recordId('交易编号');
const withdrawAll = z.boolean({ error: '全部提现应为 true 或 false' }).optional();

export const ledgerFunction = defineFunction('ledger', {
  summary: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => summary(ctx.deps, ctx.caller),
  },
  history: {
    auth: 'user',
    input: input({
      cursor: z
        .string({ error: '分页参数无效' })
        .min(1, { error: '分页参数无效' })
        .max(200, { error: '分页参数无效' })
        .optional(),
      type: operationType.optional(),
      limit: z.number({ error: '每页条数有误' }).int({ error: '每页条数有误' }).min(1).max(50).optional(),
    }),
    handle: (request, ctx) => history(ctx.deps, ctx.caller, request),
  },
  entry: {
    auth: 'user',
    input: input({ operationId }),
    handle: (request, ctx) => operationDetail(ctx.deps, ctx.caller, request.operationId),
  },
  topup: {
    auth: 'user',
    input: withCredential({ requestId, cardId: recordId('银行卡编号'), amountFen }),
    handle: (request, ctx) => topup(ctx.deps, ctx.caller, request),
  },
  withdrawQuote: {
    auth: 'user',
    input: input({ amountFen: amountFen.optional(), all: withdrawAll }),
    handle: (request, ctx) => withdrawQuote(ctx.deps, ctx.caller, request),
  },
  withdraw: {
    auth: 'user',
    input: withCredential({
      requestId,
      cardId: recordId('银行卡编号'),
      amountFen: amountFen.optional(),
      all: withdrawAll,
    }),
    handle: (request, ctx) => withdraw(ctx.deps, ctx.caller, request),
  },
  transferQuote: {
    auth: 'user',
    input: input({ cardNumber, amountFen, speed }),
    handle: async (request, ctx) => {
      await requireUser(ctx.deps, ctx.caller);
      return transferQuote(ctx.deps, request);
    },
  },
  transferToCard: {
    auth: 'user',
    input: withCredential({ requestId, payeeName: personName, cardNumber, amountFen, speed }),
    handle: (request, ctx) => transferToCard(ctx.deps, ctx.caller, request),
  },
  transferStatus: {
    auth: 'user',
    input: input({ operationId }),
    handle: (request, ctx) => transferStatus(ctx.deps, ctx.caller, request.operationId),
  },
});
