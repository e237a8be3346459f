/**
 * Users who may book branch appointments: `branches.book` needs a verified real-name identity — one
 * the bank confirmed with the user's first card — and an ID number and a card belong to one WeChat
 * user only, so each openid gets an identity and a card of its own (derived from the openid, so a
 * test's users are the same on every run).
 */
import { createHash } from 'node:crypto';
import type { HostClient } from './host';
import { bindCard, idNumberFor, sandboxCardNumbers, verifiedUser, type Person } from './verification';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A person born between 1970 and 1997, with an ID number of their own. */
export function personFor(openid: string): Person {
  const hash = createHash('sha256').update(openid).digest();
  const birthDate = new Date(Date.UTC(1970, 0, 1) + (hash.readUInt32BE(0) % 10_000) * DAY_MS)
    .toISOString()
    .slice(0, 10)
    .replace(/-/g, '');
  const sequence = String(hash.readUInt16BE(4) % 1000).padStart(3, '0');
  return { name: '王芳', idNumber: idNumberFor(birthDate, '110105', sequence), payPassword: '258036' };
}

/**
 * Session → real name → pay password → a card, which has the bank confirm the real name: a user who
 * may book. Returns the user id. (Binding moves the test clock past the SMS resend interval.)
 */
export async function bookingUser(host: HostClient, openid: string): Promise<string> {
  const person = personFor(openid);
  const userId = await verifiedUser(host, openid, person);
  const offset = createHash('sha256').update(openid).digest().readUInt32BE(8);
  await bindCard(host, openid, sandboxCardNumbers(1, offset)[0]!, person);
  return userId;
}
