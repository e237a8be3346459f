import { bindConfirm, bindStart, sandboxSmsCode } from '../domain/cards/binding';
import { cardDetail, listCards, unbindCard } from '../domain/cards/cards';
import { detectCard, normalizeCardNumber } from '../domain/cards/detect';
import { AppError } from '../domain/errors';
import { requireUser } from '../domain/users/session';
import { defineFunction } from '../runtime/define';
import {
  cardNumber,
  idNumber,
  input,
  mobilePhone,
  noInput,
  personName,
  recordId,
  smsCode,
  withCredential,
} from '../runtime/validation';

export const cardsFunction = defineFunction('cards', {
  detect: {
    auth: 'user',
    input: input({ cardNumber }),
    handle: async (request, ctx) => {
      await requireUser(ctx.deps, ctx.caller);
      const digits = normalizeCardNumber(request.cardNumber);
      if (!digits) throw new AppError('CARD_NUMBER_INVALID', '银行卡号最多19位数字');
      return detectCard(digits);
    },
  },
  list: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => listCards(ctx.deps, ctx.caller),
  },
  detail: {
    auth: 'user',
    input: input({ cardId: recordId('银行卡编号') }),
    handle: (request, ctx) => cardDetail(ctx.deps, ctx.caller, request.cardId),
  },
  bindStart: {
    auth: 'user',
    input: withCredential({ cardNumber, holderName: personName, idNumber, reservedPhone: mobilePhone }),
    handle: (request, ctx) => bindStart(ctx.deps, ctx.caller, request),
  },
  bindConfirm: {
    auth: 'user',
    input: input({ bindingId: recordId('绑卡申请编号'), smsCode }),
    handle: (request, ctx) => bindConfirm(ctx.deps, ctx.caller, request),
  },
  sandboxSmsCode: {
    auth: 'user',
    // Only where the sandbox is the SMS gateway: with a real provider there are no codes to show.
    existsWhen: (deps) => deps.smsOutbox !== null,
    input: input({ bindingId: recordId('绑卡申请编号') }),
    handle: (request, ctx) => sandboxSmsCode(ctx.deps, ctx.caller, request),
  },
  unbind: {
    auth: 'user',
    input: withCredential({ cardId: recordId('银行卡编号') }),
    handle: (request, ctx) => unbindCard(ctx.deps, ctx.caller, request),
  },
});
