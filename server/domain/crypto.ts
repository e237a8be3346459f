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

/** Compares two digests (strings of the same encoding) without leaking where they differ. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
