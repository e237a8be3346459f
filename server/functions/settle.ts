import { AppError } from '../domain/errors';
import { settle } from '../domain/ledger/settle';
import { defineFunction } from '../runtime/define';
import { noInput } from '../runtime/validation';

export const settleFunction = defineFunction('settle', {
  run: {
    // Run by the timer trigger (or an operator, or the local host): never on behalf of a user.
    auth: 'public',
    input: noInput,
    handle: async (_input, ctx) => {
      if (ctx.caller) throw new AppError('PERMISSION_DENIED', '该操作只能由系统触发');
      return settle(ctx.deps);
    },
  },
});
