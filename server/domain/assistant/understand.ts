/**
 * From a message to what it asks: a shortcode when it is one, otherwise the matcher's best knowledge
 * entry (or `fallback` below the confidence threshold), plus the entities in it and the masked text
 * that may be stored. The raw text never leaves this step except to the answer being built now.
 */
import { CONFIG } from '../../config';
import { knowledge, type KnowledgeBase } from './knowledge';
import { sharedMatcher, type MatchResult } from './matcher';
import { maskSensitiveText } from './redact';
import { parseShortcode, type ShortcodeResult } from './shortcodes';
import { extractEntities, normalize, type Entities } from './text';

export const FALLBACK_INTENT = 'fallback';

export interface Understanding {
  /** What may be stored in the transcript. */
  maskedText: string;
  /** True when masking changed free text (the user typed something sensitive). */
  maskedSomething: boolean;
  shortcode: ShortcodeResult | null;
  match: MatchResult | null;
  entities: Entities;
  /** The knowledge entry id answered, or `fallback`. */
  intent: string;
  confidence: number;
}

export function understand(text: string, now: number, kb: KnowledgeBase = knowledge()): Understanding {
  const shortcode = parseShortcode(text);
  if (shortcode) {
    return {
      maskedText: shortcode.maskedText,
      maskedSomething: false,
      shortcode,
      match: null,
      entities: {},
      intent: shortcode.spec.intent,
      confidence: 1,
    };
  }
  const maskedText = maskSensitiveText(text);
  // Match on the masked text: a pasted card number or code must not steer (or leak into) matching.
  const match = sharedMatcher(kb).match(maskedText);
  const best = match.ranked[0];
  const sure = best !== undefined && match.confidence >= CONFIG.assistant.answerConfidence;
  return {
    maskedText,
    maskedSomething: maskedText !== text,
    shortcode: null,
    match,
    entities: extractEntities(normalize(maskedText), now),
    intent: sure ? best.entry.id : FALLBACK_INTENT,
    confidence: match.confidence,
  };
}
