/** Calendar arithmetic in China time (UTC+8, no daylight saving), independent of the machine's zone. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `2026-11-28` for the China calendar day containing `epochMs`. */
export function chinaDayKey(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

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

const DAY_MS = 24 * 60 * 60 * 1000;

/** Epoch ms of the China-time midnight that starts the day containing `epochMs`. */
export function chinaMidnight(epochMs: number): number {
  return Math.floor((epochMs + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** Minutes since China-time midnight, 0–1439. */
export function chinaMinuteOfDay(epochMs: number): number {
  return Math.floor((epochMs - chinaMidnight(epochMs)) / 60_000);
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
