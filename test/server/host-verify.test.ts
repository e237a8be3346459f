/** user.profile / verifyRealName and the verify function, over HTTP on a test host. */
import { createHash, createHmac, randomBytes, scryptSync } from 'node:crypto';
import { SANDBOX_RESERVED_PHONE, TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { CONFIG } from '../../server/config';
import { requireVerifiedIdentity } from '../../server/domain/users/identity';
import type { ProfileView } from '../../typings/user';
import { startTestHost, type TestHost } from '../helpers/host';
import {
  ALICE,
  BOB,
  act,
  bindCard,
  bindStartBody,
  idNumberFor,
  latestSmsCode,
  ok,
  outbox,
  sandboxCardNumbers,
  verifiedUser,
  type BindStarted,
  type Envelope,
  type Person,
} from '../helpers/verification';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

const HOUR = 60 * 60 * 1000;

const ICBC = TEST_CARDS[0]!.number;
const CCB = TEST_CARDS[1]!.number;
const lastFourMask = (idNumber: string) => `${'*'.repeat(14)}${idNumber.slice(-4)}`;
const profileOf = (openid: string) => ok<ProfileView>(host, openid, 'user', { action: 'profile' });

describe('real name: submitted by the user, confirmed by the bank with the first card', () => {
  test('a valid name and ID are kept pending, masked to the last four; the first bound card verifies them', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    expect(await profileOf('o-a')).toMatchObject({
      level: 'follower',
      identity: null,
      pendingIdentity: null,
      payPassword: { set: false },
    });

    const submitted = await ok<ProfileView>(host, 'o-a', 'user', {
      action: 'verifyRealName',
      name: ALICE.name,
      idNumber: ALICE.idNumber.toLowerCase(),
    });
    expect(submitted).toMatchObject({
      level: 'follower',
      identity: null,
      pendingIdentity: { name: '张三', nameMasked: '*三', idNumberMasked: lastFourMask(ALICE.idNumber), minor: false },
    });
    expect(JSON.stringify(submitted)).not.toContain(ALICE.idNumber);
    // nothing is claimed yet: the bank has not confirmed anything
    expect(await host.app.deps.store.count('identityClaims')).toBe(0);
    const userId = submitted.userId;
    await expect(requireVerifiedIdentity(host.app.deps, userId)).rejects.toMatchObject({ code: 'REAL_NAME_REQUIRED' });

    // the pay password can be set while pending: the add-card page needs it for its ticket
    await ok(host, 'o-a', 'verify', {
      action: 'setPayPassword',
      payPassword: ALICE.payPassword,
      confirmPayPassword: ALICE.payPassword,
    });
    await bindCard(host, 'o-a', ICBC);
    const verified = await profileOf('o-a');
    expect(verified).toMatchObject({
      level: 'verified',
      pendingIdentity: null,
      identity: { name: '张三', nameMasked: '*三', idNumberMasked: lastFourMask(ALICE.idNumber), minor: false },
    });
    expect(await host.app.deps.store.count('identityClaims')).toBe(1);
    expect(await requireVerifiedIdentity(host.app.deps, userId)).toMatchObject({ name: '张三', minor: false });
    expect(host.log.lines.join('\n')).toContain('user.real_name_verified');
  });

  test('a pending identity can be corrected; a verified one cannot be changed', async () => {
    await verifiedUser(host, 'o-a', { ...ALICE, name: '张山' });
    const corrected = await ok<ProfileView>(host, 'o-a', 'user', {
      action: 'verifyRealName',
      name: ALICE.name,
      idNumber: ALICE.idNumber,
    });
    expect(corrected.pendingIdentity).toMatchObject({ name: '张三' });
    await bindCard(host, 'o-a', ICBC);
    const again = await act(host, 'o-a', 'user', { action: 'verifyRealName', name: BOB.name, idNumber: BOB.idNumber });
    expect(again).toMatchObject({ ok: false, error: { code: 'REAL_NAME_ALREADY_VERIFIED' } });
  });

  test('an unconfirmed claim blocks nobody: the account the bank confirms first wins, the other is refused like a bank refusal', async () => {
    // Mallory types Alice's name and ID number before Alice does: accepted, pending, blocking nothing
    await verifiedUser(host, 'o-mallory', ALICE);
    await verifiedUser(host, 'o-alice', ALICE);
    await bindCard(host, 'o-alice', ICBC);
    expect(await profileOf('o-alice')).toMatchObject({ level: 'verified' });

    // Mallory's confirmation with that ID number, even with a card the bank accepts: the generic refusal, no SMS
    const sent = (await outbox(host, SANDBOX_RESERVED_PHONE)).length;
    const refused = await act(host, 'o-mallory', 'cards', bindStartBody(CCB, ALICE));
    expect(refused).toEqual({
      ok: false,
      error: { code: 'CARD_VERIFICATION_FAILED', message: expect.stringMatching(/[\u4e00-\u9fff]/) },
    });
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toHaveLength(sent);
    expect(await profileOf('o-mallory')).toMatchObject({ level: 'follower', identity: null });
  });

  test('the claim is checked again when the SMS code confirms: a race is refused the same way', async () => {
    await verifiedUser(host, 'o-mallory', ALICE);
    await verifiedUser(host, 'o-alice', ALICE);
    const mallorys = await ok<BindStarted>(host, 'o-mallory', 'cards', bindStartBody(CCB, ALICE));
    const malloryCode = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    await bindCard(host, 'o-alice', ICBC);
    expect(
      await act(host, 'o-mallory', 'cards', {
        action: 'bindConfirm',
        bindingId: mallorys.bindingId,
        smsCode: malloryCode,
      }),
    ).toMatchObject({ ok: false, error: { code: 'CARD_VERIFICATION_FAILED' } });
    expect(await ok(host, 'o-mallory', 'cards', { action: 'list' })).toMatchObject({ cards: [] });
    expect(await profileOf('o-alice')).toMatchObject({ level: 'verified' });
  });

  test('no answer tells whether an ID number belongs to a customer', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    await bindCard(host, 'o-alice', ICBC);
    const submit = async (openid: string, idNumber: string) => {
      await ok(host, openid, 'user', { action: 'session' });
      return act<ProfileView>(host, openid, 'user', { action: 'verifyRealName', name: '王五', idNumber });
    };
    const customers = await submit('o-m1', ALICE.idNumber);
    const nobodys = await submit('o-m2', idNumberFor('19900307', '110105', '124'));
    const shape = (result: Envelope<ProfileView>) =>
      result.ok
        ? { level: result.data.level, identity: result.data.identity, pending: !!result.data.pendingIdentity }
        : result;
    expect(shape(customers)).toEqual({ level: 'follower', identity: null, pending: true });
    expect(shape(nobodys)).toEqual(shape(customers));
  });

  test.each([
    ['wrong check digit', ALICE.idNumber.slice(0, 17) + (ALICE.idNumber[17] === '1' ? '2' : '1'), '校验位'],
    ['a birth date that does not exist', idNumberFor('19900230'), '出生日期'],
    ['a birth date in the future', idNumberFor('20301201'), '出生日期'],
    ['an unknown region', idNumberFor('19900307', '990105'), '地区码'],
  ])('%s → ID_NUMBER_INVALID saying what is wrong', async (_label, idNumber, words) => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    const result = await act(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'ID_NUMBER_INVALID', message: expect.stringContaining(words) },
    });
  });

  test('minors: under the minimum age refused; between it and 18 a minor, exactly until the 18th birthday', async () => {
    await ok(host, 'o-kid', 'user', { action: 'session' });
    // the clock is at 2026-11-28 China time
    const fifteen = await act(host, 'o-kid', 'user', {
      action: 'verifyRealName',
      name: '王小明',
      idNumber: idNumberFor('20111129'),
    });
    expect(fifteen).toMatchObject({
      ok: false,
      error: { code: 'AGE_BELOW_MINIMUM', details: { minimumAgeYears: CONFIG.realName.minimumAgeYears } },
    });
    const kid = { name: '王小明', idNumber: idNumberFor('20101128'), payPassword: '582079' };
    await verifiedUser(host, 'o-kid', kid);
    expect(await profileOf('o-kid')).toMatchObject({ pendingIdentity: { minor: true } });
    await bindCard(host, 'o-kid', ICBC, kid);
    expect(await profileOf('o-kid')).toMatchObject({ identity: { age: 16, minor: true } });
    // two years on, the day before the 18th birthday still a minor; on it an adult
    host.clock.advance(Date.UTC(2028, 10, 27, 2) - host.clock.now());
    expect(await profileOf('o-kid')).toMatchObject({ identity: { age: 17, minor: true } });
    host.clock.advance(24 * HOUR);
    expect(await profileOf('o-kid')).toMatchObject({ identity: { age: 18, minor: false } });
  });

  test('what is kept of the ID number: last four, a fingerprint, the birth year — no birth date', async () => {
    const userId = await verifiedUser(host, 'o-a', ALICE);
    const pending = await host.app.deps.store.get('pendingIdentities', userId);
    await bindCard(host, 'o-a', ICBC);
    const verified = await host.app.deps.store.get('identities', userId);
    for (const doc of [pending, verified]) {
      expect(doc).toMatchObject({ idNumberMasked: lastFourMask(ALICE.idNumber), birthYear: 1990, minorUntil: null });
      const text = JSON.stringify(doc);
      for (const near of ['19900307', '900307', '199003', '0307', ALICE.idNumber.slice(0, 6)]) {
        expect([near, text.includes(near)]).toEqual([near, false]);
      }
    }
  });
});

