/**
 * The sandbox SMS gateway: messages land in an outbox in the Store (`sandboxSmsOutbox`) instead of
 * a phone, and the local host shows the latest ones at GET /sandbox/sms?phone=…. Kept in the
 * Store so several host processes on one SQLite file share it. Sealed: the phone is stored as an
 * HMAC and the text (which holds the code) AES-256-GCM encrypted, so the database file holds
 * neither. The HMAC is the phone fingerprint the SMS challenges keep (`phoneKey`), so the domain
 * can find a challenge's messages without the number (`cards.sandboxSmsCode`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Collections } from '../../domain/collections';
import type { Secrets } from '../../domain/ports/secrets';
import type { OutboxMessage, SmsGateway, SmsMessage, SmsOutboxReader } from '../../domain/ports/sms';
import type { Store } from '../../domain/ports/store';
import type { Clock, Ids } from '../../domain/ports/system';
import { phoneKey } from '../../domain/verify/sms';

export interface SandboxSmsOptions {
  store: Store<Collections>;
  secrets: Secrets;
  clock: Clock;
  ids: Ids;
}

export class SandboxSms implements SmsGateway, SmsOutboxReader {
  constructor(private readonly options: SandboxSmsOptions) {}

  private seal(text: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.options.secrets.key('sandbox-sms'), iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  private unseal(sealed: string): string {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.options.secrets.key('sandbox-sms'), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }

  async send(message: SmsMessage): Promise<void> {
    await this.options.store.create('sandboxSmsOutbox', {
      id: this.options.ids.next('sbsms'),
      phoneKey: phoneKey(this.options, message.phone),
      sealed: this.seal(message.text),
      sentAt: this.options.clock.now(),
    });
  }

  /** The latest messages to a phone, newest first. */
  latest(phone: string, limit = 10): Promise<OutboxMessage[]> {
    return this.latestByPhoneKey(phoneKey(this.options, phone), limit);
  }

  async latestByPhoneKey(key: string, limit = 10): Promise<OutboxMessage[]> {
    const docs = await this.options.store.find('sandboxSmsOutbox', {
      where: [{ field: 'phoneKey', op: '==', value: key }],
      orderBy: [
        ['sentAt', 'desc'],
        ['id', 'desc'],
      ],
      limit,
    });
    return docs.map((doc) => ({ text: this.unseal(doc.sealed), sentAt: doc.sentAt }));
  }
}
