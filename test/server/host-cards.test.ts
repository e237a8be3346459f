/** The cards function end to end over HTTP: detection, binding with the sandbox bank and SMS, list, detail, unbind. */
import { CONFIG } from '../../server/config';
import { getOwnedCard } from '../../server/domain/cards/cards';
import {
  QUICK_PAY_DAILY_LIMIT_FEN,
  SANDBOX_RESERVED_PHONE,
  TEST_CARDS,
  UNSUPPORTED_BANK_CARD,
} from '../../server/adapters/sandbox/test-cards';
import { startTestHost, type TestHost } from '../helpers/host';
import {
  ALICE,
  BIND_OUTCOME_CODES,
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
} from '../helpers/verification';

let host: TestHost;
let aliceId: string;
beforeEach(async () => {
  host = await startTestHost();
  aliceId = await verifiedUser(host, 'o-alice', ALICE);
});
afterEach(async () => {
  await host.close();
});

const card = (description: string) => TEST_CARDS.find((c) => c.description.startsWith(description))!.number;
const ICBC = card('工商银行储蓄卡');
const CCB = card('建设银行储蓄卡');
const CMB_CREDIT = card('招商银行信用卡');
const LUHN_FAILING = card('浦发银行储蓄卡');

describe('cards.detect', () => {
  test.each([
    ['6222', false, null, null, false],
    ['622202', true, 'ICBC', 'debit', false],
    ['6222 0200 0000 0000 018', true, 'ICBC', 'debit', true],
    ['6225750000000048', true, 'CMB', 'credit', true],
  ])('%s → recognized %s, bank %s, type %s, complete %s', async (number, recognized, bank, type, complete) => {
    const view = await ok<Record<string, unknown>>(host, 'o-alice', 'cards', { action: 'detect', cardNumber: number });
    expect(view).toMatchObject({ recognized, cardType: type, complete });
    expect((view.bank as { code: string } | null)?.code ?? null).toBe(bank);
  });

  test('an unsupported bank and a Luhn failure come back as warnings', async () => {
    expect(await ok(host, 'o-alice', 'cards', { action: 'detect', cardNumber: UNSUPPORTED_BANK_CARD })).toMatchObject({
      bank: { name: '平安银行', supported: false },
      warning: '暂不支持平安银行的银行卡',
    });
    expect(await ok(host, 'o-alice', 'cards', { action: 'detect', cardNumber: LUHN_FAILING })).toMatchObject({
      luhnValid: false,
      warning: expect.stringContaining('校验位'),
    });
  });
});

