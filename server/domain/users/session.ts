import type { SessionView } from '../../../typings/user';
import type { DomainDeps } from '../deps';
import type { UserDoc } from '../collections';
import { AppError } from '../errors';

/** The authenticated caller as the runtime context names them. */
export interface Caller {
  openid: string;
}

/**
 * Returns the caller's user, creating it on the first call. The openid → user mapping is created in
 * the same transaction as the user, keyed by openid, so two concurrent first calls yield one user.
 */
export async function openSession(deps: DomainDeps, caller: Caller): Promise<SessionView> {
  const { store, clock, ids } = deps;
  const candidateId = ids.next('u');
  const outcome = await store.transaction(async (tx) => {
    const account = await tx.get('wxAccounts', caller.openid);
    if (account) {
      const user = await tx.get('users', account.userId);
      if (!user) throw new AppError('INTERNAL');
      return { user, created: false };
    }
    const now = clock.now();
    const user: UserDoc = { id: candidateId, level: 'follower', createdAt: now, updatedAt: now };
    await tx.create('users', user);
    await tx.create('wxAccounts', { id: caller.openid, userId: user.id, createdAt: now });
    return { user, created: true };
  });
  if (outcome.created) deps.log.info('user.created', { userId: outcome.user.id });
  return {
    userId: outcome.user.id,
    level: outcome.user.level,
    created: outcome.created,
    createdAt: outcome.user.createdAt,
  };
}

/**
 * Resolves the caller to an existing user; most actions require a session opened first. One read:
 * the account and its user are created in one transaction (openSession), so an account names a user
 * that exists — the user document itself is read only by what needs its fields (the profile).
 */
/** The caller's user id, and their verified identity's key when the account carries it. */
export interface KnownUser extends Pick<UserDoc, 'id'> {
  identityKey?: string;
}

export async function requireUser(deps: DomainDeps, caller: Caller): Promise<KnownUser> {
  const account = await deps.store.get('wxAccounts', caller.openid);
  if (!account) throw new AppError('FAILED_PRECONDITION', '请先打开小程序完成登录');
  return account.identityKey ? { id: account.userId, identityKey: account.identityKey } : { id: account.userId };
}

/** The WeChat openid a user signed in with (the account is keyed by openid), or null: whom to send to. */
export async function openidOf(deps: Pick<DomainDeps, 'store'>, userId: string): Promise<string | null> {
  const [account] = await deps.store.find('wxAccounts', {
    where: [{ field: 'userId', op: '==', value: userId }],
    limit: 1,
  });
  return account?.id ?? null;
}
