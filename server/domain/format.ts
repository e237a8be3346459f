/** How the server writes amounts, times and distances in Chinese text: chat answers, the message centre, the sandbox till. */
import { chinaDateParts } from './time';

/** `¥1,234.56` — the same format the mini program's formatter shows; negative as `-¥12.00`. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

function chinaParts(epochMs: number) {
  const parts = chinaDateParts(epochMs);
  return {
    year: parts.year,
    month: pad(parts.month),
    day: pad(parts.day),
    time: `${pad(parts.hour)}:${pad(parts.minute)}`,
  };
}

/** `11-28 14:05`, China time. */
export function formatShortTime(epochMs: number): string {
  const parts = chinaParts(epochMs);
  return `${parts.month}-${parts.day} ${parts.time}`;
}

/** `2026-11-28 14:05`, China time. */
export function formatDateTime(epochMs: number): string {
  const parts = chinaParts(epochMs);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.time}`;
}

/** `850米` / `1.2公里`. */
export function formatDistance(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)}米` : `${(metres / 1000).toFixed(1)}公里`;
}
