/**
 * Real-name identity, as WeChat Pay completes it: the user states it, the bank confirms it.
 *
 *  - pending (`pendingIdentities`, doc id = userId): the name and 18-digit resident ID number
 *    (GB 11643-1999) the user typed, checked for form, check digit and minimum age. Believed by
 *    nobody yet: it claims no ID number, may be corrected, and any other account may type the same.
 *    Enough to set the pay password and to add the first card.
 *  - verified (`identities`, doc id = userId): the bank confirmed name, ID number, card and reserved
 *    phone together when the first card was bound (cards/binding.ts, after the SMS code proved the
 *    phone). Only then is the ID number claimed (`identityClaims`), for good; another account's later
 *    confirmation of it is refused like a bank refusal. Money actions need this state.
 *
 * No answer here tells whether an ID number belongs to a customer. What is kept of the number: its
 * last four, an HMAC fingerprint, the birth year, the 18th birthday of a minor (the minors' rules end
 * on it), and keyed hashes of the birthday forms a pay password may not be — never the birth date.
 */
import type { IdentityView, PendingIdentityView } from '../../../typings/user';
import { CONFIG } from '../../config';
import type { Collections, IdentityDoc, IdentityFacts } from '../collections';
import { fingerprint, matchesFingerprint, sameDigest } from '../crypto';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { maskIdNumber, maskName } from '../mask';
import type { DocumentOps } from '../ports/store';
import { ageOn, chinaDateParts, chinaDayKey, chinaDayStart } from '../time';
import { requireUser, type Caller } from './session';

/** A submitted, not yet confirmed, real-name identity; doc id = userId. */
export interface PendingIdentityDoc extends IdentityFacts {
  id: string;
  submittedAt: number;
}

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
 * saying which part is wrong. The birth date is for the caller's rules at this moment, never stored.
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

/** The forms of a `YYYYMMDD` birth date a 6-digit pay password may not take: YYMMDD, MMDDYY, DDMMYY, YYYYMM. */
export function birthdayPatterns(birthDate: string): string[] {
  const [yyyy, mm, dd] = [birthDate.slice(0, 4), birthDate.slice(4, 6), birthDate.slice(6, 8)];
  const yy = yyyy.slice(2);
  return [yy + mm + dd, mm + dd + yy, dd + mm + yy, yyyy + mm];
}

function birthdayPasswordKey(deps: Pick<DomainDeps, 'secrets'>, candidate: string): string {
  return fingerprint(deps.secrets, 'birthday-password', candidate);
}

/**
 * Whether a pay password is one of the identity's birthday forms, from the keyed hashes kept at
 * submission: the password's check needs neither the birth date nor the ID number typed again.
 */
export function isBirthdayPassword(
  deps: Pick<DomainDeps, 'secrets'>,
  facts: Pick<IdentityFacts, 'birthdayPasswordKeys'>,
  password: string,
): boolean {
  // stored at submission, perhaps under an earlier secret
  return facts.birthdayPasswordKeys.some((stored) =>
    matchesFingerprint(deps.secrets, 'birthday-password', password, stored),
  );
}

/** What the age rules and the birthday-password check keep of a `YYYYMMDD` birth date. */
function birthFacts(
  deps: Pick<DomainDeps, 'secrets'>,
  birthDate: string,
  now: number,
): Pick<IdentityFacts, 'birthYear' | 'minorUntil' | 'birthdayPasswordKeys'> {
  const adultDay = `${Number(birthDate.slice(0, 4)) + CONFIG.realName.adultAgeYears}-${birthDate.slice(4, 6)}-${birthDate.slice(6, 8)}`;
  const isMinor = ageOn(birthDate, now) < CONFIG.realName.adultAgeYears;
  return {
    birthYear: Number(birthDate.slice(0, 4)),
    // a 29 February birthday rolls over to 1 March in a common year, as ageOn counts it
    minorUntil: isMinor ? chinaDayStart(adultDay) : null,
    birthdayPasswordKeys: birthdayPatterns(birthDate).map((pattern) => birthdayPasswordKey(deps, pattern)),
  };
}

