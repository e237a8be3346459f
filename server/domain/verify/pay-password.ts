/**
 * The 6-digit pay password: a keyed hash (HMAC-SHA256 under a key derived from the server secret,
 * with a per-user salt), compared in constant time; 5 wrong tries in a row lock it for 3 hours
 * (CONFIG.payPassword). Six digits are a million guesses: no hashing cost protects them from
 * whoever holds the database, only a key that is not in it does — and the lock is what limits
 * guessing through the API. Legacy scrypt documents are still checked, and re-hashed with the key
 * at their next right try. The attempt counter is read and written inside one transaction, so
 * concurrent wrong tries are all counted.
 */
import { randomBytes, scrypt, type ScryptOptions } from 'node:crypto';
import type { PayPasswordStatus } from '../../../typings/verify';
import { CONFIG } from '../../config';
import { revokeQuickQuery } from '../assistant/quick-query';
import type { PayPasswordDoc } from '../collections';
import { earlierFingerprints, fingerprint, sameDigest } from '../crypto';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import type { Secrets } from '../ports/secrets';
import { formatDurationZh } from '../time';
import { isBirthdayPassword, requireSubmittedIdentity, type SubmittedIdentity } from '../users/identity';
import { requireUser, type Caller } from '../users/session';

type StoredHash = Pick<PayPasswordDoc, 'scheme' | 'hash' | 'salt' | 'cost'>;

/** What is hashed: the user id is in it so a hash copied into another user's document does not match there. */
function hashInput(userId: string, salt: string, password: string): string {
  return `${userId}\u0000${salt}\u0000${password}`;
}

function legacyScryptHash(password: string, salt: string, cost: NonNullable<PayPasswordDoc['cost']>): Promise<string> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(salt, 'base64url'), cost.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key.toString('base64url')),
    );
  });
}

/**
 * Whether `password` is the stored one: `current` when it matches under today's key, `outdated`
 * when only under an earlier secret's key or as a legacy scrypt hash (re-hash it), else `wrong`.
 * Every key is tried, so the time taken does not say which one matched.
 */
async function judgePassword(
  secrets: Secrets,
  userId: string,
  stored: StoredHash,
  password: string,
): Promise<'current' | 'outdated' | 'wrong'> {
  if (stored.scheme === 'hmac-sha256') {
    const input = hashInput(userId, stored.salt, password);
    const current = sameDigest(fingerprint(secrets, 'pay-password', input), stored.hash);
    const earlier = earlierFingerprints(secrets, 'pay-password', input)
      .map((candidate) => sameDigest(candidate, stored.hash))
      .some(Boolean);
    return current ? 'current' : earlier ? 'outdated' : 'wrong';
  }
  if (!stored.cost) return 'wrong';
  return sameDigest(await legacyScryptHash(password, stored.salt, stored.cost), stored.hash) ? 'outdated' : 'wrong';
}

function newHash(
  secrets: Secrets,
  userId: string,
  password: string,
): Required<Pick<PayPasswordDoc, 'scheme'>> & StoredHash {
  const salt = randomBytes(16).toString('base64url');
  return { scheme: 'hmac-sha256', salt, hash: fingerprint(secrets, 'pay-password', hashInput(userId, salt, password)) };
}

const TRIVIAL_MESSAGES = {
  repeated: '支付密码不能是相同的数字',
  sequence: '支付密码不能是连续的数字',
  pattern: '支付密码不能是重复的数字组合',
  birthday: '支付密码不能使用您的生日',
} as const;

export type TrivialReason = keyof typeof TRIVIAL_MESSAGES;

function isRun(password: string, step: 1 | -1): boolean {
  for (let i = 1; i < password.length; i++) {
    if ((Number(password[i - 1]) + step + 10) % 10 !== Number(password[i])) return false;
  }
  return true;
}

/**
 * Why a 6-digit password is too easy to guess, or null. `isBirthday` says whether it is a birthday
 * form of the holder's (users/identity.ts keeps those as keyed hashes, not the birth date).
 */
