/**
 * What a money page checks when it shows: whether the caller may move money yet (a real name and a
 * pay password come first), the amount it was opened with, the card it keeps chosen.
 */
import type { CardView } from '../../typings/cards';
import { userService } from '../services/user';

/** Why top-up, withdraw and transfer cannot be used yet, or '' when they can. */
export async function moneyBlocker(): Promise<string> {
  // a scanned code or a chat link may open a money page before the home page ever opened the session
  await userService.session();
  const profile = await userService.profile();
  if (!profile.identity) return '请先完成实名认证并设置支付密码';
  if (!profile.payPassword.set) return '请先设置支付密码';
  return '';
}

/** The amount a page was opened with (`?amountFen=12345`, e.g. from the assistant), or null. */
export function prefilledFen(query: { amountFen?: string }): number | null {
  const fen = Number(query.amountFen);
  return query.amountFen && Number.isSafeInteger(fen) && fen > 0 ? fen : null;
}

/** The card a money page keeps chosen after its cards reload: the same one while it is bound, else the first. */
export function keptCardId(cards: CardView[], currentId: string): string {
  return cards.some((card) => card.cardId === currentId) ? currentId : (cards[0]?.cardId ?? '');
}

/**
 * The cards 零钱 can be topped up from and withdrawn to: debit cards (储蓄卡) only, as in WeChat Pay.
 * `creditOnly` when the user has cards but none of them is a debit card (the page says why).
 */
export function walletCards(cards: CardView[]): { cards: CardView[]; creditOnly: boolean } {
  const debit = cards.filter((card) => card.cardType === 'debit');
  return { cards: debit, creditOnly: cards.length > 0 && debit.length === 0 };
}
