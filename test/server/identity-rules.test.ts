/**
 * ID numbers, ages, trivial pay passwords and masks: pure rules, including properties over generated
 * inputs. And whose call it is: only the runtime context names the caller.
 */
import fc from 'fast-check';
import { startTestHost } from '../helpers/host';
import { ALICE, bindCard, ok, sandboxCardNumbers, verifiedUser } from '../helpers/verification';
import { maskIdNumber, maskName, maskPhone } from '../../server/domain/mask';
import { ageOn, formatDurationZh } from '../../server/domain/time';
import {
  birthdayPatterns,
  idCheckCharacter,
  parseIdNumber,
  upgradeLegacyIdentities,
} from '../../server/domain/users/identity';
import { trivialReason } from '../../server/domain/verify/pay-password';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);

test('published examples of valid ID numbers pass; a changed digit fails', () => {
  // the GB 11643-1999 standard's own example, whose check character is X
  expect(parseIdNumber('11010519491231002X', NOW)).toEqual({ idNumber: '11010519491231002X', birthDate: '19491231' });
  expect(parseIdNumber('11010519491231002x', NOW).idNumber).toBe('11010519491231002X');
  expect(() => parseIdNumber('110105194912310021', NOW)).toThrow(
    expect.objectContaining({ code: 'ID_NUMBER_INVALID' }),
  );
});

const birthDates = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2026, 10, 27)), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10).replace(/-/g, ''));
const regions = fc.constantFrom('110105', '310104', '440305', '510107', '650102', '810000');
const sequences = fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0'));

test('property: any region + real birth date + sequence with its check character is valid', () => {
  fc.assert(
    fc.property(regions, birthDates, sequences, (region, birth, sequence) => {
      const first17 = `${region}${birth}${sequence}`;
      expect(parseIdNumber(`${first17}${idCheckCharacter(first17)}`, NOW).birthDate).toBe(birth);
    }),
  );
});

test('property: changing any one character of a valid ID number makes it invalid', () => {
  fc.assert(
    fc.property(
      regions,
      birthDates,
      sequences,
      fc.integer({ min: 0, max: 17 }),
      fc.integer({ min: 1, max: 9 }),
      (region, birth, sequence, position, shift) => {
        const first17 = `${region}${birth}${sequence}`;
        const valid = `${first17}${idCheckCharacter(first17)}`;
        const alphabet = position === 17 ? '0123456789X' : '0123456789';
        const index = alphabet.indexOf(valid[position]!);
        const changed = alphabet[(index + shift) % alphabet.length]!;
        const mutated = `${valid.slice(0, position)}${changed}${valid.slice(position + 1)}`;
        expect(() => parseIdNumber(mutated, NOW)).toThrow(expect.objectContaining({ code: 'ID_NUMBER_INVALID' }));
      },
    ),
  );
});

test('age in China time: the birthday counts from its own day', () => {
  // 2026-11-28 02:00 UTC is 10:00 in China
  expect(ageOn('20101128', NOW)).toBe(16);
  expect(ageOn('20101129', NOW)).toBe(15);
  // 2026-11-27 17:00 UTC is already 11-28 in China
  expect(ageOn('20101128', Date.UTC(2026, 10, 27, 17, 0))).toBe(16);
  expect(ageOn('20101128', Date.UTC(2026, 10, 27, 15, 0))).toBe(15);
});

test('trivial pay passwords', () => {
  const birth = '19900307';
  const isBirthday = (password: string) => birthdayPatterns(birth).includes(password);
  const cases: [string, string | null][] = [
    ['000000', 'repeated'],
    ['012345', 'sequence'],
    ['789012', 'sequence'],
    ['543210', 'sequence'],
    ['101010', 'pattern'],
    ['147147', 'pattern'],
    ['900307', 'birthday'],
    ['070390', 'birthday'],
    ['030790', 'birthday'],
    ['199003', 'birthday'],
    ['258036', null],
    ['135790', null],
  ];
  for (const [password, reason] of cases)
    expect([password, trivialReason(password, isBirthday)]).toEqual([password, reason]);
  expect(trivialReason('900307', null)).toBeNull();
});

test('masks and durations', () => {
  expect(maskPhone('13812345678')).toBe('1381234****');
  expect(maskIdNumber('11010519491231002X')).toBe('**************002X');
  expect(maskIdNumber('11010519491231002x')).toBe('**************002x');
  expect(maskName('张三')).toBe('*三');
  expect(maskName('欧阳小明')).toBe('***明');
  expect(maskName('阿卜杜·热合曼')).toBe('******曼');
  expect(formatDurationZh(3 * 60 * 60 * 1000)).toBe('3小时');
  expect(formatDurationZh(2 * 60 * 60 * 1000 + 59 * 60 * 1000 + 1)).toBe('3小时');
  expect(formatDurationZh(90 * 60 * 1000)).toBe('1小时30分钟');
  expect(formatDurationZh(1)).toBe('1分钟');
});

test('a call without identity is UNAUTHENTICATED, whatever openid or userId its body carries', async () => {
  const host = await startTestHost();
  try {
    const userId = await verifiedUser(host, 'o-alice', ALICE);
    await ok(host, 'o-alice', 'ledger', { action: 'summary' });
    for (const [fn, action] of [
      ['ledger', 'summary'],
      ['user', 'profile'],
      ['cards', 'list'],
    ] as const) {
      const response = await host.call<{ ok: boolean; error?: { code: string } }>(fn, {
        action,
        openid: 'o-alice',
        userId,
        userInfo: { openId: 'o-alice' },
      });
      expect([fn, action, response.body]).toEqual([
        fn,
        action,
        { ok: false, error: expect.objectContaining({ code: 'UNAUTHENTICATED' }) },
      ]);
    }
  } finally {
    await host.close();
  }
});

test('an identity stored before only the needed facts were kept is rewritten at host start: birth date gone, last four only, rules still apply', async () => {
  const host = await startTestHost();
  try {
    const userId = await verifiedUser(host, 'o-legacy-identity');
    await bindCard(host, 'o-legacy-identity', sandboxCardNumbers(1, 900)[0]!);
    const store = host.app.deps.store;
    const current = (await store.get('identities', userId))!;
    // the shape an older database holds
    const { birthYear: _year, minorUntil: _minor, birthdayPasswordKeys: _keys, ...older } = current;
    await store.set('identities', {
      ...older,
      idNumberMasked: `110***********${ALICE.idNumber.slice(-4)}`,
      birthDate: ALICE.idNumber.slice(6, 14),
    } as unknown as typeof current);

    expect(await upgradeLegacyIdentities(host.app.deps)).toBe(1);
    const upgraded = (await store.get('identities', userId)) as unknown as Record<string, unknown>;
    expect(upgraded).not.toHaveProperty('birthDate');
    expect(upgraded).toEqual({ ...current, idNumberMasked: `**************${ALICE.idNumber.slice(-4)}` });
    expect(await upgradeLegacyIdentities(host.app.deps)).toBe(0);
    const profile = await ok<{ identity: { age: number; idNumberMasked: string } }>(host, 'o-legacy-identity', 'user', {
      action: 'profile',
    });
    expect(profile.identity.idNumberMasked).toBe(`**************${ALICE.idNumber.slice(-4)}`);
  } finally {
    await host.close();
  }
});
