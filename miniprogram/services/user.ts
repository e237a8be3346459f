/** Typed client of the `user` cloud function. */
import type { SessionView } from '../../typings/user';
import { callFunction } from './transport';

export const userService = {
  session(): Promise<SessionView> {
    return callFunction('user', 'session', {});
  },
};
