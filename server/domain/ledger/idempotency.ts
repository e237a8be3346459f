/**
 * Idempotency keys (Stripe-style): every money-moving request carries a client-generated requestId.
 * Same user + requestId + payload → the original operation is answered again, nothing moves twice;
 * same requestId with another payload → IDEMPOTENCY_CONFLICT. The key is written in the same
 * transaction as the money movement, so a key exists exactly when its movement happened.
 */
import { createHash } from 'node:crypto';
import type { DocumentOps } from '../ports/store';
import type { Collections } from '../collections';
import { earlierFingerprints, fingerprint } from '../crypto';
import { AppError } from '../errors';
import type { Secrets } from '../ports/secrets';

export function idempotencyKeyId(userId: string, requestId: string): string {
  return `idem_${createHash('sha256').update(`${userId}\u0000${requestId}`).digest('hex').slice(0, 40)}`;
}

/**
 * A stable keyed hash of the request fields that define the operation (not the credentials). Keyed,
 * because a transfer's payload holds a card number whose value space is small enough to brute-force.
 */
export function payloadHash(secrets: Secrets, action: string, payload: Record<string, unknown>): string {
  return fingerprint(secrets, 'idempotency', canonicalPayload(action, payload));
}

function canonicalPayload(action: string, payload: Record<string, unknown>): string {
  return JSON.stringify([
    action,
    Object.keys(payload)
      .sort()
      .map((key) => [key, payload[key] ?? null]),
  ]);
}

/**
 * The same request's hashes under earlier versions of the secret: a retry that crosses a rotation
 * still finds its operation instead of an IDEMPOTENCY_CONFLICT.
 */
export function earlierPayloadHashes(secrets: Secrets, action: string, payload: Record<string, unknown>): string[] {
  return earlierFingerprints(secrets, 'idempotency', canonicalPayload(action, payload));
}

/**
 * The operation an earlier request with this key created, or null if this is the first time. Read
 * through `tx` inside the booking transaction, or through the store before it.
 */
export async function findReplay(
  tx: DocumentOps<Collections>,
  userId: string,
  requestId: string,
  action: string,
  hash: string,
  earlierHashes: readonly string[] = [],
): Promise<string | null> {
  const key = await tx.get('idempotencyKeys', idempotencyKeyId(userId, requestId));
  if (!key) return null;
  if (key.action !== action || ![hash, ...earlierHashes].includes(key.payloadHash)) {
    throw new AppError('IDEMPOTENCY_CONFLICT');
  }
  return key.operationId;
}

export async function recordKey(
  tx: DocumentOps<Collections>,
  key: { userId: string; requestId: string; action: string; hash: string; operationId: string },
  now: number,
): Promise<void> {
  await tx.create('idempotencyKeys', {
    id: idempotencyKeyId(key.userId, key.requestId),
    userId: key.userId,
    action: key.action,
    payloadHash: key.hash,
    operationId: key.operationId,
    createdAt: now,
  });
}
