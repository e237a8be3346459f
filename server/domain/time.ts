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

/** 00:00 China time of a `YYYY-MM-DD` match (an impossible date like 02-30 rolls over). */
function dayStart(match: RegExpExecArray): number {
  return Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!) - CHINA_OFFSET_MS;
}

/** A real calendar day in `YYYY-MM-DD`: the date it names rolls over to nothing else. */
export function isDayKey(value: string): boolean {
  const match = DAY_KEY.exec(value);
  return match !== null && chinaDayKey(dayStart(match)) === value;
}

/** Epoch milliseconds of 00:00 China time on `dayKey`. */
export function chinaDayStart(dayKey: string): number {
  const match = DAY_KEY.exec(dayKey);
  if (!match) throw new Error(`not a day key: ${dayKey}`);
  return dayStart(match);
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

/** `2小时59分钟`, `5分钟`: a remaining time for a message, rounded up to the minute. */
export function formatDurationZh(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}分钟`;
  return rest === 0 ? `${hours}小时` : `${hours}小时${rest}分钟`;
}

/** Whole years between a `YYYYMMDD` birth date and the China calendar day containing `epochMs`. */
export function ageOn(birthDate: string, epochMs: number): number {
  const today = chinaDayKey(epochMs).replace(/-/g, '');
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(4) >= birthDate.slice(4) ? years : years - 1;
}

/** Epoch ms of the China-time midnight that starts the day containing `epochMs`. */
export function chinaMidnight(epochMs: number): number {
  return Math.floor((epochMs + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** The China-time calendar fields of `epochMs` (month 1–12). */
export function chinaDateParts(epochMs: number): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
} {
  const date = new Date(epochMs + CHINA_OFFSET_MS);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
  };
}
