/**
 * Appointments (预约取号): a user books a seat in a slot of a branch's service and gets a ticket.
 *
 * Race-free by documents, not queries: the slot's seats live in one slot document, the booking's id
 * is derived from (slot, user), and the user's upcoming holds live in one per-user document — all
 * read and written in one transaction, so the last seat goes to exactly one of many concurrent
 * bookings, a user cannot hold a slot twice, and the per-user limits hold (upcoming, per day, and
 * the bookings and cancellations one may make, throttle.ts). Nothing in the callback has side
 * effects: it may run more than once. Booking needs a verified real-name identity.
 */
import { CONFIG } from '../../config';
import type {
  AppointmentView,
  BookRequest,
  CancelRequest,
  CounterService,
  MineView,
  SlotsRequest,
  SlotsView,
} from '../../../typings/branches';
import type { AppointmentDoc, AppointmentSlotDoc, BranchDoc, BranchQueueDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { countRequest, rateLimited } from '../throttle';
import { requireVerifiedIdentity } from '../users/identity';
import { type Caller, requireUser } from '../users/session';
import { chinaDayKey, chinaDayStart, chinaWeekday, formatMinuteOfDay, WEEKDAY_LABELS } from '../time';
import { formatTicket, SERVICES } from './catalog';
import { serviceHours } from './hours';
import {
  appointmentDocId,
  bookingWindow,
  daySlots,
  type Slot,
  slotDocId,
  slotsOn,
  slotStartsAt,
  ticketNumberOf,
} from './slots';
import { appointmentView, currentQueue } from './views';

const { slotCapacity, maxUpcomingPerUser, maxPerUserPerDay, changeLimits } = CONFIG.branches.appointments;
const tooManyChanges = (wait: string) => `预约和取消太频繁，请${wait}后再试`;

async function requireBranchService(deps: DomainDeps, branchId: string, service: CounterService): Promise<BranchDoc> {
  const branch = await deps.store.get('branches', branchId);
  if (!branch) throw new AppError('NOT_FOUND', '网点不存在');
  if (!branch.services.includes(service)) {
    throw new AppError('SERVICE_NOT_OFFERED', `该网点不办理${SERVICES[service].label}`);
  }
  return branch;
}

function dayLabel(dayKey: string, today: string): string {
  const [, month, day] = dayKey.split('-').map(Number);
  const weekday = WEEKDAY_LABELS[chinaWeekday(chinaDayStart(dayKey))];
  return dayKey === today ? `今天 ${weekday}` : `${month}月${day}日 ${weekday}`;
}

export async function listSlots(deps: DomainDeps, request: SlotsRequest): Promise<SlotsView> {
  const branch = await requireBranchService(deps, request.branchId, request.service);
  const now = deps.clock.now();
  const window = bookingWindow(now);
  const today = window[0]!;
  const days = window.map((dayKey) => ({
    date: dayKey,
    label: dayLabel(dayKey, today),
    open: slotsOn(branch, request.service, dayKey).some((slot) => slotStartsAt(dayKey, slot.startMinute) > now),
  }));
  const date = request.date ?? days.find((day) => day.open)?.date ?? today;
  if (!window.includes(date)) {
    throw new AppError('SLOT_NOT_YET_BOOKABLE', undefined, { bookableDays: window.length });
  }
  const slots = slotsOn(branch, request.service, date);
  const seats = await deps.store.find('appointmentSlots', {
    where: [
      { field: 'branchId', op: '==', value: branch.id },
      { field: 'service', op: '==', value: request.service },
      { field: 'dayKey', op: '==', value: date },
    ],
    limit: 200,
  });
  const taken = new Map(seats.map((doc) => [doc.startMinute, doc.taken.length]));
  return {
    branchId: branch.id,
    service: request.service,
    date,
    days,
    slots: slots.map((slot) => {
      const startsAt = slotStartsAt(date, slot.startMinute);
      const remaining = Math.max(0, slotCapacity - (taken.get(slot.startMinute) ?? 0));
      return {
        time: formatMinuteOfDay(slot.startMinute),
        endTime: formatMinuteOfDay(slot.endMinute),
        startsAt,
        capacity: slotCapacity,
        remaining,
        status: startsAt <= now ? 'passed' : remaining === 0 ? 'full' : 'available',
      };
    }),
  };
}

function parseTime(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
}

/** The slot a booking asks for, or the precise reason it cannot be booked. */
function bookableSlot(branch: BranchDoc, request: BookRequest, now: number): Slot {
  const window = bookingWindow(now);
  if (request.date < window[0]!) throw new AppError('SLOT_PASSED');
  if (!window.includes(request.date)) {
    throw new AppError('SLOT_NOT_YET_BOOKABLE', `仅可预约 ${window.length} 天内的时段`, {
      bookableDays: window.length,
    });
  }
  const weekday = chinaWeekday(chinaDayStart(request.date));
  const hours = serviceHours(branch, request.service, weekday);
  if (!hours) throw new AppError('SLOT_CLOSED', branch.week[weekday] ? '对公业务仅工作日办理' : '网点当日不营业');
  const minute = parseTime(request.time);
  const slot = daySlots(hours).find((s) => s.startMinute === minute);
  if (!slot) {
    if (minute < hours.open || minute >= hours.close) throw new AppError('SLOT_CLOSED');
    throw new AppError('INVALID_ARGUMENT', '没有这个预约时段', { field: 'time' });
  }
  if (slotStartsAt(request.date, slot.startMinute) <= now) throw new AppError('SLOT_PASSED');
  return slot;
}

async function todaysReport(deps: DomainDeps, branchId: string, now: number): Promise<BranchQueueDoc | null> {
  return currentQueue(await deps.store.get('branchQueues', branchId), now);
}

export async function bookAppointment(
  deps: DomainDeps,
  caller: Caller,
  request: BookRequest,
): Promise<AppointmentView> {
  const user = await requireUser(deps, caller);
  // A seat is a promise to serve a person the bank knows: anonymous accounts could hoard them.
  await requireVerifiedIdentity(deps, user.id);
  const branch = await requireBranchService(deps, request.branchId, request.service);
  const now = deps.clock.now();
  const slot = bookableSlot(branch, request, now);
  const slotId = slotDocId(branch.id, request.service, request.date, slot.startMinute);
  const appointmentId = appointmentDocId(slotId, user.id);
  const startsAt = slotStartsAt(request.date, slot.startMinute);
  const endsAt = slotStartsAt(request.date, slot.endMinute);

  const appointment = await deps.store.transaction(async (tx) => {
    const existing = await tx.get('appointments', appointmentId);
    if (existing?.status === 'booked') throw new AppError('ALREADY_BOOKED');
    const holdsDoc = await tx.get('appointmentHolds', user.id);
    const holds = (holdsDoc?.holds ?? []).filter((hold) => hold.endsAt > now);
    if (holds.length >= maxUpcomingPerUser) {
      throw new AppError('APPOINTMENT_LIMIT_REACHED', undefined, { limit: maxUpcomingPerUser });
    }
    // A slot ends on its own day, so a hold's day is the day of its last moment.
    if (holds.filter((hold) => chinaDayKey(hold.endsAt - 1) === request.date).length >= maxPerUserPerDay) {
      throw new AppError(
        'APPOINTMENT_LIMIT_REACHED',
        `同一天最多预约 ${maxPerUserPerDay} 个时段，请先取消或改约其他日期`,
        { limit: maxPerUserPerDay, date: request.date },
      );
    }
    const seats: AppointmentSlotDoc = (await tx.get('appointmentSlots', slotId)) ?? {
      id: slotId,
      branchId: branch.id,
      service: request.service,
      dayKey: request.date,
      startMinute: slot.startMinute,
      capacity: slotCapacity,
      taken: [],
      updatedAt: now,
    };
    let seat = 0;
    while (seats.taken.includes(seat)) seat++;
    if (seat >= seats.capacity) throw new AppError('SLOT_FULL');
    // Counted last, so only a booking that is made uses up the allowance.
    const retryAt = await countRequest(tx, 'appointmentChange', user.id, changeLimits, now);
    if (retryAt !== null) throw rateLimited(retryAt, now, tooManyChanges);
    const ticketNumber = ticketNumberOf(slot.index, seat, seats.capacity);
    const booked: AppointmentDoc = {
      id: appointmentId,
      userId: user.id,
      branchId: branch.id,
      service: request.service,
      slotId,
      dayKey: request.date,
      startMinute: slot.startMinute,
      startsAt,
      endsAt,
      seat,
      ticket: formatTicket(request.service, ticketNumber),
      ticketNumber,
      status: 'booked',
      reminded: false,
      createdAt: now,
      updatedAt: now,
    };
    await tx.set('appointmentSlots', { ...seats, taken: [...seats.taken, seat].sort((a, b) => a - b), updatedAt: now });
    await tx.set('appointments', booked);
    await tx.set('appointmentHolds', {
      id: user.id,
      holds: [...holds, { appointmentId, endsAt }],
      updatedAt: now,
    });
    return booked;
  });
  deps.log.info('branches.appointment_booked', { appointmentId, branchId: branch.id, userId: user.id });
  return appointmentView(appointment, branch, { now, report: await todaysReport(deps, branch.id, now) });
}

export async function cancelAppointment(
  deps: DomainDeps,
  caller: Caller,
  request: CancelRequest,
): Promise<AppointmentView> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  const appointment = await deps.store.transaction(async (tx) => {
    const current = await tx.get('appointments', request.appointmentId);
    if (!current || current.userId !== user.id) throw new AppError('NOT_FOUND', '预约不存在');
    if (current.status === 'cancelled') return current;
    if (current.startsAt <= now) throw new AppError('APPOINTMENT_STARTED');
    // Freeing a seat is never refused, but it counts: book/cancel cycles run out of allowance.
    await countRequest(tx, 'appointmentChange', user.id, changeLimits, now, { enforce: false });
    const seats = await tx.get('appointmentSlots', current.slotId);
    if (seats) {
      await tx.update('appointmentSlots', seats.id, {
        taken: seats.taken.filter((seat) => seat !== current.seat),
        updatedAt: now,
      });
    }
    const holds = await tx.get('appointmentHolds', user.id);
    if (holds) {
      await tx.update('appointmentHolds', user.id, {
        holds: holds.holds.filter((hold) => hold.appointmentId !== current.id && hold.endsAt > now),
        updatedAt: now,
      });
    }
    const cancelled: AppointmentDoc = { ...current, status: 'cancelled', updatedAt: now };
    await tx.set('appointments', cancelled);
    return cancelled;
  });
  const branch = await deps.store.get('branches', appointment.branchId);
  return appointmentView(appointment, branch, { now, report: null });
}

