/**
 * Receive codes (收款码): a user shows a QR for one of their bound cards; whoever scans it can
 * transfer to that card without ever seeing its number. The token names the code's record, which
 * names the card; so revoking the code (or refreshing it: the old one is revoked) and unbinding the
 * card both stop it at once, wherever it was printed. A card has one live code at a time.
 */
import { randomBytes } from 'node:crypto';
import type { MiniProgramCodeView, PayeeCardView, ReceiveCodeRequest, ReceiveCodeView } from '../../../typings/qrcode';
import { CONFIG } from '../../config';
import { bankOf } from '../cards/bins';
import { getOwnedCard, type OwnedCard } from '../cards/cards';
import { CARD_TYPE_LABELS } from '../cards/detect';
import type { Collections, ReceiveCodeDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError, isAppError } from '../errors';
import { maskName } from '../mask';
import type { Secrets } from '../ports/secrets';
import type { DocumentOps } from '../ports/store';
import { requireVerifiedIdentity } from '../users/identity';
import { requireUser, type Caller } from '../users/session';
import { miniProgramCodeOf } from './scenes';
import { qrContent, readToken, signToken } from './token';

export function payeeCardView(card: Pick<OwnedCard, 'bankCode' | 'cardType' | 'lastFour'>): PayeeCardView {
  const bank = bankOf(card.bankCode);
  return {
    bank: { code: bank.code, name: bank.name, color: bank.color },
    cardType: card.cardType,
    cardTypeLabel: CARD_TYPE_LABELS[card.cardType],
    lastFour: card.lastFour,
  };
}

const RECEIVE_CODE_PREFIX = 'rc_';

function receiveCodeDocId(codeId: string): string {
  return `${RECEIVE_CODE_PREFIX}${codeId}`;
}

/** A receive code's token: signed, naming its record. */
function receiveCodeToken(secrets: Secrets, doc: Pick<ReceiveCodeDoc, 'id' | 'expiresAt'>): string {
  const codeId = doc.id.slice(RECEIVE_CODE_PREFIX.length);
  return signToken(secrets, { kind: 'receive', codeId, expiresAt: doc.expiresAt });
}

/** What a receive code's QR holds: its token, as our link. */
export function receiveCodeContent(secrets: Secrets, doc: Pick<ReceiveCodeDoc, 'id' | 'expiresAt'>): string {
  return qrContent(receiveCodeToken(secrets, doc));
}

/** What the owner's page shows (without the image, which the function layer draws). */
export type IssuedReceiveCode = Omit<ReceiveCodeView, 'image'>;

/**
 * The caller's live code for a bound card: the current one while it has an hour or more left,
 * else (or with `refresh`) a new one, the old ones revoked in the same transaction.
 */
export async function issueReceiveCode(
  deps: DomainDeps,
  caller: Caller,
  request: ReceiveCodeRequest,
): Promise<IssuedReceiveCode> {
  const user = await requireUser(deps, caller);
  const card = await getOwnedCard(deps, user.id, request.cardId);
  const identity = await requireVerifiedIdentity(deps, user.id);
  const now = deps.clock.now();
  const active = await deps.store.find('receiveCodes', {
    where: [
      { field: 'userId', op: '==', value: user.id },
      { field: 'cardId', op: '==', value: card.cardId },
      { field: 'status', op: '==', value: 'active' },
    ],
    limit: 50,
  });
  const view = (doc: ReceiveCodeDoc): IssuedReceiveCode => ({
    codeId: doc.id,
    cardId: doc.cardId,
    card: payeeCardView(card),
    maskedName: maskName(identity.name),
    content: receiveCodeContent(deps.secrets, doc),
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  });
  const current = active
    .filter((doc) => doc.expiresAt - now >= CONFIG.qr.receiveCodeReuseMinMs)
    .sort((a, b) => b.createdAt - a.createdAt)[0];
  if (current && !request.refresh) return view(current);

  const codeId = randomBytes(8).toString('hex');
  const fresh: ReceiveCodeDoc = {
    id: receiveCodeDocId(codeId),
    userId: user.id,
    cardId: card.cardId,
    status: 'active',
    createdAt: now,
    // whole seconds: what the token carries
    expiresAt: Math.floor((now + CONFIG.qr.receiveCodeTtlMs) / 1000) * 1000,
    revokedAt: null,
  };
  await deps.store.transaction(async (tx) => {
    const stillBound = await tx.get('cards', card.cardId);
    if (!stillBound || stillBound.userId !== user.id || stillBound.status !== 'bound') {
      throw new AppError('NOT_FOUND', '银行卡不存在或已解绑');
    }
    for (const old of active) {
      const doc = await tx.get('receiveCodes', old.id);
      if (doc?.status === 'active') await tx.update('receiveCodes', old.id, { status: 'revoked', revokedAt: now });
    }
    await tx.create('receiveCodes', fresh);
  });
  deps.log.info('qrcode.receive_code_issued', { userId: user.id, codeId: fresh.id, refresh: request.refresh === true });
  return view(fresh);
}

