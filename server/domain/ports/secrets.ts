/**
 * Server-side key material. One master secret (WXBANK_SECRET) never leaves the adapter; the
 * domain asks for a key per purpose, derived from it, and uses it with node:crypto (HMAC
 * fingerprints of card and ID numbers and phones, SMS code hashes, QR token signatures).
 * The same secret gives the same keys in every process, so fingerprints match across instances.
 *
 * Rotation: the secret is versioned. New values are always made with the current key; the keys of
 * earlier secrets (WXBANK_SECRET_PREVIOUS) are kept for verification only — a QR token signed, an
 * SMS code hashed or a payload hashed before the rotation still checks, and a fingerprint stored
 * under an earlier key is still recognised (an ID number already claimed stays claimed), since a
 * stored HMAC cannot be re-keyed without the value it hides.
 */

/**
 * What a key is for; a new use gets a new purpose, so keys are never shared between uses.
 *  - `card-fingerprint`: HMAC of a card number (duplicate detection without the number)
 *  - `id-fingerprint`: HMAC of an ID number (one identity per person)
 *  - `birthday-password`: HMACs of the birthday patterns a pay password may not be (no birth date kept)
 *  - `pay-password`: the pay password's keyed hash (six digits: only a key kept out of the database protects them)
 *  - `phone-fingerprint`: HMAC of a phone (SMS limits per phone, resend checks)
 *  - `sms-code`: HMAC of an SMS code with its challenge
 *  - `sandbox-bank`, `sandbox-sms`: the sandbox adapters' own keys
 *  - `qr-signing`: signatures of receive/pay QR tokens
 *  - `qr-scene`: the scene a mini program code carries for a QR token (an HMAC of the token)
 *  - `idempotency`: hashes of money-moving requests' payloads (they may hold a card number)
 *  - `staff-access`: HMAC of the source address the staff console counts wrong tokens against
 */
export type SecretPurpose =
  | 'card-fingerprint'
  | 'id-fingerprint'
  | 'birthday-password'
  | 'pay-password'
  | 'phone-fingerprint'
  | 'sms-code'
  | 'sandbox-bank'
  | 'sandbox-sms'
  | 'qr-signing'
  | 'qr-scene'
  | 'idempotency'
  | 'staff-access';

export interface Secrets {
  /** 32 bytes of key material for one purpose under the current secret, stable across processes and restarts. */
  key(purpose: SecretPurpose): Buffer;
  /** The same purpose's keys under earlier secrets, newest first: for verifying, never for making. */
  earlierKeys(purpose: SecretPurpose): readonly Buffer[];
  /** A short public name of the current secret (not derived reversibly): which version logs and the deploy plan mean. */
  readonly keyId: string;
}
