/**
 * `npm run bench branches`: nearby search over 100,000 branches on a temporary SQLite file.
 *
 * Measures, on the same file and the same query points in one run:
 *  - the domain query (`findNearby`: the R*Tree locator, the page's queue reports, the summaries),
 *  - a brute-force scan without the spatial index (every branch's coordinates read from the
 *    table, every distance computed, sorted) — what nearby costs without the index,
 *  - the same brute force over coordinates already in memory (a lower bound for any scan),
 * and checks that the domain query returns exactly the brute-force nearest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateBranches, seededRandom } from '../server/adapters/sandbox/branch-generator';
import { SqliteBranchLocator } from '../server/adapters/sqlite/branch-locator';
import { MIGRATIONS } from '../server/adapters/sqlite/schema';
import { SqliteStore } from '../server/adapters/sqlite/store';
import { greatCircleMetres, type LatLng } from '../server/domain/branches/geo';
import { findNearby } from '../server/domain/branches/nearby';
import { registerBranches } from '../server/domain/branches/provision';
import { COLLECTION_SPECS, type Collections } from '../server/domain/collections';

const BRANCHES = 100_000;
const QUERIES = 200;
/** The table scan takes ~0.3 s a query: its percentiles come from the first queries only. */
const SCAN_QUERIES = 40;
const RADIUS_M = 5_000;
const PAGE = 20;
// Monday 2026-11-30 10:00 China time: every branch open, as on a busy morning
const NOW = Date.UTC(2026, 10, 30, 2, 0);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function row(label: string, samples: number[]): string {
  const p50 = percentile(samples, 50);
  const p95 = percentile(samples, 95);
  return `${label.padEnd(50)} p50 ${p50.toFixed(3).padStart(8)} ms   p95 ${p95.toFixed(3).padStart(8)} ms`;
}

function nearestByScan(points: { id: string; lat: number; lng: number }[], centre: LatLng): string[] {
  return points
    .map((p) => ({ id: p.id, distanceM: greatCircleMetres(centre, p) }))
    .filter((hit) => hit.distanceM <= RADIUS_M)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1))
    .slice(0, PAGE)
    .map((hit) => hit.id);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wxbank-bench-'));
  const store = new SqliteStore<Collections>({
    file: path.join(dir, 'bench.sqlite'),
    collections: COLLECTION_SPECS,
    migrations: MIGRATIONS,
  });
  try {
    const clock = { now: () => NOW };
    let started = performance.now();
    const branches = generateBranches({ count: BRANCHES, now: NOW });
    const generatedMs = performance.now() - started;
    started = performance.now();
    await registerBranches({ store, clock }, branches, (id) => `bench-machine-secret-${id}`);
    const insertedMs = performance.now() - started;
    console.log(
      `${BRANCHES.toLocaleString('en')} branches: generated in ${generatedMs.toFixed(0)} ms, ` +
        `stored with R*Tree and machine credentials in ${insertedMs.toFixed(0)} ms (batches of 500 per transaction)`,
    );

    const deps = { store, clock, branchLocator: new SqliteBranchLocator(store) };
    // Query points: around random branches (where users are) — the same points for every method.
    const random = seededRandom(42);
    const points: LatLng[] = Array.from({ length: QUERIES }, () => {
      const [lng, lat] = branches[Math.floor(random() * branches.length)]!.location.coordinates;
      return { lat: lat + (random() - 0.5) * 0.04, lng: lng + (random() - 0.5) * 0.04 };
    });
    const inMemory = branches.map((b) => ({
      id: b.id,
      lat: b.location.coordinates[1],
      lng: b.location.coordinates[0],
    }));

    // warm-up: prepared statements, JIT
    for (const point of points.slice(0, 20)) await findNearby(deps, { ...point, radiusM: RADIUS_M, limit: PAGE });

    const domain: number[] = [];
    const domainIds: string[][] = [];
    for (const point of points) {
      const t = performance.now();
      const page = await findNearby(deps, { ...point, radiusM: RADIUS_M, limit: PAGE });
      domain.push(performance.now() - t);
      domainIds.push(page.branches.map((b) => b.id));
    }

    const scanSql = store.db.prepare(
      "SELECT id, json_extract(doc, '$.location.coordinates[1]') AS lat, json_extract(doc, '$.location.coordinates[0]') AS lng FROM branches",
    );
    const scan: number[] = [];
    const memory: number[] = [];
    let mismatches = 0;
    for (const [index, point] of points.entries()) {
      let t = performance.now();
      const expected = nearestByScan(inMemory, point);
      memory.push(performance.now() - t);
      if (JSON.stringify(expected) !== JSON.stringify(domainIds[index])) mismatches += 1;
      if (index >= SCAN_QUERIES) continue;
      t = performance.now();
      const scanned = nearestByScan(scanSql.all() as { id: string; lat: number; lng: number }[], point);
      scan.push(performance.now() - t);
      if (JSON.stringify(scanned) !== JSON.stringify(expected)) mismatches += 1;
    }
    const found = domainIds.reduce((sum, ids) => sum + ids.length, 0) / domainIds.length;

    console.log(
      `nearby: ${QUERIES} queries, radius ${RADIUS_M / 1000} km, page of ${PAGE} (average ${found.toFixed(1)} found)`,
    );
    console.log(row('domain query (R*Tree locator + queues)', domain));
    console.log(row(`baseline: brute-force scan of the table (${SCAN_QUERIES} q)`, scan));
    console.log(row('baseline: brute force over in-memory points', memory));
    const speedup = (baseline: number[]) => (percentile(baseline, 50) / percentile(domain, 50)).toFixed(0);
    console.log(
      `domain query at p50: ${speedup(scan)}× faster than the table scan, ${speedup(memory)}× than in-memory`,
    );
    console.log(`results identical to the brute-force sort: ${QUERIES - mismatches}/${QUERIES}`);
    if (mismatches > 0) process.exitCode = 1;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
