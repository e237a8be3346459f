/**
 * The verification rules one line at a time — the cases Stryker's first run over
 * server/domain/verify found no test for: status and lock boundaries, the credential generation,
 * racing first settings, tickets without a password behind them, SMS challenges that are not the
 * caller's, used or closed, the outbox lookup among other users' codes, and what the logs name.
 */
import { CONFIG } from '../../server/config';
import type { SmsMessage } from '../../server/domain/ports/sms';
import { authorizeSensitiveAction, checkCredential, credentialFrom } from '../../server/domain/verify/authorize';
import { checkPayPassword } from '../../server/domain/verify/pay-password';
import { checkCode } from '../../server/domain/verify/sms';
import { startTestHost, type TestHost } from '../helpers/host';
import {
  ALICE,
  BOB,
  act,
  bindStartBody,
  latestSmsCode,
  ok,
  sandboxCardNumbers,
  verifiedUser,
  type BindStarted,
} from '../helpers/verification';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

const userIdOf = async (openid: string) =>
  (await ok<{ userId: string }>(host, openid, 'user', { action: 'profile' })).userId;
const statusOf = async (openid: string) =>
  (await ok<{ payPassword: Record<string, unknown> }>(host, openid, 'user', { action: 'profile' })).payPassword;
const wrongTry = (openid: string) =>
  act(host, openid, 'verify', { action: 'verifyPayPassword', payPassword: '000001', purpose: 'cards.bind' });
const changeTo = (openid: string, newPayPassword: string, confirmPayPassword = newPayPassword) =>
  act(host, openid, 'verify', {
    action: 'changePayPassword',
    oldPayPassword: ALICE.payPassword,
    newPayPassword,
    confirmPayPassword,
  });
/** A `cards.bind` ticket for ALICE's pay password. */
const ticketFor = async (openid: string) =>
  (
    await ok<{ ticket: string }>(host, openid, 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'cards.bind',
    })
  ).ticket;
const logLine = (event: string) => host.log.lines.find((line) => line.includes(event)) ?? '';

