/**
 * Messages to a user's phone: WeChat subscribe messages (订阅消息). The domain never calls this
 * directly from a business action: every message is first written to the user's message centre
 * and to the notification outbox, in the transaction of the event it reports, and delivered from
 * the outbox after that commits (server/domain/notify/). So a message is never lost with a
 * rolled-back transaction, never sent for one that did not happen, and a failed send is retried.
 *
 * Adapters: server/adapters/sandbox/notifier.ts (an outbox the local host shows at
 * GET /sandbox/notifications), server/adapters/wechat/notifier.ts (`subscribeMessage.send`).
 */

export interface Notification {
  userId: string;
  /** Whom WeChat delivers to. */
  openid: string;
  /** Stable, machine-readable: `appointment.reminder`, `ledger.transfer.SUCCEEDED`, … */
  kind: string;
  /** Short Chinese text, as the message centre shows it. */
  title: string;
  body: string;
  /** Mini program page the message opens, e.g. `/packageBranches/pages/appointments/index`. */
  link?: string;
  /** Same key → delivered at most once by adapters that can tell (the sandbox outbox). */
  key: string;
  /** The subscribe-message template (from the mini program console) and its fields by name (`thing1`). */
  templateId: string;
  data: Record<string, string>;
}

/**
 * WeChat refused the message for good: sending it again would fail the same way. `notSubscribed`:
 * the user has no acceptance left for the template (or withdrew it); `invalid`: the template, page,
 * data or recipient is wrong (a deployment mistake, logged). Any other error means "try later".
 */
export class NotificationRefusedError extends Error {
  constructor(
    readonly reason: 'notSubscribed' | 'invalid',
    /** The provider's code, for the log. */
    readonly providerCode: string,
  ) {
    super(`notification refused: ${reason} (${providerCode})`);
    this.name = 'NotificationRefusedError';
  }
}

export interface Notifier {
  /** Resolves once the provider took the message; throws NotificationRefusedError or any error to retry. */
  notify(notification: Notification): Promise<void>;
}
