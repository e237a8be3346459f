/**
 * Masks sensitive numbers in free text before a transcript is stored (docs/architecture.md,
 * sensitive data): users paste card numbers, ID numbers, phones, pay passwords and SMS codes into
 * chats, in ASCII or full-width digits (a Chinese IME in full-width mode) or a mix, in groups split
 * by spaces of any width, dashes, dots, 、 or middle dots. Such a run counts as one number, judged
 * by its digits read in any width (text.ts `asciiDigits`):
 *
 * - 11 digits starting with 1 (a mobile phone): `1381234****`
 * - an ID number (17 digits + check digit/X, or 15 digits): `**************123X`
 * - any other run of 11+ digits (a card number): `****1234`
 * - exactly 6 digits (a pay password or SMS code) unless written as an amount, a count or a
 *   decimal: `******`
 *
 * A masked number is written in ASCII; text left alone keeps the user's own characters, so the
 * masked text differs from the original exactly when something was masked.
 */
import { lastFour, maskIdNumber, maskPhone } from '../mask';
import { asciiDigits } from './text';

const DIGIT = String.raw`\p{Nd}`;
/** What people put between digit groups: spaces of any width, dashes, dots (also 。), 、, ·, slashes, underscores. */
const SEPARATOR = String.raw`[\s\-‐‑‒–—―−﹣－.．。｡·・･•、/／_＿]`;
const CHECK_LETTER = '[XxＸｘ]';
const NUMBER_RUN = new RegExp(`${DIGIT}(?:${DIGIT}|${SEPARATOR})*(?:${DIGIT}|${CHECK_LETTER})|${DIGIT}`, 'gu');
const DECIMAL_POINT = /[.．。｡]/;
/** After 6 digits, these make it a quantity (¥100000元, 100000笔), not a secret. */
const QUANTITY_AFTER = /^\s*(元|块|万|千|百|rmb|笔|条|天|次|个|分|角|米|公里)/i;
const QUANTITY_BEFORE = /[¥￥]\s*$/;

/** Six digits as a password or code is typed: not a decimal (1234.56), an amount or a count. */
function isTypedCode(text: string, run: string, offset: number): boolean {
  if (DECIMAL_POINT.test(run)) return false;
  const after = text.slice(offset + run.length, offset + run.length + 8).normalize('NFKC');
  return !QUANTITY_AFTER.test(after) && !QUANTITY_BEFORE.test(text.slice(0, offset));
}

/** `digits`: the run's digits in ASCII, with its trailing check letter if it ends in one. */
function maskNumber(run: string, digits: string): string {
  if (/^\d{17}[\dXx]$/.test(digits) || /^\d{15}$/.test(digits)) return maskIdNumber(digits);
  // A letter after a number that is not an ID number is the next word: mask the number, keep it.
  const letter = /[Xx]$/.test(digits) ? /\P{Nd}*$/u.exec(run)![0] : '';
  const number = letter ? digits.slice(0, -1) : digits;
  if (/^1\d{10}$/.test(number)) return maskPhone(number) + letter;
  if (number.length >= 11) return `****${lastFour(number)}${letter}`;
  return run;
}

export function maskSensitiveText(text: string): string {
  return text.replace(NUMBER_RUN, (run: string, offset: number) => {
    const digits = asciiDigits(run).replace(/[^\dXx]/g, '');
    if (/^\d{6}$/.test(digits)) return isTypedCode(text, run, offset) ? '******' : run;
    return maskNumber(run, digits);
  });
}
