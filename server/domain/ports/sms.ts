/**
 * Text messages to a phone. The domain composes the text (an SMS code, a notice) and never stores
 * or logs the phone number itself. Adapters: server/adapters/sandbox/sms.ts (an outbox the local
 * host shows at GET /sandbox/sms, and `cards.sandboxSmsCode` in any deployment that runs it);
 * server/adapters/sms/tencent.ts (Tencent Cloud SMS). server/adapters/sms/index.ts chooses.
 */
export interface SmsMessage {
  /** 11-digit mainland mobile number. */
  phone: string;
  /** The whole message, as the sandbox keeps it. */
  text: string;
  /**
   * The same message as a provider template. Mainland SMS providers send only pre-approved
   * templates, never free text, and a verification-code template's variables may hold at most
   * 6 digits each: so what changes per message (the code, its validity in minutes) goes as
   * parameters, and the wording (`text` without them) is the template approved in the provider's
   * console. A message without a template cannot go through such a provider.
   */
  template?: SmsTemplate;
}

/** `verificationCode`: parameters `[code, minutes]`, e.g. `验证码{1}，{2}分钟内有效。请勿将验证码告诉他人。`. */
export interface SmsTemplate {
  name: 'verificationCode';
  params: string[];
}

export interface SmsGateway {
  /**
   * Hands the message to the provider. Throws AppError when the provider refuses it for the
   * phone's sake (daily limit, frequency, a number that cannot receive), and the failures of
   * ports/failures.ts for everything else.
   */
  send(message: SmsMessage): Promise<void>;
}

/** A message as the sandbox outbox keeps it. */
export interface OutboxMessage {
  text: string;
  sentAt: number;
}

/**
 * Reads what the sandbox SMS gateway "sent" to a phone, newest first. Present only while the
 * sandbox is the SMS gateway: with a real provider there is nothing to read, and the actions that
 * show sandbox codes to testers do not exist.
 */
export interface SmsOutboxReader {
  latest(phone: string, limit?: number): Promise<OutboxMessage[]>;
  /**
   * The same by the phone's fingerprint (`phoneKey` in domain/verify/sms.ts): the domain keeps
   * no phone numbers, only that fingerprint on its SMS challenges.
   */
  latestByPhoneKey(phoneKey: string, limit?: number): Promise<OutboxMessage[]>;
}
