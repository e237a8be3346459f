/**
 * BIN detection: the bank and card type from the leading digits (longest matching prefix of the
 * offline table), whether the length fits the bank, and the Luhn check — a warning only, since some
 * genuine UnionPay cards fail it. Exported for the ledger (payee bank of a transfer).
 */
import type { CardDetectionView, CardType } from '../../../typings/cards';
import { AppError } from '../errors';
import { BIN_INDEX, LONGEST_PREFIX, bankOf, type BinEntry } from './bins';

export const CARD_TYPE_LABELS: Record<CardType, string> = { debit: '储蓄卡', credit: '信用卡' };

export const LUHN_WARNING = '卡号校验位异常，请核对卡号；如确认无误可继续';

/** Card numbers are typed with spaces; only digits are kept. Anything else is not a card number. */
export function normalizeCardNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{1,19}$/.test(digits) ? digits : null;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function longestPrefixMatch(digits: string): BinEntry | null {
  for (let length = Math.min(LONGEST_PREFIX, digits.length); length >= 1; length--) {
    const entry = BIN_INDEX.get(digits.slice(0, length));
    if (entry) return entry;
  }
  return null;
}

/** Works on partial numbers too (as they are typed): recognised once a table prefix is complete. */
export function detectCard(digits: string): CardDetectionView {
  const entry = longestPrefixMatch(digits);
  if (!entry) {
    return {
      recognized: false,
      bank: null,
      cardType: null,
      cardTypeLabel: '',
      complete: false,
      luhnValid: null,
      warning: null,
    };
  }
  const complete = entry.lengths.includes(digits.length);
  const luhn = complete ? luhnValid(digits) : null;
  const bank = bankOf(entry.bank);
  return {
    recognized: true,
    bank,
    cardType: entry.cardType,
    cardTypeLabel: CARD_TYPE_LABELS[entry.cardType],
    complete,
    luhnValid: luhn,
    warning: !bank.supported ? `暂不支持${bank.name}的银行卡` : luhn === false ? LUHN_WARNING : null,
  };
}

/** A complete number of a supported bank (its digits and what was detected), or the precise refusal. */
export function requireBindableCard(
  cardNumber: string,
  /** What the card is for, in the refusal: 绑定 a card of one's own, or 转账到 someone's card. */
  verb: '绑定' | '转账到' = '绑定',
): CardDetectionView & { bank: NonNullable<CardDetectionView['bank']>; cardType: CardType; digits: string } {
  const digits = normalizeCardNumber(cardNumber);
  if (!digits) throw new AppError('CARD_NUMBER_INVALID', '银行卡号只能包含数字');
  const detection = detectCard(digits);
  if (!detection.recognized || !detection.bank || !detection.cardType) throw new AppError('CARD_NUMBER_UNRECOGNIZED');
  if (!detection.bank.supported) {
    throw new AppError('CARD_UNSUPPORTED', `暂不支持${verb}${detection.bank.name}的银行卡`, {
      bankCode: detection.bank.code,
    });
  }
  if (!detection.complete)
    throw new AppError('CARD_NUMBER_INVALID', `${detection.bank.name}${detection.cardTypeLabel}卡号位数不正确，请核对`);
  return { ...detection, bank: detection.bank, cardType: detection.cardType, digits };
}
