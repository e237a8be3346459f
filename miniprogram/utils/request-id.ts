/**
 * Idempotency for money-moving submissions (docs/architecture.md, money rules): one `requestId`
 * per confirmed intent. The same intent (the same operation fields) sent again — a retry after a
 * network error, or after a wrong pay password — keeps its id, so the server moves the money at
 * most once; a new intent (another amount, card or payee, or anything after the server booked the
 * last one) gets a new id.
 *
 * Pages keep the Intent in their data (`_intent`, a pure data field) and call:
 *   const intent = intentFor(this.data._intent, fields);   // before each submission
 *   this.setData({ _intent: intent });                      // then send intent.requestId
 *   this.setData({ _intent: null });                        // once the server answered with an operation
 */

export interface Intent {
  /** The operation's fields, canonical (sorted keys): what makes two submissions the same intent. */
  key: string;
  requestId: string;
}

/** The operation-defining fields of a submission; credentials never belong here. */
export type IntentFields = Record<string, string | number | boolean | undefined>;

let sequence = 0;

/** 8–64 characters of `A-Za-z0-9_-`, as the ledger requires: time, a counter and randomness. */
export function newRequestId(): string {
  sequence = (sequence + 1) % 1_679_616; // 36^4
  const random = () => Math.floor(Math.random() * 2_176_782_336).toString(36); // up to 6 characters
  return `r${Date.now().toString(36)}_${sequence.toString(36)}_${random()}${random()}`;
}

function canonical(fields: IntentFields): string {
  return JSON.stringify(
    Object.keys(fields)
      .filter((key) => fields[key] !== undefined)
      .sort()
      .map((key) => [key, fields[key]]),
  );
}

/** The intent for submitting `fields`: the current one while the fields are unchanged, else a new one. */
export function intentFor(current: Intent | null | undefined, fields: IntentFields): Intent {
  const key = canonical(fields);
  return current && current.key === key ? current : { key, requestId: newRequestId() };
}
