/**
 * Which SMS gateway a function uses, from its environment:
 *
 *   WXBANK_SMS              sandbox (default here; server/runtime/environment.ts requires it set
 *                           inside CloudBase) | tencent
 *   WXBANK_SMS_APP_ID       tencent: the SmsSdkAppId (digits, e.g. 1400006666)
 *   WXBANK_SMS_SIGN_NAME    tencent: the approved signature's text (e.g. 微信银行)
 *   WXBANK_SMS_TEMPLATE_ID  tencent: the approved verification-code template, parameters {1} the
 *                           code and {2} its validity in minutes
 *   WXBANK_SMS_REGION       tencent: API region, default ap-guangzhou
 *   WXBANK_SMS_SECRET_ID / WXBANK_SMS_SECRET_KEY
 *                           tencent: API keys with SMS rights; without them, the function's own
 *                           temporary keys (TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY,
 *                           TENCENTCLOUD_SESSIONTOKEN), which its role must allow to send SMS
 *
 * The sandbox is also the outbox testers read (`cards.sandboxSmsCode`); with a real provider there
 * is none. A missing or malformed setting throws MisconfiguredError naming it.
 */
import { MisconfiguredError } from '../../domain/ports/failures';
import type { SmsGateway, SmsOutboxReader } from '../../domain/ports/sms';
import { consoleLogger } from '../system';
import type { SandboxSms } from '../sandbox/sms';
import { TencentSms, type TencentCredentials } from './tencent';

export const DEFAULT_SMS_REGION = 'ap-guangzhou';

function setting(env: NodeJS.ProcessEnv, name: string, pattern: RegExp, expected: string): string {
  const value = env[name]?.trim();
  if (!value) throw new MisconfiguredError(`${name} is not set: WXBANK_SMS=tencent needs ${expected}`);
  if (!pattern.test(value)) throw new MisconfiguredError(`${name} must be ${expected}`);
  return value;
}

/** The SMS keys, else the function's own temporary keys; read at every send. */
function credentialsFrom(env: NodeJS.ProcessEnv): TencentCredentials {
  const { WXBANK_SMS_SECRET_ID: id, WXBANK_SMS_SECRET_KEY: key } = env;
  if (id || key) {
    if (!id) throw new MisconfiguredError('WXBANK_SMS_SECRET_ID is not set, but WXBANK_SMS_SECRET_KEY is');
    if (!key) throw new MisconfiguredError('WXBANK_SMS_SECRET_KEY is not set, but WXBANK_SMS_SECRET_ID is');
    return { secretId: id, secretKey: key };
  }
  const { TENCENTCLOUD_SECRETID: secretId, TENCENTCLOUD_SECRETKEY: secretKey } = env;
  if (!secretId || !secretKey) {
    throw new MisconfiguredError(
      'WXBANK_SMS_SECRET_ID and WXBANK_SMS_SECRET_KEY are not set, and no TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY were provided: WXBANK_SMS=tencent needs API keys',
    );
  }
  return { secretId, secretKey, token: env.TENCENTCLOUD_SESSIONTOKEN || undefined };
}

export function smsFromEnvironment(
  env: NodeJS.ProcessEnv,
  sandbox: { sms: SandboxSms },
): { sms: SmsGateway; smsOutbox: SmsOutboxReader | null } {
  const kind = env.WXBANK_SMS || 'sandbox';
  if (kind === 'sandbox') return { sms: sandbox.sms, smsOutbox: sandbox.sms };
  if (kind !== 'tencent')
    throw new MisconfiguredError(`WXBANK_SMS must be sandbox or tencent, got ${kind.slice(0, 40)}`);
  const appId = setting(env, 'WXBANK_SMS_APP_ID', /^\d{5,20}$/, 'the SmsSdkAppId (digits, e.g. 1400006666)');
  const signName = setting(env, 'WXBANK_SMS_SIGN_NAME', /^[^\s【】[\]]{2,20}$/u, 'the signature text without 【】');
  const templateId = setting(env, 'WXBANK_SMS_TEMPLATE_ID', /^\d{1,20}$/, 'the template id (digits)');
  const region = env.WXBANK_SMS_REGION?.trim() || DEFAULT_SMS_REGION;
  if (!/^[a-z]+(-[a-z]+)+$/.test(region)) {
    throw new MisconfiguredError(`WXBANK_SMS_REGION must be a region such as ${DEFAULT_SMS_REGION}`);
  }
  credentialsFrom(env); // now, so a deployment without keys fails at its first call, not its first SMS
  const sms = new TencentSms({
    appId,
    signName,
    templateIds: { verificationCode: templateId },
    region,
    credentials: () => credentialsFrom(env),
    log: consoleLogger,
  });
  return { sms, smsOutbox: null };
}
