/**
 * Binding a card, in two steps. The first card of a user whose real name is still pending also
 * completes it (users/identity.ts): the bank confirms name, ID number, card and reserved phone
 * together, as WeChat Pay's real-name check does.
 *
 * bindStart: pay password or `cards.bind` ticket → card number (supported bank, right length;
 * Luhn only warns) → holder name and ID number equal to the caller's stated identity (pending or
 * verified) → the bank checks card, holder and reserved phone (throttled: bank-check.ts) → for a
 * pending identity, the ID number must not be another account's verified real name (refused like a
 * bank refusal) → an SMS code goes to that phone. The ticket is spent only when the binding is
 * created, so a bank refusal lets the user correct and resubmit.
 *
 * bindConfirm: the SMS code → the card is stored (bank, type, last four, HMAC fingerprint,
 * gateway token, the bank's daily limit) and a pending identity the bank confirmed becomes
 * verified, in one transaction. The limit, duplicates and the ID number's claim are checked again
 * there, against single documents, so concurrent confirmations cannot get past them.
 *
 * sandboxSmsCode: while the sandbox is the SMS gateway, the code it "sent" for the caller's own
 * pending binding — how a tester finishes a binding where no outbox page can be read (CloudBase).
 */
import type { BindStartRequest, BindStartView, CardView, SandboxSmsCodeView } from '../../../typings/cards';
import { CONFIG } from '../../config';
import type { CardBindingDoc, CardDoc, CardSetDoc } from '../collections';
import { fingerprint, knownFingerprints, matchesFingerprint, sameDigest } from '../crypto';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { lastFour } from '../mask';
import { BankUnavailableError, type CardCheckRefusal } from '../ports/bank';
import { claimedByAnother, confirmIdentity, normalizeIdNumber, requireSubmittedIdentity } from '../users/identity';
import { requireUser, type Caller } from '../users/session';
import { checkCredential, consumeAuthorization, credentialFrom } from '../verify/authorize';
import { challengeView, checkCode, deliverCode, newSmsCode, openChallenge, sandboxCodeMessage } from '../verify/sms';
import { countBankCheck, refusalToTell, type CheckSubjects } from './bank-check';
import { cardLimitFor, cardView } from './cards';
import { LUHN_WARNING, requireBindableCard } from './detect';

const SMS_PURPOSE = 'cards.bind';

const REFUSALS: Record<CardCheckRefusal, AppError['code']> = {
  HOLDER_MISMATCH: 'BANK_HOLDER_MISMATCH',
  PHONE_MISMATCH: 'BANK_PHONE_MISMATCH',
  CARD_FROZEN: 'CARD_FROZEN',
  CARD_CLOSED: 'CARD_CLOSED',
  CARD_UNSUPPORTED: 'CARD_UNSUPPORTED',
  DECLINED: 'CARD_DECLINED',
};

export function cardFingerprint(deps: Pick<DomainDeps, 'secrets'>, digits: string): string {
  return fingerprint(deps.secrets, 'card-fingerprint', digits);
}

/**
 * Throws CARD_ALREADY_BOUND or CARD_LIMIT_REACHED for this user's current set. `cardFps`: the card's
 * fingerprints under the current and earlier secrets (a card bound before a rotation is still found).
 */
function checkRoom(set: CardSetDoc | null, cardFps: readonly string[], identity: { minor: boolean }): void {
  const cards = set?.cards ?? [];
  if (cards.some((card) => cardFps.some((cardFp) => sameDigest(card.fingerprint, cardFp)))) {
    throw new AppError('CARD_ALREADY_BOUND');
  }
  const limit = cardLimitFor(identity.minor);
  if (cards.length >= limit) {
    throw new AppError(
      'CARD_LIMIT_REACHED',
      identity.minor ? `未成年人最多可绑定${limit}张银行卡` : `最多可绑定${limit}张银行卡，请先解绑不用的卡`,
      { limit },
    );
  }
}