describe('pay password', () => {
  beforeEach(async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
  });

  test('needs the real name first', async () => {
    const result = await act(host, 'o-a', 'verify', {
      action: 'setPayPassword',
      payPassword: ALICE.payPassword,
      confirmPayPassword: ALICE.payPassword,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'REAL_NAME_REQUIRED' } });
  });

  describe('once the real name is submitted (pending)', () => {
    beforeEach(async () => {
      await ok(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
    });

    test.each([
      ['111111', 'repeated'],
      ['123456', 'sequence'],
      ['890123', 'sequence'],
      ['654321', 'sequence'],
      ['121212', 'pattern'],
      ['358358', 'pattern'],
      ['900307', 'birthday'],
      ['030790', 'birthday'],
      ['199003', 'birthday'],
    ])('%s is refused as %s', async (password, reason) => {
      const result = await act(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: password,
        confirmPayPassword: password,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_TOO_SIMPLE', details: { reason } } });
    });

    test('set twice must match; set once only; status in the profile', async () => {
      const mismatch = await act(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: ALICE.payPassword,
        confirmPayPassword: '258037',
      });
      expect(mismatch).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_CONFIRM_MISMATCH' } });
      const set = await ok(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: ALICE.payPassword,
        confirmPayPassword: ALICE.payPassword,
      });
      expect(set).toEqual({ set: true, locked: false, unlockAt: null, remainingAttempts: 5 });
      const twice = await act(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: '739184',
        confirmPayPassword: '739184',
      });
      expect(twice).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_ALREADY_SET' } });
      const profile = await ok(host, 'o-a', 'user', { action: 'profile' });
      expect(profile).toMatchObject({ payPassword: { set: true, locked: false } });
    });

    test('the stored password is a keyed hash with its own salt, never the digits', async () => {
      const userId = (await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' })).userId;
      await ok(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: ALICE.payPassword,
        confirmPayPassword: ALICE.payPassword,
      });
      const doc = await host.app.deps.store.get('payPasswords', userId);
      expect(doc).toMatchObject({ scheme: 'hmac-sha256', failedAttempts: 0 });
      expect(doc).not.toHaveProperty('cost');
      expect(doc!.salt).toHaveLength(22);
      expect(JSON.stringify(doc)).not.toContain(ALICE.payPassword);
    });

    test('the database alone does not let anyone confirm a guess: the same document checks only with the secret', async () => {
      await verifiedUser(host, 'o-a', ALICE);
      const { userId } = await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' });
      const stolen = (await host.app.deps.store.get('payPasswords', userId))!;
      // The right password, hashed as the document describes but with what a thief has instead of
      // the server's key (none, an empty one, the salt): nothing reproduces the stored hash.
      const material = `${userId}\u0000${stolen.salt}\u0000${ALICE.payPassword}`;
      const attempts = [
        createHash('sha256').update(material).digest('base64url'),
        createHmac('sha256', Buffer.alloc(0)).update(material).digest('base64url'),
        createHmac('sha256', Buffer.from(stolen.salt, 'base64url')).update(ALICE.payPassword).digest('base64url'),
        createHmac('sha256', Buffer.alloc(32)).update(material).digest('base64url'),
      ];
      expect(attempts).not.toContain(stolen.hash);
      // the same document on another server secret: the right password is refused there
      const elsewhere = await startTestHost({ secret: 'a-different-server-secret-0123456789abcdef' });
      try {
        await verifiedUser(elsewhere, 'o-a', ALICE);
        const other = await ok<{ userId: string }>(elsewhere, 'o-a', 'user', { action: 'profile' });
        await elsewhere.app.deps.store.set('payPasswords', { ...stolen, id: other.userId });
        const tried = await act(elsewhere, 'o-a', 'verify', {
          action: 'verifyPayPassword',
          payPassword: ALICE.payPassword,
          purpose: 'cards.bind',
        });
        expect(tried).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_INCORRECT' } });
      } finally {
        await elsewhere.close();
      }
      // and a hash copied into another user's document on the same server does not carry the password
      await verifiedUser(host, 'o-b', BOB);
      const { userId: bobId } = await ok<{ userId: string }>(host, 'o-b', 'user', { action: 'profile' });
      await host.app.deps.store.set('payPasswords', { ...stolen, id: bobId });
      expect(
        await act(host, 'o-b', 'verify', {
          action: 'verifyPayPassword',
          payPassword: ALICE.payPassword,
          purpose: 'cards.bind',
        }),
      ).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_INCORRECT' } });
      // while on its own server, for its own user, it is the password
      await ok(host, 'o-a', 'verify', {
        action: 'verifyPayPassword',
        payPassword: ALICE.payPassword,
        purpose: 'cards.bind',
      });
    });

    test('a legacy scrypt document is checked as it was, and re-hashed with the key at the next right try', async () => {
      await verifiedUser(host, 'o-a', ALICE);
      const { userId } = await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' });
      const current = (await host.app.deps.store.get('payPasswords', userId))!;
      // a document as the server wrote it before the keyed hash: scrypt with the cost it carries
      // (not the default N=2^14 of those days, so the stored cost is shown to be the one used)
      const salt = randomBytes(16);
      const cost = { N: 2 ** 12, r: 8, p: 1, keyLength: 32 };
      const legacy = {
        id: userId,
        hash: scryptSync(ALICE.payPassword, salt, 32, {
          N: cost.N,
          r: cost.r,
          p: cost.p,
          maxmem: 64 * 1024 * 1024,
        }).toString('base64url'),
        salt: salt.toString('base64url'),
        cost,
        failedAttempts: 0,
        lockedUntil: 0,
        generation: 2,
        createdAt: current.createdAt,
        updatedAt: current.createdAt,
      };
      await host.app.deps.store.set('payPasswords', legacy);
      const verify = { action: 'verifyPayPassword', purpose: 'cards.bind' };
      expect(await act(host, 'o-a', 'verify', { ...verify, payPassword: '000001' })).toMatchObject({
        ok: false,
        error: { code: 'PAY_PASSWORD_INCORRECT', details: { remainingAttempts: 4 } },
      });
      expect(await host.app.deps.store.get('payPasswords', userId)).toMatchObject({
        hash: legacy.hash,
        failedAttempts: 1,
      });

      await ok(host, 'o-a', 'verify', { ...verify, payPassword: ALICE.payPassword });
      const upgraded = (await host.app.deps.store.get('payPasswords', userId))!;
      expect(upgraded).toMatchObject({ scheme: 'hmac-sha256', failedAttempts: 0, generation: 2 });
      expect(upgraded).not.toHaveProperty('cost');
      expect(upgraded.hash).not.toBe(legacy.hash);
      expect(upgraded.salt).not.toBe(legacy.salt);
      expect(host.log.lines.join('\n')).toContain('verify.pay_password_rehashed');
      // the upgraded document checks (and a wrong try is still a wrong try)
      await ok(host, 'o-a', 'verify', { ...verify, payPassword: ALICE.payPassword });
      expect(await act(host, 'o-a', 'verify', { ...verify, payPassword: '000001' })).toMatchObject({
        ok: false,
        error: { code: 'PAY_PASSWORD_INCORRECT' },
      });
    });
  });
});

