/**
 * Text tools for the offline matcher: normalisation, synonym folding, edit distance on Chinese text
 * with a homophone-aware substitution cost (most Chinese typos are pinyin-input homophones: 于额 for
 * 余额), and the extraction of amounts, counts, dates and references.
 */
import { addDays, chinaDateParts, chinaDayKey } from '../time';

/** Full-width → half-width (＃１Ａ → #1a), lower case, spaces collapsed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Decimal digits come in runs of ten, 0 to 9, in every script (a Unicode stability guarantee). */
function decimalDigitValue(digit: string): number {
  const point = digit.codePointAt(0)!;
  let zero = point;
  while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--;
  return (point - zero) % 10;
}

/**
 * Every decimal digit as its ASCII digit — full-width `６` (a Chinese IME in full-width mode),
 * mathematical `𝟔`, Arabic-Indic `٦` alike — and a full-width ID check letter `Ｘ` as `X`; every
 * other character unchanged. What a reader sees as a digit, the masking sees as one too.
 */
export function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}|[Ｘｘ]/gu, (char) => {
    const folded = char.normalize('NFKC');
    return /^[\dXx]$/.test(folded) ? folded : String(decimalDigitValue(char));
  });
}

/**
 * Replaces each variant with its canonical word, scanning left to right and preferring the longest
 * variant at each position, so a replaced word is never replaced again (交易密码 → 支付密码 once).
 */
export class SynonymFolder {
  private readonly variants: { variant: string; canonical: string }[];

  constructor(synonyms: Readonly<Record<string, readonly string[]>>) {
    this.variants = Object.entries(synonyms)
      .flatMap(([canonical, list]) =>
        [canonical, ...list].map((variant) => ({ variant: normalize(variant), canonical })),
      )
      .filter((pair) => pair.variant.length > 0)
      .sort((a, b) => b.variant.length - a.variant.length);
  }

  fold(normalized: string): string {
    let out = '';
    let index = 0;
    while (index < normalized.length) {
      const hit = this.variants.find((pair) => normalized.startsWith(pair.variant, index));
      if (hit) {
        out += hit.canonical;
        index += hit.variant.length;
      } else {
        out += normalized[index];
        index += 1;
      }
    }
    return out;
  }
}

/** Characters that sound alike: substituting one for another is a cheap edit. */
export class Homophones {
  private readonly groupOf = new Map<string, number[]>();

  constructor(groups: readonly string[]) {
    groups.forEach((group, index) => {
      for (const char of group) this.groupOf.set(char, [...(this.groupOf.get(char) ?? []), index]);
    });
  }

  alike(a: string, b: string): boolean {
    const groupsA = this.groupOf.get(a);
    const groupsB = this.groupOf.get(b);
    return Boolean(groupsA && groupsB && groupsA.some((group) => groupsB.includes(group)));
  }
}

/** A homophone substitution costs this much; any other edit costs 1. */
export const HOMOPHONE_COST = 0.35;

/**
 * The cheapest edit cost of `pattern` against any substring of `text` (approximate substring
 * matching: the match may start and end anywhere in the text). Works on code points.
 */
export function substringEditCost(text: string, pattern: string, homophones?: Homophones): number {
  const t = Array.from(text);
  const p = Array.from(pattern);
  if (p.length === 0) return 0;
  let previous = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= p.length; i++) {
    const current = new Array<number>(t.length + 1);
    current[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const a = p[i - 1]!;
      const b = t[j - 1]!;
      const substitution = a === b ? 0 : homophones?.alike(a, b) ? HOMOPHONE_COST : 1;
      current[j] = Math.min(previous[j - 1]! + substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    previous = current;
  }
  return Math.min(...previous);
}

/** Edit distance with adjacent transpositions (CXEY is one edit from CXYE). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

// ---- entities -------------------------------------------------------------------------------

export interface Entities {
  /** An amount the user wrote (`500元`, `¥1,000`, `两千块`, `1.5万`), in fen. */
  amountFen?: number;
  /** `最近10笔` → 10. */
  count?: number;
  /** A China calendar day the user named (`昨天`, `11月5日`, `2026-11-05`), as `YYYY-MM-DD`. */
  day?: string;
  /** `本月`/`上月`/`11月` → `YYYY-MM`. */
  month?: string;
  /** A transfer reference such as `tx_…`. */
  reference?: string;
}

const CHINESE_DIGITS: Record<string, number> = {
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CHINESE_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10_000 };

