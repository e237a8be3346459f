/**
 * Real-name identity: a name and an 18-digit resident ID number (GB 11643-1999), once per user,
 * never changed, and each ID number the identity of one user only. The ID number is kept masked
 * and as an HMAC fingerprint; the birth date is kept for the age (minors' rules) and to refuse
 * birthday pay passwords.
 */
import type { IdentityView } from '../../../typings/user';
import { CONFIG } from '../../config';
import type { IdentityDoc } from '../collections';
import { fingerprint } from '../crypto';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { maskIdNumber, maskName } from '../mask';
import { ageOn, chinaDayKey } from '../time';
import { requireUser, type Caller } from './session';

/** Province-level codes that open an ID number (GB/T 2260), and 81–83 of the HK/Macao/Taiwan residence permits. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
  64, 65, 71, 81, 82, 83,
]);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

/** The GB 11643 check character for the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ID number as typed → as fingerprinted: trimmed, with a lower-case check character `x` raised. */
export function normalizeIdNumber(input: string): string {
  return input.trim().toUpperCase();
}

/**
 * Checks an ID number and returns it upper-cased with its birth date, or throws ID_NUMBER_INVALID
 * saying which part is wrong.
 */
export function parseIdNumber(input: string, now: number): { idNumber: string; birthDate: string } {
  const idNumber = normalizeIdNumber(input);
  if (!/^\d{17}[\dX]$/.test(idNumber)) throw new AppError('ID_NUMBER_INVALID', '身份证号码应为18位，最后一位可以是X');
  if (!PROVINCES.has(Number(idNumber.slice(0, 2)))) throw new AppError('ID_NUMBER_INVALID', '身份证号码的地区码有误');
  const birthDate = idNumber.slice(6, 14);
  const today = chinaDayKey(now).replace(/-/g, '');
  if (!isCalendarDate(birthDate) || birthDate < '19000101' || birthDate > today) {
    throw new AppError('ID_NUMBER_INVALID', '身份证号码中的出生日期无效');
  }
  if (idCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) {
    throw new AppError('ID_NUMBER_INVALID', '身份证号码校验位不正确，请核对');
  }
  return { idNumber, birthDate };
}

export function idFingerprint(deps: Pick<DomainDeps, 'secrets'>, idNumber: string): string {
  return fingerprint(deps.secrets, 'id-fingerprint', idNumber);
}

function claimId(idFp: string): string {
  return `idn_${idFp}`;
}

export interface VerifiedIdentity extends IdentityDoc {
  age: number;
  minor: boolean;
  /**
   * Stable key of the real person (not of the WeChat account): what per-identity rules such as the
   * lifetime free withdrawal quota are keyed on.
   */
  identityKey: string;
}

export function withAge(doc: IdentityDoc, now: number): VerifiedIdentity {
  const age = ageOn(doc.birthDate, now);
  return { ...doc, age, minor: age < CONFIG.realName.adultAgeYears, identityKey: claimId(doc.idFingerprint) };
}

/** The caller's identity, or REAL_NAME_REQUIRED. For every module that needs a verified user. */
export async function requireVerifiedIdentity(deps: DomainDeps, userId: string): Promise<VerifiedIdentity> {
  const doc = await deps.store.get('identities', userId);
  if (!doc) throw new AppError('REAL_NAME_REQUIRED');
  return withAge(doc, deps.clock.now());
}

export function identityView(identity: VerifiedIdentity): IdentityView {
  return {
    name: identity.name,
    nameMasked: maskName(identity.name),
    idNumberMasked: identity.idNumberMasked,
    age: identity.age,
    minor: identity.minor,
    verifiedAt: identity.verifiedAt,
  };
}

/** Names are checked by the function's schema (Chinese characters, optional middle dot); here only trimmed. */
export async function verifyRealName(
  deps: DomainDeps,
  caller: Caller,
  request: { name: string; idNumber: string },
): Promise<void> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  const { idNumber, birthDate } = parseIdNumber(request.idNumber, now);
  const age = ageOn(birthDate, now);
  const { minimumAgeYears } = CONFIG.realName;
  if (age < minimumAgeYears) {
    throw new AppError('AGE_BELOW_MINIMUM', `未满${minimumAgeYears}周岁，暂不能完成实名认证`, { minimumAgeYears });
  }
  const idFp = idFingerprint(deps, idNumber);
  const identity: IdentityDoc = {
    id: user.id,
    name: request.name.trim(),
    idNumberMasked: maskIdNumber(idNumber),
    idFingerprint: idFp,
    birthDate,
    verifiedAt: now,
  };
  const outcome = await deps.store.transaction(async (tx) => {
    if (await tx.get('identities', user.id)) return 'already_verified' as const;
    const claim = await tx.get('identityClaims', claimId(idFp));
    if (claim && claim.userId !== user.id) return 'in_use' as const;
    await tx.create('identities', identity);
    if (!claim) await tx.create('identityClaims', { id: claimId(idFp), userId: user.id, createdAt: now });
    await tx.update('users', user.id, { level: 'verified', updatedAt: now });
    return 'verified' as const;
  });
  if (outcome === 'already_verified') throw new AppError('REAL_NAME_ALREADY_VERIFIED');
  if (outcome === 'in_use') throw new AppError('ID_NUMBER_IN_USE');
  deps.log.info('user.real_name_verified', { userId: user.id, age, minor: age < CONFIG.realName.adultAgeYears });
}
