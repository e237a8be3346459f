/**
 * BranchLocator on the CloudBase database: the aggregation stage `geoNear` over a 2dsphere
 * (地理位置) index on `branches.location`, the GeoJSON point every branch document carries. Create
 * that index in the console (数据库 → branches → 索引管理 → 地理位置索引, field `location`) before
 * deploying; `geoNear` fails without it.
 *
 * It follows the documented API (Aggregate.geoNear: `near`, `spherical: true`, `distanceField`,
 * `key`, `query` with `where` syntax, `minDistance`/`maxDistance` in metres, `limit`) and keeps the
 * port's contract itself:
 *  - the database's own distances use its Earth radius (MongoDB's 6378.1 km), so they only pick and
 *    order candidates; the reported distance, the radius test and the (distance, id) order use the
 *    domain's great-circle distance, recomputed from the coordinates;
 *  - a cursor becomes a `minDistance` a little short of it (never past it), and what the query
 *    returns before the cursor is dropped; when ties or that slack eat the page, it asks again
 *    for more.
 * The call goes through `callCloudBase` (app.ts), and a branch written by a WeChat client
 * (`_openid`) is refused like the store refuses it (UntrustedDocumentError).
 *
 * Tested through the real SDK against the CloudBase emulator, with the same brute-force
 * expectations as the SQLite locator (test/server/cloudbase-branch-locator.test.ts).
 */
import {
  callCloudBase,
  cloudBaseApp,
  UntrustedDocumentError,
  type CloudBaseApp,
  type CloudBaseConnection,
} from './app';
import type { BranchDoc } from '../../domain/collections';
import { byDistanceThenId, greatCircleMetres, isAfter } from '../../domain/branches/geo';
import { branchPosition } from '../../domain/branches/views';
import type { BranchLocator, NearbyHit, NearbyQuery } from '../../domain/ports/branch-locator';

type Database = ReturnType<CloudBaseApp['database']>;
type SdkResult = { data?: unknown };

/** Any database Earth radius is within 0.5 % of the mean one: enough slack to never cut the circle short. */
const RADIUS_SLACK = 1.005;
const DISTANCE_FIELD = '_geoNearMetres';

export interface CloudBaseBranchLocatorOptions {
  connection?: CloudBaseConnection;
  /** The same prefix as the CloudBaseStore's, so both see one `branches` collection. */
  collectionPrefix?: string;
}

/** Results may hold the SDK's Point object (longitude/latitude) or plain GeoJSON. */
function toBranch(collection: string, raw: Record<string, unknown>): BranchDoc {
  const { _id, [DISTANCE_FIELD]: _distance, location, ...rest } = raw;
  if ('_openid' in rest) throw new UntrustedDocumentError(collection, String(_id));
  const point = location as { longitude?: number; latitude?: number; coordinates?: [number, number] };
  const coordinates: [number, number] =
    typeof point.longitude === 'number' && typeof point.latitude === 'number'
      ? [point.longitude, point.latitude]
      : point.coordinates!;
  return { ...(rest as Omit<BranchDoc, 'id' | 'location'>), id: String(_id), location: { type: 'Point', coordinates } };
}

export class CloudBaseBranchLocator implements BranchLocator {
  private readonly db: Database;
  private readonly connection: CloudBaseConnection;
  private readonly collection: string;

  constructor(options: CloudBaseBranchLocatorOptions = {}) {
    this.connection = options.connection ?? {};
    this.db = cloudBaseApp(this.connection).database();
    this.collection = `${options.collectionPrefix ?? ''}branches`;
  }

  private filter(query: NearbyQuery): Record<string, unknown> {
    const command = this.db.command;
    const filter: Record<string, unknown> = {};
    if (query.bankCodes && query.bankCodes.length > 0) filter.bankCode = command.in([...query.bankCodes]);
    // an array field equal to a value matches documents whose array contains it
    if (query.service) filter.services = query.service;
    if (query.openAt) {
      // a closed day is null: neither comparison matches it
      filter[`week.${query.openAt.weekday}.open`] = command.lte(query.openAt.minute);
      filter[`week.${query.openAt.weekday}.close`] = command.gt(query.openAt.minute);
    }
    return filter;
  }

  async nearby(query: NearbyQuery): Promise<NearbyHit[]> {
    const centre = { lat: query.lat, lng: query.lng };
    const after = query.after;
    let fetch = query.limit + 20;
    for (;;) {
      const limit = fetch;
      const result = (await callCloudBase(this.connection, 'database.geoNear', () =>
        this.db
          .collection(this.collection)
          .aggregate()
          .geoNear({
            near: new this.db.Geo.Point(query.lng, query.lat),
            spherical: true,
            key: 'location',
            distanceField: DISTANCE_FIELD,
            query: this.filter(query),
            maxDistance: query.radiusM * RADIUS_SLACK + 1,
            ...(after ? { minDistance: Math.max(0, after.distanceM / RADIUS_SLACK - 1) } : {}),
            limit,
          })
          .end(),
      )) as SdkResult;
      const rows = (result.data as Record<string, unknown>[] | undefined) ?? [];
      const ranked = rows.map((raw) => {
        const branch = toBranch(this.collection, raw);
        return { branch, id: branch.id, distanceM: greatCircleMetres(centre, branchPosition(branch)) };
      });
      const hits = ranked.filter((hit) => hit.distanceM <= query.radiusM && isAfter(hit, after)).sort(byDistanceThenId);
      // Settled when the query ran dry, or its last row lies beyond the page's last hit (a row tied
      // with that hit could still sort before it, and rows not fetched yet could tie too).
      const lastRow = ranked[ranked.length - 1];
      const pageEnd = hits[query.limit - 1];
      const settled =
        rows.length < fetch ||
        (pageEnd !== undefined && lastRow !== undefined && lastRow.distanceM > pageEnd.distanceM);
      if (settled) return hits.slice(0, query.limit).map(({ branch, distanceM }) => ({ branch, distanceM }));
      fetch *= 2;
    }
  }
}
