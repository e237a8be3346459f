/** Calendar arithmetic in China time (UTC+8, no daylight saving), independent of the machine's zone. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-11-28` for the China calendar day containing `epochMs`. */
export function chinaDayKey(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6, for the China calendar day containing `epochMs`. */
export function chinaWeekday(epochMs: number): number {
  // getUTCDay on the shifted instant is the China weekday with Sunday = 0.
  return (new Date(epochMs + CHINA_OFFSET_MS).getUTCDay() + 6) % 7;
}

/** Minutes since China midnight (0…1439). */
export function chinaMinuteOfDay(epochMs: number): number {
  const shifted = epochMs + CHINA_OFFSET_MS;
  return Math.floor((((shifted % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

export function isDayKey(value: string): boolean {
  const match = DAY_KEY.exec(value);
  return match !== null && chinaDayKey(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) - CHINA_OFFSET_MS) === value;
}

/** Epoch milliseconds of 00:00 China time on `dayKey`. */
export function chinaDayStart(dayKey: string): number {
  const match = DAY_KEY.exec(dayKey);
  if (!match) throw new Error(`not a day key: ${dayKey}`);
  return Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) - CHINA_OFFSET_MS;
}

/** The day key `days` calendar days after (or before, if negative) `dayKey`. */
export function addDays(dayKey: string, days: number): string {
  return chinaDayKey(chinaDayStart(dayKey) + days * DAY_MS);
}

/** `09:05` for 545 minutes after midnight. */
export function formatMinuteOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;
