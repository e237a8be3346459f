/**
 * The one place sensitive values are masked for responses (docs/architecture.md, sensitive data).
 * Responses carry these forms only; full values are never returned.
 */

/** `13812345678` → `1381234****`. */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 7)}****`;
}

/**
 * `11010519491231002X` → `**************002X`: the last four only. Any more (the region prefix)
 * next to the check digit would narrow the number down to a few candidates.
 */
export function maskIdNumber(idNumber: string): string {
  return `${'*'.repeat(Math.max(0, idNumber.length - 4))}${idNumber.slice(-4)}`;
}

/** `张三` → `*三`, `欧阳小明` → `***明`: how a payee or holder is shown to others. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return name;
  return `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
}

/** The last four digits of a card number: all a response or a document ever keeps of it. */
export function lastFour(cardNumber: string): string {
  return cardNumber.slice(-4);
}
