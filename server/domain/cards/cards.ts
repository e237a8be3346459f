/**
 * Bound cards: the list, one card, unbinding, and the ownership-checked lookup other modules use.
 * A card document never holds the number: bank, type, last four, an HMAC fingerprint, the
 * gateway's token and the daily quick-payment limit the bank gave.
 */
import type { CardDetailView, CardType, CardView } from '../../../typings/cards';
import type { SensitiveCredentialFields } from '../../../typings/verify';
import { CONFIG } from '../../config';
import { revokeQuickQuery } from '../assistant/quick-query';
import type { CardDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { findSubmittedIdentity } from '../users/identity';
import { requireUser, type Caller } from '../users/session';
import { checkCredential, consumeAuthorization, credentialFrom } from '../verify/authorize';
import { bankOf } from './bins';
import { CARD_TYPE_LABELS } from './detect';

export function cardView(doc: CardDoc): CardView {
  return {
    cardId: doc.id,
    bank: bankOf(doc.bankCode),
    cardType: doc.cardType,
    cardTypeLabel: CARD_TYPE_LABELS[doc.cardType],
    lastFour: doc.lastFour,
    boundAt: doc.boundAt,
  };
}

/** The document if it is a bound card of this user, or NOT_FOUND (someone else's, unbound or unknown are not told apart). */
function boundCardOf(doc: CardDoc | null, userId: string): CardDoc {
  if (!doc || doc.userId !== userId || doc.status !== 'bound') throw new AppError('NOT_FOUND', '银行卡不存在或已解绑');
  return doc;
}

async function requireBoundCard(deps: DomainDeps, userId: string, cardId: string): Promise<CardDoc> {
  return boundCardOf(await deps.store.get('cards', cardId), userId);
}

/** What the ledger needs to move money to or from a user's card. */
export interface OwnedCard {
  cardId: string;
  bankCode: CardDoc['bankCode'];
  /** Official name (中国工商银行). */
  bankName: string;
  /** The short form WeChat shows (工商银行). */
  bankShortName: string;
  cardType: CardType;
  lastFour: string;
  /** The BankGateway's token for the card: how debits and credits name it. */
  gatewayToken: string;
}

/**
 * The caller's bound card by id, for the ledger (top-up source, withdrawal target, receive codes).
 * Someone else's card, an unbound one or an unknown id → NOT_FOUND.
 */
export async function getOwnedCard(deps: DomainDeps, userId: string, cardId: string): Promise<OwnedCard> {
  const doc = await requireBoundCard(deps, userId, cardId);
  const bank = bankOf(doc.bankCode);
  return {
    cardId: doc.id,
    bankCode: doc.bankCode,
    bankName: bank.name,
    bankShortName: bank.shortName,
    cardType: doc.cardType,
    lastFour: doc.lastFour,
    gatewayToken: doc.gatewayToken,
  };
}

export function cardLimitFor(minor: boolean): number {
  return minor ? CONFIG.cards.minor.maxBoundCards : CONFIG.cards.maxBoundCards;
}

/** A user's bound cards, oldest first (the assistant's "my cards" answer reads these too). */
export async function listOwnedCards(deps: DomainDeps, userId: string): Promise<CardView[]> {
  const docs = await deps.store.find('cards', {
    where: [
      { field: 'userId', op: '==', value: userId },
      { field: 'status', op: '==', value: 'bound' },
    ],
    orderBy: [['boundAt', 'asc']],
    limit: CONFIG.cards.maxBoundCards,
  });
  return docs.map(cardView);
}

export async function listCards(deps: DomainDeps, caller: Caller): Promise<{ cards: CardView[]; limit: number }> {
  const user = await requireUser(deps, caller);
  // a pending real name already tells a minor: the first card is bound under the minors' rules
  const [cards, identity] = await Promise.all([listOwnedCards(deps, user.id), findSubmittedIdentity(deps, user.id)]);
  return { cards, limit: cardLimitFor(identity?.minor ?? false) };
}

/** One card, with the daily quick-payment limit its bank gave at binding (null for cards bound before). */
export async function cardDetail(deps: DomainDeps, caller: Caller, cardId: string): Promise<CardDetailView> {
  const user = await requireUser(deps, caller);
  const doc = await requireBoundCard(deps, user.id, cardId);
  return { ...cardView(doc), quickPayDailyLimitFen: doc.quickPayDailyLimitFen ?? null };
}

/** Unbinding needs the pay password (or a `cards.unbind` ticket). */
export async function unbindCard(
  deps: DomainDeps,
  caller: Caller,
  request: { cardId: string } & SensitiveCredentialFields,
): Promise<{ cardId: string; unbound: true }> {
  const user = await requireUser(deps, caller);
  await requireBoundCard(deps, user.id, request.cardId);
  const authorization = await checkCredential(deps, user.id, credentialFrom(request), 'cards.unbind');
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    // checked again in the commit: a concurrent unbind may have come first
    const card = boundCardOf(await tx.get('cards', request.cardId), user.id);
    await consumeAuthorization(tx, authorization, now);
    await tx.update('cards', card.id, { status: 'unbound', unboundAt: now });
    const set = await tx.get('cardSets', user.id);
    const remaining = (set?.cards ?? []).filter((entry) => entry.cardId !== card.id);
    if (set) await tx.update('cardSets', user.id, { cards: remaining, updatedAt: now });
    // 免密查询 shows card-backed facts; with no card left it ends, in the same commit.
    if (remaining.length === 0) await revokeQuickQuery(tx, user.id, 'allCardsUnbound', now);
  });
  deps.log.info('cards.unbound', { userId: user.id, cardId: request.cardId });
  return { cardId: request.cardId, unbound: true };
}
