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

/** The caller's verified real-name identity, masked: the ID number never comes back whole. */
export interface IdentityView {
  /** The caller's own name (pre-fills the locked holder name when a card is added). */
  name: string;
  nameMasked: string;
  /** The last four only: `**************002X`. */
  idNumberMasked: string;
  /** Exact for a minor; for an adult by birth year (the birthday is not kept). */
  age: number;
  /** Between the minimum age and adulthood: the minors' card rules apply. */
  minor: boolean;
  verifiedAt: number;
}

/**
 * The real name the caller stated, not confirmed yet: the bank confirms it with the first card the
 * caller binds (holder name and ID number come from here), and only then it becomes `identity`.
 */
export interface PendingIdentityView {
  name: string;
  nameMasked: string;
  /** The last four only: what the add-card page asks the ID number to end with. */
  idNumberMasked: string;
  minor: boolean;
  submittedAt: number;
}

export interface ProfileView {
  userId: string;
  /** `verified` once the bank confirmed the real name; a pending one leaves it `follower`. */
  level: UserLevel;
  /** The verified identity, or null. */
  identity: IdentityView | null;
  /** The stated identity waiting for the first card, or null (none stated, or verified). */
  pendingIdentity: PendingIdentityView | null;
  payPassword: PayPasswordStatus;
}

export interface UserActions {
  session: { request: Record<string, never>; response: SessionView };
  profile: { request: Record<string, never>; response: ProfileView };
  verifyRealName: { request: { name: string; idNumber: string }; response: ProfileView };
}
