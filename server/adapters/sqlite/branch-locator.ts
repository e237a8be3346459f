/**
 * BranchLocator on the SQLite file: the R*Tree `branch_geo` (migration 1 in schema.ts, kept in
 * step with the `branches` table by triggers) prefilters by bounding box; exact great-circle
 * distances decide.
 *
 * The search grows outwards: it looks within a small radius first and doubles it until the radius
 * holds enough hits or reaches the caller's. Every branch within r lies in r's bounding box, so the
 * hits within r are exactly the nearest ones and their (distance, id) order is final — a dense city
 * centre answers from a few hundred metres, a sparse suburb widens step by step.
 */
import type Database from 'better-sqlite3';
import type { BranchDoc } from '../../domain/collections';
import { boundingBoxes, byDistanceThenId, greatCircleMetres, isAfter, type LatLngBox } from '../../domain/branches/geo';
import type { BranchLocator, NearbyHit, NearbyQuery } from '../../domain/ports/branch-locator';
import type { SqliteStore } from './store';

/** First search radius; most city queries end here or one doubling later. */
const FIRST_STEP_M = 1_000;
/** Widens each box by ~1 cm so a branch exactly on the circle is not lost to rounding. */
const BOX_MARGIN_DEG = 1e-7;

type Candidate = { id: string; lat: number; lng: number };

export class SqliteBranchLocator implements BranchLocator {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly store: Pick<SqliteStore<unknown>, 'read'>) {}

  async nearby(query: NearbyQuery): Promise<NearbyHit[]> {
    const center = { lat: query.lat, lng: query.lng };
    let stepM = Math.min(query.radiusM, Math.max(FIRST_STEP_M, (query.after?.distanceM ?? 0) * 1.5));
    for (;;) {
      const candidates = await this.store.read((db) => this.candidates(db, boundingBoxes(center, stepM), query));
      const within = stepM;
      const hits = candidates
        .map((c) => ({ id: c.id, distanceM: greatCircleMetres(center, c) }))
        .filter((c) => c.distanceM <= within && c.distanceM <= query.radiusM)
        .filter((c) => isAfter(c, query.after))
        .sort(byDistanceThenId);
      if (hits.length >= query.limit || stepM >= query.radiusM) {
        const page = hits.slice(0, query.limit);
        const docs = await this.store.read((db) =>
          this.documents(
            db,
            page.map((hit) => hit.id),
          ),
        );
        return page.flatMap((hit) => {
          const branch = docs.get(hit.id);
          return branch ? [{ branch, distanceM: hit.distanceM }] : [];
        });
      }
      stepM = Math.min(query.radiusM, stepM * 2);
    }
  }

  private statement(db: Database.Database, sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private candidates(db: Database.Database, boxes: LatLngBox[], query: NearbyQuery): Candidate[] {
    const filters: string[] = [];
    const params: (string | number)[] = [];
    if (query.bankCodes && query.bankCodes.length > 0) {
      filters.push(`json_extract(b.doc, '$.bankCode') IN (${query.bankCodes.map(() => '?').join(', ')})`);
      params.push(...query.bankCodes);
    }
    if (query.service) {
      filters.push(`EXISTS (SELECT 1 FROM json_each(b.doc, '$.services') s WHERE s.value = ?)`);
      params.push(query.service);
    }
    if (query.openAt) {
      // A closed day is null: comparisons with null are false, so the branch drops out.
      filters.push(`json_extract(b.doc, ?) <= ? AND json_extract(b.doc, ?) > ?`);
      const day = `$.week[${query.openAt.weekday}]`;
      params.push(`${day}.open`, query.openAt.minute, `${day}.close`, query.openAt.minute);
    }
    const join = filters.length > 0 ? ` JOIN branches b ON b.id = k.branchId AND ${filters.join(' AND ')}` : '';
    const sql =
      `SELECT k.branchId AS id, g.lat AS lat, g.lng AS lng FROM branch_geo g` +
      ` JOIN branch_geo_keys k ON k.geoId = g.id${join}` +
      ` WHERE g.maxLat >= ? AND g.minLat <= ? AND g.maxLng >= ? AND g.minLng <= ?`;
    const statement = this.statement(db, sql);
    const rows = new Map<string, Candidate>();
    for (const box of boxes) {
      const bounds = [
        box.minLat - BOX_MARGIN_DEG,
        box.maxLat + BOX_MARGIN_DEG,
        box.minLng - BOX_MARGIN_DEG,
        box.maxLng + BOX_MARGIN_DEG,
      ];
      for (const row of statement.all(...params, ...bounds) as Candidate[]) rows.set(row.id, row);
    }
    return [...rows.values()];
  }

  private documents(db: Database.Database, ids: string[]): Map<string, BranchDoc> {
    const found = new Map<string, BranchDoc>();
    if (ids.length === 0) return found;
    const sql = `SELECT doc FROM branches WHERE id IN (${ids.map(() => '?').join(', ')})`;
    for (const row of this.statement(db, sql).all(...ids) as { doc: string }[]) {
      const branch = JSON.parse(row.doc) as BranchDoc;
      found.set(branch.id, branch);
    }
    return found;
  }
}