/** Stops one of the caller's codes (停用). Someone else's or an unknown id → NOT_FOUND. */
export async function revokeReceiveCode(
  deps: DomainDeps,
  caller: Caller,
  codeId: string,
): Promise<{ codeId: string; revoked: true }> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const doc = await tx.get('receiveCodes', codeId);
    if (!doc || doc.userId !== user.id) throw new AppError('NOT_FOUND', '收款码不存在');
    if (doc.status === 'active') await tx.update('receiveCodes', codeId, { status: 'revoked', revokedAt: now });
  });
  return { codeId, revoked: true };
}

/**
 * One of the caller's live codes as a 小程序码 (scenes.ts): another WeChat user scans it with
 * WeChat itself and lands on the scan page. Someone else's or an unknown id → NOT_FOUND; a stopped
 * or expired code has no 小程序码 (QR_REVOKED, QR_EXPIRED).
 */
export async function receiveMiniProgramCode(
  deps: DomainDeps,
  caller: Caller,
  codeId: string,
): Promise<MiniProgramCodeView> {
  const user = await requireUser(deps, caller);
  const doc = await deps.store.get('receiveCodes', codeId);
  if (!doc || doc.userId !== user.id) throw new AppError('NOT_FOUND', '收款码不存在');
  if (doc.status !== 'active')
    throw new AppError('QR_REVOKED', '收款码已停用，请生成新的收款码', { reason: 'revoked' });
  if (doc.expiresAt <= deps.clock.now()) throw new AppError('QR_EXPIRED', '收款码已过期，请刷新');
  return { codeId, ...(await miniProgramCodeOf(deps, receiveCodeToken(deps.secrets, doc))) };
}

/** A live receive code, as a transfer to it needs it. Never leaves the server: it holds the holder's name. */
export interface ReceivePayee {
  codeId: string;
  ownerId: string;
  card: OwnedCard;
  /** The payee's real name: what the bank checks the card's account against. */
  holderName: string;
  maskedName: string;
  expiresAt: number;
}

const cardUnbound = () => new AppError('QR_REVOKED', '收款人已解绑该银行卡，收款码已失效', { reason: 'cardUnbound' });
const revoked = () => new AppError('QR_REVOKED', '收款码已停用，请对方出示新的收款码', { reason: 'revoked' });

/**
 * Reads a scanned receive token for `payerId`: signed by us, a receive code, not expired, not
 * revoked, its card still bound, and not the payer's own. Throws the QR_* code that says which.
 */
export async function readReceiveToken(deps: DomainDeps, token: string, payerId: string): Promise<ReceivePayee> {
  const payload = readToken(deps.secrets, token);
  if (payload.kind !== 'receive') throw new AppError('QR_WRONG_KIND', '这是商户付款码，不是收款码');
  if (payload.expiresAt <= deps.clock.now()) throw new AppError('QR_EXPIRED');
  const doc = await deps.store.get('receiveCodes', receiveCodeDocId(payload.codeId));
  if (!doc || doc.status !== 'active') throw revoked();
  // the card and the owner's name, read together: one round trip
  const [card, identity] = await Promise.all([
    getOwnedCard(deps, doc.userId, doc.cardId).catch((error: unknown): never => {
      if (isAppError(error) && error.code === 'NOT_FOUND') throw cardUnbound();
      throw error;
    }),
    deps.store.get('identities', doc.userId),
  ]);
  if (doc.userId === payerId) throw new AppError('QR_OWN_CODE');
  if (!identity) throw cardUnbound();
  return {
    codeId: doc.id,
    ownerId: doc.userId,
    card,
    holderName: identity.name,
    maskedName: maskName(identity.name),
    expiresAt: payload.expiresAt,
  };
}

/** Inside a transfer's transaction: the code and its card are still live (a revoke may have raced it). */
export async function requireLiveReceiveCode(tx: DocumentOps<Collections>, payee: ReceivePayee): Promise<void> {
  const doc = await tx.get('receiveCodes', payee.codeId);
  if (!doc || doc.status !== 'active') throw revoked();
  const card = await tx.get('cards', payee.card.cardId);
  if (!card || card.status !== 'bound' || card.userId !== payee.ownerId) throw cardUnbound();
}
