/** Function `user`: the caller's session and identity level. */

export type UserLevel = 'follower' | 'verified';

export interface SessionView {
  userId: string;
  level: UserLevel;
  /** True on the call that created the user record. */
  created: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface UserActions {
  session: { request: Record<string, never>; response: SessionView };
}
