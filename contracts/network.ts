import { type Static, Type } from 'typebox';
import { FiniteInteger, FiniteNumber } from './common.js';
import {
  MAX_FACILITY_PAGE_SIZE,
  NETWORK_FILE_PROBLEMS,
  NETWORK_IMPORT_STATUSES,
  NETWORK_SERVICE_CODES,
  type NetworkImportStatus,
  ROW_PROBLEM_CODES,
} from './network.codes.js';

export {
  MAX_FACILITY_PAGE_SIZE,
  NETWORK_FILE_PROBLEMS,
  NETWORK_IMPORT_STATUSES,
  NETWORK_SERVICE_CODES,
  type NetworkImportStatus,
  ROW_PROBLEM_CODES,
};

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ServiceCode = Type.Enum(NETWORK_SERVICE_CODES);

export const FacilitySearchQuery = Type.Object({
  service: Type.Optional(ServiceCode),
  province: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'Province sigla, e.g. MI' })),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  cap: Type.Optional(
    Type.String({
      pattern: '^[0-9]{2,5}$',
      description:
        'Five digits: sort by distance from this CAP (a CAP we do not know answers 400). ' +
        '2 to 4 digits: only facilities whose CAP starts with them',
    }),
  ),
  lat: Type.Optional(FiniteNumber({ minimum: -90, maximum: 90, description: 'With lon: sort by distance' })),
  lon: Type.Optional(FiniteNumber({ minimum: -180, maximum: 180 })),
  page: FiniteInteger({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: FiniteInteger({ minimum: 1, maximum: MAX_FACILITY_PAGE_SIZE, default: 20 }),
});

export const FacilityItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  address: Type.String(),
  city: Type.String(),
  province: Type.String(),
  cap: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Number(),
  longitude: Type.Number(),
  services: Type.Array(ServiceCode),
  distanceKm: Type.Optional(Type.Number({ description: 'Km from the CAP or point given, one decimal' })),
});
export type FacilityItem = Static<typeof FacilityItem>;

export const FacilitySearchResponse = Type.Object({
  items: Type.Array(FacilityItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  reference: Type.Optional(
    Type.Object({
      latitude: Type.Number(),
      longitude: Type.Number(),
      town: Type.Optional(Type.String({ description: 'The town a CAP was resolved to' })),
      cap: Type.Optional(Type.String()),
    }),
  ),
});
export type FacilitySearchResponse = Static<typeof FacilitySearchResponse>;

export const ServicesResponse = Type.Object({
  services: Type.Array(
    Type.Object({ code: ServiceCode, labels: Type.Object({ it: Type.String(), en: Type.String() }) }),
  ),
});

// ——— Network files uploaded in the back office ———

export const RowProblem = Type.Object({
  code: Type.String({ description: ROW_PROBLEM_CODES.join(', ') }),
  column: Type.Optional(Type.String()),
  values: Type.Optional(Type.Array(Type.String())),
});

export const FacilityBrief = Type.Object({
  line: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  city: Type.String(),
  province: Type.String(),
  changes: Type.Optional(Type.Array(Type.String(), { description: 'Columns of the file that change' })),
});

/** What an import would do (the dry run at upload) or did (the apply). */
export const NetworkImportCounts = Type.Object({
  rowsRead: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  duplicates: Type.Integer(),
  rejectedTotal: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String({ description: 'In English, as the command line prints it' }),
      problems: Type.Optional(Type.Array(RowProblem)),
    }),
  ),
  unknownServices: Type.Array(
    Type.Object({ code: Type.String(), rows: Type.Integer(), firstLine: Type.Integer() }),
  ),
  samples: Type.Object({ inserted: Type.Array(FacilityBrief), updated: Type.Array(FacilityBrief) }),
});
export type NetworkImportCounts = Static<typeof NetworkImportCounts>;

export const NetworkImportView = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  fileBytes: Type.Integer(),
  fileSha256: Type.String(),
  status: Type.Enum(NETWORK_IMPORT_STATUSES),
  uploadedBy: Nullable(Type.String()),
  createdAt: Type.String(),
  appliedBy: Nullable(Type.String()),
  appliedAt: Nullable(Type.String()),
  discardedBy: Nullable(Type.String()),
  discardedAt: Nullable(Type.String()),
  /** A refused file (problem and line) or why an apply stopped. */
  error: Nullable(
    Type.Object({
      kind: Type.String({ description: `${NETWORK_FILE_PROBLEMS.join(', ')}, or apply_failed` }),
      line: Type.Optional(Type.Integer()),
      message: Type.String(),
    }),
  ),
  /** An earlier import of a file with the same content, if any. */
  sameFileAs: Type.Optional(
    Type.Object({ id: Type.String(), createdAt: Type.String(), status: Type.String() }),
  ),
  check: Nullable(NetworkImportCounts),
  result: Nullable(NetworkImportCounts),
});
export type NetworkImportView = Static<typeof NetworkImportView>;

export const NetworkImportList = Type.Object({ imports: Type.Array(NetworkImportView) });

export const NetworkApplyBody = Type.Object({
  allowErrors: Type.Boolean({
    default: false,
    description: 'Import the valid rows even if some are rejected',
  }),
});
