/** user.profile / verifyRealName and the verify function, over HTTP on a test host. */
import { CONFIG } from '../../server/config';
import { startTestHost, type TestHost } from '../helpers/host';
import { ALICE, BOB, act, idNumberFor, ok, verifiedUser } from '../helpers/verification';

let host: TestHost;
beforeEach(async () => {
  host = await startTestHost();
});
afterEach(async () => {
  await host.close();
});

const HOUR = 60 * 60 * 1000;

describe('real-name verification', () => {
  test('a valid name and ID make the user verified; the profile shows the ID masked and the age', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    const before = await ok<{ level: string; identity: unknown }>(host, 'o-a', 'user', { action: 'profile' });
    expect(before).toMatchObject({ level: 'follower', identity: null, payPassword: { set: false } });

    const profile = await ok(host, 'o-a', 'user', {
      action: 'verifyRealName',
      name: ALICE.name,
      idNumber: ALICE.idNumber.toLowerCase(),
    });
    expect(profile).toMatchObject({
      level: 'verified',
      identity: {
        name: '张三',
        nameMasked: '*三',
        idNumberMasked: `110***********${ALICE.idNumber.slice(-4)}`,
        age: 36,
        minor: false,
      },
    });
    expect(JSON.stringify(profile)).not.toContain(ALICE.idNumber);
  });

  test('the identity cannot be changed, and one ID number belongs to one user', async () => {
    await ok(host, 'o-a', 'user', { action: 'session' });
    await ok(host, 'o-a', 'user', { action: 'verifyRealName', name: ALICE.name, idNumber: ALICE.idNumber });
    const again = await act(host, 'o-a', 'user', { action: 'verifyRealName', name: BOB.name, idNumber: BOB.idNumber });
    expect(again).toMatchObject({ ok: false, error: { code: 'REAL_NAME_ALREADY_VERIFIED' } });

    await ok(host, 'o-b', 'user', { action: 'session' });
    const taken = await act(host, 'o-b', 'user', {
      action: 'verifyRealName',
      name: ALICE.name,
      idNumber: ALICE.idNumber,
    });
    expect(taken).toMatchObject({ ok: false, error: { code: 'ID_NUMBER_IN_USE' } });
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

  test('minors: under the minimum age refused; between it and 18 verified as a minor', async () => {
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
    const sixteen = await ok(host, 'o-kid', 'user', {
      action: 'verifyRealName',
      name: '王小明',
      idNumber: idNumberFor('20101128'),
    });
    expect(sixteen).toMatchObject({ identity: { age: 16, minor: true } });
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

  describe('once verified', () => {
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

    test('the stored password is an scrypt hash with its own salt, never the digits', async () => {
      const userId = (await ok<{ userId: string }>(host, 'o-a', 'user', { action: 'profile' })).userId;
      await ok(host, 'o-a', 'verify', {
        action: 'setPayPassword',
        payPassword: ALICE.payPassword,
        confirmPayPassword: ALICE.payPassword,
      });
      const doc = await host.app.deps.store.get('payPasswords', userId);
      expect(doc).toMatchObject({ cost: { N: 2 ** 14, r: 8, p: 1 }, failedAttempts: 0 });
      expect(doc!.salt).toHaveLength(22);
      expect(JSON.stringify(doc)).not.toContain(ALICE.payPassword);
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
    ).resolves.toEqual({ userId, purpose: 'ledger.withdraw', method: 'payPassword', ticketDocId: null });
  });
});