/** What is kept of a checked ID number: see the module comment. */
function identityFacts(
  deps: Pick<DomainDeps, 'secrets'>,
  name: string,
  idNumber: string,
  birthDate: string,
  now: number,
): IdentityFacts {
  return {
    name,
    idNumberMasked: maskIdNumber(idNumber),
    idFingerprint: idFingerprint(deps, idNumber),
    ...birthFacts(deps, birthDate, now),
  };
}

/**
 * Identity documents written before only the needed facts were kept (with the whole `birthDate`
 * and a first-3 + last-4 mask): rewritten in the current shape — the birth date turned into the
 * facts the rules use and dropped, the mask cut to the last four. Run by the local host at start:
 * a developer's database from before keeps working and stops holding the birth date.
 */
export async function upgradeLegacyIdentities(deps: Pick<DomainDeps, 'store' | 'secrets' | 'clock'>): Promise<number> {
  let upgraded = 0;
  let cursor = '';
  for (;;) {
    const page = await deps.store.find('identities', {
      where: cursor ? [{ field: 'id', op: '>', value: cursor }] : [],
      orderBy: [['id', 'asc']],
      limit: 200,
    });
    for (const doc of page) {
      const legacy = doc as IdentityDoc & { birthDate?: unknown };
      if (typeof legacy.birthDate !== 'string' || typeof legacy.birthYear === 'number') continue;
      const { birthDate, ...rest } = legacy;
      await deps.store.set('identities', {
        ...rest,
        ...birthFacts(deps, birthDate, deps.clock.now()),
        // the mask's last four are the number's last four
        idNumberMasked: maskIdNumber(rest.idNumberMasked.slice(-4).padStart(18, '0')),
      });
      upgraded += 1;
    }
    if (page.length < 200) return upgraded;
    cursor = page[page.length - 1]!.id;
  }
}

/** Age and the minors' rules now: exact for a minor (the 18th birthday is kept), by birth year for an adult. */
function ageNow(facts: Pick<IdentityFacts, 'birthYear' | 'minorUntil'>, now: number): { age: number; minor: boolean } {
  const adultAge = CONFIG.realName.adultAgeYears;
  if (facts.minorUntil !== null && now < facts.minorUntil) {
    const adultDay = chinaDayKey(facts.minorUntil).replace(/-/g, '');
    const birthDate = `${Number(adultDay.slice(0, 4)) - adultAge}${adultDay.slice(4)}`;
    return { age: ageOn(birthDate, now), minor: true };
  }
  return { age: Math.max(adultAge, chinaDateParts(now).year - facts.birthYear), minor: false };
}

/** The caller's identity with its age now: what the modules that need one get. */
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
  return { ...doc, ...ageNow(doc, now), identityKey: claimId(doc.idFingerprint) };
}

/** The caller's verified identity, or REAL_NAME_REQUIRED (also while it is pending). For every module that needs one. */
export async function requireVerifiedIdentity(deps: DomainDeps, userId: string): Promise<VerifiedIdentity> {
  const doc = await deps.store.get('identities', userId);
  if (!doc) throw new AppError('REAL_NAME_REQUIRED');
  return withAge(doc, deps.clock.now());
}

/** The identity a user stated, verified or still pending, with its age now. */
export type SubmittedIdentity = IdentityFacts & { status: 'pending' | 'verified'; age: number; minor: boolean };

export async function findSubmittedIdentity(deps: DomainDeps, userId: string): Promise<SubmittedIdentity | null> {
  const now = deps.clock.now();
  // both read at once (one round trip); a verified identity wins over a leftover pending one
  const [verified, pending] = await Promise.all([
    deps.store.get('identities', userId),
    deps.store.get('pendingIdentities', userId),
  ]);
  if (verified) return { ...verified, status: 'verified', ...ageNow(verified, now) };
  return pending ? { ...pending, status: 'pending', ...ageNow(pending, now) } : null;
}

/**
 * The pay password and adding cards need a stated identity, pending or verified: the birthday
 * forms to refuse, and the holder the bank is asked about. REAL_NAME_REQUIRED without one.
 */
export async function requireSubmittedIdentity(deps: DomainDeps, userId: string): Promise<SubmittedIdentity> {
  const identity = await findSubmittedIdentity(deps, userId);
  if (!identity) throw new AppError('REAL_NAME_REQUIRED');
  return identity;
}

