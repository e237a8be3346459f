/**
 * Finding branches: the catalog (banks, services, cities), nearby search with cursor paging, and a
 * branch's detail with its live queue. The spatial part is the BranchLocator port's; ordering is by
 * (great-circle distance, id), and a cursor is the last position of a page plus a fingerprint of
 * the query it belongs to, so a cursor replayed with another query is refused, not misread.
 */
import { createHash } from 'node:crypto';
import { CONFIG } from '../../config';
import type { BranchDetail, CatalogView, DetailRequest, NearbyRequest, NearbyView } from '../../../typings/branches';
import type { BranchQueueDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { chinaMinuteOfDay, chinaWeekday } from '../time';
import { BANK_CODES, BANKS, CITIES, COUNTER_SERVICES, isCounterService, SERVICE_CODES, SERVICES } from './catalog';
import { greatCircleMetres, type RankedPosition } from './geo';
import { branchNotes, weeklyHoursRows } from './hours';
import { branchPosition, branchSummary } from './views';

export function catalog(): CatalogView {
  return {
    banks: BANK_CODES.map((code) => ({ code, ...BANKS[code] })),
    services: SERVICE_CODES.map((code) => ({ code, label: SERVICES[code].label, bookable: isCounterService(code) })),
    cities: CITIES.map((city) => ({ code: city.code, name: city.name, lat: city.centre.lat, lng: city.centre.lng })),
  };
}

function queryFingerprint(request: NearbyRequest, radiusM: number): string {
  const shape = [
    request.lat,
    request.lng,
    radiusM,
    [...new Set(request.bankCodes ?? [])].sort(),
    request.service ?? null,
    request.openNow ?? false,
  ];
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url').slice(0, 12);
}

export function encodeCursor(position: RankedPosition, fingerprint: string): string {
  return Buffer.from(JSON.stringify([position.distanceM, position.id, fingerprint])).toString('base64url');
}

function decodeCursor(cursor: string, fingerprint: string): RankedPosition {
  const invalid = () => new AppError('INVALID_ARGUMENT', '翻页参数已失效，请重新搜索', { field: 'cursor' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [distanceM, id, print] = parsed as unknown[];
  if (typeof distanceM !== 'number' || !Number.isFinite(distanceM) || distanceM < 0) throw invalid();
  if (typeof id !== 'string' || id.length === 0 || id.length > 64 || print !== fingerprint) throw invalid();
  return { distanceM, id };
}

/** Today's queue reports of these branches, by branch id. */
async function reportsFor(deps: Pick<DomainDeps, 'store'>, branchIds: string[]): Promise<Map<string, BranchQueueDoc>> {
  if (branchIds.length === 0) return new Map();
  const reports = await deps.store.find('branchQueues', {
    where: [{ field: 'id', op: 'in', value: branchIds }],
    limit: branchIds.length,
  });
  return new Map(reports.map((report) => [report.id, report]));
}

/** Needs only the store, the clock and the locator (the benchmark runs it on exactly these). */
export async function findNearby(
  deps: Pick<DomainDeps, 'store' | 'clock' | 'branchLocator'>,
  request: NearbyRequest,
): Promise<NearbyView> {
  const settings = CONFIG.branches.nearby;
  const radiusM = request.radiusM ?? settings.defaultRadiusM;
  const limit = request.limit ?? settings.defaultPageSize;
  const fingerprint = queryFingerprint(request, radiusM);
  const after = request.cursor ? decodeCursor(request.cursor, fingerprint) : undefined;
  const now = deps.clock.now();
  const hits = await deps.branchLocator.nearby({
    lat: request.lat,
    lng: request.lng,
    radiusM,
    // one more than a page: whether another page follows
    limit: limit + 1,
    after,
    bankCodes: request.bankCodes && request.bankCodes.length > 0 ? request.bankCodes : undefined,
    service: request.service,
    openAt: request.openNow ? { weekday: chinaWeekday(now), minute: chinaMinuteOfDay(now) } : undefined,
  });
  const page = hits.slice(0, limit);
  const reports = await reportsFor(
    deps,
    page.map((hit) => hit.branch.id),
  );
  const last = page[page.length - 1];
  return {
    branches: page.map((hit) =>
      branchSummary(hit.branch, { now, distanceM: hit.distanceM, queue: reports.get(hit.branch.id) }),
    ),
    nextCursor:
      hits.length > limit && last ? encodeCursor({ distanceM: last.distanceM, id: last.branch.id }, fingerprint) : null,
    radiusM,
  };
}

export async function branchDetail(deps: DomainDeps, request: DetailRequest): Promise<BranchDetail> {
  const branch = await deps.store.get('branches', request.branchId);
  if (!branch) throw new AppError('NOT_FOUND', '网点不存在');
  const report = await deps.store.get('branchQueues', branch.id);
  const from = request.lat !== undefined && request.lng !== undefined ? { lat: request.lat, lng: request.lng } : null;
  const summary = branchSummary(branch, {
    now: deps.clock.now(),
    distanceM: from ? greatCircleMetres(from, branchPosition(branch)) : null,
    queue: report,
  });
  return {
    ...summary,
    weeklyHours: weeklyHoursRows(branch),
    notes: branchNotes(branch),
    serviceLabels: branch.services.map((service) => SERVICES[service].label),
    bookableServices: COUNTER_SERVICES.filter((service) => branch.services.includes(service)).map((service) => ({
      service,
      label: SERVICES[service].label,
    })),
  };
}
