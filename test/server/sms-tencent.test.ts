/**
 * The Tencent Cloud SMS gateway: the real SDK (tencentcloud-sdk-nodejs-sms) with its HTTPS answered
 * by nock, in the shapes the SendSms API (2021-01-11) documents — success, per-number failure codes,
 * API errors (`{ Response: { Error, RequestId } }`), 5xx, timeouts, dropped connections. Checks the
 * request the SDK sent, what each outcome becomes, that nothing logged or thrown holds the phone or
 * the code, the selector's settings and errors, and a binding through a real host with this gateway.
 */
import nock from 'nock';
import { COLLECTION_SPECS, type Collections } from '../../server/domain/collections';
import { AppError } from '../../server/domain/errors';
import { DependencyUnavailableError, MisconfiguredError } from '../../server/domain/ports/failures';
import type { SmsMessage } from '../../server/domain/ports/sms';
import { DerivedSecrets } from '../../server/adapters/secrets';
import { createSandbox, type Sandbox } from '../../server/adapters/sandbox';
import { SANDBOX_RESERVED_PHONE, TEST_CARDS } from '../../server/adapters/sandbox/test-cards';
import { smsFromEnvironment } from '../../server/adapters/sms';
import type * as SelectorModule from '../../server/adapters/sms';
import { TencentSms, type TencentSmsSettings } from '../../server/adapters/sms/tencent';
import { MemoryLogger } from '../../server/adapters/system';
import { SqliteStore } from '../../server/adapters/sqlite/store';
import { MIGRATIONS } from '../../server/adapters/sqlite/schema';
import { ManualClock } from '../helpers/clock';
import { startTestHost, type TestHost } from '../helpers/host';
import { removeTempDirs, tempDbFile } from '../helpers/tmp';
import { ALICE, act, bindStartBody, ok, verifiedUser, type BindStarted } from '../helpers/verification';

const API = 'https://sms.tencentcloudapi.com';
const SDK_CLIENT = 'tencentcloud-sdk-nodejs-sms/tencentcloud/services/sms/v20210111/sms_client';
const PHONE = '13912345678';
const CODE = '482916';
const MESSAGE: SmsMessage = {
  phone: PHONE,
  text: `【微信银行】验证码${CODE}，用于绑定尾号0018的中国工商银行储蓄卡，5分钟内有效。请勿将验证码告诉他人。`,
  template: { name: 'verificationCode', params: [CODE, '5'] },
};
const REQUEST_ID = 'a0aabda6-cf91-4f3e-a81f-9198114a2279';

/** SendSms's success answer as documented, for one number. */
function sent(phone = `+86${PHONE}`) {
  return {
    Response: {
      SendStatusSet: [
        {
          SerialNo: '5000:1045710669157053657849499619',
          PhoneNumber: phone,
          Fee: 1,
          SessionContext: '',
          Code: 'Ok',
          Message: 'send success',
          IsoCode: 'CN',
        },
      ],
      RequestId: REQUEST_ID,
    },
  };
}

/** A per-number failure: the request went through, the number's status says why not. */
function refusedForNumber(code: string) {
  return {
    Response: {
      SendStatusSet: [
        {
          SerialNo: '',
          PhoneNumber: `+86${PHONE}`,
          Fee: 0,
          SessionContext: '',
          Code: code,
          // the provider's messages may quote the number: they must go nowhere
          Message: `send to +86${PHONE} failed`,
          IsoCode: 'CN',
        },
      ],
      RequestId: REQUEST_ID,
    },
  };
}

/** An API error: the whole request refused. */
function apiError(code: string) {
  return { Response: { Error: { Code: code, Message: `refused for +86${PHONE}` }, RequestId: REQUEST_ID } };
}

interface SeenRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

/** Answers the next SendSms with `status` and `body`, recording what the SDK sent. */
function answerNext(status: number, body: unknown, delayMs = 0): SeenRequest[] {
  const seen: SeenRequest[] = [];
  nock(API)
    .post('/')
    .delay(delayMs)
    .reply(function (_uri, requestBody) {
      seen.push({ headers: this.req.headers, body: requestBody as Record<string, unknown> });
      return [status, body as nock.Body];
    });
  return seen;
}

