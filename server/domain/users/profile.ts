/** The caller's profile: level, masked identity and pay password status, as the security centre shows them. */
import type { ProfileView } from '../../../typings/user';
import type { DomainDeps } from '../deps';
import { payPasswordStatus } from '../verify/pay-password';
import { identityView, withAge } from './identity';
import { requireUser, type Caller } from './session';

export async function getProfile(deps: DomainDeps, caller: Caller): Promise<ProfileView> {
  const user = await requireUser(deps, caller);
  const doc = await deps.store.get('identities', user.id);
  return {
    userId: user.id,
    level: user.level,
    identity: doc ? identityView(withAge(doc, deps.clock.now())) : null,
    payPassword: await payPasswordStatus(deps, user.id),
  };
}
