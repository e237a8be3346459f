/**
 * Masks sensitive numbers in free text before a transcript is stored (docs/architecture.md,
 * sensitive data): users paste card numbers, ID numbers, phones, pay passwords and SMS codes into
 * chats. Digit groups separated by spaces or dashes count as one number, the way card numbers are
 * usually written.
 *
 * - 11 digits starting with 1 (a mobile phone): `1381234****`
 * - an ID number (17 digits + check digit/X): `**************123X`
 * - any other run of 11+ digits (a card number): `****1234`
 * - exactly 6 digits (a pay password or SMS code) unless written as an amount or a count: `******`
 */
import { lastFour, maskPhone } from '../mask';

const NUMBER_RUN = /\d[\d\s-]*[\dXx]|\d/g;
/** After 6 digits, these make it a quantity (¥100000元, 100000笔), not a secret. */
const QUANTITY_AFTER = /^\s*(元|块|万|千|百|rmb|笔|条|天|次|个|分|角|米|公里)/i;
const QUANTITY_BEFORE = /[¥￥]\s*$/;

function maskRun(run: string): string {
  const digits = run.replace(/[\s-]/g, '');
  if (/^\d{17}[\dXx]$/.test(digits) || /^\d{15}$/.test(digits))
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  if (!/^\d+$/.test(digits)) return run; // a trailing X on something that is not an ID number
  if (/^1\d{10}$/.test(digits)) return maskPhone(digits);
  if (digits.length >= 11) return `****${lastFour(digits)}`;
  return run;
}

export function maskSensitiveText(text: string): string {
  return text.replace(NUMBER_RUN, (run: string, offset: number) => {
    // A run may end in spaces/dashes that belong to the text around it: keep them outside.
    const trimmed = run.replace(/[\s-]+$/, '');
    const tail = run.slice(trimmed.length);
    const digits = trimmed.replace(/[\s-]/g, '');
    if (/^\d{6}$/.test(digits)) {
      const after = text.slice(offset + run.length);
      const before = text.slice(0, offset);
      const quantity = QUANTITY_AFTER.test(after) || QUANTITY_BEFORE.test(before) || /\.\d/.test(after.slice(0, 2));
      return (quantity ? trimmed : '******') + tail;
    }
    return maskRun(trimmed) + tail;
  });
}
