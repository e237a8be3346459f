/** Typed client of the `user` cloud function. */
import type { ProfileView, SessionView } from '../../typings/user';
import { callFunction } from './transport';

export const userService = {
  session(): Promise<SessionView> {
    return callFunction('user', 'session', {});
  },
  profile(): Promise<ProfileView> {
    return callFunction('user', 'profile', {});
  },
  verifyRealName(name: string, idNumber: string): Promise<ProfileView> {
    return callFunction('user', 'verifyRealName', { name, idNumber });
  },
};
