/**
 * Queue reports from the branches' queuing machines, and the reminders they trigger.
 *
 * A machine authenticates with its branch's secret (not an openid): only a SHA-256 of the secret is
 * stored — secrets are 256-bit random values, so a fast hash is enough — and compared in constant
 * time; an unknown branch and a wrong secret get the same answer. A secret can be rotated with an
 * overlap (provision.ts). Reports carry an increasing `seq` (a counter or a millisecond timestamp,
 * never more than 10 minutes past now), so a late report never overwrites a newer one — while that
 * one is still shown; after it goes stale any seq is heard again, so no report holds a branch for ever.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CONFIG } from '../../config';
import type { CounterService, QueueFeedRequest, QueueFeedResult } from '../../../typings/branches';
import type { AppointmentDoc, BranchQueueDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { deliverMessages } from '../notify/delivery';
import { recordMessage, type NewMessage } from '../notify/messages';
import { chinaDayKey } from '../time';
import { SERVICES, TICKET_LETTERS } from './catalog';
import { currentQueue, ticketsAhead } from './views';

export function hashMachineSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares against a fixed dummy when the branch has no machine, so timing does not tell the two apart. */
const NO_MACHINE_HASH = hashMachineSecret('no machine registered for this branch');

async function authenticate(deps: DomainDeps, branchId: string, secret: string, now: number): Promise<void> {
  const machine = await deps.store.get('queueMachines', branchId);
  const given = Buffer.from(hashMachineSecret(secret), 'hex');
  const matches = (hash: string | null | undefined) =>
    timingSafeEqual(Buffer.from(hash ?? NO_MACHINE_HASH, 'hex'), given);
  // During a rotation's overlap the replaced secret still works. Both are compared every time, so
  // timing does not tell whether a rotation is under way.
  const inOverlap = Boolean(machine?.previousSecretHash) && (machine?.previousValidUntil ?? 0) > now;
  const current = matches(machine?.secretHash);
  const previous = matches(inOverlap ? machine?.previousSecretHash : null);
  if (!machine || !(current || (inOverlap && previous))) {
    deps.log.warn('branches.feed_auth_failed', { branchId });
    throw new AppError('MACHINE_AUTH_FAILED');
  }
}

/** A seq is a counter or a millisecond timestamp; either way never further than this past now. */
export const MAX_SEQ_AHEAD_MS = 10 * 60 * 1000;

/** `A018` → 18, when the letter is the service's own. */
export function parseTicket(service: CounterService, ticket: string): number | null {
  if (ticket[0] !== TICKET_LETTERS[service]) return null;
  const number = Number(ticket.slice(1));
  return Number.isInteger(number) && number > 0 ? number : null;
}

export async function applyQueueReport(deps: DomainDeps, report: QueueFeedRequest): Promise<QueueFeedResult> {
  const now = deps.clock.now();
  await authenticate(deps, report.branchId, report.secret, now);
  if (report.seq > now + MAX_SEQ_AHEAD_MS) {
    throw new AppError('INVALID_ARGUMENT', 'seq 超出范围：应为递增的序号或毫秒时间戳，且不晚于当前时间 10 分钟', {
      field: 'seq',
    });
  }
  const next: BranchQueueDoc = {
    id: report.branchId,
    dayKey: chinaDayKey(now),
    countersOpen: report.countersOpen,
    lines: report.lines.map((line) => {
      const lastCalled = line.nowCalling === null ? null : parseTicket(line.service, line.nowCalling);
      if (line.nowCalling !== null && lastCalled === null) {
        throw new AppError('INVALID_ARGUMENT', `叫号 ${line.nowCalling} 与业务类型不符`, { field: 'lines' });
      }
      return { service: line.service, waiting: line.waiting, lastCalled };
    }),
    seq: report.seq,
    reportedAt: now,
  };
  const applied = await deps.store.transaction(async (tx) => {
    const previous = await tx.get('branchQueues', report.branchId);
    // Only a report still shown holds back an older seq: a machine that was reset or replaced (or
    // pushed ahead by a bad report) is heard again once its last report has gone stale.
    if (previous && currentQueue(previous, now) && previous.seq >= report.seq) return false;
    await tx.set('branchQueues', next);
    return true;
  });
  if (!applied) return { applied: false, reminders: 0 };
  return { applied: true, reminders: await remindNearTurn(deps, next) };
}

/**
 * Reminds every user whose appointment today has `reminderWhenAhead` or fewer tickets ahead. The
 * `reminded` flag flips in the same transaction that writes the reminder to the message centre and
 * the outbox, so concurrent reports remind once; the WeChat message goes out after it commits.
 */
async function remindNearTurn(deps: DomainDeps, report: BranchQueueDoc): Promise<number> {
  const booked = await deps.store.find('appointments', {
    where: [
      { field: 'branchId', op: '==', value: report.id },
      { field: 'dayKey', op: '==', value: report.dayKey },
      { field: 'status', op: '==', value: 'booked' },
    ],
    limit: 1000,
  });
  const now = deps.clock.now();
  const due = booked.flatMap((appointment) => {
    const ahead = ticketsAhead(appointment, report, now);
    const stillComing = report.lines.some(
      (line) => line.service === appointment.service && (line.lastCalled ?? 0) < appointment.ticketNumber,
    );
    const remind =
      !appointment.reminded && stillComing && ahead !== null && ahead <= CONFIG.branches.queue.reminderWhenAhead;
    return remind ? [{ appointment, ahead }] : [];
  });
  if (due.length === 0) return 0;
  const branch = await deps.store.get('branches', report.id);
  let reminded = 0;
  const deliveries: Awaited<ReturnType<typeof recordMessage>>[] = [];
  for (const { appointment, ahead } of due) {
    const message = reminderMessage(appointment, branch?.name ?? '网点', ahead);
    const recorded = await deps.store.transaction(async (tx) => {
      const current = await tx.get('appointments', appointment.id);
      if (!current || current.status !== 'booked' || current.reminded) return null;
      await tx.update('appointments', appointment.id, { reminded: true, updatedAt: now });
      return { delivery: await recordMessage(tx, message, now) };
    });
    if (!recorded) continue;
    reminded += 1;
    deliveries.push(recorded.delivery);
  }
  await deliverMessages(deps, deliveries);
  return reminded;
}

function reminderMessage(appointment: AppointmentDoc, branchName: string, ahead: number): NewMessage {
  const service = SERVICES[appointment.service].label;
  return {
    userId: appointment.userId,
    kind: 'appointment.reminder',
    title: '排队提醒',
    body:
      ahead === 0
        ? `您在${branchName}预约的${service}（${appointment.ticket}）即将叫号，请到柜台前等候。`
        : `您在${branchName}预约的${service}（${appointment.ticket}）前面还有 ${ahead} 位，请尽快到达网点。`,
    link: '/packageBranches/pages/appointments/index',
    subject: `appointment.reminder:${appointment.id}`,
    step: 1,
    template: 'appointment',
    fields: {
      branch: branchName,
      ticket: appointment.ticket,
      note: ahead === 0 ? '即将叫号，请到柜台前等候' : `前面还有${ahead}位，请尽快到达`,
    },
  };
}
