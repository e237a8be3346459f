/** Function `branches`: nearby branches, their queues, and appointments (预约取号). */
import type { BankCode as CardIssuerCode } from './cards';

/**
 * The national banks whose branches are listed: the 13 of them among the issuers the cards module
 * knows, with the same codes, so a card's bank and a branch's bank compare directly.
 */
export type BankCode = Extract<
  CardIssuerCode,
  'ICBC' | 'ABC' | 'BOC' | 'CCB' | 'COMM' | 'PSBC' | 'CMB' | 'SPDB' | 'CITIC' | 'CEB' | 'CMBC' | 'CIB' | 'SPABANK'
>;

/** 个人业务 / 对公业务 / 外币兑换 / 理财 / ATM. */
export type ServiceCode = 'personal' | 'corporate' | 'forex' | 'wealth' | 'atm';

/** Services with a counter queue, hence tickets and appointments (not the ATM). */
export type CounterService = Exclude<ServiceCode, 'atm'>;

export type AppointmentStatus = 'booked' | 'cancelled';

export interface BankView {
  code: BankCode;
  name: string;
  shortName: string;
}

export interface ServiceView {
  code: ServiceCode;
  label: string;
  /** Has a counter queue: tickets and appointments. */
  bookable: boolean;
}

/** A city with branches: the fallback when the phone's location is refused. */
export interface CityView {
  code: string;
  name: string;
  /** City centre, GCJ-02. */
  lat: number;
  lng: number;
}

export interface CatalogView {
  banks: BankView[];
  services: ServiceView[];
  cities: CityView[];
}

export interface QueueLineView {
  service: CounterService;
  label: string;
  waiting: number;
  /** The ticket called last, e.g. `A018`; null before the first call of the day. */
  nowCalling: string | null;
}

/** The branch's queue as its machine last reported it (null when no fresh report exists). */
export interface QueueView {
  /** 排队人数: people waiting over all counter lines. */
  waiting: number;
  /** waiting × average service time ÷ counters open, rounded up. */
  estimatedWaitMinutes: number;
  countersOpen: number;
  lines: QueueLineView[];
  reportedAt: number;
}

export interface BranchSummary {
  id: string;
  bankCode: BankCode;
  bankName: string;
  name: string;
  cityName: string;
  address: string;
  /** The branch's public number, e.g. `010-65123456`. */
  phone: string;
  /** GCJ-02. */
  lat: number;
  lng: number;
  /** Great-circle metres from the point asked about, rounded; null when no point was given. */
  distanceM: number | null;
  openNow: boolean;
  /** `09:00-17:00`, or `今日休息`. */
  todayHours: string;
  services: ServiceCode[];
  /** Step-free (无障碍) entrance. */
  accessible: boolean;
  queue: QueueView | null;
}

export interface NearbyRequest {
  /** GCJ-02, as wx.getLocation({ type: 'gcj02' }) answers. */
  lat: number;
  lng: number;
  /** Metres; default 5 km, at most 50 km. */
  radiusM?: number;
  /** Any of these banks; absent or empty: every bank. */
  bankCodes?: BankCode[];
  /** Only branches offering this service. */
  service?: ServiceCode;
  /** Only branches open now (China time). */
  openNow?: boolean;
  /** `nextCursor` of the previous page, with the same query. */
  cursor?: string;
  /** Page size; default 20, at most 50. */
  limit?: number;
}

export interface NearbyView {
  /** Nearest first. */
  branches: BranchSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
  radiusM: number;
}

export interface HoursRow {
  /** `周一至周五`, `周六`, `周日`. */
  days: string;
  /** `09:00-17:00` or `休息`. */
  hours: string;
}

export interface BranchDetail extends BranchSummary {
  weeklyHours: HoursRow[];
  /** Facts worth a line: weekend rules, the self-service area, the accessible entrance. */
  notes: string[];
  /** `services` as shown: 个人业务, 对公业务, … */
  serviceLabels: string[];
  /** Services that take appointments here. */
  bookableServices: { service: CounterService; label: string }[];
}

export interface DetailRequest {
  branchId: string;
  /** Where the user is, to report the distance. */
  lat?: number;
  lng?: number;
}

export interface SlotsRequest {
  branchId: string;
  service: CounterService;
  /** `2026-11-30` (China calendar day); default: the first bookable day. */
  date?: string;
}

export interface DayOption {
  date: string;
  /** `11月30日 周一`, `今天`. */
  label: string;
  /** The service is offered that day (the branch is open, and not a weekend for 对公业务). */
  open: boolean;
}

export type SlotStatus = 'available' | 'full' | 'passed';

export interface SlotView {
  /** `09:30`, China time. */
  time: string;
  endTime: string;
  startsAt: number;
  capacity: number;
  remaining: number;
  status: SlotStatus;
}

export interface SlotsView {
  branchId: string;
  service: CounterService;
  date: string;
  /** The booking window, today first. */
  days: DayOption[];
  slots: SlotView[];
}

export interface BookRequest {
  branchId: string;
  service: CounterService;
  date: string;
  /** A slot's start, `09:30`. */
  time: string;
}

export interface AppointmentView {
  id: string;
  branchId: string;
  branchName: string;
  bankName: string;
  address: string;
  service: CounterService;
  serviceLabel: string;
  date: string;
  time: string;
  endTime: string;
  startsAt: number;
  endsAt: number;
  /** `A023`: the number the branch calls. */
  ticket: string;
  status: AppointmentStatus;
  /** Tickets before this one not yet called, from today's queue report; null when unknown. */
  ticketsAhead: number | null;
  createdAt: number;
}

export interface CancelRequest {
  appointmentId: string;
}

export interface MineView {
  /** Booked and not yet over, soonest first. */
  upcoming: AppointmentView[];
  /** Cancelled or over, latest first. */
  history: AppointmentView[];
}

/** What a branch's queuing machine reports, authenticated by the branch's secret. */
export interface QueueFeedRequest {
  branchId: string;
  secret: string;
  /** Increases with every report: a late, older report is ignored. */
  seq: number;
  countersOpen: number;
  lines: { service: CounterService; waiting: number; nowCalling: string | null }[];
}

export interface QueueFeedResult {
  /** False when an equal or newer report was already applied. */
  applied: boolean;
  /** Appointment reminders this report triggered. */
  reminders: number;
}

export interface BranchesActions {
  catalog: { request: Record<string, never>; response: CatalogView };
  nearby: { request: NearbyRequest; response: NearbyView };
  detail: { request: DetailRequest; response: BranchDetail };
  slots: { request: SlotsRequest; response: SlotsView };
  book: { request: BookRequest; response: AppointmentView };
  cancel: { request: CancelRequest; response: AppointmentView };
  mine: { request: Record<string, never>; response: MineView };
  queueFeed: { request: QueueFeedRequest; response: QueueFeedResult };
}