export function trivialReason(
  password: string,
  isBirthday: ((password: string) => boolean) | null,
): TrivialReason | null {
  if (/^(\d)\1{5}$/.test(password)) return 'repeated';
  if (isRun(password, 1) || isRun(password, -1)) return 'sequence';
  if (/^(\d\d)\1\1$/.test(password) || /^(\d{3})\1$/.test(password)) return 'pattern';
  if (isBirthday?.(password)) return 'birthday';
  return null;
}

function refuseTrivial(deps: DomainDeps, password: string, identity: SubmittedIdentity): void {
  const reason = trivialReason(password, (candidate) => isBirthdayPassword(deps, identity, candidate));
  if (reason) throw new AppError('PAY_PASSWORD_TOO_SIMPLE', TRIVIAL_MESSAGES[reason], { reason });
}

export function lockedError(lockedUntil: number, now: number): AppError {
  const remainingMs = lockedUntil - now;
  return new AppError('PAY_PASSWORD_LOCKED', `支付密码错误次数过多，已锁定，请${formatDurationZh(remainingMs)}后再试`, {
    remainingMs,
    unlockAt: lockedUntil,
  });
}

function incorrectError(remainingAttempts: number): AppError {
  return new AppError('PAY_PASSWORD_INCORRECT', `支付密码错误，还可以再试${remainingAttempts}次`, {
    remainingAttempts,
  });
}

function statusOf(doc: PayPasswordDoc | null, now: number): PayPasswordStatus {
  const { maxAttempts } = CONFIG.payPassword;
  if (!doc) return { set: false, locked: false, unlockAt: null, remainingAttempts: maxAttempts };
  const locked = doc.lockedUntil > now;
  return {
    set: true,
    locked,
    unlockAt: locked ? doc.lockedUntil : null,
    remainingAttempts: locked ? 0 : maxAttempts - doc.failedAttempts,
  };
}

/** The credential generation of a pay password document (documents from before it had one: 0). */
export function generationOf(doc: Pick<PayPasswordDoc, 'generation'>): number {
  return doc.generation ?? 0;
}

export async function payPasswordStatus(deps: DomainDeps, userId: string): Promise<PayPasswordStatus> {
  return statusOf(await deps.store.get('payPasswords', userId), deps.clock.now());
}

/**
 * Checks the caller's pay password, counting the try: resolves with the password's credential
 * generation when right; otherwise throws PAY_PASSWORD_NOT_SET, PAY_PASSWORD_LOCKED (remaining
 * time in the message and details) or PAY_PASSWORD_INCORRECT (remaining tries). The 5th wrong try
 * locks and answers LOCKED, and raises the generation: tickets issued before are void.
 */
export async function checkPayPassword(deps: DomainDeps, userId: string, password: string): Promise<number> {
  const { maxAttempts, lockMs } = CONFIG.payPassword;
  const stored = await deps.store.get('payPasswords', userId);
  if (!stored) throw new AppError('PAY_PASSWORD_NOT_SET');
  if (stored.lockedUntil > deps.clock.now()) throw lockedError(stored.lockedUntil, deps.clock.now());
  // judged outside the transaction: a legacy scrypt hash takes tens of milliseconds
  const verdict = await judgePassword(deps.secrets, userId, stored, password);
  // Right, and nothing to reset: no write, so no transaction — the check stands as of this read,
  // and an action it authorizes re-checks the generation in its own transaction (consumeAuthorization).
  if (verdict === 'current' && stored.failedAttempts === 0) return generationOf(stored);
  const now = deps.clock.now();
  const outcome = await deps.store.transaction(async (tx) => {
    const doc = await tx.get('payPasswords', userId);
    if (!doc) return { kind: 'not_set' as const };
    if (doc.lockedUntil > now) return { kind: 'locked' as const, until: doc.lockedUntil };
    // Changed while we judged: the try was against a password that no longer exists; not counted.
    if (doc.salt !== stored.salt || doc.hash !== stored.hash) {
      return { kind: 'incorrect' as const, remaining: maxAttempts - doc.failedAttempts };
    }
    if (verdict === 'outdated') {
      // re-hashed under today's key, replacing the document so no legacy field outlives the scheme
      const { cost: _legacyCost, ...kept } = doc;
      await tx.set('payPasswords', {
        ...kept,
        ...newHash(deps.secrets, userId, password),
        failedAttempts: 0,
        updatedAt: now,
      });
      return { kind: 'ok' as const, generation: generationOf(doc), upgraded: true };
    }
    if (verdict === 'current') {
      if (doc.failedAttempts > 0) await tx.update('payPasswords', userId, { failedAttempts: 0, updatedAt: now });
      return { kind: 'ok' as const, generation: generationOf(doc), upgraded: false };
    }
    const failed = doc.failedAttempts + 1;
    if (failed >= maxAttempts) {
      await tx.update('payPasswords', userId, {
        failedAttempts: 0,
        lockedUntil: now + lockMs,
        generation: generationOf(doc) + 1,
        updatedAt: now,
      });
      return { kind: 'locked_now' as const, until: now + lockMs };
    }
    await tx.update('payPasswords', userId, { failedAttempts: failed, updatedAt: now });
    return { kind: 'incorrect' as const, remaining: maxAttempts - failed };
  });
  switch (outcome.kind) {
    case 'ok':
      if (outcome.upgraded) deps.log.info('verify.pay_password_rehashed', { userId });
      return outcome.generation;
    case 'not_set':
      throw new AppError('PAY_PASSWORD_NOT_SET');
    case 'locked':
      throw lockedError(outcome.until, now);
    case 'locked_now':
      deps.log.warn('verify.pay_password_locked', { userId, until: outcome.until });
      throw lockedError(outcome.until, now);
    case 'incorrect':
      throw incorrectError(outcome.remaining);
  }
}

