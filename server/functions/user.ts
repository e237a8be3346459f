import { openSession } from '../domain/users/session';
import { defineFunction } from '../runtime/define';
import { noInput } from '../runtime/validation';

export const userFunction = defineFunction('user', {
  session: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => openSession(ctx.deps, ctx.caller),
  },
});
