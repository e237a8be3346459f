/**
 * The SMS gateway on Tencent Cloud SMS (短信, API 2021-01-11 `SendSms`) through its official Node
 * SDK. Mainland SMS goes out as an approved template with parameters only (ports/sms.ts): the
 * message's `template` is sent, its `text` never is.
 *
 * What comes back is turned into the words the runtime answers with:
 *  - a refusal caused by the phone (its daily or frequency limit, a malformed or blocked number)
 *    → the AppError the user can act on (SMS_DAILY_LIMIT, RATE_LIMITED, …);
 *  - our account's own quotas and API frequency → RATE_LIMITED;
 *  - credentials, signature, template, SdkAppId, balance → MisconfiguredError (INTERNAL: an
 *    operator must act), naming the provider's code;
 *  - no answer, a timeout, a 5xx, a body that is not the API's, an internal error of the
 *    provider, a code we do not know → DependencyUnavailableError('sms', …) (UNAVAILABLE).
 * Neither the phone nor the code is ever logged or put in an error: only provider codes and
 * request ids, and the provider's own messages (which may quote the number) are dropped.
 */
import type * as SmsClientModule from 'tencentcloud-sdk-nodejs-sms/tencentcloud/services/sms/v20210111/sms_client';
import type { SendSmsResponse } from 'tencentcloud-sdk-nodejs-sms/tencentcloud/services/sms/v20210111/sms_models';
import { AppError } from '../../domain/errors';
import { DependencyUnavailableError, MisconfiguredError } from '../../domain/ports/failures';
import type { SmsGateway, SmsMessage, SmsTemplate } from '../../domain/ports/sms';
import type { Logger } from '../../domain/ports/system';

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  /** With temporary keys (those a cloud function is given). */
  token?: string;
}

export interface TencentSmsSettings {
  /** SmsSdkAppId of the SMS application, e.g. `1400006666`. */
  appId: string;
  /** The approved signature's text (签名内容, not its id), e.g. `微信银行`. */
  signName: string;
  /** The approved template of each kind of message, by its id in the SMS console. */
  templateIds: Record<SmsTemplate['name'], string>;
  /** API region, e.g. `ap-guangzhou`. */
  region: string;
  /** Read at every send: a function's temporary keys are replaced while it stays warm. */
  credentials(): TencentCredentials;
  log: Logger;
  /** Per request; the SDK's own default is 60 s, longer than a function may run. */
  timeoutMs?: number;
}

export const DEFAULT_SMS_TIMEOUT_MS = 5_000;

type SmsClient = InstanceType<typeof SmsClientModule.Client>;

/** The number as SendSms wants it (E.164); the domain's numbers are 11-digit mainland mobiles. */
function e164(phone: string): string {
  if (!/^1[3-9]\d{9}$/.test(phone)) throw new AppError('INVALID_ARGUMENT', '手机号格式有误，无法发送短信');
  return `+86${phone}`;
}

const INVALID_PHONE = () => new AppError('INVALID_ARGUMENT', '该手机号无法接收短信，请核对手机号');

/** Refusals caused by the phone, as the user is told. */
const PHONE_REFUSALS: Record<string, () => AppError> = {
  'LimitExceeded.PhoneNumberDailyLimit': () => new AppError('SMS_DAILY_LIMIT'),
  'LimitExceeded.PhoneNumberSameContentDailyLimit': () => new AppError('SMS_DAILY_LIMIT'),
  'LimitExceeded.PhoneNumberOneHourLimit': () => new AppError('RATE_LIMITED', '该手机号接收短信太频繁，请1小时后再试'),
  'LimitExceeded.PhoneNumberThirtySecondLimit': () => new AppError('RATE_LIMITED', '验证码发送太频繁，请稍后再试'),
  'LimitExceeded.DeliveryFrequencyLimit': () => new AppError('RATE_LIMITED', '验证码发送太频繁，请稍后再试'),
  'InvalidParameterValue.IncorrectPhoneNumber': INVALID_PHONE,
  'UnsupportedOperation.UnsupportedRegion': INVALID_PHONE,
  'FailedOperation.PhoneNumberInBlacklist': () =>
    new AppError('FAILED_PRECONDITION', '该手机号拒收短信（可能已退订），请联系运营商后再试'),
};

