import type { NetworkSearchCode } from '#contracts/network.codes.js';
import { MAX_FACILITY_PAGE_SIZE } from '#contracts/network.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { boxAround, fromMicro, haversineKm, type Point } from './geo.js';
import { type FacilityFilter, type FacilityPosition, NetworkRepository } from './network.repository.js';
import {
  cityKey,
  type Facility,
  isServiceCode,
  SERVICE_CODES,
  SERVICE_LABELS,
  type ServiceCode,
} from './network.table.js';
import { type Town, townForCap } from './towns.js';

const MAX_PAGE_SIZE = MAX_FACILITY_PAGE_SIZE;

export interface SearchInput {
  service?: string;
  province?: string;
  city?: string;
  /** 5 digits: the reference point for the distance; 2 to 4 digits: a filter on the CAP's start. */
  cap?: string;
  lat?: number;
  lon?: number;
  page?: number;
  pageSize?: number;
}

export interface FacilityView {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  cap: string;
  phone: string | null;
  latitude: number;
  longitude: number;
  services: ServiceCode[];
  /** Km from the reference point, one decimal; only when a CAP or a point was given. */
  distanceKm?: number;
}

export interface SearchResult {
  items: FacilityView[];
  total: number;
  page: number;
  pageSize: number;
  /** The point distances are measured from: the given point, or the town a 5-digit CAP resolved to. */
  reference?: { latitude: number; longitude: number; town?: string; cap?: string };
}

interface SearchPlan {
  filter: FacilityFilter;
  reference?: { point: Point; town?: Town };
  page: number;
  pageSize: number;
}

/** Refused search input: the field and a code (worded by the error handler and the web). */
const invalid = (field: string, code: NetworkSearchCode) =>
  new AppError('VALIDATION_FAILED', [{ field, code }]);

/**
 * Checks and normalises the search input (the route's schema has already checked types and
 * ranges; this holds the rules across fields). Throws VALIDATION_FAILED naming the field.
 */
export function planSearch(input: SearchInput): SearchPlan {
  const filter: FacilityFilter = {};
  if (input.service !== undefined) {
    if (!isServiceCode(input.service)) {
      throw invalid('service', 'service_unknown');
    }
    filter.service = input.service;
  }
  if (input.province !== undefined && input.province.trim() !== '') {
    const province = input.province.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(province)) {
      throw invalid('province', 'province_invalid');
    }
    filter.province = province;
  }
  if (input.city !== undefined && input.city.trim() !== '') {
    const key = cityKey(input.city);
    if (key === '') throw invalid('city', 'city_invalid');
    filter.cityKey = key;
  }
  let reference: SearchPlan['reference'];
  const hasLat = input.lat !== undefined;
  const hasLon = input.lon !== undefined;
  if (hasLat !== hasLon) {
    throw invalid(hasLat ? 'lon' : 'lat', 'point_incomplete');
  }
  if (input.cap !== undefined && input.cap.trim() !== '') {
    const cap = input.cap.trim();
    if (!/^\d{2,5}$/.test(cap)) {
      throw invalid('cap', 'cap_invalid');
    }
    if (cap.length < 5) filter.capPrefix = cap;
    else {
      if (hasLat) throw invalid('cap', 'cap_and_point');
      const town = townForCap(cap);
      if (!town) throw invalid('cap', 'cap_unknown');
      reference = { point: { lat: town.lat, lon: town.lon }, town };
    }
  }
  if (hasLat && hasLon) reference = { point: { lat: input.lat as number, lon: input.lon as number } };
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1) throw invalid('page', 'page_invalid');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalid('pageSize', 'page_size_invalid');
  }
  return { filter, ...(reference ? { reference } : {}), page, pageSize };
}

/** The first bounding box's half-side, km; it triples until it holds the page (then no box at all). */
const FIRST_BOX_KM = 20;
const NO_BOX_BEYOND_KM = 1_500;

/** The facility search (members and staff alike) and the service catalogue. */
export class NetworkSearchService {
  constructor(
    private readonly db: Db,
    private readonly repository: NetworkRepository = new NetworkRepository(),
  ) {}

  services(): { code: ServiceCode; labels: { it: string; en: string } }[] {
    return SERVICE_CODES.map((code) => ({ code, labels: SERVICE_LABELS[code] }));
  }

  /**
   * Facilities matching every filter given, by distance from the reference point (a 5-digit CAP or
   * lat/lon) when there is one, else by name; one page of them, with the total that match.
   */
  async search(input: SearchInput): Promise<SearchResult> {
    const plan = planSearch(input);
    const { filter, page, pageSize, reference } = plan;
    const offset = (page - 1) * pageSize;
    const total = await this.repository.count(this.db, filter);
    const result: SearchResult = { items: [], total, page, pageSize };
    if (reference) {
      result.reference = {
        latitude: reference.point.lat,
        longitude: reference.point.lon,
        ...(reference.town ? { town: reference.town.name, cap: reference.town.cap } : {}),
      };
    }
    if (offset >= total) return result;

    if (!reference) {
      const rows = await this.repository.pageByName(this.db, filter, pageSize, offset);
      result.items = await this.views(rows);
      return result;
    }
    const nearest = await this.nearest(filter, reference.point, total, offset + pageSize);
    const pageOf = nearest.slice(offset, offset + pageSize);
    const rows = new Map(
      (
        await this.repository.findByIds(
          this.db,
          pageOf.map((p) => p.id),
        )
      ).map((r) => [r.id, r]),
    );
    const views = await this.views(pageOf.map((p) => rows.get(p.id)).filter((r): r is Facility => !!r));
    result.items = views.map((v, i) => ({ ...v, distanceKm: Math.round((pageOf[i]?.km ?? 0) * 10) / 10 }));
    return result;
  }

  /**
   * At least the `needed` nearest matching facilities, sorted by distance (then name, then id).
   * A province or city filter keeps the set small: it is read whole. Otherwise a bounding box in
   * SQL narrows it; the box grows until the facilities within its inscribed circle fill the page
   * (any facility outside the box is farther than those), or it holds every match.
   */
  private async nearest(
    filter: FacilityFilter,
    point: Point,
    total: number,
    needed: number,
  ): Promise<(FacilityPosition & { km: number })[]> {
    const measure = (rows: FacilityPosition[]) =>
      rows
        .map((r) => ({
          ...r,
          km: haversineKm(point, { lat: fromMicro(r.latitude_e6), lon: fromMicro(r.longitude_e6) }),
        }))
        .sort((a, b) => a.km - b.km || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (filter.province !== undefined || filter.cityKey !== undefined || filter.capPrefix !== undefined) {
      return measure(await this.repository.positions(this.db, filter));
    }
    for (let km = FIRST_BOX_KM; km < NO_BOX_BEYOND_KM; km *= 3) {
      const rows = measure(
        await this.repository.positions(this.db, { ...filter, box: boxAround(point, km) }),
      );
      if (rows.length >= total) return rows;
      if (rows.filter((r) => r.km <= km).length >= needed) return rows.filter((r) => r.km <= km);
    }
    return measure(await this.repository.positions(this.db, filter));
  }

  private async views(rows: Facility[]): Promise<FacilityView[]> {
    const services = await this.repository.servicesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      address: r.address,
      city: r.city,
      province: r.province,
      cap: r.cap,
      phone: r.phone,
      latitude: fromMicro(r.latitude_e6),
      longitude: fromMicro(r.longitude_e6),
      services: services.get(r.id) ?? [],
    }));
  }
}
