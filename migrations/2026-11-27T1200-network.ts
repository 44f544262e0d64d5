import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // The provider network (strutture convenzionate). `code` is the provider's own code: imports
  // upsert by it. Coordinates are integers in micro-degrees (degrees × 1,000,000, WGS84; 1 µ° of
  // latitude ≈ 0.11 m): exact on both databases, no floating point stored, and a bounding box is a
  // plain integer range on an index. `city_key` is the city folded to lower-case ASCII (accents
  // removed, punctuation as single spaces), so both dialects search it with a plain index.
  await db.schema
    .createTable('facilities')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('city_key', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('cap', 'text', (c) => c.notNull())
    .addColumn('latitude_e6', 'integer', (c) => c.notNull())
    .addColumn('longitude_e6', 'integer', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('facilities_province').on('facilities').columns(['province', 'name']).execute();
  await db.schema.createIndex('facilities_city_key').on('facilities').columns(['city_key', 'name']).execute();
  await db.schema.createIndex('facilities_cap').on('facilities').column('cap').execute();
  await db.schema
    .createIndex('facilities_position')
    .on('facilities')
    .columns(['latitude_e6', 'longitude_e6'])
    .execute();
  await db.schema.createIndex('facilities_name').on('facilities').columns(['name', 'id']).execute();

  // The services (plan category codes) each facility offers; an import replaces a facility's set.
  await db.schema
    .createTable('facility_services')
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id').onDelete('cascade'))
    .addColumn('service_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('facility_services_pk', ['facility_id', 'service_code'])
    .execute();
  await db.schema
    .createIndex('facility_services_service')
    .on('facility_services')
    .columns(['service_code', 'facility_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('facility_services').execute();
  await db.schema.dropTable('facilities').execute();
}
