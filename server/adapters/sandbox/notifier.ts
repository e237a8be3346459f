/**
 * Sandbox Notifier: every message lands in an outbox collection in the Store instead of reaching a
 * phone. The local host shows it (GET /sandbox/notifications?userId=…); tests read it.
 */
import { createHash } from 'node:crypto';
import type { Collections, SandboxNotificationDoc } from '../../domain/collections';
import type { Notification, Notifier } from '../../domain/ports/notifier';
import { DocumentExistsError, type Store } from '../../domain/ports/store';
import type { Clock, Ids } from '../../domain/ports/system';

export class SandboxNotifier implements Notifier {
  constructor(private readonly deps: { store: Store<Collections>; clock: Clock; ids: Ids }) {}

  async notify(notification: Notification): Promise<void> {
    const id = notification.key
      ? `nk_${createHash('sha256').update(notification.key).digest('hex').slice(0, 32)}`
      : this.deps.ids.next('n');
    const doc: SandboxNotificationDoc = {
      id,
      userId: notification.userId,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      link: notification.link ?? null,
      createdAt: this.deps.clock.now(),
    };
    try {
      await this.deps.store.create('sandboxNotifications', doc);
    } catch (error) {
      if (!(error instanceof DocumentExistsError)) throw error;
      // the same key again: already delivered once
    }
  }

  /** The newest messages of one user first. */
  outbox(userId: string, limit = 50): Promise<SandboxNotificationDoc[]> {
    return this.deps.store.find('sandboxNotifications', {
      where: [{ field: 'userId', op: '==', value: userId }],
      orderBy: [['createdAt', 'desc']],
      limit,
    });
  }
}
