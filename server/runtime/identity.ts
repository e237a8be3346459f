/**
 * Caller identity, read only from the runtime context the platform (or the local host, imitating
 * it) passes to `main`. Fields in the request body — openid, userId, userInfo — are never trusted.
 */
import { getCloudbaseContext } from '@cloudbase/node-sdk';
import type { Caller } from '../domain/users/session';

const OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export function callerFromContext(context: unknown): Caller | null {
  if (!context || typeof context !== 'object') return null;
  let values: Record<string, unknown>;
  try {
    values = getCloudbaseContext(context as Parameters<typeof getCloudbaseContext>[0]) as unknown as Record<
      string,
      unknown
    >;
  } catch {
    return null;
  }
  const openid = values.WX_OPENID;
  return typeof openid === 'string' && OPENID.test(openid) ? { openid } : null;
}

export function invocationIdFromContext(context: unknown): string {
  const id = context && typeof context === 'object' ? (context as { request_id?: unknown }).request_id : undefined;
  return typeof id === 'string' ? id.slice(0, 64) : '';
}