describe('wrong tries, the lock, change and tickets', () => {
  beforeEach(async () => {
    await verifiedUser(host, 'o-a', ALICE);
  });

  test('5 wrong tries lock for 3 hours; the error says what remains; it unlocks after', async () => {
    const wrong = { action: 'verifyPayPassword', payPassword: '000001', purpose: 'cards.bind' };
    for (let left = 4; left >= 1; left--) {
      const result = await act(host, 'o-a', 'verify', wrong);
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'PAY_PASSWORD_INCORRECT',
          message: `支付密码错误，还可以再试${left}次`,
          details: { remainingAttempts: left },
        },
      });
    }
    const fifth = await act(host, 'o-a', 'verify', wrong);
    expect(fifth).toMatchObject({
      ok: false,
      error: {
        code: 'PAY_PASSWORD_LOCKED',
        message: expect.stringContaining('3小时'),
        details: { remainingMs: 3 * HOUR },
      },
    });
    // the right password does not help while locked, and is not even hashed
    host.clock.advance(HOUR + 30 * 60 * 1000);
    const right = await act(host, 'o-a', 'verify', { ...wrong, payPassword: ALICE.payPassword });
    expect(right).toMatchObject({
      ok: false,
      error: {
        code: 'PAY_PASSWORD_LOCKED',
        message: expect.stringContaining('1小时30分钟'),
        details: { remainingMs: 1.5 * HOUR },
      },
    });
    expect(await ok(host, 'o-a', 'user', { action: 'profile' })).toMatchObject({
      payPassword: { locked: true, remainingAttempts: 0 },
    });
    host.clock.advance(1.5 * HOUR);
    const after = await ok(host, 'o-a', 'verify', { ...wrong, payPassword: ALICE.payPassword });
    expect(after).toMatchObject({ purpose: 'cards.bind' });
    expect(host.log.lines.join('\n')).toContain('verify.pay_password_locked');
  });

  test('concurrent wrong tries are all counted: never more than 5 before the lock', async () => {
    const results = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        act(host, 'o-a', 'verify', { action: 'verifyPayPassword', payPassword: `00000${i}`, purpose: 'cards.bind' }),
      ),
    );
    const codes = results.map((r) => (r.ok ? 'OK' : r.error.code));
    expect(codes.filter((c) => c === 'PAY_PASSWORD_INCORRECT')).toHaveLength(4);
    expect(codes.filter((c) => c === 'PAY_PASSWORD_LOCKED')).toHaveLength(3);
  });

  test('a right try resets the count', async () => {
    await act(host, 'o-a', 'verify', { action: 'verifyPayPassword', payPassword: '000001', purpose: 'cards.bind' });
    await ok(host, 'o-a', 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'cards.bind',
    });
    expect(await ok(host, 'o-a', 'user', { action: 'profile' })).toMatchObject({
      payPassword: { remainingAttempts: 5 },
    });
  });

  test('change needs the old password (counted), a new non-trivial one, and then only the new one works', async () => {
    const base = { action: 'changePayPassword', newPayPassword: '739184', confirmPayPassword: '739184' };
    expect(await act(host, 'o-a', 'verify', { ...base, oldPayPassword: '000001' })).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_INCORRECT', details: { remainingAttempts: 4 } },
    });
    expect(
      await act(host, 'o-a', 'verify', {
        ...base,
        oldPayPassword: ALICE.payPassword,
        newPayPassword: ALICE.payPassword,
        confirmPayPassword: ALICE.payPassword,
      }),
    ).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_UNCHANGED' } });
    expect(
      await act(host, 'o-a', 'verify', {
        ...base,
        oldPayPassword: ALICE.payPassword,
        newPayPassword: '222222',
        confirmPayPassword: '222222',
      }),
    ).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_TOO_SIMPLE' } });
    expect(await ok(host, 'o-a', 'verify', { ...base, oldPayPassword: ALICE.payPassword })).toMatchObject({
      set: true,
      remainingAttempts: 5,
    });
    const old = await act(host, 'o-a', 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'cards.bind',
    });
    expect(old).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_INCORRECT' } });
  });

  test('a ticket is single-use, bound to its user and purpose, and expires after 5 minutes', async () => {
    const { ticket, expiresAt } = await ok<{ ticket: string; expiresAt: number }>(host, 'o-a', 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'cards.unbind',
    });
    expect(expiresAt).toBe(host.clock.now() + CONFIG.payPassword.ticketTtlMs);
    const userId = (await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' })).userId;
    const { authorizeSensitiveAction } = await import('../../server/domain/verify/authorize');
    const deps = host.app.deps;
    await expect(authorizeSensitiveAction(deps, userId, { ticket }, 'ledger.topup')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });
    await expect(authorizeSensitiveAction(deps, 'u_someone_else', { ticket }, 'cards.unbind')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });
    await expect(authorizeSensitiveAction(deps, userId, { ticket }, 'cards.unbind')).resolves.toMatchObject({
      method: 'ticket',
    });
    await expect(authorizeSensitiveAction(deps, userId, { ticket }, 'cards.unbind')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });

    const second = await ok<{ ticket: string }>(host, 'o-a', 'verify', {
      action: 'verifyPayPassword',
      payPassword: ALICE.payPassword,
      purpose: 'ledger.topup',
    });
    host.clock.advance(CONFIG.payPassword.ticketTtlMs);
    await expect(
      authorizeSensitiveAction(deps, userId, { ticket: second.ticket }, 'ledger.topup'),
    ).rejects.toMatchObject({ code: 'TICKET_EXPIRED' });
  });

  test('authorizeSensitiveAction with the pay password counts wrong tries like verify does', async () => {
    const userId = (await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' })).userId;
    const { authorizeSensitiveAction } = await import('../../server/domain/verify/authorize');
    await expect(
      authorizeSensitiveAction(host.app.deps, userId, { payPassword: '000001' }, 'ledger.withdraw'),
    ).rejects.toMatchObject({ code: 'PAY_PASSWORD_INCORRECT', details: { remainingAttempts: 4 } });
    await expect(
      authorizeSensitiveAction(host.app.deps, userId, { payPassword: ALICE.payPassword }, 'ledger.withdraw'),
    ).resolves.toMatchObject({ userId, purpose: 'ledger.withdraw', method: 'payPassword', ticketDocId: null });
  });

  const lockOut = async () => {
    for (let i = 0; i < CONFIG.payPassword.maxAttempts; i++) {
      await act(host, 'o-a', 'verify', { action: 'verifyPayPassword', payPassword: '000001', purpose: 'cards.bind' });
    }
  };
  const ticketFor = async (purpose: string) =>
    (
      await ok<{ ticket: string }>(host, 'o-a', 'verify', {
        action: 'verifyPayPassword',
        payPassword: ALICE.payPassword,
        purpose,
      })
    ).ticket;

  test('a ticket issued just before the lock does not outlive it', async () => {
    const ticket = await ticketFor('cards.bind');
    await lockOut();
    const used = await act(host, 'o-a', 'cards', bindStartBody(ICBC, ALICE, { payPassword: undefined, ticket }));
    expect(used).toMatchObject({ ok: false, error: { code: 'PAY_PASSWORD_LOCKED' } });
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toEqual([]);
  });

  test('a ticket checked before the lock is refused when the action commits after it', async () => {
    const userId = (await profileOf('o-a')).userId;
    const { checkCredential, consumeAuthorization } = await import('../../server/domain/verify/authorize');
    const deps = host.app.deps;
    const authorization = await checkCredential(
      deps,
      userId,
      { ticket: await ticketFor('ledger.topup') },
      'ledger.topup',
    );
    const byPassword = await checkCredential(deps, userId, { payPassword: ALICE.payPassword }, 'ledger.topup');
    await lockOut();
    for (const checked of [authorization, byPassword]) {
      await expect(
        deps.store.transaction((tx) => consumeAuthorization(tx, checked, deps.clock.now())),
      ).rejects.toMatchObject({ code: 'PAY_PASSWORD_LOCKED' });
    }
  });

  test('changing the pay password voids the tickets issued under the old one', async () => {
    const userId = (await profileOf('o-a')).userId;
    const ticket = await ticketFor('cards.unbind');
    await ok(host, 'o-a', 'verify', {
      action: 'changePayPassword',
      oldPayPassword: ALICE.payPassword,
      newPayPassword: '739184',
      confirmPayPassword: '739184',
    });
    const { authorizeSensitiveAction } = await import('../../server/domain/verify/authorize');
    await expect(authorizeSensitiveAction(host.app.deps, userId, { ticket }, 'cards.unbind')).rejects.toMatchObject({
      code: 'TICKET_INVALID',
    });
  });
});

