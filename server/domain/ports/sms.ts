/**
 * Text messages to a phone. The domain composes the text (an SMS code, a notice) and never stores
 * or logs the phone number itself. Adapters: server/adapters/sandbox/sms.ts (an outbox the local
 * host shows at GET /sandbox/sms); a real SMS provider later.
 */
export interface SmsMessage {
  /** 11-digit mainland mobile number. */
  phone: string;
  text: string;
}

export interface SmsGateway {
  /** Hands the message to the provider; throws if the provider refuses it. */
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
}
