/**
 * Spatial search over the branch documents of the Store. The generic Store has no geo query, so
 * this port is its own: SQLite answers it with an R*Tree, CloudBase with `geoNear` on a 2dsphere
 * index. Results are ordered by (great-circle distance, id), the order cursors page through.
 */
import type { BranchDoc } from '../collections';

export interface NearbyQuery {
  lat: number;
  lng: number;
  radiusM: number;
  /** At most this many hits (the domain asks for one more than a page to learn if another follows). */
  limit: number;
  /** Only hits strictly after this position in (distance, id) order: the previous page's last. */
  after?: { distanceM: number; id: string };
  /** Any of these banks (absent: every bank). */
  bankCodes?: readonly string[];
  /** Offers this service. */
  service?: string;
  /** Open at this China-time weekday (Monday = 0) and minute of the day. */
  openAt?: { weekday: number; minute: number };
}

export interface NearbyHit {
  branch: BranchDoc;
  /** Great-circle metres from the query point, unrounded (cursors carry it). */
  distanceM: number;
}

export interface BranchLocator {
  nearby(query: NearbyQuery): Promise<NearbyHit[]>;
}
