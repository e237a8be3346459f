/**
 * SMS codes: 6 digits, valid 5 minutes, resend after 60 s, 5 wrong entries, single use, a daily
 * cap per user and phone and a looser one per phone (CONFIG.sms). The code is stored only as an HMAC, the phone only as an HMAC and
 * masked. A module that confirms something by SMS (card binding) creates the challenge inside its
 * own transaction with `openChallenge`, sends with `deliverCode` after the commit, and checks the
 * entered code inside its confirming transaction with `checkCode`.
 */
import { randomInt } from 'node:crypto';
import type { SmsChallengeView } from '../../../typings/verify';
import { CONFIG } from '../../config';
import type { Collections, SmsChallengeDoc } from '../collections';
import { fingerprint, matchesFingerprint } from '../crypto';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { maskPhone } from '../mask';
import type { OutboxMessage, SmsMessage, SmsOutboxReader } from '../ports/sms';
import type { DocumentOps } from '../ports/store';
import { chinaDayKey } from '../time';
import { requireUser, type Caller } from '../users/session';

export function phoneKey(deps: Pick<DomainDeps, 'secrets'>, phone: string): string {
  return fingerprint(deps.secrets, 'phone-fingerprint', phone);
}

export function newSmsCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

function codeHash(deps: Pick<DomainDeps, 'secrets'>, challengeId: string, code: string): string {
  return fingerprint(deps.secrets, 'sms-code', `${challengeId}:${code}`);
}

/** Whether `code` is the challenge's, also when its hash was made before a rotation of the secret. */
function isChallengeCode(deps: Pick<DomainDeps, 'secrets'>, challenge: SmsChallengeDoc, code: string): boolean {
  return matchesFingerprint(deps.secrets, 'sms-code', `${challenge.id}:${code}`, challenge.codeHash);
}

/** A newly sent code's fields of the challenge: its hash, validity and a full set of attempts (first send and resends). */
function freshCode(
  deps: Pick<DomainDeps, 'secrets'>,
  challengeId: string,
  code: string,
  now: number,
): Pick<SmsChallengeDoc, 'codeHash' | 'sentAt' | 'expiresAt' | 'attemptsLeft'> {
  return {
    codeHash: codeHash(deps, challengeId, code),
    sentAt: now,
    expiresAt: now + CONFIG.sms.codeTtlMs,
    attemptsLeft: CONFIG.sms.maxAttempts,
  };
}

/** The code's message: the whole text, and the template a provider sends (ports/sms.ts says why both). */
function codeMessage(phone: string, code: string, about: string): SmsMessage {
  const minutes = String(Math.round(CONFIG.sms.codeTtlMs / 60_000));
  return {
    phone,
    text: `【微信银行】验证码${code}，用于${about}，${minutes}分钟内有效。请勿将验证码告诉他人。`,
    template: { name: 'verificationCode', params: [code, minutes] },
  };
}

/**
 * Inside a transaction: allows `userId` one more code to this phone now, or throws
 * SMS_RESEND_TOO_SOON (details.retryAfterMs) / SMS_DAILY_LIMIT. The wait and the daily cap are the
 * user's own for the phone — one user's codes do not use up another's (testers share the sandbox's
 * reserved phone) — under a looser daily cap per phone for all users together.
 */
async function reserveSend(tx: DocumentOps<Collections>, userId: string, key: string, now: number): Promise<void> {
  const { resendIntervalMs, dailyLimitPerUserPhone, dailyLimitPerPhone } = CONFIG.sms;
  const day = chinaDayKey(now);
  const phoneId = `${key}:${day}`;
  const userPhoneId = `${userId}:${key}:${day}`;
  const mine = await tx.get('smsPhoneDays', userPhoneId);
  const phone = await tx.get('smsPhoneDays', phoneId);
  if (mine && now - mine.lastSentAt < resendIntervalMs) {
    const retryAfterMs = resendIntervalMs - (now - mine.lastSentAt);
    throw new AppError('SMS_RESEND_TOO_SOON', `验证码已发送，请${Math.ceil(retryAfterMs / 1000)}秒后再试`, {
      retryAfterMs,
    });
  }
  if ((mine && mine.count >= dailyLimitPerUserPhone) || (phone && phone.count >= dailyLimitPerPhone)) {
    throw new AppError('SMS_DAILY_LIMIT');
  }
  await tx.set('smsPhoneDays', { id: userPhoneId, count: (mine?.count ?? 0) + 1, lastSentAt: now });
  await tx.set('smsPhoneDays', { id: phoneId, count: (phone?.count ?? 0) + 1, lastSentAt: now });
}

export interface NewChallenge {
  id: string;
  userId: string;
  purpose: string;
  subjectId: string;
  phone: string;
  code: string;
  /** What the code is for, in the message: `绑定尾号1234的银行卡`. */
  about: string;
  /** After this the subject is gone: no resend. */
  closesAt: number;
}

