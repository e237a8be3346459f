/** The caller's profile: level, masked identity (verified or pending) and pay password status, as the security centre shows them. */
import type { ProfileView } from '../../../typings/user';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { payPasswordStatus } from '../verify/pay-password';
import { identityView, pendingIdentityView, withAge } from './identity';
import { requireUser, type Caller } from './session';

export async function getProfile(deps: DomainDeps, caller: Caller): Promise<ProfileView> {
  const { id: userId } = await requireUser(deps, caller);
  const now = deps.clock.now();
  // independent documents, read together: one round trip on CloudBase instead of four
  const [user, verified, pending, payPassword] = await Promise.all([
    deps.store.get('users', userId),
    deps.store.get('identities', userId),
    deps.store.get('pendingIdentities', userId),
    payPasswordStatus(deps, userId),
  ]);
  if (!user) throw new AppError('INTERNAL');
  return {
    userId,
    level: user.level,
    identity: verified ? identityView(withAge(verified, now)) : null,
    pendingIdentity: verified || !pending ? null : pendingIdentityView(pending, now),
    payPassword,
  };
}
