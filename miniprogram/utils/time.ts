/** Times as the bank shows them: Beijing time (UTC+8), whatever zone the phone is set to. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-28 10:05`. */
export function formatChinaDateTime(epochMs: number): string {
  const date = new Date(epochMs + CHINA_OFFSET_MS);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** `11月28日 13:00`. */
export function formatChinaMonthDayTime(epochMs: number): string {
  const date = new Date(epochMs + CHINA_OFFSET_MS);
  return `${date.getUTCMonth() + 1}月${date.getUTCDate()}日 ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** `2026年11月28日`: a day as the bank shows it, in Beijing time. */
export function formatChinaDate(epochMs: number): string {
  const date = new Date(epochMs + CHINA_OFFSET_MS);
  return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`;
}
