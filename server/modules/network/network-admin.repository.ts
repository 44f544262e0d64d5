import type { Db } from '../../db/database.js';
import type {
  NetworkImport,
  NetworkImportStatus,
  NetworkImportTable,
  NewNetworkImport,
} from './network.table.js';

export type NetworkImportRow = NetworkImport & {
  uploaded_by: string | null;
  applied_by_name: string | null;
  discarded_by_name: string | null;
};

/** Queries of the back office's network uploads: the import records and their history. */
export class NetworkAdminRepository {
  async insertImport(db: Db, row: NewNetworkImport): Promise<void> {
    await db.insertInto('network_imports').values(row).execute();
  }

  async updateImport(db: Db, id: string, changes: Partial<Omit<NetworkImportTable, 'id'>>): Promise<void> {
    await db.updateTable('network_imports').set(changes).where('id', '=', id).execute();
  }

  /** Moves an import from one status to another; false when it was not in `from` (a concurrent request won). */
  async transitionImport(
    db: Db,
    id: string,
    from: NetworkImportStatus,
    changes: Partial<Omit<NetworkImportTable, 'id'>>,
  ): Promise<boolean> {
    const r = await db
      .updateTable('network_imports')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private withNames(db: Db) {
    return db
      .selectFrom('network_imports as i')
      .leftJoin('staff_users as u', 'u.id', 'i.staff_id')
      .leftJoin('staff_users as a', 'a.id', 'i.applied_by')
      .leftJoin('staff_users as d', 'd.id', 'i.discarded_by')
      .selectAll('i')
      .select([
        'u.username as uploaded_by',
        'a.username as applied_by_name',
        'd.username as discarded_by_name',
      ]);
  }

  findImport(db: Db, id: string): Promise<NetworkImportRow | undefined> {
    return this.withNames(db).where('i.id', '=', id).executeTakeFirst();
  }

  listImports(db: Db, limit: number): Promise<NetworkImportRow[]> {
    return this.withNames(db).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
  }

  /** The latest other import of a file with the same content, refused ones aside. */
  findSameFile(db: Db, sha256: string, exceptId: string) {
    return db
      .selectFrom('network_imports')
      .select(['id', 'created_at', 'status'])
      .where('file_sha256', '=', sha256)
      .where('id', '!=', exceptId)
      .where('status', '!=', 'refused')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Another import being applied, started after `since` (imports are applied one at a time). */
  async otherApplying(db: Db, exceptId: string, since: string): Promise<boolean> {
    const row = await db
      .selectFrom('network_imports')
      .select('id')
      .where('status', '=', 'applying')
      .where('id', '!=', exceptId)
      .where('applied_at', '>', since)
      .executeTakeFirst();
    return row !== undefined;
  }
}
