/** Keyed fingerprints and constant-time comparison, shared by every module that must not keep a raw value. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretPurpose, Secrets } from './ports/secrets';

/**
 * HMAC-SHA256 of `value` under the purpose's key, base64url. Equal inputs give equal fingerprints
 * (so duplicates are found), and without the server secret a fingerprint cannot be brute-forced
 * back to a phone or card number, whose value spaces are small.
 */
export function fingerprint(secrets: Secrets, purpose: SecretPurpose, value: string): string {
  return createHmac('sha256', secrets.key(purpose)).update(value, 'utf8').digest('base64url');
}

/** The fingerprints `value` had under the earlier secrets, newest first (none without a rotation). */
export function earlierFingerprints(secrets: Secrets, purpose: SecretPurpose, value: string): string[] {
  return secrets.earlierKeys(purpose).map((key) => createHmac('sha256', key).update(value, 'utf8').digest('base64url'));
}

/** Every fingerprint `value` may have been stored under: the current one first. */
export function knownFingerprints(secrets: Secrets, purpose: SecretPurpose, value: string): string[] {
  return [fingerprint(secrets, purpose, value), ...earlierFingerprints(secrets, purpose, value)];
}

/** Whether `stored` is the fingerprint of `value` under the current or an earlier secret (constant time each). */
export function matchesFingerprint(secrets: Secrets, purpose: SecretPurpose, value: string, stored: string): boolean {
  return knownFingerprints(secrets, purpose, value).some((candidate) => sameDigest(candidate, stored));
}

/** Compares two digests (strings of the same encoding) without leaking where they differ. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
