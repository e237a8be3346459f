/**
 * Messages to a user: the one way the domain tells someone something happened (an appointment
 * reminder today; fund changes, the in-app message centre and WeChat subscribe messages later).
 * Adapters deliver or queue; the sandbox keeps an outbox the local host shows.
 */

export interface Notification {
  userId: string;
  /** Stable, machine-readable: `appointment.reminder`, later `ledger.topup`, … */
  kind: string;
  /** Short Chinese text fit for a message title or a subscribe-message field. */
  title: string;
  body: string;
  /** Mini program page the message opens, e.g. `/packageBranches/pages/appointments/index`. */
  link?: string;
  /** Same key → delivered at most once, so a caller may retry without doubling the message. */
  key?: string;
}

export interface Notifier {
  /** May throw; domain code calls it through `sendNotification`, which never does. */
  notify(notification: Notification): Promise<void>;
}