/** Inside the caller's transaction: checks the phone's limits and stores the challenge. */
export async function openChallenge(
  deps: Pick<DomainDeps, 'secrets'>,
  tx: DocumentOps<Collections>,
  challenge: NewChallenge,
  now: number,
): Promise<SmsChallengeDoc> {
  const key = phoneKey(deps, challenge.phone);
  await reserveSend(tx, challenge.userId, key, now);
  const doc: SmsChallengeDoc = {
    id: challenge.id,
    userId: challenge.userId,
    purpose: challenge.purpose,
    subjectId: challenge.subjectId,
    about: challenge.about,
    closesAt: challenge.closesAt,
    phoneKey: key,
    phoneMasked: maskPhone(challenge.phone),
    ...freshCode(deps, challenge.id, challenge.code, now),
    usedAt: null,
  };
  await tx.create('smsChallenges', doc);
  return doc;
}

/** After the commit: hands the code to the SMS gateway. */
export async function deliverCode(deps: DomainDeps, phone: string, code: string, about: string): Promise<void> {
  await deps.sms.send(codeMessage(phone, code, about));
}

/**
 * The sandbox outbox's message that carries the challenge's current code, with that code; null
 * when none of the phone's latest messages does. Matched by the code's HMAC, not by the phone
 * alone: testers share the sandbox's reserved phone, so its newest message may be another user's
 * code. At most a day's sends to one phone are read (CONFIG.sms.dailyLimitPerPhone), which always
 * covers a code that is still the current one.
 */
export async function sandboxCodeMessage(
  deps: Pick<DomainDeps, 'secrets'>,
  outbox: SmsOutboxReader,
  challenge: SmsChallengeDoc,
): Promise<(OutboxMessage & { code: string }) | null> {
  const messages = await outbox.latestByPhoneKey(challenge.phoneKey, CONFIG.sms.dailyLimitPerPhone);
  for (const message of messages) {
    for (const [code] of message.text.matchAll(/(?<!\d)\d{6}(?!\d)/g)) {
      if (isChallengeCode(deps, challenge, code)) return { ...message, code };
    }
  }
  return null;
}

export function challengeView(doc: SmsChallengeDoc): SmsChallengeView {
  return {
    challengeId: doc.id,
    phoneMasked: doc.phoneMasked,
    sentAt: doc.sentAt,
    expiresAt: doc.expiresAt,
    resendAt: doc.sentAt + CONFIG.sms.resendIntervalMs,
  };
}

/**
 * Inside the confirming transaction: checks `code` against the challenge and records the result
 * (a wrong entry uses an attempt; the right one marks the code used). Returns null when right,
 * else the error to answer with — returned, not thrown, so the caller's transaction still commits
 * the used attempt.
 */
export async function checkCode(
  deps: Pick<DomainDeps, 'secrets'>,
  tx: DocumentOps<Collections>,
  expected: { challengeId: string; userId: string; purpose: string; subjectId: string },
  code: string,
  now: number,
): Promise<AppError | null> {
  const doc = await tx.get('smsChallenges', expected.challengeId);
  if (
    !doc ||
    doc.userId !== expected.userId ||
    doc.purpose !== expected.purpose ||
    doc.subjectId !== expected.subjectId
  ) {
    return new AppError('NOT_FOUND');
  }
  if (doc.usedAt !== null) return new AppError('SMS_CODE_USED');
  if (doc.expiresAt <= now) return new AppError('SMS_CODE_EXPIRED');
  if (doc.attemptsLeft <= 0) return new AppError('SMS_CODE_ATTEMPTS_EXCEEDED');
  if (isChallengeCode(deps, doc, code)) {
    await tx.update('smsChallenges', doc.id, { usedAt: now });
    return null;
  }
  const attemptsLeft = doc.attemptsLeft - 1;
  await tx.update('smsChallenges', doc.id, { attemptsLeft });
  if (attemptsLeft === 0) return new AppError('SMS_CODE_ATTEMPTS_EXCEEDED');
  return new AppError('SMS_CODE_INCORRECT', `验证码错误，还可以再试${attemptsLeft}次`, {
    remainingAttempts: attemptsLeft,
  });
}

/**
 * `verify.resendSms`: a new code for the same challenge, to the same phone (the client sends the
 * number again: it is not stored, only its HMAC, which must match).
 */
export async function resendCode(
  deps: DomainDeps,
  caller: Caller,
  request: { challengeId: string; phone: string },
): Promise<SmsChallengeView> {
  const user = await requireUser(deps, caller);
  const code = newSmsCode();
  const now = deps.clock.now();
  const key = phoneKey(deps, request.phone);
  const updated = await deps.store.transaction(async (tx) => {
    const doc = await tx.get('smsChallenges', request.challengeId);
    if (!doc || doc.userId !== user.id) throw new AppError('NOT_FOUND');
    if (doc.usedAt !== null) throw new AppError('SMS_CODE_USED');
    if (doc.closesAt <= now) throw new AppError('SMS_CODE_EXPIRED', '本次验证已超时，请重新开始');
    if (!matchesFingerprint(deps.secrets, 'phone-fingerprint', request.phone, doc.phoneKey)) {
      throw new AppError('SMS_PHONE_MISMATCH');
    }
    await reserveSend(tx, user.id, key, now);
    // the phone's key under the current secret: a challenge opened before a rotation moves to it
    const patch = { ...freshCode(deps, doc.id, code, now), phoneKey: key };
    await tx.update('smsChallenges', doc.id, patch);
    return { ...doc, ...patch };
  });
  await deliverCode(deps, request.phone, code, updated.about);
  deps.log.info('verify.sms_resent', { userId: user.id, challengeId: updated.id });
  return challengeView(updated);
}