describe('pay password status, lock and generation', () => {
  test('status before and after setting, with the tries left; the lock ends exactly at unlockAt', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    await ok(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
    expect(await statusOf('o-a')).toEqual({ set: false, locked: false, unlockAt: null, remainingAttempts: 5 });
    await ok(host, 'o-a', 'verify', {
      action: 'setPayPassword',
      payPassword: ALICE.payPassword,
      confirmPayPassword: ALICE.payPassword,
    });
    await wrongTry('o-a');
    await wrongTry('o-a');
    expect(await statusOf('o-a')).toEqual({ set: true, locked: false, unlockAt: null, remainingAttempts: 3 });
    for (let i = 0; i < 3; i++) await wrongTry('o-a');
    const userId = await userIdOf('o-a');
    const locked = (await host.app.deps.store.get('payPasswords', userId))!;
    expect(locked.generation).toBe(1);
    expect(logLine('verify.pay_password_locked')).toContain(userId);

    host.clock.set(locked.lockedUntil - 1);
    expect(await statusOf('o-a')).toMatchObject({ locked: true, unlockAt: locked.lockedUntil, remainingAttempts: 0 });
    host.clock.set(locked.lockedUntil);
    expect(await statusOf('o-a')).toEqual({ set: true, locked: false, unlockAt: null, remainingAttempts: 5 });
    // at that very moment a ticket is issued and spent: the lock is over for tickets too
    const ticket = await ticketFor('o-a');
    await expect(authorizeSensitiveAction(host.app.deps, userId, { ticket }, 'cards.bind')).resolves.toMatchObject({
      method: 'ticket',
      generation: 1,
    });
  });

  test('a change raises the generation by one and is logged; a mismatched confirmation is refused first', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    expect(await changeTo('o-a', '739184', '739185')).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_CONFIRM_MISMATCH' },
    });
    expect((await host.app.deps.store.get('payPasswords', userId))!.generation).toBe(0);
    expect(await changeTo('o-a', '739184')).toMatchObject({ ok: true });
    expect((await host.app.deps.store.get('payPasswords', userId))!.generation).toBe(1);
    expect(logLine('verify.pay_password_changed')).toContain(userId);
  });

  test('two first settings at once: exactly one is set, the other is told it already is', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    await ok(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
    const set = (payPassword: string) =>
      act(host, 'o-a', 'verify', { action: 'setPayPassword', payPassword, confirmPayPassword: payPassword });
    const results = await Promise.all([set('739184'), set('582047')]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ error: { code: 'PAY_PASSWORD_ALREADY_SET' } });
  });

  test('no password: checking one answers PAY_PASSWORD_NOT_SET; a ticket whose password is gone too', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    const ticket = await ticketFor('o-a');
    await host.app.deps.store.delete('payPasswords', userId);
    await expect(checkPayPassword(host.app.deps, userId, ALICE.payPassword)).rejects.toMatchObject({
      code: 'PAY_PASSWORD_NOT_SET',
    });
    await expect(checkCredential(host.app.deps, userId, { ticket }, 'cards.bind')).rejects.toMatchObject({
      code: 'PAY_PASSWORD_NOT_SET',
    });
  });

  test('a ticket nobody issued is TICKET_INVALID; the credential is exactly one of password and ticket', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    await expect(checkCredential(host.app.deps, userId, { ticket: 'tk_made_up' }, 'cards.bind')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });
    expect(credentialFrom({ payPassword: '258036' })).toEqual({ payPassword: '258036' });
    expect(credentialFrom({ ticket: 'tk_x' })).toEqual({ ticket: 'tk_x' });
    expect(() => credentialFrom({})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => credentialFrom({ payPassword: '258036', ticket: 'tk_x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

/**
 * Runs `interfere` (another request's write) just before the `nth` next store transaction starts:
 * the gap between what an action read and the transaction that acts on it.
 */
function beforeTransaction(nth: number, interfere: () => Promise<void>): void {
  const { store } = host.app.deps;
  const original = store.transaction.bind(store);
  let seen = 0;
  store.transaction = async (work) => {
    seen += 1;
    if (seen === nth) {
      store.transaction = original;
      await interfere();
    }
    return original(work);
  };
}

describe('what changed between the read and the transaction wins', () => {
  test('a password removed or replaced while a try was judged: not set, or not counted', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    const { store } = host.app.deps;
    const original = (await store.get('payPasswords', userId))!;
    await wrongTry('o-a');

    beforeTransaction(1, () => store.delete('payPasswords', userId));
    await expect(checkPayPassword(host.app.deps, userId, ALICE.payPassword)).rejects.toMatchObject({
      code: 'PAY_PASSWORD_NOT_SET',
    });

    await store.set('payPasswords', { ...original, failedAttempts: 1 });
    // replaced by a new password (new salt) while the old one's try was judged: refused, not counted
    beforeTransaction(1, () => store.update('payPasswords', userId, { salt: 'a-new-salt-0123456789a', hash: 'x' }));
    await expect(checkPayPassword(host.app.deps, userId, ALICE.payPassword)).rejects.toMatchObject({
      code: 'PAY_PASSWORD_INCORRECT',
      details: { remainingAttempts: 4 },
    });
    expect((await store.get('payPasswords', userId))!.failedAttempts).toBe(1);
  });

  test('a lock that lands while a wrong try was judged answers the lock and counts nothing; one ending at that moment does not', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    const { store } = host.app.deps;
    const now = host.clock.now();
    beforeTransaction(1, () => store.update('payPasswords', userId, { lockedUntil: now + 60_000 }));
    await expect(checkPayPassword(host.app.deps, userId, '000001')).rejects.toMatchObject({
      code: 'PAY_PASSWORD_LOCKED',
    });
    expect((await store.get('payPasswords', userId))!.failedAttempts).toBe(0);
    // a lock that ends exactly now no longer holds: the wrong try counts
    await store.update('payPasswords', userId, { lockedUntil: 0 });
    beforeTransaction(1, () => store.update('payPasswords', userId, { lockedUntil: now }));
    await expect(checkPayPassword(host.app.deps, userId, '000001')).rejects.toMatchObject({
      code: 'PAY_PASSWORD_INCORRECT',
      details: { remainingAttempts: 4 },
    });
  });

  test('a right try after wrong ones resets the count without calling it a re-hash', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    await wrongTry('o-a');
    await checkPayPassword(host.app.deps, userId, ALICE.payPassword);
    expect((await host.app.deps.store.get('payPasswords', userId))!.failedAttempts).toBe(0);
    expect(logLine('verify.pay_password_rehashed')).toBe('');
  });

  test('a first setting whose password was set by another request in the gap is told it already is', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    await ok(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
    await verifiedUser(host, 'o-b', ALICE);
    const theirs = (await host.app.deps.store.get('payPasswords', await userIdOf('o-b')))!;
    const userId = await userIdOf('o-a');
    beforeTransaction(1, () => host.app.deps.store.set('payPasswords', { ...theirs, id: userId }));
    expect(
      await act(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: '739184',
        confirmPayPassword: '739184',
      }),
    ).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_ALREADY_SET' } });
  });

  test('a change whose password disappears before it is written answers PAY_PASSWORD_NOT_SET', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    // the old password's right try writes nothing (no transaction); the 1st transaction writes the new one
    beforeTransaction(1, () => host.app.deps.store.delete('payPasswords', userId));
    expect(await changeTo('o-a', '739184')).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_NOT_SET' } });
  });

  test('a ticket spent after the password locked in the meantime answers the lock', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    const userId = await userIdOf('o-a');
    const ticket = await ticketFor('o-a');
    beforeTransaction(1, () =>
      host.app.deps.store.update('payPasswords', userId, { lockedUntil: host.clock.now() + CONFIG.payPassword.lockMs }),
    );
    await expect(authorizeSensitiveAction(host.app.deps, userId, { ticket }, 'cards.bind')).rejects.toMatchObject({
      code: 'PAY_PASSWORD_LOCKED',
    });
  });
});

