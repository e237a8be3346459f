import { getProfile } from '../domain/users/profile';
import { submitRealName } from '../domain/users/identity';
import { openSession } from '../domain/users/session';
import { defineFunction } from '../runtime/define';
import { idNumber, input, noInput, personName } from '../runtime/validation';

export const userFunction = defineFunction('user', {
  session: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => openSession(ctx.deps, ctx.caller),
  },
  profile: {
    auth: 'user',
    input: noInput,
    handle: (_input, ctx) => getProfile(ctx.deps, ctx.caller),
  },
  /** States the real name: pending until the bank confirms it with the first card (users/identity.ts). */
  verifyRealName: {
    auth: 'user',
    input: input({ name: personName, idNumber }),
    handle: async (request, ctx) => {
      await submitRealName(ctx.deps, ctx.caller, request);
      return getProfile(ctx.deps, ctx.caller);
    },
  },
});