describe('binding', () => {
  test('start → SMS to the reserved phone → confirm: the card is listed with last four only', async () => {
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    expect(started).toMatchObject({
      card: {
        bank: { code: 'ICBC', name: '中国工商银行', shortName: '工商银行' },
        cardType: 'debit',
        cardTypeLabel: '储蓄卡',
        lastFour: '0018',
      },
      sms: { phoneMasked: '1380013****', resendAt: host.clock.now() + 60_000, expiresAt: host.clock.now() + 300_000 },
      warning: null,
    });
    const [message] = await outbox(host, SANDBOX_RESERVED_PHONE);
    expect(message!.text).toMatch(/^【微信银行】验证码\d{6}，用于绑定尾号0018的中国工商银行储蓄卡，5分钟内有效/);

    const bound = await ok<{ cardId: string }>(host, 'o-alice', 'cards', {
      action: 'bindConfirm',
      bindingId: started.bindingId,
      smsCode: await latestSmsCode(host),
    });
    expect(bound).toMatchObject({
      lastFour: '0018',
      bank: { code: 'ICBC', color: '#c7000b' },
      cardTypeLabel: '储蓄卡',
    });
    const list = await ok<{ cards: unknown[]; limit: number }>(host, 'o-alice', 'cards', { action: 'list' });
    expect(list).toEqual({ cards: [bound], limit: 10 });
    expect(await ok(host, 'o-alice', 'cards', { action: 'detail', cardId: bound.cardId })).toEqual({
      ...bound,
      quickPayDailyLimitFen: TEST_CARDS[0]!.quickPayDailyLimitFen,
    });

    // what the ledger gets, and the sandbox account behind the token
    const owned = await getOwnedCard(host.app.deps, aliceId, bound.cardId);
    expect(owned).toEqual({
      cardId: bound.cardId,
      bankCode: 'ICBC',
      bankName: '中国工商银行',
      bankShortName: '工商银行',
      cardType: 'debit',
      lastFour: '0018',
      gatewayToken: host.app.sandbox.bank.cardToken(ICBC),
    });
    expect(await host.app.sandbox.bank.account(owned.gatewayToken)).toMatchObject({ balanceFen: 10_000_000 });
  });

  test('a Luhn-failing number the bank accepts binds, with the warning', async () => {
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(LUHN_FAILING));
    expect(started.warning).toContain('校验位');
  });

  const refusals: [string, string, string][] = [
    ...TEST_CARDS.filter((c) => c.bind !== 'success').map((c): [string, string, string] => [
      c.description,
      c.number,
      BIND_OUTCOME_CODES[c.bind]!,
    ]),
    ['平安银行 (recognised, not supported)', UNSUPPORTED_BANK_CARD, 'CARD_UNSUPPORTED'],
    ['an unknown BIN', '9400000000000000', 'CARD_NUMBER_UNRECOGNIZED'],
    ['an ICBC number of the wrong length', ICBC.slice(0, 17), 'CARD_NUMBER_INVALID'],
  ];
  test.each(refusals)('%s → %s, no SMS, no card', async (_label, number, code) => {
    const result = await act(host, 'o-alice', 'cards', bindStartBody(number));
    expect(result).toMatchObject({ ok: false, error: { code, message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toEqual([]);
    expect(await host.app.deps.store.count('cardBindings')).toBe(0);
  });

  test('a phone other than the reserved one → BANK_PHONE_MISMATCH', async () => {
    const result = await act(host, 'o-alice', 'cards', bindStartBody(ICBC, ALICE, { reservedPhone: '13900139000' }));
    expect(result).toMatchObject({ ok: false, error: { code: 'BANK_PHONE_MISMATCH' } });
  });

  test('holder name or ID number other than the real-name identity → CARD_HOLDER_NOT_SELF', async () => {
    for (const other of [{ holderName: '李四' }, { idNumber: BOB.idNumber }]) {
      const result = await act(host, 'o-alice', 'cards', bindStartBody(ICBC, ALICE, other));
      expect(result).toMatchObject({ ok: false, error: { code: 'CARD_HOLDER_NOT_SELF' } });
    }
  });

  test('the sandbox account belongs to its first holder: after unbinding, another person is refused', async () => {
    const bound = await bindCard(host, 'o-alice', ICBC);
    await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId: bound.cardId, payPassword: ALICE.payPassword });
    await verifiedUser(host, 'o-bob', BOB);
    const result = await act(host, 'o-bob', 'cards', bindStartBody(ICBC, BOB));
    expect(result).toMatchObject({ ok: false, error: { code: 'BANK_HOLDER_MISMATCH' } });
    // and Alice may bind it again
    await bindCard(host, 'o-alice', ICBC);
  });

  test('a follower (no real name) cannot start a binding', async () => {
    await ok(host, 'o-new', 'user', { action: 'session' });
    expect(await act(host, 'o-new', 'cards', bindStartBody(ICBC))).toMatchObject({
      ok: false,
      error: { code: 'REAL_NAME_REQUIRED' },
    });
  });

  test('the same card twice → CARD_ALREADY_BOUND, also when two bindings of it race to confirm', async () => {
    const first = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const firstCode = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    const second = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const secondCode = await latestSmsCode(host);
    const results = await Promise.all([
      act(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: first.bindingId, smsCode: firstCode }),
      act(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: second.bindingId, smsCode: secondCode }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'CARD_ALREADY_BOUND' } });
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    expect(await act(host, 'o-alice', 'cards', bindStartBody(ICBC))).toMatchObject({
      ok: false,
      error: { code: 'CARD_ALREADY_BOUND' },
    });
  });

  test('10 cards at most: the 11th is refused', async () => {
    const numbers = sandboxCardNumbers(CONFIG.cards.maxBoundCards + 1);
    for (const number of numbers.slice(0, -1)) await bindCard(host, 'o-alice', number);
    const eleventh = await act(host, 'o-alice', 'cards', bindStartBody(numbers.at(-1)!));
    expect(eleventh).toMatchObject({ ok: false, error: { code: 'CARD_LIMIT_REACHED', details: { limit: 10 } } });
    expect((await ok<{ cards: unknown[] }>(host, 'o-alice', 'cards', { action: 'list' })).cards).toHaveLength(10);
  });

  test('minors: debit cards only, and at most 3', async () => {
    const minor = { name: '王小明', idNumber: idNumberFor('20090101'), payPassword: '582079' };
    await verifiedUser(host, 'o-minor', minor);
    expect(await act(host, 'o-minor', 'cards', bindStartBody(CMB_CREDIT, minor))).toMatchObject({
      ok: false,
      error: { code: 'CARD_TYPE_NOT_ALLOWED', message: '未成年人暂不能绑定信用卡' },
    });
    const numbers = sandboxCardNumbers(4);
    for (const number of numbers.slice(0, 3)) await bindCard(host, 'o-minor', number, minor);
    expect(await act(host, 'o-minor', 'cards', bindStartBody(numbers[3]!, minor))).toMatchObject({
      ok: false,
      error: { code: 'CARD_LIMIT_REACHED', details: { limit: 3 } },
    });
    expect(await ok(host, 'o-minor', 'cards', { action: 'list' })).toMatchObject({ limit: 3 });
  });
});