/** 两千五百 → 2500, 十二 → 12, 三万 → 30000; undefined when it is not a number. */
export function parseChineseNumber(text: string): number | undefined {
  if (!/^[零一二两三四五六七八九十百千万]+$/.test(text)) return undefined;
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const char of text) {
    if (char in CHINESE_DIGITS) {
      digit = CHINESE_DIGITS[char]!;
    } else {
      const unit = CHINESE_UNITS[char]!;
      if (unit === 10_000) {
        total += (section + digit) * unit;
        section = 0;
      } else {
        section += (digit === 0 && unit === 10 ? 1 : digit) * unit;
      }
      digit = 0;
    }
  }
  return total + section + digit;
}

const AMOUNT = /([¥￥])?\s*(\d[\d,]*(?:\.\d{1,2})?|[零一二两三四五六七八九十百千]+)\s*(万|千)?\s*(元|块|rmb|人民币)?/gi;
const MONEY_VERB_NUMBER = /(转账?|汇款?|打款?|提现|充值|充)\s*(\d{1,8}(?:\.\d{1,2})?)(?![\d.])/;
const COUNT = /(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(笔|条|项)/;
const REFERENCE = /\b((?:tx|tr|wd|op)_[0-9a-z]{4,40})\b/i;

function toFen(value: number): number | undefined {
  const fen = Math.round(value * 100);
  return Number.isSafeInteger(fen) && fen > 0 ? fen : undefined;
}

function extractAmount(text: string): number | undefined {
  for (const match of text.matchAll(AMOUNT)) {
    const [, currency, number, multiplier, unit] = match;
    // A bare number is a count, a card fragment or a date unless a currency sign or unit says money.
    if (!currency && !multiplier && !unit) continue;
    const base = /^\d/.test(number!) ? Number(number!.replace(/,/g, '')) : parseChineseNumber(number!);
    if (base === undefined || !Number.isFinite(base)) continue;
    const scale = multiplier === '万' ? 10_000 : multiplier === '千' ? 1000 : 1;
    const fen = toFen(base * scale);
    if (fen !== undefined) return fen;
  }
  // "转1000给他": right after a money verb a bare number is the amount.
  const afterVerb = MONEY_VERB_NUMBER.exec(text);
  return afterVerb ? toFen(Number(afterVerb[2])) : undefined;
}

function dayKey(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function extractDay(text: string, now: number): Pick<Entities, 'day' | 'month'> {
  const today = chinaDateParts(now);
  const relative: Record<string, number> = { 今天: 0, 昨天: 1, 前天: 2 };
  for (const [word, back] of Object.entries(relative)) {
    if (text.includes(word)) {
      return { day: addDays(chinaDayKey(now), -back) };
    }
  }
  const iso = /(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})/.exec(text);
  if (iso) return { day: dayKey(Number(iso[1]), Number(iso[2]), Number(iso[3])) };
  const monthDay = /(\d{1,2})月(\d{1,2})[日号]/.exec(text);
  if (monthDay) {
    const month = Number(monthDay[1]);
    // A month later than this one means last year's.
    const year = month > today.month ? today.year - 1 : today.year;
    return { day: dayKey(year, month, Number(monthDay[2])) };
  }
  const monthKey = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;
  if (text.includes('本月') || text.includes('这个月')) return { month: monthKey(today.year, today.month) };
  if (text.includes('上月') || text.includes('上个月')) {
    return today.month === 1
      ? { month: monthKey(today.year - 1, 12) }
      : { month: monthKey(today.year, today.month - 1) };
  }
  const monthOnly = /(\d{1,2})月份?(?![\d日号])/.exec(text);
  if (monthOnly) {
    const month = Number(monthOnly[1]);
    if (month >= 1 && month <= 12) return { month: monthKey(month > today.month ? today.year - 1 : today.year, month) };
  }
  return {};
}

/** Reads the entities of a normalised text; `now` anchors relative dates to China time. */
export function extractEntities(normalized: string, now: number): Entities {
  const entities: Entities = {};
  const reference = REFERENCE.exec(normalized);
  if (reference) entities.reference = reference[1];
  // References and dates carry digits that are not amounts: read amounts from the rest.
  const rest = normalized
    .replace(REFERENCE, ' ')
    .replace(/(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})[日号]?/g, ' ')
    .replace(/(\d{1,2})月(\d{1,2})[日号]/g, ' ');
  const amountFen = extractAmount(rest);
  if (amountFen !== undefined) entities.amountFen = amountFen;
  const count = COUNT.exec(rest);
  if (count) {
    const value = /^\d/.test(count[1]!) ? Number(count[1]) : parseChineseNumber(count[1]!);
    if (value !== undefined && value > 0) entities.count = value;
  }
  Object.assign(entities, extractDay(normalized, now));
  return entities;
}
