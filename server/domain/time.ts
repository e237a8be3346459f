/** Calendar arithmetic in China time (UTC+8, no daylight saving), independent of the machine's zone. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** `2026-11-28` for the China calendar day containing `epochMs`. */
export function chinaDayKey(epochMs: number): string {
  return new Date(epochMs + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
