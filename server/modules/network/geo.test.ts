import { describe, expect, it } from 'vitest';
import { boxAround, haversineKm, toMicro } from './geo.js';

const MILANO = { lat: 45.4642, lon: 9.19 };
const ROMA = { lat: 41.8933, lon: 12.4829 };

describe('distance', () => {
  it('is zero from a point to itself and symmetric', () => {
    expect(haversineKm(MILANO, MILANO)).toBe(0);
    expect(haversineKm(MILANO, ROMA)).toBeCloseTo(haversineKm(ROMA, MILANO), 9);
  });

  it('matches known distances between Italian cities (great circle)', () => {
    expect(haversineKm(MILANO, ROMA)).toBeGreaterThan(470);
    expect(haversineKm(MILANO, ROMA)).toBeLessThan(485);
    // One degree of latitude is about 111.2 km everywhere.
    expect(haversineKm({ lat: 45, lon: 9 }, { lat: 46, lon: 9 })).toBeCloseTo(111.19, 1);
    // One degree of longitude shrinks with the cosine of the latitude.
    expect(haversineKm({ lat: 45, lon: 9 }, { lat: 45, lon: 10 })).toBeCloseTo(78.6, 0);
  });

  it('a bounding box holds every point within its radius', () => {
    const box = boxAround(MILANO, 20);
    for (let deg = 0; deg < 360; deg += 15) {
      const a = (deg * Math.PI) / 180;
      const p = {
        lat: MILANO.lat + (19.9 * Math.cos(a)) / 111.195,
        lon: MILANO.lon + (19.9 * Math.sin(a)) / (111.195 * Math.cos((MILANO.lat * Math.PI) / 180)),
      };
      expect(haversineKm(MILANO, p)).toBeLessThan(20);
      expect(toMicro(p.lat)).toBeGreaterThanOrEqual(box.minLat);
      expect(toMicro(p.lat)).toBeLessThanOrEqual(box.maxLat);
      expect(toMicro(p.lon)).toBeGreaterThanOrEqual(box.minLon as number);
      expect(toMicro(p.lon)).toBeLessThanOrEqual(box.maxLon as number);
    }
    expect(boxAround({ lat: 89.9, lon: 0 }, 50).minLon).toBeUndefined();
  });
});
