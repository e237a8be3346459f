/**
 * `branches.nearby` and `detail` through the local host on the seeded 2,000 branches, against a
 * brute-force great-circle sort of every stored branch: random points in every seeded city (Harbin
 * and Urumqi included), random radii and filters, paged to the end with the returned cursors.
 */
import fc from 'fast-check';
import type { BranchDetail, BranchSummary, CatalogView, NearbyView } from '../../typings/branches';
import { greatCircleMetres } from '../../server/domain/branches/geo';
import { isOpenAt } from '../../server/domain/branches/hours';
import { CITIES } from '../../server/domain/branches/catalog';
import type { BranchDoc } from '../../server/domain/collections';
import { seedBranches } from '../../server/host/branch-seed';
import { branches, chinaTime } from '../helpers/branches';
import { startTestHost, type TestHost } from '../helpers/host';

let host: TestHost;
let all: BranchDoc[];

beforeAll(async () => {
  host = await startTestHost();
  await seedBranches(host.app.deps);
  all = [];
  for (let page: BranchDoc[] = []; all.length === 0 || page.length === 1000;) {
    const after = all[all.length - 1]?.id ?? '';
    page = await host.app.deps.store.find('branches', {
      where: [{ field: 'id', op: '>', value: after }],
      orderBy: [['id', 'asc']],
      limit: 1000,
    });
    all.push(...page);
  }
  expect(all).toHaveLength(2_000);
}, 30_000);
afterAll(async () => {
  await host.close();
});

interface Query {
  lat: number;
  lng: number;
  radiusM: number;
  bankCodes?: string[];
  service?: string;
  openNow?: boolean;
  limit: number;
}

function bruteForce(query: Query, now: number): { id: string; distanceM: number }[] {
  return all
    .filter((b) => !query.bankCodes?.length || query.bankCodes.includes(b.bankCode))
    .filter((b) => !query.service || b.services.includes(query.service as BranchDoc['services'][number]))
    .filter((b) => !query.openNow || isOpenAt(b, now))
    .map((b) => ({
      id: b.id,
      distanceM: greatCircleMetres(query, { lat: b.location.coordinates[1], lng: b.location.coordinates[0] }),
    }))
    .filter((hit) => hit.distanceM <= query.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
}

async function everyPage(query: Query): Promise<BranchSummary[]> {
  const seen: BranchSummary[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 500; page++) {
    const result = await branches<NearbyView>(host, 'nearby', { ...query, cursor });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    expect(result.data.branches.length).toBeLessThanOrEqual(query.limit);
    seen.push(...result.data.branches);
    if (!result.data.nextCursor) return seen;
    expect(result.data.branches).toHaveLength(query.limit);
    cursor = result.data.nextCursor;
  }
  throw new Error('paging did not end');
}

/** A point in a seeded city: near one of its branches, or anywhere in (and just around) its extent. */
const cityPoint = fc.oneof(
  fc
    .record({
      index: fc.nat(),
      northM: fc.integer({ min: -3_000, max: 3_000 }),
      eastM: fc.integer({ min: -3_000, max: 3_000 }),
    })
    .map(({ index, northM, eastM }) => {
      const [lng, lat] = all[index % all.length]!.location.coordinates;
      return { lat: lat + northM / 111_320, lng: lng + eastM / (111_320 * Math.cos((lat * Math.PI) / 180)) };
    }),
  fc.constantFrom(...CITIES).chain((city) =>
    fc.record({
      lat: fc.double({ min: city.extent.minLat - 0.05, max: city.extent.maxLat + 0.05, noNaN: true }),
      lng: fc.double({ min: city.extent.minLng - 0.05, max: city.extent.maxLng + 0.05, noNaN: true }),
    }),
  ),
);

test('paged results equal the brute-force distance sort, with and without filters', async () => {
  const banks = ['ICBC', 'ABC', 'BOC', 'CCB', 'CMB', 'PSBC', 'SPABANK'];
  let found = 0;
  await fc.assert(
    fc.asyncProperty(
      cityPoint,
      fc.record({
        radiusM: fc.integer({ min: 200, max: 12_000 }),
        limit: fc.integer({ min: 5, max: 50 }),
        // each filter is left out half of the time
        bankCodes: fc.option(fc.subarray(banks, { minLength: 1 }), { nil: undefined, freq: 2 }),
        service: fc.option(fc.constantFrom('corporate', 'forex', 'wealth', 'atm'), { nil: undefined, freq: 2 }),
        openNow: fc.option(fc.constant(true), { nil: undefined, freq: 2 }),
        // any moment of a week: opening hours and weekend rules decide `openNow`
        minuteOfWeek: fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }),
      }),
      async (point, { minuteOfWeek, ...options }) => {
        host.clock.set(chinaTime(2026, 11, 30, 0) + minuteOfWeek * 60_000);
        const query = { ...point, ...options };
        const expected = bruteForce(query, host.clock.now());
        const actual = await everyPage(query);
        found += actual.length;
        expect(actual.map((b) => b.id)).toEqual(expected.map((hit) => hit.id));
        expect(actual.map((b) => b.distanceM)).toEqual(expected.map((hit) => Math.round(hit.distanceM)));
        if (query.openNow) expect(actual.every((b) => b.openNow)).toBe(true);
      },
    ),
    { numRuns: 80 },
  );
  // the comparison is only worth something if the queries found plenty
  expect(found).toBeGreaterThan(200);
}, 60_000);