export async function bindStart(deps: DomainDeps, caller: Caller, request: BindStartRequest): Promise<BindStartView> {
  const user = await requireUser(deps, caller);
  const identity = await requireSubmittedIdentity(deps, user.id);
  const card = requireBindableCard(request.cardNumber);
  const { digits } = card;
  if (identity.minor && card.cardType === 'credit' && !CONFIG.cards.minor.creditCardsAllowed) {
    throw new AppError('CARD_TYPE_NOT_ALLOWED', '未成年人暂不能绑定信用卡');
  }
  const idNumber = normalizeIdNumber(request.idNumber);
  if (
    request.holderName.trim() !== identity.name ||
    !matchesFingerprint(deps.secrets, 'id-fingerprint', idNumber, identity.idFingerprint)
  ) {
    throw new AppError('CARD_HOLDER_NOT_SELF');
  }
  const cardFp = cardFingerprint(deps, digits);
  const cardFps = knownFingerprints(deps.secrets, 'card-fingerprint', digits);
  checkRoom(await deps.store.get('cardSets', user.id), cardFps, identity);

  const authorization = await checkCredential(deps, user.id, credentialFrom(request), 'cards.bind');

  const who: CheckSubjects = { userId: user.id, idFingerprint: identity.idFingerprint, cardFingerprint: cardFp };
  await countBankCheck(deps, who);
  let check;
  try {
    check = await deps.bank.verifyCard({
      cardNumber: digits,
      holderName: identity.name,
      idNumber,
      reservedPhone: request.reservedPhone,
    });
  } catch (error) {
    if (error instanceof BankUnavailableError) {
      deps.log.warn('cards.bank_unavailable', { userId: user.id, bankCode: card.bank.code });
      throw new AppError('BANK_UNAVAILABLE');
    }
    throw error;
  }
  if (!check.ok) {
    deps.log.info('cards.bank_refused', { userId: user.id, bankCode: card.bank.code, refusal: check.refusal });
    throw await refusalToTell(deps, who, new AppError(REFUSALS[check.refusal]));
  }
  // The bank confirmed all four together. For a pending real name that is its confirmation — unless
  // the ID number is another account's verified real name: then the answer is the generic refusal,
  // which says nothing of whom the number belongs to.
  const idFps = knownFingerprints(deps.secrets, 'id-fingerprint', idNumber);
  if (identity.status === 'pending' && (await claimedByAnother(deps, user.id, idFps))) {
    deps.log.warn('cards.id_number_claimed', { userId: user.id, bankCode: card.bank.code });
    throw new AppError('CARD_VERIFICATION_FAILED');
  }

  const now = deps.clock.now();
  const code = newSmsCode();
  const binding: CardBindingDoc = {
    id: deps.ids.next('bind'),
    userId: user.id,
    bankCode: card.bank.code,
    cardType: card.cardType,
    lastFour: lastFour(digits),
    fingerprint: cardFp,
    ...(cardFps.length > 1 ? { earlierFingerprints: cardFps.slice(1) } : {}),
    gatewayToken: check.cardToken,
    quickPayDailyLimitFen: check.quickPayDailyLimitFen,
    holder: {
      name: identity.name,
      idFingerprint: identity.idFingerprint,
      ...(idFps.length > 1 ? { idFingerprints: idFps } : {}),
    },
    challengeId: deps.ids.next('sms'),
    status: 'pending',
    cardId: null,
    expiresAt: now + CONFIG.cards.bindingTtlMs,
    createdAt: now,
  };
  const about = `绑定尾号${binding.lastFour}的${card.bank.name}${card.cardTypeLabel}`;
  const challenge = await deps.store.transaction(async (tx) => {
    await consumeAuthorization(tx, authorization, now);
    await tx.create('cardBindings', binding);
    return openChallenge(
      deps,
      tx,
      {
        id: binding.challengeId,
        userId: user.id,
        purpose: SMS_PURPOSE,
        subjectId: binding.id,
        phone: request.reservedPhone,
        code,
        about,
        closesAt: binding.expiresAt,
      },
      now,
    );
  });
  await deliverCode(deps, request.reservedPhone, code, about);
  deps.log.info('cards.binding_started', { userId: user.id, bindingId: binding.id, bankCode: binding.bankCode });
  return {
    bindingId: binding.id,
    card: {
      bank: card.bank,
      cardType: card.cardType,
      cardTypeLabel: card.cardTypeLabel,
      lastFour: binding.lastFour,
    },
    sms: challengeView(challenge),
    warning: card.luhnValid === false ? LUHN_WARNING : null,
    expiresAt: binding.expiresAt,
  };
}

