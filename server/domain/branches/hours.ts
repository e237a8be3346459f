/**
 * Opening hours in China time (branches are all in UTC+8, no daylight saving): open now, today's
 * hours, the week as rows, and which services a day offers. Public holidays are not modelled.
 */
import type { CounterService, HoursRow, ServiceCode } from '../../../typings/branches';
import type { BranchDoc, DayHours } from '../collections';
import { chinaMinuteOfDay, chinaWeekday, formatMinuteOfDay, WEEKDAY_LABELS } from '../time';

export function dayHoursText(day: DayHours | null | undefined): string {
  return day ? `${formatMinuteOfDay(day.open)}-${formatMinuteOfDay(day.close)}` : '休息';
}

export function isOpenAt(branch: Pick<BranchDoc, 'week'>, epochMs: number): boolean {
  const day = branch.week[chinaWeekday(epochMs)];
  const minute = chinaMinuteOfDay(epochMs);
  return Boolean(day && day.open <= minute && minute < day.close);
}

export function todayHoursText(branch: Pick<BranchDoc, 'week'>, epochMs: number): string {
  const day = branch.week[chinaWeekday(epochMs)];
  return day ? dayHoursText(day) : '今日休息';
}

/** Consecutive weekdays with equal hours share a row: `周一至周五 09:00-17:00`, `周六 09:30-16:00`, `周日 休息`. */
export function weeklyHoursRows(branch: Pick<BranchDoc, 'week'>): HoursRow[] {
  const rows: HoursRow[] = [];
  let start = 0;
  for (let weekday = 1; weekday <= 7; weekday++) {
    const same = weekday < 7 && dayHoursText(branch.week[weekday]) === dayHoursText(branch.week[start]);
    if (same) continue;
    const days =
      start === weekday - 1 ? WEEKDAY_LABELS[start]! : `${WEEKDAY_LABELS[start]}至${WEEKDAY_LABELS[weekday - 1]}`;
    rows.push({ days: start === 0 && weekday === 7 ? '每天' : days, hours: dayHoursText(branch.week[start]) });
    start = weekday;
  }
  return rows;
}

/** Corporate banking is a weekday service in Chinese branches, even where the doors open at weekends. */
export function offersOnWeekday(service: ServiceCode, weekday: number): boolean {
  return service !== 'corporate' || weekday < 5;
}

/** The hours a counter service is served on `weekday` (Monday = 0), or null. */
export function serviceHours(branch: Pick<BranchDoc, 'week'>, service: CounterService, weekday: number) {
  const day = branch.week[weekday];
  return day && offersOnWeekday(service, weekday) ? day : null;
}

/** Lines worth showing on the detail page. */
export function branchNotes(branch: Pick<BranchDoc, 'week' | 'services' | 'accessible'>): string[] {
  const notes: string[] = [];
  const weekendOpen = Boolean(branch.week[5] || branch.week[6]);
  if (branch.services.includes('corporate') && weekendOpen) notes.push('对公业务仅工作日办理');
  if (branch.services.includes('atm')) notes.push('自助银行 24 小时开放');
  if (branch.accessible) notes.push('设有无障碍通道');
  return notes;
}
