/**
 * The mini program's one money formatter and parser. Amounts are integer fen everywhere
 * (docs/architecture.md, money rules); they become text only here: `formatFen(123456)` →
 * `¥1,234.56`. What the user types on the amount keypad is text too, and becomes fen only through
 * `parseAmount` — never through a float.
 */

/** `¥1,234.56`; a negative amount as `-¥1,234.56`. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const cents = abs % 100;
  const yuan = ((abs - cents) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(cents).padStart(2, '0')}`;
}

/** With the sign always written, as history shows money in and out: `+¥100.00`, `-¥123.57`, `¥0.00`. */
export function formatSignedFen(fen: number): string {
  return fen > 0 ? `+${formatFen(fen)}` : formatFen(fen);
}

/** The amount as the keypad would have typed it (no ¥, no separators): 12340 → `123.40`, 12300 → `123`. */
export function amountText(fen: number): string {
  const cents = fen % 100;
  const yuan = (fen - cents) / 100;
  return cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, '0')}`;
}

/** Digits before the point the keypad accepts: up to ¥99,999,999.99, far beyond any limit. */
export const MAX_INTEGER_DIGITS = 8;

/** Keys of the amount keypad. */
export type AmountKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'delete';

/**
 * The amount text after one key: no leading zeros, one point, at most two decimals and
 * MAX_INTEGER_DIGITS digits before the point. A key that would break those rules does nothing.
 */
export function pressAmountKey(text: string, key: string): string {
  if (key === 'delete') return text.slice(0, -1);
  const [integer = '', decimals] = text.split('.');
  if (key === '.') {
    if (decimals !== undefined) return text;
    return integer === '' ? '0.' : `${text}.`;
  }
  if (!/^\d$/.test(key)) return text;
  if (decimals !== undefined) return decimals.length >= 2 ? text : text + key;
  if (integer === '0') return key;
  return integer.length >= MAX_INTEGER_DIGITS ? text : text + key;
}

export type ParsedAmount = { ok: true; fen: number } | { ok: false; error: string };

export interface AmountLimits {
  /** Smallest accepted amount (default 1 fen: zero is refused). */
  minFen?: number;
  maxFen?: number;
  /** What to say above `maxFen` (default: 单笔不能超过 ¥…). */
  maxError?: string;
}

/** An integer part: plain digits, or digits grouped by commas in threes (`1,234`). */
const AMOUNT_PATTERN = /^[¥￥]?(\d+|\d{1,3}(?:,\d{3})+)?(?:\.(\d*))?$/;

/**
 * What the user typed (`123.4`, `0.5`, `.5`, `123.`, even `¥1,234.56`) → fen, or the Chinese reason
 * it is refused: empty, negative, not a number, more than two decimals, zero, or past the limits.
 */
export function parseAmount(text: string, limits: AmountLimits = {}): ParsedAmount {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: '请输入金额' };
  if (/^-/.test(trimmed)) return { ok: false, error: '金额不能为负数' };
  const match = AMOUNT_PATTERN.exec(trimmed);
  const integer = (match?.[1] ?? '').replace(/,/g, '');
  const decimals = match?.[2] ?? '';
  if (!match || (integer === '' && decimals === '')) return { ok: false, error: '请输入正确的金额' };
  if (decimals.length > 2) return { ok: false, error: '金额最多两位小数' };
  const maxFen = limits.maxFen ?? Number.MAX_SAFE_INTEGER;
  const tooLarge: ParsedAmount = { ok: false, error: limits.maxError ?? `单笔不能超过 ${formatFen(maxFen)}` };
  const digits = integer.replace(/^0+/, '');
  // Up to 13 digits of yuan the fen stay a safe integer; longer is past any limit anyway.
  if (digits.length > 13) return tooLarge;
  const fen = Number(digits || '0') * 100 + Number(decimals.padEnd(2, '0'));
  const minFen = limits.minFen ?? 1;
  if (fen < minFen)
    return { ok: false, error: minFen <= 1 ? '请输入大于0的金额' : `金额不能低于 ${formatFen(minFen)}` };
  if (fen > maxFen) return tooLarge;
  return { ok: true, fen };
}
