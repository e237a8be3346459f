/**
 * The offline matcher: which knowledge entry a free-text message asks for, and how sure it is.
 *
 * Both the message and the entries' questions are normalised (full-width, case) and folded through
 * the synonym table (交易记录/流水/账单 → 明细). Two signals are combined:
 *  - similarity: TF-IDF cosine over character unigrams and bigrams against each sample question
 *    (IDF over all questions, so 我/的/吗 weigh little and 余额/解绑 weigh a lot);
 *  - keywords: approximate substring matching with edit distance, where a homophone substitution is
 *    cheap (于额 still finds 余额), tolerance growing with the keyword's length; `A+B` needs both.
 * score = 1 − (1 − similarity)(1 − 0.8·keyword). Confidence is the top score, lowered when the
 * runner-up is close.
 */
import { Homophones, normalize, substringEditCost, SynonymFolder } from './text';
import type { KnowledgeBase, KnowledgeEntry } from './knowledge';

export interface ScoredEntry {
  entry: KnowledgeEntry;
  score: number;
}

export interface MatchResult {
  /** Best first. */
  ranked: ScoredEntry[];
  /** 0–1, for the best entry. */
  confidence: number;
}

type Vector = Map<string, number>;

const UNIGRAM_WEIGHT = 0.6;
const BIGRAM_WEIGHT = 1;
const KEYWORD_WEIGHT = 0.8;
/** A feature never seen in any question still counts, at this share of the rarest feature's weight. */
const UNSEEN_FEATURE_SHARE = 1.0;
/** Runner-ups within this score of the best lower the confidence. */
const CLOSE_GAP = 0.1;

/** Units: each Chinese character, each latin word, and `#` for any number. */
function units(folded: string): string[] {
  return folded.match(/[\u4e00-\u9fff]|[a-z]+|\d+(?:\.\d+)?/g)?.map((unit) => (/^\d/.test(unit) ? '#' : unit)) ?? [];
}

function features(folded: string): Map<string, number> {
  const list = units(folded);
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  list.forEach((unit, index) => {
    add(unit, UNIGRAM_WEIGHT);
    if (index > 0) add(`${list[index - 1]}${unit}`, BIGRAM_WEIGHT);
  });
  return counts;
}

function norm(vector: Vector): number {
  let sum = 0;
  for (const value of vector.values()) sum += value * value;
  return Math.sqrt(sum);
}

/** Allowed edit cost for a keyword of this many characters: 2 chars allow one homophone only. */
function tolerance(length: number): number {
  if (length <= 2) return 0.4;
  if (length === 3) return 0.75;
  if (length <= 5) return 1;
  return 1.5;
}

interface IndexedQuestion {
  vector: Vector;
  norm: number;
}

interface IndexedEntry {
  entry: KnowledgeEntry;
  questions: IndexedQuestion[];
  /** Each keyword as its folded parts. */
  keywords: string[][];
}

export class Matcher {
  readonly folder: SynonymFolder;
  readonly homophones: Homophones;
  private readonly idf = new Map<string, number>();
  private readonly unseenIdf: number;
  private readonly indexed: IndexedEntry[];

  constructor(readonly kb: KnowledgeBase) {
    this.folder = new SynonymFolder(kb.synonyms);
    this.homophones = new Homophones(kb.homophones);
    const questionFeatures = kb.entries.map((entry) =>
      entry.questions.map((question) => features(this.fold(question))),
    );
    const documents = questionFeatures.flat();
    const documentFrequency = new Map<string, number>();
    for (const document of documents) {
      for (const feature of document.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
    }
    for (const [feature, count] of documentFrequency) this.idf.set(feature, Math.log(1 + documents.length / count));
    this.unseenIdf = Math.log(1 + documents.length) * UNSEEN_FEATURE_SHARE;
    this.indexed = kb.entries.map((entry, index) => ({
      entry,
      questions: questionFeatures[index]!.map((counts) => {
        const vector = this.weigh(counts);
        return { vector, norm: norm(vector) };
      }),
      keywords: entry.keywords.map((keyword) => keyword.split('+').map((part) => this.fold(part))),
    }));
  }

  /** Normalised and synonym-folded text, punctuation dropped. */
  fold(text: string): string {
    // "转500元": 转 right before an amount is the verb 转账.
    const normalized = normalize(text).replace(/转(?=\s*[¥￥]?\d)/g, '转账');
    return this.folder.fold(normalized).replace(/[^\u4e00-\u9fffa-z0-9.#]+/g, '');
  }

  private weigh(counts: Map<string, number>): Vector {
    const vector: Vector = new Map();
    for (const [feature, count] of counts) vector.set(feature, count * (this.idf.get(feature) ?? this.unseenIdf));
    return vector;
  }

  private similarity(query: Vector, queryNorm: number, question: IndexedQuestion): number {
    if (queryNorm === 0 || question.norm === 0) return 0;
    let dot = 0;
    for (const [feature, weight] of query) {
      const other = question.vector.get(feature);
      if (other !== undefined) dot += weight * other;
    }
    return dot / (queryNorm * question.norm);
  }

  /** How strongly the text contains the keyword's parts (0 when any part is missing). */
  private keywordStrength(folded: string, parts: string[]): number {
    let strength = 1;
    let length = 0;
    for (const part of parts) {
      const partLength = Array.from(part).length;
      length += partLength;
      const cost = folded.includes(part) ? 0 : substringEditCost(folded, part, this.homophones);
      if (cost > tolerance(partLength)) return 0;
      strength = Math.min(strength, 1 - cost / partLength);
    }
    // One character says little; three or more are specific.
    const specificity = Math.min(1, 0.55 + 0.15 * length);
    return strength * specificity;
  }

  match(text: string): MatchResult {
    const folded = this.fold(text);
    const query = this.weigh(features(folded));
    const queryNorm = norm(query);
    const ranked = this.indexed
      .map(({ entry, questions, keywords }) => {
        const similarity = Math.max(0, ...questions.map((question) => this.similarity(query, queryNorm, question)));
        const keyword = Math.max(0, ...keywords.map((parts) => this.keywordStrength(folded, parts)));
        return { entry, score: 1 - (1 - similarity) * (1 - KEYWORD_WEIGHT * keyword) };
      })
      .sort((a, b) => b.score - a.score);
    const best = ranked[0];
    const second = ranked[1];
    if (!best) return { ranked, confidence: 0 };
    const gap = second ? best.score - second.score : 1;
    const confidence = gap >= CLOSE_GAP ? best.score : best.score * (0.85 + 1.5 * gap);
    return { ranked, confidence: Math.max(0, Math.min(1, confidence)) };
  }
}

let shared: Matcher | undefined;

export function sharedMatcher(kb: KnowledgeBase): Matcher {
  if (!shared || shared.kb !== kb) shared = new Matcher(kb);
  return shared;
}
