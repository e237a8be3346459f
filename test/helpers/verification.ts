/**
 * Real-name, pay password and card binding done the way a user does them: over HTTP against a
 * test host, reading SMS codes from the sandbox outbox at GET /sandbox/sms.
 */
import { luhnValid } from '../../server/domain/cards/detect';
import { idCheckCharacter } from '../../server/domain/users/identity';
import { SANDBOX_RESERVED_PHONE, type BindBehaviour } from '../../server/adapters/sandbox/test-cards';
import { CONFIG } from '../../server/config';
import type { HostClient } from './host';

export interface Person {
  name: string;
  idNumber: string;
  payPassword: string;
}

/** A valid ID number for a birth date (`YYYYMMDD`), with its GB 11643 check character. */
export function idNumberFor(birthDate: string, region = '110105', sequence = '123'): string {
  const first17 = `${region}${birthDate}${sequence}`;
  return `${first17}${idCheckCharacter(first17)}`;
}

/** The test host's clock starts on 2026-11-28 (China time), so this person is 36. */
export const ALICE: Person = { name: '张三', idNumber: idNumberFor('19900307'), payPassword: '258036' };
export const BOB: Person = { name: '李四', idNumber: idNumberFor('19851120', '310104', '456'), payPassword: '736912' };

export type Envelope<T = Record<string, unknown>> =
  { ok: true; data: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** Calls an action and returns the envelope. */
export async function act<T = Record<string, unknown>>(
  host: HostClient,
  openid: string,
  fn: string,
  body: Record<string, unknown>,
): Promise<Envelope<T>> {
  return (await host.call<Envelope<T>>(fn, body, openid)).body;
}

/** Calls an action that must succeed and returns its data. */
export async function ok<T = Record<string, unknown>>(
  host: HostClient,
  openid: string,
  fn: string,
  body: Record<string, unknown>,
): Promise<T> {
  const result = await act<T>(host, openid, fn, body);
  if (!result.ok) throw new Error(`${fn}.${String(body.action)} failed: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/**
 * Session → real name submitted (pending) → pay password: a user who may bind cards. The bank
 * confirms the real name with the first card `bindCard` binds: only then is the user verified
 * (level `verified`, money actions open).
 */
export async function verifiedUser(host: HostClient, openid: string, person: Person = ALICE): Promise<string> {
  const session = await ok<{ userId: string }>(host, openid, 'user', { action: 'session' });
  await ok(host, openid, 'user', { action: 'verifyRealName', name: person.name, idNumber: person.idNumber });
  await ok(host, openid, 'verify', {
    action: 'setPayPassword',
    payPassword: person.payPassword,
    confirmPayPassword: person.payPassword,
  });
  return session.userId;
}

/** The sandbox outbox of a phone, newest first. */
export async function outbox(host: HostClient, phone: string): Promise<{ text: string; sentAt: number }[]> {
  const response = await host.raw(`/sandbox/sms?phone=${phone}`);
  const body = JSON.parse(response.text) as Envelope<{ messages: { text: string; sentAt: number }[] }>;
  if (!body.ok) throw new Error(`sandbox outbox: ${body.error.message}`);
  return body.data.messages;
}

export async function latestSmsCode(host: HostClient, phone = SANDBOX_RESERVED_PHONE): Promise<string> {
  const [latest] = await outbox(host, phone);
  const code = latest ? /验证码(\d{6})/.exec(latest.text)?.[1] : undefined;
  if (!code) throw new Error(`no SMS code in the sandbox outbox of ${phone}`);
  return code;
}

export interface BindStarted {
  bindingId: string;
  sms: { challengeId: string; phoneMasked: string; expiresAt: number; resendAt: number };
  card: { lastFour: string; bank: { code: string; name: string }; cardType: string };
  warning: string | null;
}

export function bindStartBody(cardNumber: string, person: Person = ALICE, extra: Record<string, unknown> = {}) {
  return {
    action: 'bindStart',
    cardNumber,
    holderName: person.name,
    idNumber: person.idNumber,
    reservedPhone: SANDBOX_RESERVED_PHONE,
    payPassword: person.payPassword,
    ...extra,
  };
}

/**
 * bindStart with the pay password, then bindConfirm with the code from the outbox; then moves the
 * test clock past the SMS resend interval, since every test card shares one reserved phone.
 */
export async function bindCard(
  host: HostClient,
  openid: string,
  cardNumber: string,
  person: Person = ALICE,
): Promise<{ cardId: string; lastFour: string }> {
  const started = await ok<BindStarted>(host, openid, 'cards', bindStartBody(cardNumber, person));
  const smsCode = await latestSmsCode(host);
  const card = await ok<{ cardId: string; lastFour: string }>(host, openid, 'cards', {
    action: 'bindConfirm',
    bindingId: started.bindingId,
    smsCode,
  });
  host.clock.advance(CONFIG.sms.resendIntervalMs);
  return card;
}

/** The error code each sandbox binding behaviour answers with (null: it binds). */
export const BIND_OUTCOME_CODES: Record<BindBehaviour, string | null> = {
  success: null,
  holder_mismatch: 'BANK_HOLDER_MISMATCH',
  frozen: 'CARD_FROZEN',
  closed: 'CARD_CLOSED',
  declined: 'CARD_DECLINED',
  unsupported: 'CARD_UNSUPPORTED',
  no_answer: 'BANK_UNAVAILABLE',
};

/**
 * Distinct valid numbers of one supported bank (CCB 19-digit debit) that no test card uses: the
 * sandbox binds them like DEFAULT_CARD, each opening its own account for whoever binds it first.
 */
export function sandboxCardNumbers(count: number, offset = 0): string[] {
  return Array.from({ length: count }, (_, i) => {
    const body = `62170099${String(offset + i + 1).padStart(10, '0')}`;
    const check = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((digit) => luhnValid(`${body}${digit}`))!;
    return `${body}${check}`;
  });
}
