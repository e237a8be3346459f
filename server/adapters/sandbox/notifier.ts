/**
 * Sandbox Notifier: every subscribe message lands in an outbox collection in the Store instead of
 * reaching a phone. The local host shows it (GET /sandbox/notifications?userId=…); tests read it.
 * The openid is not kept: the outbox is by user id.
 */
import { createHash } from 'node:crypto';
import type { Collections, SandboxNotificationDoc } from '../../domain/collections';
import type { Notification, Notifier } from '../../domain/ports/notifier';
import { DocumentExistsError, type Store } from '../../domain/ports/store';
import type { Clock } from '../../domain/ports/system';

export class SandboxNotifier implements Notifier {
  constructor(private readonly deps: { store: Store<Collections>; clock: Clock }) {}

  async notify(notification: Notification): Promise<void> {
    const doc: SandboxNotificationDoc = {
      id: `nk_${createHash('sha256').update(notification.key).digest('hex').slice(0, 32)}`,
      userId: notification.userId,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      link: notification.link ?? null,
      templateId: notification.templateId,
      data: notification.data,
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
