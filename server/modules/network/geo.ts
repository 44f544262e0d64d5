/**
 * Geometry on the Earth's surface for the facility search: distances, the stored micro-degrees, and
 * the bounding box that narrows a search in SQL. Pure: no I/O.
 */

/** A box of integer micro-degrees (inclusive); longitude bounds absent when the box spans every longitude. */
export interface MicroBox {
  minLat: number;
  maxLat: number;
  minLon?: number;
  maxLon?: number;
}

export interface Point {
  /** Decimal degrees. */
  lat: number;
  lon: number;
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE_LAT = (Math.PI * EARTH_RADIUS_KM) / 180;

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Degrees to the integer micro-degrees stored, and back. */
export const toMicro = (degrees: number): number => Math.round(degrees * 1_000_000);
export const fromMicro = (micro: number): number => micro / 1_000_000;

/**
 * The box of micro-degrees that contains every point within `km` of `center` (a square in
 * degrees around the circle). Near the poles, or when it would span every longitude, the
 * longitude bounds are dropped.
 */
export function boxAround(center: Point, km: number): MicroBox {
  const dLat = km / KM_PER_DEGREE_LAT;
  const maxAbsLat = Math.min(90, Math.abs(center.lat) + dLat);
  const cos = Math.cos((maxAbsLat * Math.PI) / 180);
  const box: MicroBox = {
    minLat: toMicro(Math.max(-90, center.lat - dLat)),
    maxLat: toMicro(Math.min(90, center.lat + dLat)),
  };
  const dLon = cos > 1e-6 ? km / (KM_PER_DEGREE_LAT * cos) : 360;
  if (dLon < 180 && center.lon - dLon >= -180 && center.lon + dLon <= 180) {
    box.minLon = toMicro(center.lon - dLon);
    box.maxLon = toMicro(center.lon + dLon);
  }
  return box;
}