describe('SMS codes', () => {
  let started: BindStarted;
  beforeEach(async () => {
    started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(CCB));
  });
  const confirm = (smsCode: string) =>
    act(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode });
  const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  test('a wrong code tells the tries left; 5 wrong void the code, even the right one after', async () => {
    const code = await latestSmsCode(host);
    for (let left = 4; left >= 1; left--) {
      expect(await confirm(wrongCode(code))).toMatchObject({
        ok: false,
        error: { code: 'SMS_CODE_INCORRECT', details: { remainingAttempts: left } },
      });
    }
    expect(await confirm(wrongCode(code))).toMatchObject({ ok: false, error: { code: 'SMS_CODE_ATTEMPTS_EXCEEDED' } });
    expect(await confirm(code)).toMatchObject({ ok: false, error: { code: 'SMS_CODE_ATTEMPTS_EXCEEDED' } });
  });

  test('a replayed code → SMS_CODE_USED', async () => {
    const code = await latestSmsCode(host);
    expect((await confirm(code)).ok).toBe(true);
    expect(await confirm(code)).toMatchObject({ ok: false, error: { code: 'SMS_CODE_USED' } });
  });

  test('a code past 5 minutes → SMS_CODE_EXPIRED; a resend gives a new code and voids the old', async () => {
    const old = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.codeTtlMs);
    expect(await confirm(old)).toMatchObject({ ok: false, error: { code: 'SMS_CODE_EXPIRED' } });
    const resent = await ok(host, 'o-alice', 'verify', {
      action: 'resendSms',
      challengeId: started.sms.challengeId,
      phone: SANDBOX_RESERVED_PHONE,
    });
    expect(resent).toMatchObject({
      challengeId: started.sms.challengeId,
      expiresAt: host.clock.now() + CONFIG.sms.codeTtlMs,
    });
    const fresh = await latestSmsCode(host);
    if (fresh !== old) expect(await confirm(old)).toMatchObject({ ok: false, error: { code: 'SMS_CODE_INCORRECT' } });
    expect(await confirm(fresh)).toMatchObject({ ok: true });
  });

  test('resend: not within 60 s, only to the same phone, not for someone else', async () => {
    const resend = (phone: string, openid = 'o-alice') =>
      act(host, openid, 'verify', { action: 'resendSms', challengeId: started.sms.challengeId, phone });
    host.clock.advance(45_000);
    expect(await resend(SANDBOX_RESERVED_PHONE)).toMatchObject({
      ok: false,
      error: { code: 'SMS_RESEND_TOO_SOON', message: '验证码已发送，请15秒后再试', details: { retryAfterMs: 15_000 } },
    });
    host.clock.advance(15_000);
    expect(await resend('13900139000')).toMatchObject({ ok: false, error: { code: 'SMS_PHONE_MISMATCH' } });
    await verifiedUser(host, 'o-bob', BOB);
    expect(await resend(SANDBOX_RESERVED_PHONE, 'o-bob')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await resend(SANDBOX_RESERVED_PHONE)).ok).toBe(true);
  });

  test('one user sends at most 10 codes a day to one phone', async () => {
    for (let sent = 1; sent < CONFIG.sms.dailyLimitPerUserPhone; sent++) {
      host.clock.advance(CONFIG.sms.resendIntervalMs);
      await ok(host, 'o-alice', 'verify', {
        action: 'resendSms',
        challengeId: started.sms.challengeId,
        phone: SANDBOX_RESERVED_PHONE,
      });
    }
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    expect(
      await act(host, 'o-alice', 'verify', {
        action: 'resendSms',
        challengeId: started.sms.challengeId,
        phone: SANDBOX_RESERVED_PHONE,
      }),
    ).toMatchObject({ ok: false, error: { code: 'SMS_DAILY_LIMIT' } });
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toHaveLength(10);
  });

  test('a binding not confirmed within 15 minutes → BINDING_EXPIRED', async () => {
    const code = await latestSmsCode(host);
    host.clock.advance(CONFIG.cards.bindingTtlMs);
    expect(await confirm(code)).toMatchObject({ ok: false, error: { code: 'BINDING_EXPIRED' } });
  });
});