export async function bindConfirm(
  deps: DomainDeps,
  caller: Caller,
  request: { bindingId: string; smsCode: string },
): Promise<CardView> {
  const user = await requireUser(deps, caller);
  const identity = await requireSubmittedIdentity(deps, user.id);
  const cardId = deps.ids.next('card');
  const now = deps.clock.now();
  const outcome = await deps.store.transaction(async (tx) => {
    const binding = await tx.get('cardBindings', request.bindingId);
    if (!binding || binding.userId !== user.id) throw new AppError('NOT_FOUND', '绑卡申请不存在');
    if (binding.status === 'bound') throw new AppError('SMS_CODE_USED');
    if (binding.expiresAt <= now) throw new AppError('BINDING_EXPIRED');
    const set = await tx.get('cardSets', user.id);
    checkRoom(set, [binding.fingerprint, ...(binding.earlierFingerprints ?? [])], identity);
    const refusal = await checkCode(
      deps,
      tx,
      { challengeId: binding.challengeId, userId: user.id, purpose: SMS_PURPOSE, subjectId: binding.id },
      request.smsCode,
      now,
    );
    if (refusal) return { refusal };
    // the code proved the phone: a pending real name the bank confirmed with this card is verified now
    const confirmation = binding.holder
      ? await confirmIdentity(tx, { userId: user.id, openid: caller.openid }, binding.holder, now)
      : ('already_verified' as const);
    if (confirmation === 'claimed_by_another') return { refusal: new AppError('CARD_VERIFICATION_FAILED') };
    if (confirmation === 'identity_changed') {
      return { refusal: new AppError('BINDING_EXPIRED', '实名信息已修改，请重新添加银行卡') };
    }
    const card: CardDoc = {
      id: cardId,
      userId: user.id,
      bankCode: binding.bankCode,
      cardType: binding.cardType,
      lastFour: binding.lastFour,
      fingerprint: binding.fingerprint,
      gatewayToken: binding.gatewayToken,
      ...(binding.quickPayDailyLimitFen === undefined ? {} : { quickPayDailyLimitFen: binding.quickPayDailyLimitFen }),
      status: 'bound',
      boundAt: now,
      unboundAt: null,
    };
    await tx.create('cards', card);
    const entry = { cardId, fingerprint: binding.fingerprint };
    if (set) await tx.update('cardSets', user.id, { cards: [...set.cards, entry], updatedAt: now });
    else await tx.create('cardSets', { id: user.id, cards: [entry], updatedAt: now });
    await tx.update('cardBindings', binding.id, { status: 'bound', cardId });
    return { card, verified: confirmation === 'verified' };
  });
  if ('refusal' in outcome) throw outcome.refusal;
  if (outcome.verified) deps.log.info('user.real_name_verified', { userId: user.id, minor: identity.minor });
  deps.log.info('cards.bound', { userId: user.id, cardId, bankCode: outcome.card.bankCode });
  return cardView(outcome.card);
}

/**
 * The sandbox's message with the current code of one of the caller's own pending bindings: someone
 * else's binding or an unknown id is NOT_FOUND, and only that binding's code is ever answered,
 * never the phone. Bounded per call: one binding, at most a day's messages to its phone.
 */
export async function sandboxSmsCode(
  deps: DomainDeps,
  caller: Caller,
  request: { bindingId: string },
): Promise<SandboxSmsCodeView> {
  // The runtime hides the action without an outbox (cards.ts); this keeps the domain honest too.
  if (!deps.smsOutbox) throw new AppError('INVALID_ARGUMENT', '不支持的操作');
  const user = await requireUser(deps, caller);
  const binding = await deps.store.get('cardBindings', request.bindingId);
  if (!binding || binding.userId !== user.id) throw new AppError('NOT_FOUND', '绑卡申请不存在');
  if (binding.status === 'bound') throw new AppError('SMS_CODE_USED');
  if (binding.expiresAt <= deps.clock.now()) throw new AppError('BINDING_EXPIRED');
  const challenge = await deps.store.get('smsChallenges', binding.challengeId);
  if (!challenge) throw new AppError('NOT_FOUND', '绑卡申请不存在');
  const message = await sandboxCodeMessage(deps, deps.smsOutbox, challenge);
  return { phoneMasked: challenge.phoneMasked, message };
}