/** Code families an operator must fix: keys, signature, template, application, balance. */
const MISCONFIGURED =
  /^(AuthFailure|UnauthorizedOperation|InvalidParameter|InvalidParameterValue|MissingParameter|UnsupportedOperation|FailedOperation|InvalidAction|NoSuchVersion|NoSuchProduct|ActionOffline)(\.|$)/;

/** What a provider error code means here (`Ok` is not an error). */
export function outcomeOfCode(code: string): Error {
  const phoneRefusal = PHONE_REFUSALS[code];
  if (phoneRefusal) return phoneRefusal();
  // The account's daily quotas and the API's frequency limit: busy for everyone, retry later.
  if (/^(LimitExceeded|RequestLimitExceeded)(\.|$)/.test(code)) return new AppError('RATE_LIMITED');
  if (MISCONFIGURED.test(code)) {
    return new MisconfiguredError(
      `Tencent SMS refused the request with ${code}: check WXBANK_SMS_* (app id, signature, template), the keys and the SMS account`,
    );
  }
  return new DependencyUnavailableError('sms', code);
}

/** A provider code or request id as it may be logged: its own alphabet, bounded. */
function safeToken(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{1,80}$/.test(value) ? value : undefined;
}

/**
 * What the SDK threw: its exception carries `code` when the API answered an error, `httpCode`
 * for a non-200 answer, neither when the request failed on the way (its message says timeout).
 */
function failureOf(error: unknown): { code?: string; requestId?: string; reason?: string } {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const requestId = safeToken(fields.requestId);
  const code = 'requestId' in fields ? safeToken(fields.code) : undefined;
  if (code) return { code, requestId };
  if (typeof fields.httpCode === 'number') return { reason: `http_${fields.httpCode}`, requestId };
  const message = error instanceof Error ? error.message : '';
  if (/timeout/i.test(message)) return { reason: 'timeout' };
  if (fields.type === 'invalid-json') return { reason: 'bad_response' };
  return { reason: 'network' };
}

export class TencentSms implements SmsGateway {
  private client: SmsClient | undefined;

  constructor(private readonly settings: TencentSmsSettings) {}

  /**
   * The SDK is required on the first send, not when this module loads: evaluating it costs a cold
   * start some 60–80 ms, which a function that sends no SMS never pays (esbuild still bundles
   * it, ~390 KB minified, because the call names it literally).
   */
  private smsClient(): SmsClient {
    if (!this.client) {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Client } =
        require('tencentcloud-sdk-nodejs-sms/tencentcloud/services/sms/v20210111/sms_client') as typeof SmsClientModule;
      /* eslint-enable @typescript-eslint/no-require-imports */
      const { credentials, region, timeoutMs = DEFAULT_SMS_TIMEOUT_MS } = this.settings;
      this.client = new Client({
        credential: { getCredential: async () => credentials() },
        region,
        profile: { httpProfile: { reqTimeout: timeoutMs / 1000 } },
      });
    }
    return this.client;
  }

  async send(message: SmsMessage): Promise<void> {
    const { template } = message;
    if (!template) throw new MisconfiguredError('Tencent SMS sends templates only: this message has no template');
    const phoneNumber = e164(message.phone);
    // Checked here so a missing key is named, instead of the SDK's failure to sign.
    this.settings.credentials();
    let answer: SendSmsResponse;
    try {
      answer = await this.smsClient().SendSms({
        SmsSdkAppId: this.settings.appId,
        SignName: this.settings.signName,
        TemplateId: this.settings.templateIds[template.name],
        TemplateParamSet: template.params,
        PhoneNumberSet: [phoneNumber],
      });
    } catch (error) {
      const failure = failureOf(error);
      if (failure.code) throw this.refused(failure.code, failure.requestId);
      throw new DependencyUnavailableError('sms', failure.reason ?? 'network');
    }
    const code = safeToken(answer.SendStatusSet?.[0]?.Code);
    if (!code) {
      this.settings.log.warn('sms.tencent_bad_answer', { requestId: safeToken(answer.RequestId) });
      throw new DependencyUnavailableError('sms', 'bad_response');
    }
    if (code !== 'Ok') throw this.refused(code, safeToken(answer.RequestId));
  }

  /** Logs the provider's code and request id (what its support asks for), returns what to throw. */
  private refused(code: string, requestId: string | undefined): Error {
    this.settings.log.warn('sms.tencent_refused', { code, requestId });
    return outcomeOfCode(code);
  }
}
