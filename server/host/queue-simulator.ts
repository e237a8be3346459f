/**
 * The sandbox's queuing machines: a timer in the local host that keeps the seeded branches' queues
 * moving by posting reports through the real `branches.queueFeed` action, authenticated with each
 * branch's secret like a machine in a branch would be. Each tick reports the branches with
 * appointments today plus the next slice of all branches, round-robin.
 *
 * What it reports is a function of the branch and the (China) time: waiting counts follow a
 * morning and afternoon peak, and the number called walks through the day's appointment tickets in
 * slot order (slot k's tickets are called during slot k), so appointment reminders fire on time.
 * Tests leave it off and drive `tick()` with their own clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CONFIG } from '../config';
import type { CounterService, QueueFeedRequest } from '../../typings/branches';
import { COUNTER_SERVICES, formatTicket } from '../domain/branches/catalog';
import { isOpenAt, serviceHours } from '../domain/branches/hours';
import type { BranchDoc } from '../domain/collections';
import { chinaDayKey, chinaMinuteOfDay, chinaWeekday } from '../domain/time';
import type { AppDeps } from '../runtime/deps';
import type { Main } from '../runtime/main';
import type { SeededMachines } from './branch-seed';

export interface QueueSimulatorOptions {
  deps: AppDeps;
  /** The `branches` function's main: reports go through validation and machine authentication. */
  branchesMain: Main;
  machines: SeededMachines;
  intervalMs?: number;
  branchesPerTick?: number;
}

/** A stable pseudo-random number in [0, 1) for a branch at a moment. */
function noise(branchId: string, bucket: number): number {
  return createHash('sha256').update(`${branchId}:${bucket}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** 0.2 at the edges of the day, 1 at the 10:30 and 15:00 peaks. */
function busyness(minute: number): number {
  const peak = (centre: number) => Math.exp(-(((minute - centre) / 75) ** 2));
  return 0.2 + 0.8 * Math.max(peak(630), peak(900));
}

/** The ticket number called by `minute`: slot k's tickets are called during slot k, evenly. */
export function simulatedCalled(hours: { open: number; close: number }, minute: number): number {
  const { slotMinutes, slotCapacity } = CONFIG.branches.appointments;
  const elapsed = Math.min(minute, hours.close) - hours.open;
  if (elapsed <= 0) return 0;
  const slot = Math.floor(elapsed / slotMinutes);
  const withinSlot = (elapsed % slotMinutes) / slotMinutes;
  return slot * slotCapacity + Math.floor(withinSlot * slotCapacity);
}

export function simulatedReport(branch: BranchDoc, now: number): Omit<QueueFeedRequest, 'secret' | 'seq'> {
  const weekday = chinaWeekday(now);
  const minute = chinaMinuteOfDay(now);
  const open = isOpenAt(branch, now);
  const bucket = Math.floor(now / (5 * 60_000));
  const lines = COUNTER_SERVICES.filter((service) => branch.services.includes(service)).flatMap(
    (service: CounterService) => {
      const hours = serviceHours(branch, service, weekday);
      if (!hours) return [];
      const called = simulatedCalled(hours, minute);
      const serving = open && minute < hours.close;
      const scale = service === 'personal' ? 18 : 6;
      return [
        {
          service,
          waiting: serving ? Math.round(busyness(minute) * scale * noise(`${branch.id}:${service}`, bucket)) : 0,
          nowCalling: called > 0 ? formatTicket(service, called) : null,
        },
      ];
    },
  );
  return {
    branchId: branch.id,
    countersOpen: open ? 1 + Math.floor(noise(branch.id, Math.floor(bucket / 12)) * 4) : 0,
    lines,
  };
}

export class QueueSimulator {
  private timer: NodeJS.Timeout | undefined;
  private cursor = 0;
  private running = false;
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly options: QueueSimulatorOptions) {}

  start(): void {
    if (this.timer) return;
    const interval = this.options.intervalMs ?? CONFIG.branches.simulator.intervalMs;
    this.timer = setInterval(() => {
      if (this.running) return; // a slow tick is not stacked on
      this.running = true;
      this.tick()
        .catch((error: unknown) =>
          this.options.deps.log.warn('queue_simulator.tick_failed', {
            error: error instanceof Error ? error.message : 'unknown',
          }),
        )
        .finally(() => {
          this.running = false;
        });
    }, interval);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reports one round; returns how many reports were applied. */
  async tick(): Promise<number> {
    const { deps, machines, branchesMain } = this.options;
    const now = deps.clock.now();
    const withAppointments = await deps.store.find('appointments', {
      where: [
        { field: 'dayKey', op: '==', value: chinaDayKey(now) },
        { field: 'status', op: '==', value: 'booked' },
      ],
      limit: 1000,
    });
    const perTick = Math.min(
      this.options.branchesPerTick ?? CONFIG.branches.simulator.branchesPerTick,
      machines.branchIds.length,
    );
    const slice = Array.from(
      { length: perTick },
      (_, i) => machines.branchIds[(this.cursor + i) % machines.branchIds.length]!,
    );
    this.cursor = (this.cursor + perTick) % Math.max(1, machines.branchIds.length);
    const known = new Set(machines.branchIds);
    const ids = new Set([...withAppointments.map((a) => a.branchId).filter((id) => known.has(id)), ...slice]);
    let applied = 0;
    for (const branchId of ids) {
      const branch = await deps.store.get('branches', branchId);
      if (!branch) continue;
      const seq = Math.max(now, (this.lastSeq.get(branchId) ?? 0) + 1);
      this.lastSeq.set(branchId, seq);
      const event = { action: 'queueFeed', ...simulatedReport(branch, now), secret: machines.secretOf(branchId), seq };
      // a machine calls the function without a WeChat identity
      const result = await branchesMain(event, { request_id: randomUUID(), environment: '{}' });
      if (result.ok) applied += (result.data as { applied: boolean }).applied ? 1 : 0;
      else deps.log.warn('queue_simulator.report_refused', { branchId, code: result.error.code });
    }
    return applied;
  }
}
