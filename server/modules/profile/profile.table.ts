import type { Selectable } from 'kysely';

export interface MemberIbanChangeTable {
  id: string;
  account_id: string;
  old_iban: string | null;
  new_iban: string;
  holder: string;
  changed_at: string;
  reported_at: string | null;
}

export type DataExportState = 'queued' | 'running' | 'ready' | 'failed' | 'expired';

export interface DataExportTable {
  id: string;
  account_id: string;
  state: DataExportState;
  progress: number;
  lease_until: string | null;
  object_key: string | null;
  bytes: number | null;
  token_hash: string | null;
  expires_at: string | null;
  used_at: string | null;
  created_at: string;
  finished_at: string | null;
}
export type DataExport = Selectable<DataExportTable>;
