/** The caller's profile: level, masked identity (verified or pending) and pay password status, as the security centre shows them. */
import type { ProfileView } from '../../../typings/user';
import type { DomainDeps } from '../deps';
import { payPasswordStatus } from '../verify/pay-password';
import { identityView, pendingIdentityView, withAge } from './identity';
import { requireUser, type Caller } from './session';

export async function getProfile(deps: DomainDeps, caller: Caller): Promise<ProfileView> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  const verified = await deps.store.get('identities', user.id);
  const pending = verified ? null : await deps.store.get('pendingIdentities', user.id);
  return {
    userId: user.id,
    level: user.level,
    identity: verified ? identityView(withAge(verified, now)) : null,
    pendingIdentity: pending ? pendingIdentityView(pending, now) : null,
    payPassword: await payPasswordStatus(deps, user.id),
  };
}
