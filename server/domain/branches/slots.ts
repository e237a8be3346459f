/**
 * Appointment slots and their tickets. A day's slots tile the service's hours (30 minutes each by
 * default); each has `slotCapacity` seats. Appointment tickets are numbered in slot order — slot k's
 * seats are k·capacity+1 … (k+1)·capacity — which is the order the branch calls them in, so the
 * number called last tells how many tickets are ahead of an appointment.
 */
import { createHash } from 'node:crypto';
import { CONFIG } from '../../config';
import type { CounterService } from '../../../typings/branches';
import type { BranchDoc, DayHours } from '../collections';
import { addDays, chinaDayKey, chinaDayStart, chinaWeekday } from '../time';
import { serviceHours } from './hours';

export interface Slot {
  index: number;
  startMinute: number;
  endMinute: number;
}

const SLOT_MINUTES = CONFIG.branches.appointments.slotMinutes;

export function daySlots(hours: DayHours | null): Slot[] {
  const slots: Slot[] = [];
  if (!hours) return slots;
  for (let start = hours.open, index = 0; start + SLOT_MINUTES <= hours.close; start += SLOT_MINUTES, index++) {
    slots.push({ index, startMinute: start, endMinute: start + SLOT_MINUTES });
  }
  return slots;
}

/** The slots of `service` at `branch` on China day `dayKey` (none when it is not served that day). */
export function slotsOn(branch: Pick<BranchDoc, 'week'>, service: CounterService, dayKey: string): Slot[] {
  return daySlots(serviceHours(branch, service, chinaWeekday(chinaDayStart(dayKey))));
}

export function slotStartsAt(dayKey: string, minute: number): number {
  return chinaDayStart(dayKey) + minute * 60_000;
}

export function slotDocId(branchId: string, service: CounterService, dayKey: string, startMinute: number): string {
  return `sl_${branchId}_${service}_${dayKey}_${startMinute}`;
}

/** Derived from (slot, user): a second booking of the same slot by the same user hits the same document. */
export function appointmentDocId(slotId: string, userId: string): string {
  return `ap_${createHash('sha256').update(`${slotId}\u0000${userId}`).digest('hex').slice(0, 32)}`;
}

export function ticketNumberOf(slotIndex: number, seat: number, capacity: number): number {
  return slotIndex * capacity + seat + 1;
}

/** Today and the following days that take bookings (China calendar). */
export function bookingWindow(now: number): string[] {
  const today = chinaDayKey(now);
  return Array.from({ length: CONFIG.branches.appointments.bookableDays }, (_, offset) => addDays(today, offset));
}
