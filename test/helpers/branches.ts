/** Handcrafted branches for tests, registered through the domain like the seed's, with known machine secrets. */
import { registerBranches } from '../../server/domain/branches/provision';
import type { BranchDoc, DayHours } from '../../server/domain/collections';
import type { TestHost } from './host';
import { ok, type Envelope } from './verification';

export const WEEKDAY_HOURS: DayHours = { open: 9 * 60, close: 17 * 60 };
export const SATURDAY_HOURS: DayHours = { open: 9 * 60 + 30, close: 16 * 60 };

/** 09:00–17:00 on weekdays, 09:30–16:00 on Saturday, closed on Sunday; every service. */
export function makeBranch(id: string, overrides: Partial<BranchDoc> = {}): BranchDoc {
  return {
    id,
    bankCode: 'ICBC',
    cityCode: 'bj',
    name: `工商银行北京测试${id}支行`,
    address: '北京市东城区东长安街1号',
    phone: '010-65123456',
    location: { type: 'Point', coordinates: [116.4074, 39.9042] },
    week: [WEEKDAY_HOURS, WEEKDAY_HOURS, WEEKDAY_HOURS, WEEKDAY_HOURS, WEEKDAY_HOURS, SATURDAY_HOURS, null],
    services: ['personal', 'corporate', 'forex', 'wealth', 'atm'],
    accessible: true,
    updatedAt: 0,
    ...overrides,
  };
}

export const machineSecretFor = (branchId: string) => `test-machine-secret-${branchId}-0123456789`;

export async function addBranches(host: Pick<TestHost, 'app'>, branches: BranchDoc[]): Promise<void> {
  await registerBranches(host.app.deps, branches, machineSecretFor);
}

/** Epoch ms of a China-time wall clock moment (UTC+8). */
export function chinaTime(year: number, month: number, day: number, hours: number, minutes = 0): number {
  return Date.UTC(year, month - 1, day, hours - 8, minutes);
}

/** Calls `branches.<action>` and returns the envelope. */
export async function branches<T = unknown>(
  host: TestHost,
  action: string,
  body: Record<string, unknown> = {},
  openid?: string,
): Promise<Envelope<T>> {
  return (await host.call<Envelope<T>>('branches', { action, ...body }, openid)).body;
}

/** A user with an open session (most actions need one). */
export async function signIn(host: TestHost, openid: string): Promise<string> {
  return (await ok<{ userId: string }>(host, openid, 'user', { action: 'session' })).userId;
}

/** A queue report as the branch's machine posts it, through the function's main (works in page tests, where jsdom has no fetch). */
export async function postQueueReport(
  host: Pick<TestHost, 'app'>,
  branchId: string,
  report: {
    seq: number;
    countersOpen: number;
    lines: { service: string; waiting: number; nowCalling: string | null }[];
  },
): Promise<unknown> {
  const result = await host.app.mains.branches!(
    { action: 'queueFeed', branchId, secret: machineSecretFor(branchId), ...report },
    { request_id: 'test-machine', environment: '{}' },
  );
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

/** Calls `branches` actions as `openid` (session opened first) through the function's main, without HTTP. */
export async function actingAs(host: Pick<TestHost, 'app'>, openid: string) {
  const context = {
    request_id: `test-${openid}`,
    environment: JSON.stringify({ WX_OPENID: openid, WX_CONTEXT_KEYS: 'WX_OPENID' }),
  };
  await host.app.mains.user!({ action: 'session' }, context);
  return async <T>(action: string, body: Record<string, unknown> = {}): Promise<T> => {
    const result = await host.app.mains.branches!({ action, ...body }, context);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.data as T;
  };
}
