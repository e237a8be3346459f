import * as z from 'zod';
import { topup, transferQuote, transferToCard, withdraw, withdrawQuote } from '../domain/ledger/operations';
import { history, operationDetail, summary, transferStatus } from '../domain/ledger/queries';
import { requireUser } from '../domain/users/session';
import { defineFunction } from '../runtime/define';
import {
  amountFen,
  cardNumber,
  input,
  noInput,
  paging,
  personName,
  qrToken,
  recordId,
  requestId,
  withCredential,
} from '../runtime/validation';

const speed = z.enum(['fast', 'nextDay'], { error: '到账时间只能选择 2小时内 或 次日' });
const operationType = z.enum(['topup', 'withdraw', 'transfer', 'payment'], { error: '交易类型有误' });
const operationId = recordId('交易编号');
const withdrawAll = z.boolean({ error: '全部提现应为 true 或 false' }).optional();
/** A transfer's payee: a typed card number, or a scanned receive code's token — exactly one. */
const payee = { cardNumber: cardNumber.optional(), receiveToken: qrToken('收款码').optional() };
const onePayee: [(value: { cardNumber?: string; receiveToken?: string }) => boolean, z.core.$ZodCustomParams] = [
  (value) => (value.cardNumber === undefined) !== (value.receiveToken === undefined),
  { error: '请输入收款卡号，或扫描收款码', path: ['cardNumber'] },
];

export const ledgerFunction = defineFunction('ledger', {
  summary: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => summary(ctx.deps, ctx.caller),
  },
  history: {
    auth: 'user',
    input: input({ ...paging(50), type: operationType.optional() }),
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
    input: input({ ...payee, payeeName: personName.optional(), amountFen, speed }).refine(...onePayee),
    handle: async (request, ctx) => transferQuote(ctx.deps, (await requireUser(ctx.deps, ctx.caller)).id, request),
  },
  transferToCard: {
    auth: 'user',
    input: withCredential({ requestId, payeeName: personName.optional(), ...payee, amountFen, speed })
      .refine(...onePayee)
      .refine((value) => (value.cardNumber === undefined) === (value.payeeName === undefined), {
        error: '转账到卡号需填写收款人姓名，扫码转账不需要',
        path: ['payeeName'],
      }),
    handle: (request, ctx) => transferToCard(ctx.deps, ctx.caller, request),
  },
  transferStatus: {
    auth: 'user',
    input: input({ operationId }),
    handle: (request, ctx) => transferStatus(ctx.deps, ctx.caller, request.operationId),
  },
});
