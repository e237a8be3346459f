/** Sending a notification is a courtesy, never part of the operation that triggers it. */
import type { Notification, Notifier } from '../ports/notifier';
import type { Logger } from '../ports/system';

/**
 * Delivers `notification`; a failure is logged and swallowed, so the caller's operation (a booking,
 * a queue report, a transfer) has already succeeded and stays succeeded. Call it outside
 * transactions: a re-run transaction must not send twice. Returns whether it was delivered.
 */
export async function sendNotification(
  deps: { notifier: Notifier; log: Logger },
  notification: Notification,
): Promise<boolean> {
  try {
    await deps.notifier.notify(notification);
    return true;
  } catch (error) {
    deps.log.warn('notify.failed', {
      kind: notification.kind,
      userId: notification.userId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return false;
  }
}