/**
 * Whether another account's verified identity holds this ID number: asked only after the bank
 * confirmed it. `idFps`: the number's fingerprints under the current and earlier secrets (a claim
 * made before a rotation keeps its old id).
 */
export async function claimedByAnother(deps: DomainDeps, userId: string, idFps: readonly string[]): Promise<boolean> {
  for (const idFp of idFps) {
    const claim = await deps.store.get('identityClaims', claimId(idFp));
    if (claim !== null && claim.userId !== userId) return true;
  }
  return false;
}

export type Confirmation = 'verified' | 'already_verified' | 'claimed_by_another' | 'identity_changed';

/**
 * Inside the transaction that binds the user's card, once its SMS code proved the phone: the bank
 * confirmed `holder` with the card, so a pending identity equal to it becomes verified and claims
 * its ID number — unless another account holds that claim, or the user changed the pending
 * identity since the bank was asked. Writes only when it verifies.
 */
export async function confirmIdentity(
  tx: DocumentOps<Collections>,
  caller: { userId: string; openid: string },
  holder: { name: string; idFingerprint: string; idFingerprints?: string[] },
  now: number,
): Promise<Confirmation> {
  const { userId } = caller;
  if (await tx.get('identities', userId)) return 'already_verified';
  const pending = await tx.get('pendingIdentities', userId);
  if (!pending || pending.name !== holder.name || !sameDigest(pending.idFingerprint, holder.idFingerprint)) {
    return 'identity_changed';
  }
  // the number's claim under every version of the secret: one made before a rotation still counts
  for (const idFp of holder.idFingerprints ?? [holder.idFingerprint]) {
    const other = await tx.get('identityClaims', claimId(idFp));
    if (other && other.userId !== userId) return 'claimed_by_another';
  }
  const claim = await tx.get('identityClaims', claimId(pending.idFingerprint));
  const { id: _id, submittedAt: _submittedAt, ...facts } = pending;
  await tx.create('identities', { id: userId, ...facts, verifiedAt: now });
  if (!claim) await tx.create('identityClaims', { id: claimId(pending.idFingerprint), userId, createdAt: now });
  await tx.update('users', userId, { level: 'verified', updatedAt: now });
  // the account the caller signed in with names the identity from now on (WxAccountDoc.identityKey)
  await tx.update('wxAccounts', caller.openid, { identityKey: claimId(pending.idFingerprint) });
  await tx.delete('pendingIdentities', userId);
  return 'verified';
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

export function pendingIdentityView(doc: PendingIdentityDoc, now: number): PendingIdentityView {
  return {
    name: doc.name,
    nameMasked: maskName(doc.name),
    idNumberMasked: doc.idNumberMasked,
    minor: ageNow(doc, now).minor,
    submittedAt: doc.submittedAt,
  };
}

/**
 * `user.verifyRealName`: states the caller's real name (names are checked by the function's schema:
 * Chinese characters, optional middle dot; here only trimmed). Kept pending — a correction replaces
 * it — until the bank confirms it with the first card. The same answer whoever else typed the number.
 */
export async function submitRealName(
  deps: DomainDeps,
  caller: Caller,
  request: { name: string; idNumber: string },
): Promise<void> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  const { idNumber, birthDate } = parseIdNumber(request.idNumber, now);
  const { minimumAgeYears } = CONFIG.realName;
  if (ageOn(birthDate, now) < minimumAgeYears) {
    throw new AppError('AGE_BELOW_MINIMUM', `未满${minimumAgeYears}周岁，暂不能完成实名认证`, { minimumAgeYears });
  }
  const pending: PendingIdentityDoc = {
    id: user.id,
    ...identityFacts(deps, request.name.trim(), idNumber, birthDate, now),
    submittedAt: now,
  };
  const stored = await deps.store.transaction(async (tx) => {
    if (await tx.get('identities', user.id)) return false;
    await tx.set('pendingIdentities', pending);
    return true;
  });
  if (!stored) throw new AppError('REAL_NAME_ALREADY_VERIFIED');
  deps.log.info('user.real_name_submitted', { userId: user.id, minor: pending.minorUntil !== null });
}