describe('tickets instead of the pay password', () => {
  const ticketFor = async (purpose: string) =>
    (
      await ok<{ ticket: string }>(host, 'o-alice', 'verify', {
        action: 'verifyPayPassword',
        payPassword: ALICE.payPassword,
        purpose,
      })
    ).ticket;

  test('a bank refusal does not spend the ticket; a binding does; the wrong purpose is refused', async () => {
    const ticket = await ticketFor('cards.bind');
    const noPassword = { payPassword: undefined, ticket };
    const refused = await act(
      host,
      'o-alice',
      'cards',
      bindStartBody(ICBC, ALICE, { ...noPassword, reservedPhone: '13900139000' }),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'BANK_PHONE_MISMATCH' } });
    expect((await act(host, 'o-alice', 'cards', bindStartBody(ICBC, ALICE, noPassword))).ok).toBe(true);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    expect(await act(host, 'o-alice', 'cards', bindStartBody(CCB, ALICE, noPassword))).toMatchObject({
      ok: false,
      error: { code: 'TICKET_INVALID' },
    });
    const unbindTicket = await ticketFor('cards.unbind');
    expect(
      await act(host, 'o-alice', 'cards', bindStartBody(CCB, ALICE, { payPassword: undefined, ticket: unbindTicket })),
    ).toMatchObject({
      ok: false,
      error: { code: 'TICKET_INVALID' },
    });
  });
});

