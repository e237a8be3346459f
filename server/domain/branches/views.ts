/** How stored branches, queue reports and appointments are shown to callers. */
import { CONFIG } from '../../config';
import type { AppointmentView, BranchSummary, QueueView } from '../../../typings/branches';
import type { AppointmentDoc, BranchDoc, BranchQueueDoc } from '../collections';
import { chinaDayKey, chinaMinuteOfDay, formatMinuteOfDay } from '../time';
import { BANKS, CITIES, formatTicket, SERVICES } from './catalog';
import { isOpenAt, todayHoursText } from './hours';

export function branchPosition(branch: Pick<BranchDoc, 'location'>): { lat: number; lng: number } {
  return { lat: branch.location.coordinates[1], lng: branch.location.coordinates[0] };
}

/** Today's report, if recent enough to show; a silent machine's last numbers would mislead. */
export function currentQueue(report: BranchQueueDoc | null | undefined, now: number): BranchQueueDoc | null {
  if (!report || report.dayKey !== chinaDayKey(now)) return null;
  return now - report.reportedAt <= CONFIG.branches.queue.staleAfterMs ? report : null;
}

export function queueView(report: BranchQueueDoc | null | undefined, now: number): QueueView | null {
  const current = currentQueue(report, now);
  if (!current) return null;
  const waiting = current.lines.reduce((sum, line) => sum + line.waiting, 0);
  const perTicket = CONFIG.branches.queue.averageServiceMinutes;
  return {
    waiting,
    estimatedWaitMinutes: Math.ceil((waiting * perTicket) / Math.max(1, current.countersOpen)),
    countersOpen: current.countersOpen,
    lines: current.lines.map((line) => ({
      service: line.service,
      label: SERVICES[line.service].label,
      waiting: line.waiting,
      nowCalling: line.lastCalled === null ? null : formatTicket(line.service, line.lastCalled),
    })),
    reportedAt: current.reportedAt,
  };
}

export function branchSummary(
  branch: BranchDoc,
  context: { now: number; distanceM: number | null; queue: BranchQueueDoc | null | undefined },
): BranchSummary {
  const position = branchPosition(branch);
  return {
    id: branch.id,
    bankCode: branch.bankCode,
    bankName: BANKS[branch.bankCode].name,
    name: branch.name,
    cityName: CITIES.find((city) => city.code === branch.cityCode)?.name ?? '',
    address: branch.address,
    phone: branch.phone,
    lat: position.lat,
    lng: position.lng,
    distanceM: context.distanceM === null ? null : Math.round(context.distanceM),
    openNow: isOpenAt(branch, context.now),
    todayHours: todayHoursText(branch, context.now),
    services: branch.services,
    accessible: branch.accessible,
    queue: queueView(context.queue, context.now),
  };
}

/** Tickets before this appointment not yet called, from today's report; null when that cannot be told. */
export function ticketsAhead(appointment: AppointmentDoc, report: BranchQueueDoc | null, now: number): number | null {
  if (appointment.status !== 'booked' || appointment.dayKey !== chinaDayKey(now) || !report) return null;
  const line = report.lines.find((l) => l.service === appointment.service);
  if (!line) return null;
  return Math.max(0, appointment.ticketNumber - (line.lastCalled ?? 0) - 1);
}

export function appointmentView(
  appointment: AppointmentDoc,
  branch: BranchDoc | null,
  context: { now: number; report: BranchQueueDoc | null },
): AppointmentView {
  const startMinute = chinaMinuteOfDay(appointment.startsAt);
  return {
    id: appointment.id,
    branchId: appointment.branchId,
    branchName: branch?.name ?? '',
    bankName: branch ? BANKS[branch.bankCode].name : '',
    address: branch?.address ?? '',
    service: appointment.service,
    serviceLabel: SERVICES[appointment.service].label,
    date: appointment.dayKey,
    time: formatMinuteOfDay(startMinute),
    endTime: formatMinuteOfDay(startMinute + Math.round((appointment.endsAt - appointment.startsAt) / 60_000)),
    startsAt: appointment.startsAt,
    endsAt: appointment.endsAt,
    ticket: appointment.ticket,
    status: appointment.status,
    ticketsAhead: ticketsAhead(appointment, context.report, context.now),
    createdAt: appointment.createdAt,
  };
}
