import type { Generated, Insertable, Selectable } from 'kysely';
import { NETWORK_SERVICE_CODES } from '#contracts/network.js';
import { CATEGORY_LABELS, type CategoryCode } from '#contracts/plans.js';

/**
 * A facility of the provider network (struttura convenzionata). Coordinates are integers in
 * micro-degrees (degrees × 1,000,000): no floating point is stored; the service converts.
 */
export interface FacilityTable {
  id: string;
  /** The provider's own code: imports upsert by it. */
  code: string;
  name: string;
  address: string;
  city: string;
  /** `city` folded to lower-case ASCII (see `cityKey`), what the city filter compares. */
  city_key: string;
  /** Province sigla, two upper-case letters. */
  province: string;
  /** Five digits. */
  cap: string;
  latitude_e6: number;
  longitude_e6: number;
  phone: string | null;
  /** Where the fund pays the facility's direct claims (decision 047); optional in the network file. */
  iban: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export type Facility = Selectable<FacilityTable>;
export type NewFacility = Insertable<FacilityTable>;

export interface FacilityServiceTable {
  facility_id: string;
  service_code: ServiceCode;
}

export type NetworkImportStatus = 'checked' | 'refused' | 'applying' | 'applied' | 'discarded' | 'failed';

/**
 * A network file uploaded in the back office and what became of it. `check_report` and
 * `apply_report` are JSON (NetworkImportReport); `error` is JSON ({ kind, line?, message }) for a
 * refused file, or the reason an apply stopped.
 */
export interface NetworkImportTable {
  id: string;
  staff_id: string;
  file_name: string;
  file_bytes: number;
  /** Hex SHA-256 of the file: the history shows when the same file comes again. */
  file_sha256: string;
  status: NetworkImportStatus;
  check_report: string | null;
  apply_report: string | null;
  error: string | null;
  created_at: string;
  applied_by: string | null;
  applied_at: string | null;
  discarded_by: string | null;
  discarded_at: string | null;
}
export type NetworkImport = Selectable<NetworkImportTable>;
export type NewNetworkImport = Insertable<NetworkImportTable>;

/** What a facility can offer: the plans' service categories (medicines are bought at pharmacies). */
export const SERVICE_CODES = NETWORK_SERVICE_CODES;
export type ServiceCode = Exclude<CategoryCode, 'farmaci'>;

export const SERVICE_LABELS: Record<ServiceCode, { it: string; en: string }> = Object.fromEntries(
  SERVICE_CODES.map((c) => [c, CATEGORY_LABELS[c]]),
) as Record<ServiceCode, { it: string; en: string }>;

export function isServiceCode(value: string): value is ServiceCode {
  return (SERVICE_CODES as readonly string[]).includes(value);
}

/** A city as the search compares it: lower-case ASCII, accents removed, other characters as single spaces. */
export function cityKey(city: string): string {
  return city
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
