/**
 * Every stored collection, its document shape and the indexes its queries need. Adapters create
 * tables/collections and indexes from COLLECTION_SPECS, so a new collection is declared here once.
 */
import type { CollectionSpec } from './ports/store';
import type { UserLevel } from '../../typings/user';
import type { AppointmentStatus, BankCode, CounterService, ServiceCode } from '../../typings/branches';

export interface UserDoc {
  id: string;
  level: UserLevel;
  createdAt: number;
  updatedAt: number;
}

/** Maps a WeChat openid to our user id; the doc id is the openid, which makes first sign-in race-free. */
export interface WxAccountDoc {
  id: string;
  userId: string;
  createdAt: number;
}

/** A user's wallet balance; the only ledger account with a balance document (see ledger/accounts.ts). */
export interface WalletDoc {
  id: string;
  userId: string;
  balanceFen: number;
  createdAt: number;
  updatedAt: number;
}

/** Immutable. Postings sum to zero; each is also stored as a PostingDoc. */
export interface JournalEntryDoc {
  id: string;
  kind: string;
  operationId: string;
  userId: string | null;
  postings: { accountId: string; amountFen: number }[];
  createdAt: number;
}

export interface PostingDoc {
  id: string;
  entryId: string;
  accountId: string;
  amountFen: number;
  createdAt: number;
}

/** Remembers a money-moving request: same user + requestId answers with the same operation. */
export interface IdempotencyKeyDoc {
  id: string;
  userId: string;
  action: string;
  payloadHash: string;
  operationId: string;
  createdAt: number;
}

/** Opening hours of one day, in minutes after midnight China time; `close` is exclusive. */
export interface DayHours {
  open: number;
  close: number;
}

/** A bank branch: static facts, changed only by the bank (the seed, in the sandbox). */
export interface BranchDoc {
  id: string;
  bankCode: BankCode;
  cityCode: string;
  name: string;
  address: string;
  /** The branch's public number, e.g. `010-65123456` (not personal data). */
  phone: string;
  /** GCJ-02 as a GeoJSON point, `[lng, lat]`: the shape CloudBase's 2dsphere index reads. */
  location: { type: 'Point'; coordinates: [number, number] };
  /** Monday first, seven entries; null = closed that weekday. */
  week: (DayHours | null)[];
  services: ServiceCode[];
  /** Step-free (无障碍) entrance. */
  accessible: boolean;
  updatedAt: number;
}

/** One counter line as the branch's queuing machine last reported it. */
export interface QueueLineState {
  service: CounterService;
  waiting: number;
  /** Number of the ticket called last today (A018 → 18); null before the first call. */
  lastCalled: number | null;
}

/** Latest queue report of a branch; id = branch id. Written only by the `queueFeed` action. */
export interface BranchQueueDoc {
  id: string;
  /** The China day the report belongs to: ticket numbers restart every day. */
  dayKey: string;
  countersOpen: number;
  lines: QueueLineState[];
  /** The machine's own increasing sequence: an older report arriving late is ignored. */
  seq: number;
  reportedAt: number;
}

/** A branch's queuing machine credential; id = branch id. Only a hash of the secret is kept. */
export interface QueueMachineDoc {
  id: string;
  secretHash: string;
  registeredAt: number;
}

/** Seats of one branch/service/day/slot; id from appointments/slots.ts. Updated only in transactions. */
export interface AppointmentSlotDoc {
  id: string;
  branchId: string;
  service: CounterService;
  dayKey: string;
  startMinute: number;
  capacity: number;
  /** Seat indexes taken (0-based); a seat freed by a cancellation is given out again. */
  taken: number[];
  updatedAt: number;
}

/** One user's booking of one slot; the id is derived from (slot, user), so a slot is booked once per user. */
export interface AppointmentDoc {
  id: string;
  userId: string;
  branchId: string;
  service: CounterService;
  slotId: string;
  dayKey: string;
  startMinute: number;
  startsAt: number;
  endsAt: number;
  seat: number;
  /** `A023`: the service's letter and ticketNumber. */
  ticket: string;
  ticketNumber: number;
  status: AppointmentStatus;
  /** The "your turn is near" message went out (sent once). */
  reminded: boolean;
  createdAt: number;
  updatedAt: number;
}

/**
 * The upcoming appointments one user holds (id = user id), checked and changed in the booking
 * transaction so the per-user limit holds under concurrent bookings too.
 */
export interface AppointmentHoldsDoc {
  id: string;
  holds: { appointmentId: string; endsAt: number }[];
  updatedAt: number;
}

/** Local-host bookkeeping (what was seeded, sandbox keys); never used by deployed functions. */
export interface SandboxStateDoc {
  id: string;
  /** Version of the thing recorded, e.g. the branch seed's generator version, count and seed. */
  version: string;
  /** A sandbox-only secret (the key the seeded queue machines' secrets derive from). */
  secret: string;
  updatedAt: number;
}

/** The sandbox Notifier's outbox (server/adapters/sandbox/notifier.ts): what a user would have received. */
export interface SandboxNotificationDoc {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: number;
}

export interface Collections {
  users: UserDoc;
  wxAccounts: WxAccountDoc;
  wallets: WalletDoc;
  journalEntries: JournalEntryDoc;
  postings: PostingDoc;
  idempotencyKeys: IdempotencyKeyDoc;
  sandboxNotifications: SandboxNotificationDoc;
  branches: BranchDoc;
  branchQueues: BranchQueueDoc;
  queueMachines: QueueMachineDoc;
  appointmentSlots: AppointmentSlotDoc;
  appointments: AppointmentDoc;
  appointmentHolds: AppointmentHoldsDoc;
  sandboxState: SandboxStateDoc;
}

export type CollectionName = keyof Collections;

export const COLLECTION_SPECS: Record<CollectionName, CollectionSpec> = {
  users: { indexes: [] },
  wxAccounts: { indexes: [['userId']] },
  wallets: { indexes: [['balanceFen']] },
  journalEntries: { indexes: [['operationId'], ['createdAt']] },
  postings: { indexes: [['accountId', 'createdAt']] },
  idempotencyKeys: { indexes: [] },
  sandboxNotifications: { indexes: [['userId', 'createdAt']] },
  // nearby search goes through the BranchLocator port (SQLite R*Tree / CloudBase 2dsphere on `location`)
  branches: { indexes: [['cityCode']] },
  // fetched by `id in [...]` for a page of branches
  branchQueues: { indexes: [['id']] },
  queueMachines: { indexes: [] },
  appointmentSlots: { indexes: [['branchId', 'service', 'dayKey']] },
  appointments: {
    indexes: [
      ['userId', 'startsAt'],
      ['branchId', 'dayKey', 'service', 'status'],
      ['dayKey', 'status'],
    ],
  },
  appointmentHolds: { indexes: [] },
  sandboxState: { indexes: [] },
};
