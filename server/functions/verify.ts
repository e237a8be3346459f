import * as z from 'zod';
import type { SensitivePurpose } from '../../typings/verify';
import { issueTicket } from '../domain/verify/authorize';
import { changePayPassword, setPayPassword } from '../domain/verify/pay-password';
import { resendCode } from '../domain/verify/sms';
import { defineFunction } from '../runtime/define';
import { input, mobilePhone, payPassword, recordId } from '../runtime/validation';

const PURPOSES = [
  'cards.bind',
  'cards.unbind',
  'ledger.topup',
  'ledger.withdraw',
  'ledger.transfer',
  'ledger.pay',
  'assistant.query',
] as const satisfies readonly SensitivePurpose[];

export const verifyFunction = defineFunction('verify', {
  setPayPassword: {
    auth: 'user',
    input: input({ payPassword, confirmPayPassword: payPassword }),
    handle: (request, ctx) => setPayPassword(ctx.deps, ctx.caller, request),
  },
  changePayPassword: {
    auth: 'user',
    input: input({ oldPayPassword: payPassword, newPayPassword: payPassword, confirmPayPassword: payPassword }),
    handle: (request, ctx) => changePayPassword(ctx.deps, ctx.caller, request),
  },
  verifyPayPassword: {
    auth: 'user',
    input: input({ payPassword, purpose: z.enum(PURPOSES, { error: '不支持的验证用途' }) }),
    handle: (request, ctx) => issueTicket(ctx.deps, ctx.caller, request),
  },
  resendSms: {
    auth: 'user',
    input: input({ challengeId: recordId('验证码编号'), phone: mobilePhone }),
    handle: (request, ctx) => resendCode(ctx.deps, ctx.caller, request),
  },
});
