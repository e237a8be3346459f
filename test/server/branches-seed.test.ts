/** The sandbox branch generator and the local host's seeding of it. */
import { generateBranches } from '../../server/adapters/sandbox/branch-generator';
import { BANK_CODES, CITIES } from '../../server/domain/branches/catalog';
import { hashMachineSecret } from '../../server/domain/branches/queue';
import { seedBranches } from '../../server/host/branch-seed';
import { startTestHost, type TestHost } from '../helpers/host';

describe('generator', () => {
  const branches = generateBranches({ count: 2_000 });

  test('is deterministic: the same seed gives the same branches, another seed others', () => {
    expect(JSON.stringify(generateBranches({ count: 2_000 }))).toBe(JSON.stringify(branches));
    const other = generateBranches({ count: 2_000, seed: 7 });
    expect(JSON.stringify(other.map((b) => b.location))).not.toBe(JSON.stringify(branches.map((b) => b.location)));
  });

  test('gives exactly the count, every one of the 13 banks in every one of the 12+ cities', () => {
    expect(branches).toHaveLength(2_000);
    expect(new Set(branches.map((b) => b.id)).size).toBe(2_000);
    expect(BANK_CODES).toHaveLength(13);
    expect(CITIES.length).toBeGreaterThanOrEqual(10);
    for (const city of CITIES) {
      for (const bank of BANK_CODES) {
        expect(branches.some((b) => b.cityCode === city.code && b.bankCode === bank)).toBe(true);
      }
    }
    // the big state banks have more branches than the smaller joint-stock banks
    const count = (bank: string) => branches.filter((b) => b.bankCode === bank).length;
    expect(count('ICBC')).toBeGreaterThan(count('SPABANK'));
  });

  // Checked per branch in plain code (thousands of expect() calls are slow); the failures are listed.
  const offending = (problem: (b: (typeof branches)[number]) => string | null) =>
    branches.map((b) => problem(b) && `${b.id}: ${problem(b)}`).filter(Boolean);

  test('puts every branch inside its city’s extent, as a GCJ-02 GeoJSON point', () => {
    const outside = offending((branch) => {
      const { extent } = CITIES.find((c) => c.code === branch.cityCode)!;
      const [lng, lat] = branch.location.coordinates;
      const inside = lat >= extent.minLat && lat <= extent.maxLat && lng >= extent.minLng && lng <= extent.maxLng;
      return branch.location.type === 'Point' && inside ? null : `${lat},${lng}`;
    });
    expect(outside).toEqual([]);
  });

  test('gives realistic names, addresses, phones, hours, services and entrances', () => {
    expect(new Set(branches.map((b) => b.name)).size).toBe(branches.length);
    const unrealistic = offending((branch) => {
      const city = CITIES.find((c) => c.code === branch.cityCode)!;
      if (!/(支行|分理处|营业部)$/.test(branch.name)) return `name ${branch.name}`;
      if (!branch.address.startsWith(`${city.name}市`) || !/区.+\d+号/.test(branch.address)) return branch.address;
      if (!/^0\d{2,3}-[2-9]\d{6,7}$/.test(branch.phone)) return `phone ${branch.phone}`;
      if (!branch.services.includes('personal')) return 'no personal banking';
      if (branch.week.length !== 7) return 'week';
      const weekdays = branch.week.slice(0, 5);
      const sensible = weekdays.every(
        (day) => day && day.open >= 8 * 60 && day.close <= 18 * 60 && day.close - day.open >= 6 * 60,
      );
      return sensible ? null : `hours ${JSON.stringify(weekdays)}`;
    });
    expect(unrealistic).toEqual([]);
    const share = (predicate: (b: (typeof branches)[number]) => boolean) =>
      branches.filter(predicate).length / branches.length;
    // weekend rules: some closed at weekends, some open Saturdays only, some every day
    expect(share((b) => b.week[5] === null && b.week[6] === null)).toBeGreaterThan(0.1);
    expect(share((b) => b.week[5] !== null && b.week[6] === null)).toBeGreaterThan(0.1);
    expect(share((b) => b.week[6] !== null)).toBeGreaterThan(0.1);
    expect(share((b) => b.accessible)).toBeGreaterThan(0.3);
    expect(share((b) => b.accessible)).toBeLessThan(0.95);
    for (const service of ['corporate', 'forex', 'wealth', 'atm'] as const) {
      expect(share((b) => b.services.includes(service))).toBeGreaterThan(0.1);
    }
  });
});

describe('seeding the local host', () => {
  let host: TestHost;
  beforeEach(async () => {
    host = await startTestHost();
  });
  afterEach(async () => {
    await host.close();
  });

  test('writes branches and machine credentials once; a second run writes nothing', async () => {
    const first = await seedBranches(host.app.deps, { count: 300 });
    expect(first.created).toBe(true);
    expect(await host.app.deps.store.count('branches')).toBe(300);
    expect(await host.app.deps.store.count('queueMachines')).toBe(300);

    const id = first.branchIds[0]!;
    const machine = await host.app.deps.store.get('queueMachines', id);
    // only the hash of the secret is stored, never the secret
    expect(machine?.secretHash).toBe(hashMachineSecret(first.secretOf(id)));
    expect(JSON.stringify(await host.app.deps.store.get('branches', id))).not.toContain(first.secretOf(id));

    host.clock.advance(60_000);
    const second = await seedBranches(host.app.deps, { count: 300 });
    expect(second.created).toBe(false);
    expect(second.branchIds).toEqual(first.branchIds);
    expect(second.secretOf(id)).toBe(first.secretOf(id));
    // nothing was rewritten: the documents still carry the first run's time
    expect((await host.app.deps.store.get('branches', id))?.updatedAt).toBe(host.clock.now() - 60_000);

    const secret = JSON.parse((await host.raw(`/sandbox/queue-machines?branchId=${id}`)).text) as {
      data: { secret: string };
    };
    expect(secret.data.secret).toBe(first.secretOf(id));
    const unknown = JSON.parse((await host.raw('/sandbox/queue-machines?branchId=br_none')).text) as { ok: boolean };
    expect(unknown.ok).toBe(false);
  });
});