describe('SMS daily caps', () => {
  const startBinding = (openid: string, person: Person, card: string) =>
    ok<BindStarted>(host, openid, 'cards', bindStartBody(card, person));
  const resend = (openid: string, challengeId: string) =>
    act(host, openid, 'verify', { action: 'resendSms', challengeId, phone: SANDBOX_RESERVED_PHONE });

  /** A binding's first code, then resends a minute apart until the user's cap for the phone is used up. */
  async function useUpCap(openid: string, person: Person, card: string): Promise<string> {
    const started = await startBinding(openid, person, card);
    for (let sent = 1; sent < CONFIG.sms.dailyLimitPerUserPhone; sent++) {
      host.clock.advance(CONFIG.sms.resendIntervalMs);
      expect((await resend(openid, started.sms.challengeId)).ok).toBe(true);
    }
    return started.sms.challengeId;
  }

  test('per user and phone: one user using up the day’s codes leaves the shared test phone to others', async () => {
    await verifiedUser(host, 'o-a', ALICE);
    await verifiedUser(host, 'o-b', BOB);
    const [aliceCard, bobCard] = sandboxCardNumbers(2);
    const challengeId = await useUpCap('o-a', ALICE, aliceCard!);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    expect(await resend('o-a', challengeId)).toMatchObject({ ok: false, error: { code: 'SMS_DAILY_LIMIT' } });
    // Bob, on the same phone, still gets his code, and without waiting out Alice's minute
    await startBinding('o-b', BOB, bobCard!);
    expect(await host.app.deps.store.count('sandboxSmsOutbox')).toBe(CONFIG.sms.dailyLimitPerUserPhone + 1);
  });

  test('a looser cap per phone still bounds what all users together send to one phone', async () => {
    const users = Math.ceil(CONFIG.sms.dailyLimitPerPhone / CONFIG.sms.dailyLimitPerUserPhone);
    const cards = sandboxCardNumbers(users + 1);
    for (let i = 0; i < users; i++) {
      const person = {
        name: '王五',
        idNumber: idNumberFor('19900307', '110105', String(200 + i)),
        payPassword: '582079',
      };
      await verifiedUser(host, `o-u${i}`, person);
      await useUpCap(`o-u${i}`, person, cards[i]!);
    }
    const late = { name: '赵六', idNumber: idNumberFor('19850101'), payPassword: '582079' };
    await verifiedUser(host, 'o-late', late);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    expect(await act(host, 'o-late', 'cards', bindStartBody(cards[users]!, late))).toMatchObject({
      ok: false,
      error: { code: 'SMS_DAILY_LIMIT' },
    });
    expect(await host.app.deps.store.count('sandboxSmsOutbox')).toBe(CONFIG.sms.dailyLimitPerPhone);
  }, 60_000);
});
