import { AppError } from '../domain/errors';
import { auditLedger, auditReports } from '../domain/ledger/audit';
import { settle } from '../domain/ledger/settle';
import { defineFunction } from '../runtime/define';
import { input, noInput, paging } from '../runtime/validation';

/** Reports newest first, up to 60 days (no cursor: a report a day). */
const auditReportsInput = input({ limit: paging(60).limit });

/** Run by the timer trigger, an operator or the local host: never on behalf of a user. */
function requireSystem(ctx: { caller: unknown }): void {
  if (ctx.caller) throw new AppError('PERMISSION_DENIED', '该操作只能由系统触发');
}

export const settleFunction = defineFunction('settle', {
  run: {
    auth: 'public',
    input: noInput,
    handle: async (_input, ctx) => {
      requireSystem(ctx);
      return settle(ctx.deps);
    },
  },
  audit: {
    // the full audit now (settle runs it on its first run of each day)
    auth: 'public',
    input: noInput,
    handle: async (_input, ctx) => {
      requireSystem(ctx);
      return auditLedger(ctx.deps);
    },
  },
  auditReports: {
    auth: 'public',
    input: auditReportsInput,
    handle: async (input, ctx) => {
      requireSystem(ctx);
      return { items: await auditReports(ctx.deps, input.limit ?? 30) };
    },
  },
});