test('Harbin, at 45.8°N: the radius is inclusive, to the metre, at the farthest branch it reaches', async () => {
  const harbin = { lat: 45.76, lng: 126.64 };
  const expected = bruteForce({ ...harbin, radiusM: 3_000, limit: 50 }, 0);
  expect(expected.length).toBeGreaterThan(20);
  // the radius set exactly at a branch's distance includes it; a metre less excludes it
  const edge = expected[expected.length - 1]!;
  const exact = await everyPage({ ...harbin, radiusM: Math.ceil(edge.distanceM), limit: 50 });
  expect(exact.map((b) => b.id)).toContain(edge.id);
  const shorter = await everyPage({ ...harbin, radiusM: Math.floor(edge.distanceM) - 1, limit: 50 });
  expect(shorter.map((b) => b.id)).not.toContain(edge.id);
});

test('a first page carries the nearest, its distance in metres, open state, hours and queue', async () => {
  host.clock.set(chinaTime(2026, 11, 30, 10)); // a Monday morning: every branch is open
  const result = await branches<NearbyView>(host, 'nearby', { lat: 39.9087, lng: 116.3975, limit: 3 });
  if (!result.ok) throw new Error(result.error.message);
  expect(result.data.radiusM).toBe(5_000);
  expect(result.data.branches).toHaveLength(3);
  const first = result.data.branches[0]!;
  expect(first).toEqual({
    id: expect.stringMatching(/^br_bj_/),
    bankCode: expect.any(String),
    bankName: expect.stringMatching(/银行$/),
    name: expect.stringMatching(/^.+北京.+(支行|分理处|营业部)$/),
    cityName: '北京',
    address: expect.stringMatching(/^北京市.+区.+号/),
    phone: expect.stringMatching(/^010-\d{8}$/),
    lat: expect.any(Number),
    lng: expect.any(Number),
    distanceM: expect.any(Number),
    openNow: true,
    todayHours: expect.stringMatching(/^\d\d:\d\d-\d\d:\d\d$/),
    services: expect.arrayContaining(['personal']),
    accessible: expect.any(Boolean),
    queue: null,
  });
  expect(Number.isInteger(first.distanceM)).toBe(true);
});

test('a cursor only continues the query it came from; a damaged one is refused', async () => {
  const query = { lat: 31.2304, lng: 121.4737, limit: 5 };
  const first = await branches<NearbyView>(host, 'nearby', query);
  if (!first.ok || !first.data.nextCursor) throw new Error('expected a second page');
  const code = async (body: Record<string, unknown>) => {
    const result = await branches(host, 'nearby', body);
    return result.ok ? 'ok' : result.error.code;
  };
  expect(await code({ ...query, cursor: first.data.nextCursor })).toBe('ok');
  expect(await code({ ...query, bankCodes: ['ICBC'], cursor: first.data.nextCursor })).toBe('INVALID_ARGUMENT');
  expect(await code({ ...query, lat: 31.23, cursor: first.data.nextCursor })).toBe('INVALID_ARGUMENT');
  expect(await code({ ...query, cursor: 'not-a-cursor' })).toBe('INVALID_ARGUMENT');
  expect(await code({ ...query, cursor: Buffer.from('[-1,"x","y"]').toString('base64url') })).toBe('INVALID_ARGUMENT');
});

test('nothing within the radius: an empty page and no cursor', async () => {
  const result = await branches<NearbyView>(host, 'nearby', { lat: 36.0, lng: 101.0 });
  expect(result).toEqual({ ok: true, data: { branches: [], nextCursor: null, radiusM: 5_000 } });
});

test('detail: weekly hours, notes, bookable services, and the distance from where the user is', async () => {
  const branch = all.find((b) => b.services.includes('corporate') && b.week[5] && b.services.includes('atm'))!;
  const result = await branches<BranchDetail>(host, 'detail', {
    branchId: branch.id,
    lat: branch.location.coordinates[1] + 0.01,
    lng: branch.location.coordinates[0],
  });
  if (!result.ok) throw new Error(result.error.message);
  expect(result.data.weeklyHours[0]).toEqual({
    days: expect.stringMatching(/^周一至周[五日]|每天$/),
    hours: expect.any(String),
  });
  expect(result.data.notes).toEqual(expect.arrayContaining(['对公业务仅工作日办理', '自助银行 24 小时开放']));
  expect(result.data.bookableServices).toContainEqual({ service: 'corporate', label: '对公业务' });
  expect(result.data.bookableServices.map((s) => s.service)).not.toContain('atm');
  expect(result.data.serviceLabels).toEqual(expect.arrayContaining(['个人业务', '对公业务', 'ATM']));
  expect(result.data.distanceM).toBeGreaterThan(1_100);
  expect(result.data.distanceM).toBeLessThan(1_120);
  const missing = await branches(host, 'detail', { branchId: 'br_nope' });
  expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '网点不存在' } });
});

test('catalog: 13 banks, five services (ATM not bookable), and the cities with their centres', async () => {
  const result = await branches<CatalogView>(host, 'catalog');
  if (!result.ok) throw new Error(result.error.message);
  expect(result.data.banks).toHaveLength(13);
  expect(result.data.banks[0]).toEqual({ code: 'ICBC', name: '中国工商银行', shortName: '工商银行' });
  expect(result.data.services.map((s) => [s.label, s.bookable])).toEqual([
    ['个人业务', true],
    ['对公业务', true],
    ['外币兑换', true],
    ['理财', true],
    ['ATM', false],
  ]);
  expect(result.data.cities.length).toBeGreaterThanOrEqual(10);
  expect(result.data.cities.find((c) => c.name === '哈尔滨')).toEqual({
    code: 'hrb',
    name: '哈尔滨',
    lat: expect.any(Number),
    lng: expect.any(Number),
  });
});