describe('SMS challenges', () => {
  async function started(openid: string, person = ALICE, offset = 0): Promise<BindStarted> {
    await verifiedUser(host, openid, person);
    const [cardNumber] = sandboxCardNumbers(1, 300 + offset);
    return ok<BindStarted>(host, openid, 'cards', bindStartBody(cardNumber!, person));
  }

  test('a challenge of another user, purpose or binding is NOT_FOUND; a used one is SMS_CODE_USED', async () => {
    const binding = await started('o-a');
    const code = await latestSmsCode(host);
    const userId = await userIdOf('o-a');
    const right = { challengeId: binding.sms.challengeId, userId, purpose: 'cards.bind', subjectId: binding.bindingId };
    const check = (expected: typeof right) =>
      host.app.deps.store.transaction((tx) => checkCode(host.app.deps, tx, expected, code, host.clock.now()));
    for (const wrong of [
      { ...right, userId: 'u_someone_else' },
      { ...right, purpose: 'other.purpose' },
      { ...right, subjectId: 'bind_other' },
      { ...right, challengeId: 'sms_unknown' },
    ]) {
      expect(await check(wrong)).toMatchObject({ code: 'NOT_FOUND' });
    }
    await ok(host, 'o-a', 'cards', { action: 'bindConfirm', bindingId: binding.bindingId, smsCode: code });
    expect(await check(right)).toMatchObject({ code: 'SMS_CODE_USED' });
    // and a resend for the used challenge is refused the same way
    expect(
      await act(host, 'o-a', 'verify', {
        action: 'resendSms',
        challengeId: binding.sms.challengeId,
        phone: '13800138000',
      }),
    ).toMatchObject({ ok: false, error: { code: 'SMS_CODE_USED' } });
  });

  test('a resend is refused from the very moment the challenge closes; the log names the challenge', async () => {
    const binding = await started('o-a');
    const doc = (await host.app.deps.store.get('smsChallenges', binding.sms.challengeId))!;
    const resend = () =>
      act(host, 'o-a', 'verify', { action: 'resendSms', challengeId: binding.sms.challengeId, phone: '13800138000' });
    host.clock.set(doc.closesAt - 1);
    expect(await resend()).toMatchObject({ ok: true });
    expect(logLine('verify.sms_resent')).toContain(binding.sms.challengeId);
    host.clock.set(doc.closesAt);
    expect(await resend()).toMatchObject({ ok: false, error: { code: 'SMS_CODE_EXPIRED' } });
  });

  test("the sandbox finds each user's own code on a shared phone, and the provider's template carries it", async () => {
    const sent: SmsMessage[] = [];
    const gateway = host.app.deps.sms;
    const send = gateway.send.bind(gateway);
    gateway.send = async (message) => {
      sent.push(message);
      await send(message);
    };
    const alice = await started('o-a', ALICE, 0);
    const aliceCode = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    const bob = await started('o-b', BOB, 1);
    const bobCode = await latestSmsCode(host);
    expect(bobCode).not.toBe(aliceCode);
    expect(await ok(host, 'o-a', 'cards', { action: 'sandboxSmsCode', bindingId: alice.bindingId })).toMatchObject({
      message: { code: aliceCode },
    });
    expect(await ok(host, 'o-b', 'cards', { action: 'sandboxSmsCode', bindingId: bob.bindingId })).toMatchObject({
      message: { code: bobCode },
    });
    const minutes = String(Math.round(CONFIG.sms.codeTtlMs / 60_000));
    expect(sent.map((message) => message.template)).toEqual([
      { name: 'verificationCode', params: [aliceCode, minutes] },
      { name: 'verificationCode', params: [bobCode, minutes] },
    ]);
  });
});
