/**
 * Great-circle geometry on a spherical Earth, in metres. GCJ-02 is WGS-84 shifted by a few hundred
 * metres, so at branch-finding scale it is measured the same way; every adapter orders by this.
 */

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;

export interface LatLng {
  lat: number;
  lng: number;
}

export interface LatLngBox {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

const RAD = Math.PI / 180;

/** Haversine distance: exact on the sphere and well-conditioned for the short distances that matter here. */
export function greatCircleMetres(a: LatLng, b: LatLng): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Latitude/longitude boxes that together contain every point within `radiusM` of `center` (one box,
 * or two when the circle crosses the ±180° meridian). The longitude half-width is the exact one for
 * a spherical cap, asin(sin(r/R) / cos φ), so nothing at the circle's widest parallel is cut off;
 * a cap that reaches a pole spans every longitude.
 */
export function boundingBoxes(center: LatLng, radiusM: number): LatLngBox[] {
  const angular = radiusM / EARTH_RADIUS_M;
  const minLat = center.lat - angular / RAD;
  const maxLat = center.lat + angular / RAD;
  if (minLat <= -90 || maxLat >= 90 || angular >= Math.PI / 2) {
    return [{ minLat: Math.max(minLat, -90), maxLat: Math.min(maxLat, 90), minLng: -180, maxLng: 180 }];
  }
  const halfWidth = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(center.lat * RAD))) / RAD;
  const minLng = center.lng - halfWidth;
  const maxLng = center.lng + halfWidth;
  if (minLng < -180) {
    return [
      { minLat, maxLat, minLng: minLng + 360, maxLng: 180 },
      { minLat, maxLat, minLng: -180, maxLng },
    ];
  }
  if (maxLng > 180) {
    return [
      { minLat, maxLat, minLng, maxLng: 180 },
      { minLat, maxLat, minLng: -180, maxLng: maxLng - 360 },
    ];
  }
  return [{ minLat, maxLat, minLng, maxLng }];
}

/** The point `distanceM` from `start` along the initial bearing `bearingDeg` (0 = north, 90 = east). */
export function destination(start: LatLng, bearingDeg: number, distanceM: number): LatLng {
  const angular = distanceM / EARTH_RADIUS_M;
  const bearing = bearingDeg * RAD;
  const lat1 = start.lat * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(angular) + Math.cos(lat1) * Math.sin(angular) * Math.cos(bearing));
  const lng2 =
    start.lng * RAD +
    Math.atan2(
      Math.sin(bearing) * Math.sin(angular) * Math.cos(lat1),
      Math.cos(angular) - Math.sin(lat1) * Math.sin(lat2),
    );
  return { lat: lat2 / RAD, lng: ((((lng2 / RAD + 540) % 360) + 360) % 360) - 180 };
}

/** A place in the order every locator returns: (great-circle distance, id). */
export interface RankedPosition {
  distanceM: number;
  id: string;
}

export function byDistanceThenId(a: RankedPosition, b: RankedPosition): number {
  return a.distanceM - b.distanceM || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Strictly after the cursor's position (none: everything is). */
export function isAfter(position: RankedPosition, after: RankedPosition | undefined): boolean {
  return !after || byDistanceThenId(position, after) > 0;
}