describe('unbinding and ownership', () => {
  let cardId: string;
  beforeEach(async () => {
    cardId = (await bindCard(host, 'o-alice', ICBC)).cardId;
    await verifiedUser(host, 'o-bob', BOB);
  });

  test('needs the right pay password; then the card is gone everywhere', async () => {
    expect(await act(host, 'o-alice', 'cards', { action: 'unbind', cardId, payPassword: '000001' })).toMatchObject({
      ok: false,
      error: { code: 'PAY_PASSWORD_INCORRECT' },
    });
    expect(await ok(host, 'o-alice', 'cards', { action: 'unbind', cardId, payPassword: ALICE.payPassword })).toEqual({
      cardId,
      unbound: true,
    });
    expect(await ok(host, 'o-alice', 'cards', { action: 'list' })).toMatchObject({ cards: [] });
    expect(await act(host, 'o-alice', 'cards', { action: 'detail', cardId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await act(host, 'o-alice', 'cards', { action: 'unbind', cardId, payPassword: ALICE.payPassword }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    await expect(getOwnedCard(host.app.deps, aliceId, cardId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test("someone else's card id → NOT_FOUND, without spending their password tries", async () => {
    expect(await act(host, 'o-bob', 'cards', { action: 'detail', cardId })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await act(host, 'o-bob', 'cards', { action: 'unbind', cardId, payPassword: '000001' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await ok(host, 'o-bob', 'user', { action: 'profile' })).toMatchObject({
      payPassword: { remainingAttempts: 5 },
    });
    expect(await ok(host, 'o-bob', 'cards', { action: 'list' })).toMatchObject({ cards: [] });
    const bobId = (await ok<{ userId: string }>(host, 'o-bob', 'user', { action: 'profile' })).userId;
    await expect(getOwnedCard(host.app.deps, bobId, cardId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await ok(host, 'o-alice', 'cards', { action: 'detail', cardId })).toMatchObject({ cardId });
  });
});

describe('the bank check is throttled: it must not become an oracle', () => {
  const WRONG_PHONES = Array.from({ length: 30 }, (_, i) => `1390013${String(9000 + i)}`);

  test('30 phones against someone else’s card: a few precise answers, then one generic refusal, then RATE_LIMITED without asking the bank', async () => {
    await verifiedUser(host, 'o-bob', BOB);
    await bindCard(host, 'o-bob', CCB, BOB);
    // the next day (Bob's binding was a check of the card too), Alice tries Bob's card with her own
    // pay password; the reserved phone is the 6th she tries
    host.clock.advance(24 * 60 * 60 * 1000);
    const phones = [...WRONG_PHONES.slice(0, 5), SANDBOX_RESERVED_PHONE, ...WRONG_PHONES.slice(5, 29)];
    const asked = jest.spyOn(host.app.deps.bank, 'verifyCard');
    const codes: string[] = [];
    for (const reservedPhone of phones) {
      const result = await act(host, 'o-alice', 'cards', bindStartBody(CCB, ALICE, { reservedPhone }));
      codes.push(result.ok ? 'OK' : result.error.code);
    }
    const { preciseRefusalsPerDay, maxChecksPerDay } = CONFIG.cards.bankChecks;
    expect(codes.slice(0, preciseRefusalsPerDay)).toEqual(Array(preciseRefusalsPerDay).fill('BANK_PHONE_MISMATCH'));
    expect(codes.slice(preciseRefusalsPerDay, maxChecksPerDay)).toEqual(
      Array(maxChecksPerDay - preciseRefusalsPerDay).fill('CARD_VERIFICATION_FAILED'),
    );
    expect(codes.slice(maxChecksPerDay)).toEqual(Array(phones.length - maxChecksPerDay).fill('RATE_LIMITED'));
    expect(codes).not.toContain('BANK_HOLDER_MISMATCH');
    expect(asked).toHaveBeenCalledTimes(maxChecksPerDay);
    asked.mockRestore();
    // a new China day, a new count
    host.clock.advance(24 * 60 * 60 * 1000);
    expect(await act(host, 'o-alice', 'cards', bindStartBody(CCB, ALICE))).toMatchObject({
      error: { code: 'BANK_HOLDER_MISMATCH' },
    });
  });

  test('parallel tries are counted before the bank is asked: never more than the limit reach it', async () => {
    const asked = jest.spyOn(host.app.deps.bank, 'verifyCard');
    const results = await Promise.all(
      WRONG_PHONES.slice(0, 20).map((reservedPhone) =>
        act(host, 'o-alice', 'cards', bindStartBody(ICBC, ALICE, { reservedPhone })),
      ),
    );
    const codes = results.map((result) => (result.ok ? 'OK' : result.error.code));
    const { preciseRefusalsPerDay, maxChecksPerDay } = CONFIG.cards.bankChecks;
    expect(asked).toHaveBeenCalledTimes(maxChecksPerDay);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(20 - maxChecksPerDay);
    expect(codes.filter((code) => code === 'BANK_PHONE_MISMATCH').length).toBeLessThanOrEqual(preciseRefusalsPerDay);
    asked.mockRestore();
  });

  test('per card and per ID number: other accounts share the count', async () => {
    const { maxChecksPerDay } = CONFIG.cards.bankChecks;
    // accounts of different people, each trying Alice's card with a wrong phone
    for (let i = 0; i < maxChecksPerDay; i++) {
      const person = {
        name: '王五',
        idNumber: idNumberFor('19900307', '110105', String(300 + i)),
        payPassword: '582079',
      };
      await verifiedUser(host, `o-card-${i}`, person);
      await act(host, `o-card-${i}`, 'cards', bindStartBody(ICBC, person, { reservedPhone: WRONG_PHONES[i] }));
    }
    const late = { name: '赵六', idNumber: idNumberFor('19850101'), payPassword: '582079' };
    await verifiedUser(host, 'o-late', late);
    expect(await act(host, 'o-late', 'cards', bindStartBody(ICBC, late))).toMatchObject({
      error: { code: 'RATE_LIMITED' },
    });
    // accounts typing one ID number: Alice's, on cards of their own
    const cards = sandboxCardNumbers(maxChecksPerDay + 1, 100);
    for (let i = 0; i < maxChecksPerDay; i++) {
      await verifiedUser(host, `o-id-${i}`, ALICE);
      await act(host, `o-id-${i}`, 'cards', bindStartBody(cards[i]!, ALICE, { reservedPhone: WRONG_PHONES[i] }));
    }
    await verifiedUser(host, 'o-id-late', ALICE);
    expect(await act(host, 'o-id-late', 'cards', bindStartBody(cards.at(-1)!, ALICE))).toMatchObject({
      error: { code: 'RATE_LIMITED' },
    });
  }, 30_000);
});

describe('the bank’s daily quick-payment limit per card', () => {
  test('the card detail shows it: debit ¥50,000, credit ¥20,000, or what the card’s bank set', async () => {
    const debit = await bindCard(host, 'o-alice', CCB);
    const credit = await bindCard(host, 'o-alice', CMB_CREDIT);
    const raised = await bindCard(host, 'o-alice', ICBC);
    const limitOf = async (cardId: string) =>
      (await ok<{ quickPayDailyLimitFen: number | null }>(host, 'o-alice', 'cards', { action: 'detail', cardId }))
        .quickPayDailyLimitFen;
    expect(await limitOf(debit.cardId)).toBe(QUICK_PAY_DAILY_LIMIT_FEN.debit);
    expect(QUICK_PAY_DAILY_LIMIT_FEN).toEqual({ debit: 5_000_000, credit: 2_000_000 });
    expect(await limitOf(credit.cardId)).toBe(2_000_000);
    expect(await limitOf(raised.cardId)).toBe(TEST_CARDS[0]!.quickPayDailyLimitFen);
  });
});