export async function myAppointments(deps: DomainDeps, caller: Caller): Promise<MineView> {
  const user = await requireUser(deps, caller);
  const now = deps.clock.now();
  const appointments = await deps.store.find('appointments', {
    where: [{ field: 'userId', op: '==', value: user.id }],
    orderBy: [['startsAt', 'desc']],
    limit: 100,
  });
  const branchIds = [...new Set(appointments.map((a) => a.branchId))];
  const branches = new Map<string, BranchDoc | null>();
  const reports = new Map<string, BranchQueueDoc | null>();
  const today = chinaDayKey(now);
  await Promise.all(
    branchIds.map(async (id) => {
      const bookedToday = appointments.some((a) => a.branchId === id && a.dayKey === today && a.status === 'booked');
      // the branch and today's queue report, read together
      const [branch, report] = await Promise.all([
        deps.store.get('branches', id),
        bookedToday ? todaysReport(deps, id, now) : null,
      ]);
      branches.set(id, branch);
      reports.set(id, report);
    }),
  );
  const view = (appointment: AppointmentDoc) =>
    appointmentView(appointment, branches.get(appointment.branchId) ?? null, {
      now,
      report: reports.get(appointment.branchId) ?? null,
    });
  const upcoming = appointments.filter((a) => a.status === 'booked' && a.endsAt > now).reverse();
  const history = appointments.filter((a) => !(a.status === 'booked' && a.endsAt > now)).slice(0, 30);
  return { upcoming: upcoming.map(view), history: history.map(view) };
}
