/**
 * The sandbox adapters and the server secret: state shared through the Store by two hosts on one
 * SQLite file (as several `npm start` processes would be), the outbox route, and where the secret
 * comes from.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DerivedSecrets, developmentSecret, loadSecrets } from '../../server/adapters/secrets';
import { MemoryLogger } from '../../server/adapters/system';
import {
  QUICK_PAY_DAILY_LIMIT_FEN,
  SANDBOX_RESERVED_PHONE,
  TEST_CARDS,
} from '../../server/adapters/sandbox/test-cards';
import { createLocalApp, type LocalApp } from '../../server/host/app';
import { listen } from '../../server/host/http';
import { startTestHost, type TestHost } from '../helpers/host';
import { httpRequest } from '../helpers/http';
import { tempDbFile, removeTempDirs } from '../helpers/tmp';
import { ALICE, BOB, act, bindCard, bindStartBody, outbox, verifiedUser } from '../helpers/verification';

describe('two hosts on one database file', () => {
  let first: TestHost;
  let second: LocalApp;
  let secondUrl: string;
  beforeEach(async () => {
    first = await startTestHost();
    second = createLocalApp({
      dbFile: first.dbFile,
      clock: first.clock,
      log: new MemoryLogger(),
      detectStoreMisuse: true,
      rehearseTransactions: true,
    });
    secondUrl = `http://127.0.0.1:${(await listen(second.server, 0)).port}`;
  });
  afterEach(async () => {
    await second.close();
    await first.close();
  });

  test('share the SMS outbox, the sandbox bank accounts and the secret behind fingerprints', async () => {
    await verifiedUser(first, 'o-alice', ALICE);
    await bindCard(first, 'o-alice', TEST_CARDS[0]!.number);
    // the code sent through the first host is in the outbox the second one shows
    const seen = JSON.parse((await httpRequest(`${secondUrl}/sandbox/sms?phone=${SANDBOX_RESERVED_PHONE}`)).text);
    expect(seen.data.messages).toEqual(await outbox(first, SANDBOX_RESERVED_PHONE));
    expect(seen.data.messages).toHaveLength(1);

    const viaSecond = async (openid: string, fn: string, body: Record<string, unknown>) => {
      const response = await httpRequest(`${secondUrl}/fn/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-WX-OPENID': openid },
        body: JSON.stringify(body),
      });
      return JSON.parse(response.text) as { ok: boolean; error?: { code: string } };
    };
    // the same card through the second host: a duplicate (same card fingerprint key)…
    expect(await viaSecond('o-alice', 'cards', bindStartBody(TEST_CARDS[0]!.number))).toMatchObject({
      ok: false,
      error: { code: 'CARD_ALREADY_BOUND' },
    });
    // …and its sandbox account already belongs to Alice (same bank state)
    await verifiedUser(first, 'o-bob', BOB);
    expect(await viaSecond('o-bob', 'cards', bindStartBody(TEST_CARDS[0]!.number, BOB))).toMatchObject({
      ok: false,
      error: { code: 'BANK_HOLDER_MISMATCH' },
    });
    expect(existsSync(path.join(path.dirname(first.dbFile), 'dev-secret'))).toBe(true);
  });
});

describe('GET /sandbox/sms', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  test.each(['', '1380013800', '138001380001', '23800138000', "13800138000' OR 1=1", '<b>13800138000</b>'])(
    'phone %j → INVALID_ARGUMENT',
    async (phone) => {
      const response = await host.raw(`/sandbox/sms?phone=${encodeURIComponent(phone)}`);
      expect(JSON.parse(response.text)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    },
  );

  test('a phone with no messages → an empty list; messages are newest first', async () => {
    expect(await outbox(host, '13700137000')).toEqual([]);
    await host.app.sandbox.sms.send({ phone: '13700137000', text: 'first' });
    host.clock.advance(1000);
    await host.app.sandbox.sms.send({ phone: '13700137000', text: 'second' });
    expect((await outbox(host, '13700137000')).map((m) => m.text)).toEqual(['second', 'first']);
    expect(await outbox(host, '13700137001')).toEqual([]);
  });

  test('the bank sandbox answers "no answer" cards with BANK_UNAVAILABLE and logs it without the number', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const noAnswer = TEST_CARDS.find((card) => card.bind === 'no_answer')!.number;
    expect(await act(host, 'o-alice', 'cards', bindStartBody(noAnswer))).toMatchObject({
      ok: false,
      error: { code: 'BANK_UNAVAILABLE' },
    });
    const logged = host.log.lines.join('\n');
    expect(logged).toContain('cards.bank_unavailable');
    expect(logged).not.toContain(noAnswer);
  });
});

describe('the server secret', () => {
  afterEach(() => removeTempDirs());

  test('inside CloudBase a missing WXBANK_SECRET is a clear error; a short one is refused', () => {
    expect(() => loadSecrets({ env: {}, insideCloudBase: true, devSecretDir: '/nonexistent' })).toThrow(
      /WXBANK_SECRET is not set/,
    );
    expect(() => loadSecrets({ env: { WXBANK_SECRET: 'short' }, insideCloudBase: true, devSecretDir: '' })).toThrow(
      /at least 32 characters/,
    );
  });

  test('outside CloudBase a development secret is created once beside the database and reused', () => {
    const dir = path.dirname(tempDbFile());
    const first = developmentSecret(dir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(developmentSecret(dir)).toBe(first);
    expect(readFileSync(path.join(dir, 'dev-secret'), 'utf8')).toBe(first);
    const fromEnv = loadSecrets({ env: {}, insideCloudBase: false, devSecretDir: dir });
    expect(fromEnv.key('card-fingerprint')).toEqual(new DerivedSecrets(first).key('card-fingerprint'));
  });

  test('keys differ by purpose and by secret', () => {
    const a = new DerivedSecrets('a'.repeat(32));
    const b = new DerivedSecrets('b'.repeat(32));
    expect(a.key('card-fingerprint')).toHaveLength(32);
    expect(a.key('card-fingerprint')).not.toEqual(a.key('phone-fingerprint'));
    expect(a.key('card-fingerprint')).not.toEqual(b.key('card-fingerprint'));
  });
});

describe('the sandbox bank’s daily quick-payment limit', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  const open = async (cardNumber: string) => {
    const check = await host.app.sandbox.bank.verifyCard({
      cardNumber,
      holderName: ALICE.name,
      idNumber: ALICE.idNumber,
      reservedPhone: SANDBOX_RESERVED_PHONE,
    });
    if (!check.ok) throw new Error(`sandbox refused ${cardNumber}`);
    return check;
  };

  test('declared at the check, per card type; debits over what is left today are refused, the next day it is whole again', async () => {
    const bank = host.app.sandbox.bank;
    const debit = await open(TEST_CARDS[1]!.number); // 建设银行储蓄卡, ¥50,000 on the account
    const credit = await open(TEST_CARDS[3]!.number); // 招商银行信用卡, ¥30,000
    expect(debit.quickPayDailyLimitFen).toBe(QUICK_PAY_DAILY_LIMIT_FEN.debit);
    expect(credit.quickPayDailyLimitFen).toBe(QUICK_PAY_DAILY_LIMIT_FEN.credit);

    expect(await bank.debitCard('ref-1', credit.cardToken, 1_500_000)).toEqual({ state: 'SUCCEEDED' });
    expect(await bank.debitCard('ref-2', credit.cardToken, 500_001)).toEqual({
      state: 'FAILED',
      failure: 'CARD_DAILY_LIMIT_EXCEEDED',
    });
    expect(await bank.debitCard('ref-3', credit.cardToken, 500_000)).toEqual({ state: 'SUCCEEDED' });
    // a refused debit took nothing from the account; a replayed reference answers as it did
    expect((await bank.account(credit.cardToken))!.balanceFen).toBe(3_000_000 - 2_000_000);
    expect(await bank.debitCard('ref-2', credit.cardToken, 500_001)).toEqual({
      state: 'FAILED',
      failure: 'CARD_DAILY_LIMIT_EXCEEDED',
    });
    host.clock.advance(24 * 60 * 60 * 1000);
    expect(await bank.debitCard('ref-4', credit.cardToken, 1_000_000)).toEqual({ state: 'SUCCEEDED' });
    expect(await bank.debitCard('ref-5', debit.cardToken, 5_000_000)).toEqual({ state: 'SUCCEEDED' });
  });

  test('a test card may declare its own limit (raised at its bank)', async () => {
    const rich = TEST_CARDS[0]!;
    expect(rich.quickPayDailyLimitFen).toBeGreaterThan(QUICK_PAY_DAILY_LIMIT_FEN.debit);
    expect((await open(rich.number)).quickPayDailyLimitFen).toBe(rich.quickPayDailyLimitFen);
  });
});
