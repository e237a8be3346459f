/**
 * The knowledge base: knowledge.json, shipped with the code (esbuild bundles it into the function).
 * Answers carry {placeholders} filled here from the config, so a changed fee or limit changes the
 * chat's answers too. Loading checks the file's shape once; a broken file fails at start, loudly.
 */
import { CONFIG } from '../../config';
import { formatMinuteOfDay } from '../time';
import { formatFen } from '../format';
import { isPageKey, type PageKey } from './links';
import raw from './knowledge.json';

export type EntryKind = 'action' | 'faq';

export interface KnowledgeEntry {
  id: string;
  kind: EntryKind;
  /** Short label: quick-reply buttons and guesses show it. */
  title: string;
  /** Ways users ask this; the first is what a quick reply for this entry sends. */
  questions: readonly string[];
  /** Strong signals; `A+B` needs every part. */
  keywords: readonly string[];
  /** FAQ only: the answer with placeholders filled in. */
  answer?: string;
  links: readonly { label: string; page: PageKey }[];
  /** Entries offered as quick replies after this one. */
  related: readonly string[];
}

export interface KnowledgeBase {
  synonyms: Readonly<Record<string, readonly string[]>>;
  homophones: readonly string[];
  entries: readonly KnowledgeEntry[];
  byId: ReadonlyMap<string, KnowledgeEntry>;
}

const { ledger, assistant, cards, payPassword, sms } = CONFIG;
const percent = `${ledger.feeRatePerMille / 10}%`;

/** Values the answers quote, all from CONFIG: an answer never states a rule the code does not apply. */
export const FACTS: Readonly<Record<string, string>> = {
  feeRate: percent,
  minFee: formatFen(ledger.minimumFeeFen),
  withdrawFreeQuota: formatFen(ledger.withdrawFreeQuotaFen),
  maxTransfer: formatFen(ledger.maxTransferFen),
  dailyTransfer: formatFen(ledger.dailyTransferLimitFen),
  maxTopup: formatFen(ledger.maxTopupFen),
  maxWithdraw: formatFen(ledger.maxWithdrawFen),
  fastArrival: `${ledger.arrivalMs.fast / 3_600_000} 小时`,
  nextDayArrival: `${ledger.arrivalMs.nextDay / 3_600_000} 小时`,
  withdrawArrival: `${ledger.withdrawArrivalMs / 3_600_000} 小时`,
  serviceHours: `${formatMinuteOfDay(assistant.serviceOpensAtMinute)}–${formatMinuteOfDay(assistant.serviceClosesAtMinute)}`,
  maxCards: String(cards.maxBoundCards),
  payPasswordAttempts: String(payPassword.maxAttempts),
  payPasswordLockHours: String(payPassword.lockMs / 3_600_000),
  smsValidMinutes: String(sms.codeTtlMs / 60_000),
  smsResendSeconds: String(sms.resendIntervalMs / 1000),
  smsAttempts: String(sms.maxAttempts),
};

export function fillPlaceholders(template: string, where: string): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = FACTS[name];
    if (value === undefined) throw new Error(`knowledge entry ${where}: unknown placeholder {${name}}`);
    return value;
  });
}

function fail(message: string): never {
  throw new Error(`knowledge.json: ${message}`);
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    fail(`${where} must be a list of non-empty strings`);
  }
  return value as string[];
}

function parseEntry(value: unknown, index: number): KnowledgeEntry {
  if (!value || typeof value !== 'object') fail(`entry ${index} is not an object`);
  const entry = value as Record<string, unknown>;
  const id = typeof entry.id === 'string' && /^[a-zA-Z][\w.]*$/.test(entry.id) ? entry.id : fail(`entry ${index} id`);
  const kind = entry.kind === 'action' || entry.kind === 'faq' ? entry.kind : fail(`${id}: kind`);
  const title = typeof entry.title === 'string' && entry.title ? entry.title : fail(`${id}: title`);
  const questions = strings(entry.questions, `${id}.questions`);
  if (questions.length === 0) fail(`${id} needs at least one question`);
  const links = (Array.isArray(entry.links) ? entry.links : []).map((item: unknown) => {
    const candidate = item as { label?: unknown; page?: unknown };
    if (typeof candidate.label !== 'string' || typeof candidate.page !== 'string' || !isPageKey(candidate.page)) {
      fail(`${id}: link ${JSON.stringify(item)} names no known page`);
    }
    return { label: candidate.label, page: candidate.page };
  });
  let answer: string | undefined;
  if (kind === 'faq') {
    if (typeof entry.answer !== 'string' || !entry.answer) fail(`${id}: a faq entry needs an answer`);
    answer = fillPlaceholders(entry.answer, id);
  }
  return {
    id,
    kind,
    title,
    questions,
    keywords: strings(entry.keywords ?? [], `${id}.keywords`),
    answer,
    links,
    related: strings(entry.related ?? [], `${id}.related`),
  };
}

export function loadKnowledge(source: unknown): KnowledgeBase {
  const data = source as { synonyms?: unknown; homophones?: unknown; entries?: unknown };
  if (!data || typeof data.synonyms !== 'object' || data.synonyms === null) fail('synonyms missing');
  const synonyms: Record<string, string[]> = {};
  for (const [canonical, variants] of Object.entries(data.synonyms as Record<string, unknown>)) {
    synonyms[canonical] = strings(variants, `synonyms.${canonical}`);
  }
  const homophones = strings(data.homophones, 'homophones');
  if (!Array.isArray(data.entries)) fail('entries missing');
  const entries = data.entries.map(parseEntry);
  const byId = new Map<string, KnowledgeEntry>();
  for (const entry of entries) {
    if (byId.has(entry.id)) fail(`duplicate id ${entry.id}`);
    byId.set(entry.id, entry);
  }
  for (const entry of entries) {
    for (const related of entry.related) if (!byId.has(related)) fail(`${entry.id}: related ${related} does not exist`);
  }
  return { synonyms, homophones, entries, byId };
}

let loaded: KnowledgeBase | undefined;

/** The shipped knowledge base, loaded once per process. */
export function knowledge(): KnowledgeBase {
  loaded ??= loadKnowledge(raw);
  return loaded;
}
