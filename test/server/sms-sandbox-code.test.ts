/**
 * `cards.sandboxSmsCode`: the sandbox's code of the caller's own binding, over HTTP against a real
 * host — and, on a host whose functions have no SMS outbox (as under a real SMS provider), an
 * action indistinguishable from an unknown one.
 */
import { CONFIG } from '../../server/config';
import { SANDBOX_RESERVED_PHONE, TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { MemoryLogger } from '../../server/adapters/system';
import { createLocalApp, type LocalApp } from '../../server/host/app';
import { listen } from '../../server/host/http';
import { startTestHost, hostClient, type TestHost } from '../helpers/host';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import {
  ALICE,
  BOB,
  act,
  bindStartBody,
  latestSmsCode,
  ok,
  outbox,
  verifiedUser,
  type BindStarted,
} from '../helpers/verification';

interface SandboxSmsCode {
  phoneMasked: string;
  message: { code: string; text: string; sentAt: number } | null;
}

const ICBC = TEST_CARDS[0]!.number;
const CCB = TEST_CARDS[1]!.number;

describe('with the sandbox as the SMS gateway', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  const sandboxCode = (openid: string, bindingId: unknown) =>
    act<SandboxSmsCode>(host, openid, 'cards', { action: 'sandboxSmsCode', bindingId });

  test('answers the code of the caller’s binding, which confirms it; the phone only masked', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const answer = await sandboxCode('o-alice', started.bindingId);
    expect(answer).toEqual({
      ok: true,
      data: {
        phoneMasked: '1380013****',
        message: {
          code: await latestSmsCode(host),
          text: expect.stringContaining('绑定尾号0018'),
          sentAt: host.clock.now(),
        },
      },
    });
    expect(JSON.stringify(answer)).not.toContain(SANDBOX_RESERVED_PHONE);
    const code = answer.ok ? answer.data.message!.code : '';
    expect(answer.ok && answer.data.message!.text).toContain(`验证码${code}`);
    await ok(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode: code });
    // bound: there is no code to show any more
    expect(await sandboxCode('o-alice', started.bindingId)).toMatchObject({
      ok: false,
      error: { code: 'SMS_CODE_USED' },
    });
  });

  test('someone else’s binding and unknown ids are NOT_FOUND alike', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    await verifiedUser(host, 'o-bob', BOB);
    const alices = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const notFound = { ok: false, error: { code: 'NOT_FOUND', message: '绑卡申请不存在' } };
    expect(await sandboxCode('o-bob', alices.bindingId)).toEqual(notFound);
    expect(await sandboxCode('o-bob', 'bind_unknown')).toEqual(notFound);
    // a user with no session yet
    expect(await sandboxCode('o-carol', alices.bindingId)).toMatchObject({
      ok: false,
      error: { code: 'FAILED_PRECONDITION' },
    });
  });

  test('testers sharing the reserved phone each see their own code, not the phone’s newest', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    await verifiedUser(host, 'o-bob', BOB);
    const alices = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const alicesCode = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    const bobs = await ok<BindStarted>(host, 'o-bob', 'cards', bindStartBody(CCB, BOB));
    const bobsCode = await latestSmsCode(host);
    expect(await outbox(host, SANDBOX_RESERVED_PHONE)).toHaveLength(2);

    const forAlice = await sandboxCode('o-alice', alices.bindingId);
    const forBob = await sandboxCode('o-bob', bobs.bindingId);
    expect(forAlice).toMatchObject({ ok: true, data: { message: { code: alicesCode } } });
    expect(forBob).toMatchObject({ ok: true, data: { message: { code: bobsCode } } });
    expect(JSON.stringify(forAlice)).toContain('尾号0018');
    expect(JSON.stringify(forAlice)).not.toContain('尾号0020');
  });

  test('after a resend: the new code; the old one is no longer shown', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const first = await latestSmsCode(host);
    host.clock.advance(CONFIG.sms.resendIntervalMs);
    await ok(host, 'o-alice', 'verify', {
      action: 'resendSms',
      challengeId: started.sms.challengeId,
      phone: SANDBOX_RESERVED_PHONE,
    });
    const second = await latestSmsCode(host);
    const answer = await sandboxCode('o-alice', started.bindingId);
    expect(answer).toMatchObject({ ok: true, data: { message: { code: second, sentAt: host.clock.now() } } });
    if (first !== second) expect(JSON.stringify(answer)).not.toContain(first);
  });

  test('no message holds the current code: message null (the outbox lost it, or it was never sent)', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    const code = Number(await latestSmsCode(host));
    // a day's worth of other codes to the same phone pushes this one out of what is read
    for (let i = 1; i <= CONFIG.sms.dailyLimitPerPhone; i += 1) {
      host.clock.advance(1);
      const other = String((code + i) % 1_000_000).padStart(6, '0');
      await host.app.sandbox.sms.send({ phone: SANDBOX_RESERVED_PHONE, text: `【微信银行】验证码${other}` });
    }
    expect(await sandboxCode('o-alice', started.bindingId)).toEqual({
      ok: true,
      data: { phoneMasked: '1380013****', message: null },
    });
  });

  test('an expired binding: BINDING_EXPIRED', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    host.clock.advance(CONFIG.cards.bindingTtlMs);
    expect(await sandboxCode('o-alice', started.bindingId)).toMatchObject({
      ok: false,
      error: { code: 'BINDING_EXPIRED' },
    });
  });

  test.each([undefined, null, 42, '', 'bind 1', 'x'.repeat(65), ['bind_1'], { $ne: null }])(
    'bindingId %j → INVALID_ARGUMENT',
    async (bindingId) => {
      await ok(host, 'o-alice', 'user', { action: 'session' });
      expect(await sandboxCode('o-alice', bindingId)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT', details: { field: 'bindingId' } },
      });
    },
  );

  test('without an identity: UNAUTHENTICATED', async () => {
    expect((await host.call('cards', { action: 'sandboxSmsCode', bindingId: 'bind_1' })).body).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' },
    });
  });
});

describe('without an SMS outbox (a real SMS provider)', () => {
  let app: LocalApp;
  let client: ReturnType<typeof hostClient>;
  beforeEach(async () => {
    app = createLocalApp({ dbFile: tempDbFile(), log: new MemoryLogger(), smsOutbox: false });
    client = hostClient(`http://127.0.0.1:${(await listen(app.server, 0)).port}`);
  });
  afterEach(async () => {
    await app.close();
    removeTempDirs();
  });

  test.each<[string, Record<string, unknown>, string | undefined]>([
    ['a valid request', { bindingId: 'bind_1' }, 'o-alice'],
    ['a malformed one', { bindingId: 42 }, 'o-alice'],
    ['one without an identity', { bindingId: 'bind_1' }, undefined],
  ])('%s answers exactly as an unknown action does', async (_label, fields, openid) => {
    const asked = await client.call('cards', { action: 'sandboxSmsCode', ...fields }, openid);
    const unknown = await client.call('cards', { action: 'noSuchAction', ...fields }, openid);
    expect(asked).toEqual(unknown);
    expect(asked.body).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: '不支持的操作' } });
  });

  test('binding still works: the code went to the sandbox, only the functions cannot read it', async () => {
    const host = { ...client, clock: { advance: () => undefined } };
    await verifiedUser(host, 'o-alice', ALICE);
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(ICBC));
    expect(await act(host, 'o-alice', 'cards', { action: 'sandboxSmsCode', bindingId: started.bindingId })).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: '不支持的操作' },
    });
    const smsCode = await latestSmsCode(host);
    await ok(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode });
  });
});
