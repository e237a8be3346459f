/**
 * Authorizing sensitive actions: a request carries either the pay password or a ticket that
 * `verify.verifyPayPassword` issued for the same user and purpose (single use, ≤ 5 minutes, and
 * void once the pay password locks or changes: each carries the password's credential generation).
 *
 * How other modules use it (ledger top-up/withdraw/transfer/pay, assistant queries, cards):
 *
 *   const credential = credentialFrom(input);            // wire fields → one credential
 *   await authorizeSensitiveAction(deps, userId, credential, 'ledger.topup');
 *
 * or, to spend a ticket only if the action itself commits (so a refusal later in the action does
 * not cost the user a new ticket), in two steps:
 *
 *   const authorization = await checkCredential(deps, userId, credential, 'ledger.topup');
 *   await store.transaction(async (tx) => {
 *     await consumeAuthorization(tx, authorization, now);  // throws TICKET_INVALID if spent meanwhile
 *     …the action's own writes…
 *   });
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SensitiveCredentialFields, SensitivePurpose, TicketView } from '../../../typings/verify';
import { CONFIG } from '../../config';
import type { Collections, PayPasswordDoc, VerifyTicketDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import type { DocumentOps } from '../ports/store';
import { requireUser, type Caller } from '../users/session';
import { checkPayPassword, generationOf, lockedError } from './pay-password';

export type SensitiveCredential = { payPassword: string } | { ticket: string };

/** Proof that the user confirmed one sensitive action; a ticket inside is spent by consumeAuthorization. */
export interface Authorization {
  userId: string;
  purpose: SensitivePurpose;
  method: 'payPassword' | 'ticket';
  /** The ticket's document id when method is 'ticket'. */
  ticketDocId: string | null;
  /** The pay password's credential generation it was given under: a lock or a change since voids it. */
  generation: number;
}

/** The wire's flat `payPassword?` / `ticket?` fields as one credential (the schema already demands exactly one). */
export function credentialFrom(fields: SensitiveCredentialFields): SensitiveCredential {
  if (fields.payPassword !== undefined && fields.ticket === undefined) return { payPassword: fields.payPassword };
  if (fields.ticket !== undefined && fields.payPassword === undefined) return { ticket: fields.ticket };
  throw new AppError('INVALID_ARGUMENT', '请输入支付密码');
}

function ticketDocId(ticket: string): string {
  return `tkt_${createHash('sha256').update(ticket).digest('hex').slice(0, 48)}`;
}

/** Why a ticket document cannot authorize this user's action now, or null if it can. */
function ticketProblem(
  doc: VerifyTicketDoc | null,
  userId: string,
  purpose: SensitivePurpose,
  now: number,
): AppError | null {
  if (!doc || doc.userId !== userId || doc.purpose !== purpose || doc.usedAt !== null) {
    return new AppError('TICKET_INVALID');
  }
  if (doc.expiresAt <= now) return new AppError('TICKET_EXPIRED');
  return null;
}

/**
 * Why a credential given under `generation` no longer stands: the pay password locked since (the
 * lock's error, with its remaining time) or changed (TICKET_INVALID); null while it stands.
 */
function generationProblem(password: PayPasswordDoc | null, generation: number, now: number): AppError | null {
  if (!password) return new AppError('PAY_PASSWORD_NOT_SET');
  if (password.lockedUntil > now) return lockedError(password.lockedUntil, now);
  return generationOf(password) === generation ? null : new AppError('TICKET_INVALID');
}

/**
 * Checks a credential for `purpose` without spending a ticket. A pay password is checked (and a
 * wrong one counted) here. Throws PAY_PASSWORD_NOT_SET / _INCORRECT / _LOCKED, TICKET_INVALID or
 * TICKET_EXPIRED.
 */
export async function checkCredential(
  deps: DomainDeps,
  userId: string,
  credential: SensitiveCredential,
  purpose: SensitivePurpose,
): Promise<Authorization> {
  if ('payPassword' in credential) {
    const generation = await checkPayPassword(deps, userId, credential.payPassword);
    return { userId, purpose, method: 'payPassword', ticketDocId: null, generation };
  }
  const now = deps.clock.now();
  const id = ticketDocId(credential.ticket);
  const ticket = await deps.store.get('verifyTickets', id);
  if (!ticket) throw new AppError('TICKET_INVALID');
  const generation = ticket.generation ?? 0;
  const problem =
    ticketProblem(ticket, userId, purpose, now) ??
    generationProblem(await deps.store.get('payPasswords', userId), generation, now);
  if (problem) throw problem;
  return { userId, purpose, method: 'ticket', ticketDocId: id, generation };
}

/**
 * Inside the action's transaction: checks that the credential still stands (the pay password has
 * not locked or changed since it was given) and spends the ticket, if it is one.
 */
export async function consumeAuthorization(
  tx: DocumentOps<Collections>,
  authorization: Authorization,
  now: number,
): Promise<void> {
  const passwordProblem = generationProblem(
    await tx.get('payPasswords', authorization.userId),
    authorization.generation,
    now,
  );
  if (passwordProblem) throw passwordProblem;
  if (authorization.ticketDocId === null) return;
  const doc = await tx.get('verifyTickets', authorization.ticketDocId);
  const problem = ticketProblem(doc, authorization.userId, authorization.purpose, now);
  if (problem) throw problem;
  await tx.update('verifyTickets', authorization.ticketDocId, { usedAt: now });
}

/**
 * Authorizes one sensitive action of `userId` for `purpose`, in one call: checks the pay password
 * (counting wrong tries; 5 in a row lock it for 3 hours, the error carries the remaining time) or
 * spends the single-use ticket. Resolves with the authorization; throws the credential's error
 * (PAY_PASSWORD_NOT_SET / _INCORRECT / _LOCKED, TICKET_INVALID, TICKET_EXPIRED) otherwise —
 * PAY_PASSWORD_LOCKED too for a ticket issued before the lock.
 */
export async function authorizeSensitiveAction(
  deps: DomainDeps,
  userId: string,
  credential: SensitiveCredential,
  purpose: SensitivePurpose,
): Promise<Authorization> {
  const authorization = await checkCredential(deps, userId, credential, purpose);
  if (authorization.ticketDocId !== null) {
    const now = deps.clock.now();
    await deps.store.transaction((tx) => consumeAuthorization(tx, authorization, now));
  }
  return authorization;
}

/** `verify.verifyPayPassword`: the pay password once, for a ticket that stands in for it once, for one purpose. */
export async function issueTicket(
  deps: DomainDeps,
  caller: Caller,
  request: { payPassword: string; purpose: SensitivePurpose },
): Promise<TicketView> {
  const user = await requireUser(deps, caller);
  const generation = await checkPayPassword(deps, user.id, request.payPassword);
  const ticket = `tk_${randomBytes(24).toString('base64url')}`;
  const now = deps.clock.now();
  const expiresAt = now + CONFIG.payPassword.ticketTtlMs;
  await deps.store.create('verifyTickets', {
    id: ticketDocId(ticket),
    userId: user.id,
    purpose: request.purpose,
    generation,
    expiresAt,
    usedAt: null,
    createdAt: now,
  });
  return { ticket, purpose: request.purpose, expiresAt };
}
