import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/database.js';
import { startsWith } from '../../db/like.js';
import type { Database } from '../../db/schema.js';
import type { MicroBox } from './geo.js';
import type { Facility, FacilityServiceTable, NewFacility, ServiceCode } from './network.table.js';

/** What the search filters on, already normalised by the service. */
export interface FacilityFilter {
  service?: ServiceCode;
  /** Province sigla, upper case. */
  province?: string;
  /** See `cityKey`. */
  cityKey?: string;
  /** 1 to 5 digits: facilities whose CAP starts with them. */
  capPrefix?: string;
  box?: MicroBox;
}

/** A facility's position, for sorting by distance before loading whole rows. */
export interface FacilityPosition {
  id: string;
  name: string;
  latitude_e6: number;
  longitude_e6: number;
}

/** The columns an import may change; `id`, `code`, `created_at` stay, `updated_at` follows a change. */
export const FACILITY_DATA_COLUMNS = [
  'name',
  'address',
  'city',
  'city_key',
  'province',
  'cap',
  'latitude_e6',
  'longitude_e6',
  'phone',
  'iban',
] as const;

function conditions(eb: ExpressionBuilder<Database, 'facilities'>, f: FacilityFilter): Expression<SqlBool>[] {
  const all: Expression<SqlBool>[] = [];
  if (f.province !== undefined) all.push(eb('facilities.province', '=', f.province));
  if (f.cityKey !== undefined) all.push(eb('facilities.city_key', '=', f.cityKey));
  if (f.capPrefix !== undefined) {
    // The prefix is digits only (checked by the schema and the service); escaped all the same.
    all.push(
      f.capPrefix.length === 5
        ? eb('facilities.cap', '=', f.capPrefix)
        : startsWith(eb.ref('facilities.cap'), f.capPrefix),
    );
  }
  if (f.box) {
    all.push(
      eb('facilities.latitude_e6', '>=', f.box.minLat),
      eb('facilities.latitude_e6', '<=', f.box.maxLat),
    );
    if (f.box.minLon !== undefined) all.push(eb('facilities.longitude_e6', '>=', f.box.minLon));
    if (f.box.maxLon !== undefined) all.push(eb('facilities.longitude_e6', '<=', f.box.maxLon));
  }
  if (f.service !== undefined) {
    const service = f.service;
    all.push(
      eb.exists(
        eb
          .selectFrom('facility_services')
          .select('facility_services.facility_id')
          .whereRef('facility_services.facility_id', '=', 'facilities.id')
          .where('facility_services.service_code', '=', service),
      ),
    );
  }
  return all;
}

/**
 * The only place with queries on facilities and facility_services.
 */
export class NetworkRepository {
  async count(db: Db, filter: FacilityFilter): Promise<number> {
    const row = await db
      .selectFrom('facilities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.and(conditions(eb, filter)))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** One page of the matching facilities, by name. */
  async pageByName(db: Db, filter: FacilityFilter, limit: number, offset: number): Promise<Facility[]> {
    return db
      .selectFrom('facilities')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, filter)))
      .orderBy('name')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  /** The positions of every matching facility (the caller bounds them with a box or a place filter). */
  async positions(db: Db, filter: FacilityFilter): Promise<FacilityPosition[]> {
    return db
      .selectFrom('facilities')
      .select(['id', 'name', 'latitude_e6', 'longitude_e6'])
      .where((eb) => eb.and(conditions(eb, filter)))
      .execute();
  }

  async findByIds(db: Db, ids: string[]): Promise<Facility[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('facilities').selectAll().where('id', 'in', ids).execute();
  }

  async findByCodes(db: Db, codes: string[]): Promise<Facility[]> {
    if (codes.length === 0) return [];
    return db.selectFrom('facilities').selectAll().where('code', 'in', codes).execute();
  }

  /** The services of each facility, by facility id (codes in alphabetical order). */
  async servicesOf(db: Db, ids: string[]): Promise<Map<string, ServiceCode[]>> {
    const byId = new Map<string, ServiceCode[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return byId;
    const rows = await db
      .selectFrom('facility_services')
      .select(['facility_id', 'service_code'])
      .where('facility_id', 'in', ids)
      .orderBy('service_code')
      .execute();
    for (const r of rows) byId.get(r.facility_id)?.push(r.service_code);
    return byId;
  }

  /** Inserts facilities whose code is new; returns the ids inserted (an existing code is left alone). */
  async insertFacilities(db: Db, rows: NewFacility[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const inserted = await db
      .insertInto('facilities')
      .values(rows)
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .execute();
    return inserted.map((r) => r.id);
  }

  async updateFacility(
    db: Db,
    id: string,
    data: Partial<Pick<NewFacility, (typeof FACILITY_DATA_COLUMNS)[number]>> &
      Pick<NewFacility, 'updated_at'>,
  ): Promise<void> {
    await db.updateTable('facilities').set(data).where('id', '=', id).execute();
  }

  /** Replaces the services of these facilities with the given pairs. */
  async replaceServices(db: Db, facilityIds: string[], pairs: FacilityServiceTable[]): Promise<void> {
    if (facilityIds.length === 0) return;
    await db.deleteFrom('facility_services').where('facility_id', 'in', facilityIds).execute();
    if (pairs.length > 0) await db.insertInto('facility_services').values(pairs).execute();
  }
}