let log: MemoryLogger;
let printed: string[];
beforeAll(() => {
  nock.disableNetConnect();
  // the local host of the end-to-end tests is reached for real
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(() => {
  log = new MemoryLogger();
  printed = [];
  // whatever anyone prints (the adapters' console logger, the SDK) is kept to be checked
  const keep = (stream: NodeJS.WriteStream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
  keep(process.stdout);
  keep(process.stderr);
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
});
afterEach(() => {
  jest.restoreAllMocks();
  nock.abortPendingRequests();
  nock.cleanAll();
  const everything = [...log.lines, ...printed].join('\n');
  expect(everything).not.toContain(PHONE);
  expect(everything).not.toContain(CODE);
});

function gateway(overrides: Partial<TencentSmsSettings> = {}): TencentSms {
  return new TencentSms({
    appId: '1400006666',
    signName: '微信银行',
    templateIds: { verificationCode: '1110' },
    region: 'ap-guangzhou',
    credentials: () => ({ secretId: 'AKIDtestsecretid', secretKey: 'test-secret-key' }),
    log,
    ...overrides,
  });
}

/** What `send` threw, checked to carry neither the phone nor the code. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof Error)) throw new Error('expected send to fail');
  expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(new RegExp(`${PHONE}|${CODE}`));
  return error;
}

describe('SendSms', () => {
  test('sends the template with its parameters to the E.164 number, signed for sms in the region', async () => {
    const seen = answerNext(200, sent());
    await expect(gateway().send(MESSAGE)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    const [{ headers, body }] = seen as [SeenRequest];
    expect(headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      'content-type': 'application/json',
    });
    expect(headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtestsecretid\/\d{4}-\d{2}-\d{2}\/sms\/tc3_request, /,
    );
    expect(headers['x-tc-token']).toBeUndefined();
    // the template only: the composed text never leaves
    expect(body).toEqual({
      SmsSdkAppId: '1400006666',
      SignName: '微信银行',
      TemplateId: '1110',
      TemplateParamSet: [CODE, '5'],
      PhoneNumberSet: [`+86${PHONE}`],
    });
    expect(log.lines).toEqual([]);
  });

  test('temporary keys go with their session token; keys are read at every send', async () => {
    let keys = { secretId: 'AKIDfirst', secretKey: 'k1', token: 'session-token-1' };
    const sms = gateway({ credentials: () => keys });
    const first = answerNext(200, sent());
    await sms.send(MESSAGE);
    keys = { secretId: 'AKIDsecond', secretKey: 'k2', token: 'session-token-2' };
    const second = answerNext(200, sent());
    await sms.send(MESSAGE);
    expect(first[0]!.headers['x-tc-token']).toBe('session-token-1');
    expect(first[0]!.headers.authorization).toContain('Credential=AKIDfirst/');
    expect(second[0]!.headers['x-tc-token']).toBe('session-token-2');
    expect(second[0]!.headers.authorization).toContain('Credential=AKIDsecond/');
  });

  const appError = (code: string) => ({ kind: AppError, code });
  const misconfigured = { kind: MisconfiguredError };
  const unavailable = (reason: string) => ({ kind: DependencyUnavailableError, reason });
  type Expected =
    | { kind: typeof AppError; code: string }
    | { kind: typeof MisconfiguredError }
    | { kind: typeof DependencyUnavailableError; reason: string };

  function expectOutcome(error: Error, expected: Expected): void {
    expect(error).toBeInstanceOf(expected.kind);
    if ('code' in expected) expect((error as AppError).code).toBe(expected.code);
    if ('reason' in expected) {
      expect(error).toMatchObject({ dependency: 'sms', reason: expected.reason });
    }
  }

  const PROVIDER_CODES: [string, Expected][] = [
    ['LimitExceeded.PhoneNumberDailyLimit', appError('SMS_DAILY_LIMIT')],
    ['LimitExceeded.PhoneNumberSameContentDailyLimit', appError('SMS_DAILY_LIMIT')],
    ['LimitExceeded.PhoneNumberThirtySecondLimit', appError('RATE_LIMITED')],
    ['LimitExceeded.PhoneNumberOneHourLimit', appError('RATE_LIMITED')],
    ['LimitExceeded.DeliveryFrequencyLimit', appError('RATE_LIMITED')],
    ['LimitExceeded.AppDailyLimit', appError('RATE_LIMITED')],
    ['LimitExceeded.AppMainlandChinaDailyLimit', appError('RATE_LIMITED')],
    ['InvalidParameterValue.IncorrectPhoneNumber', appError('INVALID_ARGUMENT')],
    ['FailedOperation.PhoneNumberInBlacklist', appError('FAILED_PRECONDITION')],
    ['FailedOperation.SignatureIncorrectOrUnapproved', misconfigured],
    ['FailedOperation.TemplateIncorrectOrUnapproved', misconfigured],
    ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', misconfigured],
    ['FailedOperation.InsufficientBalanceInSmsPackage', misconfigured],
    ['InvalidParameterValue.TemplateParameterFormatError', misconfigured],
    ['InvalidParameterValue.SdkAppIdNotExist', misconfigured],
    ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', misconfigured],
    ['UnauthorizedOperation.ServiceSuspendDueToArrears', misconfigured],
    ['InternalError.Timeout', unavailable('InternalError.Timeout')],
    ['InternalError.SendAndRecvFail', unavailable('InternalError.SendAndRecvFail')],
    ['SomethingNew.NobodyKnows', unavailable('SomethingNew.NobodyKnows')],
  ];

  test.each(PROVIDER_CODES)('the number’s status %s → %p', async (code, expected) => {
    answerNext(200, refusedForNumber(code));
    expectOutcome(await failureOf(gateway().send(MESSAGE)), expected);
    // the provider's code and request id are logged, for its support
    expect(log.lines).toHaveLength(1);
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ event: 'sms.tencent_refused', code, requestId: REQUEST_ID });
  });

  const API_ERRORS: [string, Expected][] = [
    ['AuthFailure.SecretIdNotFound', misconfigured],
    ['AuthFailure.SignatureFailure', misconfigured],
    ['AuthFailure.SignatureExpire', misconfigured],
    ['UnauthorizedOperation.RequestPermissionDeny', misconfigured],
    ['MissingParameter.EmptyPhoneNumberSet', misconfigured],
    ['RequestLimitExceeded', appError('RATE_LIMITED')],
    ['LimitExceeded.PhoneNumberDailyLimit', appError('SMS_DAILY_LIMIT')],
    ['InvalidParameterValue.IncorrectPhoneNumber', appError('INVALID_ARGUMENT')],
    ['InternalError', unavailable('InternalError')],
    ['ResourceUnavailable', unavailable('ResourceUnavailable')],
  ];

  test.each(API_ERRORS)('an API error %s → %p', async (code, expected) => {
    answerNext(200, apiError(code));
    const error = await failureOf(gateway().send(MESSAGE));
    expectOutcome(error, expected);
    if (error instanceof MisconfiguredError) expect(error.message).toContain(code);
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ event: 'sms.tencent_refused', code, requestId: REQUEST_ID });
  });

  test.each([500, 502, 503, 504])('HTTP %i → unavailable', async (status) => {
    answerNext(status, status === 502 ? '<html>Bad Gateway</html>' : apiError('InternalError'));
    expectOutcome(await failureOf(gateway().send(MESSAGE)), unavailable(`http_${status}`));
  });

  test('no answer within the timeout → unavailable: timeout, without waiting for the SDK’s 60 s', async () => {
    answerNext(200, sent(), 2_000);
    const started = Date.now();
    expectOutcome(await failureOf(gateway({ timeoutMs: 200 }).send(MESSAGE)), unavailable('timeout'));
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('a dropped connection or an unreachable host → unavailable: network', async () => {
    nock(API)
      .post('/')
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    expectOutcome(await failureOf(gateway().send(MESSAGE)), unavailable('network'));
    // no interceptor: the connection itself is refused
    expectOutcome(await failureOf(gateway().send(MESSAGE)), unavailable('network'));
  });

  test.each([
    ['not JSON', '<html>maintenance</html>'],
    ['no status for the number', { Response: { SendStatusSet: [], RequestId: REQUEST_ID } }],
    ['a status without a code', { Response: { SendStatusSet: [{ SerialNo: 'x' }], RequestId: REQUEST_ID } }],
  ])('an answer that is not the API’s (%s) → unavailable: bad_response', async (_label, body) => {
    answerNext(200, body);
    expectOutcome(await failureOf(gateway().send(MESSAGE)), unavailable('bad_response'));
  });

  test('nothing is sent without a template, or to a number that is not a mainland mobile', async () => {
    const scope = nock(API).post('/').reply(200, sent());
    expect(await failureOf(gateway().send({ phone: PHONE, text: MESSAGE.text }))).toBeInstanceOf(MisconfiguredError);
    const malformed = await failureOf(gateway().send({ ...MESSAGE, phone: '+8613912345678' }));
    expect(malformed).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(scope.isDone()).toBe(false);
  });
});

describe('smsFromEnvironment', () => {
  let sandbox: Sandbox;
  let store: SqliteStore<Collections>;
  beforeAll(() => {
    store = new SqliteStore<Collections>({ file: tempDbFile(), collections: COLLECTION_SPECS, migrations: MIGRATIONS });
    sandbox = createSandbox({
      store,
      secrets: new DerivedSecrets('test-secret-for-the-sms-selector-0123456789'),
      clock: new ManualClock(),
      ids: { next: (prefix) => `${prefix}_1` },
    });
  });
  afterAll(async () => {
    await store.close();
    removeTempDirs();
  });

  const TENCENT: NodeJS.ProcessEnv = {
    WXBANK_SMS: 'tencent',
    WXBANK_SMS_APP_ID: '1400006666',
    WXBANK_SMS_SIGN_NAME: '微信银行',
    WXBANK_SMS_TEMPLATE_ID: '1110',
    TENCENTCLOUD_SECRETID: 'AKIDfunctionrole',
    TENCENTCLOUD_SECRETKEY: 'function-role-key',
    TENCENTCLOUD_SESSIONTOKEN: 'function-role-token',
  };

  test.each([{}, { WXBANK_SMS: '' }, { WXBANK_SMS: 'sandbox' }])(
    '%j → the sandbox, which is also the outbox',
    (env) => {
      expect(smsFromEnvironment(env, sandbox)).toEqual({ sms: sandbox.sms, smsOutbox: sandbox.sms });
    },
  );

  test('tencent → the Tencent gateway and no outbox; the function’s own keys and region by default', async () => {
    const chosen = smsFromEnvironment(TENCENT, sandbox);
    expect(chosen.sms).toBeInstanceOf(TencentSms);
    expect(chosen.smsOutbox).toBeNull();
    const seen = answerNext(200, sent());
    await chosen.sms.send(MESSAGE);
    expect(seen[0]!.headers).toMatchObject({ 'x-tc-region': 'ap-guangzhou', 'x-tc-token': 'function-role-token' });
    expect(seen[0]!.headers.authorization).toContain('Credential=AKIDfunctionrole/');
    expect(seen[0]!.body).toMatchObject({ SmsSdkAppId: '1400006666', SignName: '微信银行', TemplateId: '1110' });
    // a refusal through the selector's logger: on stderr, without the phone (checked after each test)
    answerNext(200, refusedForNumber('LimitExceeded.PhoneNumberDailyLimit'));
    await expect(chosen.sms.send(MESSAGE)).rejects.toMatchObject({ code: 'SMS_DAILY_LIMIT' });
    expect(printed.join('')).toContain('"event":"sms.tencent_refused"');
  });

  test('the SMS keys win over the function’s own; the region is a setting', async () => {
    const env = {
      ...TENCENT,
      WXBANK_SMS_SECRET_ID: 'AKIDsmsonly',
      WXBANK_SMS_SECRET_KEY: 'sms-key',
      WXBANK_SMS_REGION: 'ap-beijing',
    };
    const seen = answerNext(200, sent());
    await smsFromEnvironment(env, sandbox).sms.send(MESSAGE);
    expect(seen[0]!.headers.authorization).toContain('Credential=AKIDsmsonly/');
    expect(seen[0]!.headers['x-tc-token']).toBeUndefined();
    expect(seen[0]!.headers['x-tc-region']).toBe('ap-beijing');
  });

  test.each<[string, NodeJS.ProcessEnv, RegExp]>([
    ['an unknown gateway', { WXBANK_SMS: 'aliyun' }, /WXBANK_SMS must be sandbox or tencent, got aliyun/],
    ['no app id', { ...TENCENT, WXBANK_SMS_APP_ID: undefined }, /WXBANK_SMS_APP_ID is not set/],
    ['a malformed app id', { ...TENCENT, WXBANK_SMS_APP_ID: 'app-1' }, /WXBANK_SMS_APP_ID must be/],
    ['no signature', { ...TENCENT, WXBANK_SMS_SIGN_NAME: ' ' }, /WXBANK_SMS_SIGN_NAME is not set/],
    ['a signature in 【】', { ...TENCENT, WXBANK_SMS_SIGN_NAME: '【微信银行】' }, /WXBANK_SMS_SIGN_NAME must be/],
    ['no template', { ...TENCENT, WXBANK_SMS_TEMPLATE_ID: '' }, /WXBANK_SMS_TEMPLATE_ID is not set/],
    ['a malformed region', { ...TENCENT, WXBANK_SMS_REGION: 'Guangzhou' }, /WXBANK_SMS_REGION must be/],
    [
      'no keys at all',
      { ...TENCENT, TENCENTCLOUD_SECRETID: undefined, TENCENTCLOUD_SECRETKEY: undefined },
      /WXBANK_SMS_SECRET_ID and WXBANK_SMS_SECRET_KEY are not set.*TENCENTCLOUD_SECRETID/,
    ],
    ['half of the SMS keys', { ...TENCENT, WXBANK_SMS_SECRET_ID: 'AKIDsmsonly' }, /WXBANK_SMS_SECRET_KEY is not set/],
    ['the other half', { ...TENCENT, WXBANK_SMS_SECRET_KEY: 'sms-key' }, /WXBANK_SMS_SECRET_ID is not set/],
  ])('%s → MisconfiguredError naming the setting', (_label, env, message) => {
    let thrown: unknown;
    try {
      smsFromEnvironment(env, sandbox);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MisconfiguredError);
    expect((thrown as Error).message).toMatch(message);
  });

  test('keys withdrawn after the choice: the send fails as misconfigured, before any request', async () => {
    const env = { ...TENCENT };
    const { sms } = smsFromEnvironment(env, sandbox);
    delete env.TENCENTCLOUD_SECRETKEY;
    const scope = nock(API).post('/').reply(200, sent());
    await expect(sms.send(MESSAGE)).rejects.toThrow(/TENCENTCLOUD_SECRETID/);
    expect(scope.isDone()).toBe(false);
  });

  test('the SDK is loaded on the first send, not when the gateway is chosen', async () => {
    const loaded: string[] = [];
    await jest.isolateModulesAsync(async () => {
      jest.doMock(SDK_CLIENT, () => {
        loaded.push(SDK_CLIENT);
        return jest.requireActual(SDK_CLIENT);
      });
      const selector = (await import('../../server/adapters/sms')) as typeof SelectorModule;
      const { sms } = selector.smsFromEnvironment(TENCENT, sandbox);
      expect(loaded).toEqual([]);
      answerNext(200, sent());
      await sms.send(MESSAGE);
      expect(loaded).toEqual([SDK_CLIENT]);
    });
  });
});

describe('binding a card with Tencent SMS as the gateway', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
    // the host's one deps object, as every function's main sees it: its SMS now goes to Tencent
    host.app.deps.sms = gateway({ log: host.log });
    host.app.deps.smsOutbox = null;
  });
  afterEach(async () => {
    const logged = host.log.lines.join('\n');
    expect(logged).not.toContain(SANDBOX_RESERVED_PHONE);
    await host.close();
  });

  test('the code in the template is the one that confirms the binding; the sandbox got nothing', async () => {
    await verifiedUser(host, 'o-alice', ALICE);
    const seen = answerNext(200, sent(`+86${SANDBOX_RESERVED_PHONE}`));
    const started = await ok<BindStarted>(host, 'o-alice', 'cards', bindStartBody(TEST_CARDS[0]!.number));
    expect(seen[0]!.body).toMatchObject({
      PhoneNumberSet: [`+86${SANDBOX_RESERVED_PHONE}`],
      TemplateParamSet: [expect.stringMatching(/^\d{6}$/), '5'],
    });
    const smsCode = (seen[0]!.body.TemplateParamSet as string[])[0]!;
    expect(await host.app.sandbox.sms.latest(SANDBOX_RESERVED_PHONE)).toEqual([]);
    expect(await act(host, 'o-alice', 'cards', { action: 'sandboxSmsCode', bindingId: started.bindingId })).toEqual({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: '不支持的操作' },
    });
    await ok(host, 'o-alice', 'cards', { action: 'bindConfirm', bindingId: started.bindingId, smsCode });
    expect(host.log.lines.join('\n')).not.toContain(smsCode);
  });

  test.each<[string, string, number, unknown]>([
    ['the phone’s daily limit', 'SMS_DAILY_LIMIT', 200, refusedForNumber('LimitExceeded.PhoneNumberDailyLimit')],
    ['an unapproved template', 'INTERNAL', 200, refusedForNumber('FailedOperation.TemplateIncorrectOrUnapproved')],
    ['wrong keys', 'INTERNAL', 200, apiError('AuthFailure.SecretIdNotFound')],
    ['a 503', 'UNAVAILABLE', 503, apiError('InternalError')],
  ])('%s → bindStart answers %s', async (_label, code, status, body) => {
    await verifiedUser(host, 'o-alice', ALICE);
    answerNext(status, body);
    const answer = await act(host, 'o-alice', 'cards', bindStartBody(TEST_CARDS[0]!.number));
    expect(answer).toMatchObject({ ok: false, error: { code } });
    const logged = host.log.lines.join('\n');
    if (code === 'INTERNAL')
      expect(logged).toMatch(/function\.misconfigured.*(TemplateIncorrectOrUnapproved|SecretIdNotFound)/);
    if (code === 'UNAVAILABLE')
      expect(logged).toMatch(/function\.dependency_unavailable.*"dependency":"sms","reason":"http_503"/);
  });
});