export async function setPayPassword(
  deps: DomainDeps,
  caller: Caller,
  request: { payPassword: string; confirmPayPassword: string },
): Promise<PayPasswordStatus> {
  const user = await requireUser(deps, caller);
  // a pending real name is enough: the first card, which confirms it, is bound with this password
  const identity = await requireSubmittedIdentity(deps, user.id);
  if (request.payPassword !== request.confirmPayPassword) throw new AppError('PAY_PASSWORD_CONFIRM_MISMATCH');
  refuseTrivial(deps, request.payPassword, identity);
  if (await deps.store.get('payPasswords', user.id)) throw new AppError('PAY_PASSWORD_ALREADY_SET');
  const hashed = newHash(deps.secrets, user.id, request.payPassword);
  const now = deps.clock.now();
  const doc: PayPasswordDoc = {
    id: user.id,
    ...hashed,
    failedAttempts: 0,
    lockedUntil: 0,
    generation: 0,
    createdAt: now,
    updatedAt: now,
  };
  const created = await deps.store.transaction(async (tx) => {
    if (await tx.get('payPasswords', user.id)) return false;
    await tx.create('payPasswords', doc);
    return true;
  });
  if (!created) throw new AppError('PAY_PASSWORD_ALREADY_SET');
  deps.log.info('verify.pay_password_set', { userId: user.id });
  return statusOf(doc, now);
}

export async function changePayPassword(
  deps: DomainDeps,
  caller: Caller,
  request: { oldPayPassword: string; newPayPassword: string; confirmPayPassword: string },
): Promise<PayPasswordStatus> {
  const user = await requireUser(deps, caller);
  const identity = await requireSubmittedIdentity(deps, user.id);
  if (request.newPayPassword !== request.confirmPayPassword) throw new AppError('PAY_PASSWORD_CONFIRM_MISMATCH');
  if (request.newPayPassword === request.oldPayPassword) throw new AppError('PAY_PASSWORD_UNCHANGED');
  refuseTrivial(deps, request.newPayPassword, identity);
  await checkPayPassword(deps, user.id, request.oldPayPassword);
  const hashed = newHash(deps.secrets, user.id, request.newPayPassword);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const doc = await tx.get('payPasswords', user.id);
    if (!doc) throw new AppError('PAY_PASSWORD_NOT_SET');
    // a new generation: tickets issued under the old password are void
    await tx.update('payPasswords', user.id, {
      ...hashed,
      failedAttempts: 0,
      lockedUntil: 0,
      generation: generationOf(doc) + 1,
      updatedAt: now,
    });
    // 免密查询 was agreed to under the old password: it ends with it, in the same commit.
    await revokeQuickQuery(tx, user.id, 'payPasswordChanged', now);
  });
  deps.log.info('verify.pay_password_changed', { userId: user.id });
  return payPasswordStatus(deps, user.id);
}
