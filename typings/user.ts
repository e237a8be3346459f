/** Function `user`: the caller's session, profile and real-name identity. */
import type { PayPasswordStatus } from './verify';

export type UserLevel = 'follower' | 'verified';

export interface SessionView {
  userId: string;
  level: UserLevel;
  /** True on the call that created the user record. */
  created: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** The caller's real-name identity, masked: the ID number never comes back whole. */
export interface IdentityView {
  /** The caller's own name (pre-fills the locked holder name when a card is added). */
  name: string;
  nameMasked: string;
  idNumberMasked: string;
  age: number;
  /** Between the minimum age and adulthood: the minors' card rules apply. */
  minor: boolean;
  verifiedAt: number;
}

export interface ProfileView {
  userId: string;
  level: UserLevel;
  identity: IdentityView | null;
  payPassword: PayPasswordStatus;
}

export interface UserActions {
  session: { request: Record<string, never>; response: SessionView };
  profile: { request: Record<string, never>; response: ProfileView };
  verifyRealName: { request: { name: string; idNumber: string }; response: ProfileView };
}
