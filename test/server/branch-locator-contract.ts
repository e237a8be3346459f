/**
 * What every BranchLocator must do, checked against a brute-force great-circle sort: random
 * branches around Chinese cities from Sanya to Mohe, random query points and radii, paged through
 * with cursors (ties included), with and without filters; and the radius edge at every bearing.
 * Runs against SQLite (branch-locator.test.ts) and CloudBase through the real SDK on the emulator
 * (cloudbase-branch-locator.test.ts).
 */
import fc from 'fast-check';
import { destination, greatCircleMetres, type LatLng } from '../../server/domain/branches/geo';
import type { BranchDoc } from '../../server/domain/collections';
import type { BranchLocator, NearbyQuery } from '../../server/domain/ports/branch-locator';
import type { BankCode, ServiceCode } from '../../typings/branches';

export interface LocatorUnderTest {
  locator: BranchLocator;
  /** Makes these the only branches there are. */
  replaceBranches(docs: BranchDoc[]): Promise<void>;
  close(): Promise<void>;
}

/** Harbin, Mohe (53°N), Urumqi, Beijing, Sanya: high and low latitudes, far west and east. */
export const CENTRES: LatLng[] = [
  { lat: 45.7567, lng: 126.6424 },
  { lat: 52.9721, lng: 122.5386 },
  { lat: 43.8256, lng: 87.6168 },
  { lat: 39.9042, lng: 116.4074 },
  { lat: 18.2528, lng: 109.512 },
];
const BANKS: BankCode[] = ['ICBC', 'BOC', 'CMB'];
const SERVICES: ServiceCode[] = ['personal', 'corporate', 'forex', 'wealth', 'atm'];

export function branch(id: string, at: LatLng, variant: number): BranchDoc {
  const weekday = { open: 540, close: 1020 };
  return {
    id,
    bankCode: BANKS[variant % BANKS.length]!,
    cityCode: 'test',
    name: `测试网点${id}`,
    address: '测试路1号',
    phone: '010-65000000',
    location: { type: 'Point', coordinates: [at.lng, at.lat] },
    week: [weekday, weekday, weekday, weekday, weekday, variant % 2 ? { open: 600, close: 960 } : null, null],
    services: SERVICES.filter((_, index) => index === 0 || (variant >> index) % 2 === 1),
    accessible: variant % 3 === 0,
    updatedAt: 0,
  };
}

function matches(doc: BranchDoc, query: NearbyQuery): boolean {
  if (query.bankCodes && !query.bankCodes.includes(doc.bankCode)) return false;
  if (query.service && !doc.services.includes(query.service as ServiceCode)) return false;
  if (query.openAt) {
    const day = doc.week[query.openAt.weekday];
    if (!day || day.open > query.openAt.minute || day.close <= query.openAt.minute) return false;
  }
  return true;
}

export function bruteForce(docs: BranchDoc[], query: NearbyQuery): { id: string; distanceM: number }[] {
  return docs
    .filter((doc) => matches(doc, query))
    .map((doc) => ({
      id: doc.id,
      distanceM: greatCircleMetres(query, { lat: doc.location.coordinates[1], lng: doc.location.coordinates[0] }),
    }))
    .filter((hit) => hit.distanceM <= query.radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
}

/** Every page, following the cursor the way the domain does. */
async function pageThrough(locator: BranchLocator, query: Omit<NearbyQuery, 'after'>) {
  const seen: { id: string; distanceM: number }[] = [];
  for (let page = 0; page < 1000; page++) {
    const last = seen[seen.length - 1];
    const hits = await locator.nearby({ ...query, after: last });
    seen.push(...hits.map((hit) => ({ id: hit.branch.id, distanceM: hit.distanceM })));
    if (hits.length < query.limit) return seen;
  }
  throw new Error('paging did not end');
}

const pointNear = (centre: LatLng, spreadM: number) =>
  fc
    .record({
      bearing: fc.double({ min: 0, max: 360, noNaN: true }),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ bearing, fraction }) => destination(centre, bearing, Math.sqrt(fraction) * spreadM));

const scenario = fc
  .record({ centre: fc.constantFrom(...CENTRES), count: fc.integer({ min: 0, max: 150 }) })
  .chain(({ centre, count }) =>
    fc.record({
      points: fc.array(pointNear(centre, 30_000), { minLength: count, maxLength: count }),
      // duplicates: several branches in one building
      twins: fc.integer({ min: 0, max: 4 }),
      query: pointNear(centre, 25_000),
      radiusM: fc.integer({ min: 100, max: 50_000 }),
      limit: fc.integer({ min: 1, max: 25 }),
      filter: fc.record({
        bank: fc.option(fc.subarray(BANKS, { minLength: 1 }), { nil: undefined }),
        service: fc.option(fc.constantFrom(...SERVICES), { nil: undefined }),
        openAt: fc.option(
          fc.record({ weekday: fc.integer({ min: 0, max: 6 }), minute: fc.integer({ min: 0, max: 1439 }) }),
          { nil: undefined },
        ),
      }),
    }),
  );

export function describeBranchLocatorContract(adapter: string, open: () => Promise<LocatorUnderTest>): void {
  describe(`BranchLocator contract: ${adapter}`, () => {
    test('paged nearby equals the brute-force distance sort on random points (with and without filters)', async () => {
      const subject = await open();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(scenario, async ({ points, twins, query, radiusM, limit, filter }) => {
          run += 1;
          const docs = points.map((at, index) => branch(`b${run}_${String(index).padStart(3, '0')}`, at, index));
          for (let t = 0; t < twins && docs.length > 0; t++) {
            const original = docs[t % docs.length]!;
            docs.push({ ...branch(`b${run}_twin${t}`, query, t), location: original.location });
          }
          await subject.replaceBranches(docs);
          const nearbyQuery = {
            lat: query.lat,
            lng: query.lng,
            radiusM,
            limit,
            bankCodes: filter.bank,
            service: filter.service,
            openAt: filter.openAt,
          };
          const expected = bruteForce(docs, nearbyQuery);
          const actual = await pageThrough(subject.locator, nearbyQuery);
          expect(actual.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
          for (const [index, hit] of actual.entries()) expect(hit.distanceM).toBeCloseTo(expected[index]!.distanceM, 6);
        }),
        { numRuns: 60 },
      );
      await subject.close();
    }, 30_000); // over HTTP (CloudBase) the 60 scenarios take several seconds

    test('radius edges: just inside is found, just outside is not, at every bearing and latitude', async () => {
      const subject = await open();
      for (const [c, centre] of CENTRES.entries()) {
        for (const radiusM of [150, 5_000, 50_000]) {
          const docs: BranchDoc[] = [];
          for (let bearing = 0; bearing < 360; bearing += 15) {
            docs.push(branch(`in_${c}_${radiusM}_${bearing}`, destination(centre, bearing, radiusM * (1 - 1e-9)), 0));
            docs.push(branch(`out_${c}_${radiusM}_${bearing}`, destination(centre, bearing, radiusM * (1 + 1e-6)), 0));
          }
          await subject.replaceBranches(docs);
          const query = { ...centre, radiusM, limit: 1000 };
          const found = (await subject.locator.nearby(query)).map((hit) => hit.branch.id).sort();
          expect(found).toEqual(
            bruteForce(docs, query)
              .map((hit) => hit.id)
              .sort(),
          );
          expect(found).toHaveLength(24);
          expect(found.every((id) => id.startsWith('in_'))).toBe(true);
        }
      }
      await subject.close();
    }, 30_000);
  });
}
