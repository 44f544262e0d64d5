import { type Static, Type } from 'typebox';
import { FILE_REFUSAL_CODES } from './imports.codes.js';
import {
  REGISTRY_IMPORT_ERROR_KINDS,
  REGISTRY_ROW_PROBLEM_CODES,
  REGISTRY_WARNING_CODES,
} from './registry.codes.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Why a row is rejected: a stable code, the column it concerns, the values its text needs. */
export const RegistryRowProblem = Type.Object({
  code: Type.String({ description: REGISTRY_ROW_PROBLEM_CODES.join(', ') }),
  column: Type.Optional(Type.String()),
  values: Type.Optional(Type.Array(Type.String())),
});

export const ImportCounts = Type.Object({
  rowsRead: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  coverageEnding: Type.Integer(),
  duplicates: Type.Integer(),
  rejectedTotal: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      line: Type.Integer(),
      reason: Type.String({ description: 'In English, as the command line prints it' }),
      problems: Type.Optional(Type.Array(RegistryRowProblem)),
    }),
  ),
  plansCreated: Type.Array(Type.String()),
  warningsTotal: Type.Integer(),
  warnings: Type.Array(
    Type.Object({
      line: Type.Optional(Type.Integer()),
      message: Type.String({ description: 'In English, as the command line prints it' }),
      code: Type.Optional(Type.String({ description: REGISTRY_WARNING_CODES.join(', ') })),
      values: Type.Optional(Type.Array(Type.String())),
    }),
  ),
});

export const RegistryImportView = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  fileBytes: Type.Integer(),
  status: Type.Union([
    Type.Literal('checking'),
    Type.Literal('checked'),
    Type.Literal('applying'),
    Type.Literal('applied'),
    Type.Literal('failed'),
    Type.Literal('discarded'),
  ]),
  /** Rows read so far by the check or the import under way: the progress bar. */
  rowsRead: Type.Integer(),
  uploadedBy: Type.Optional(Nullable(Type.String())),
  createdAt: Type.String(),
  checkedAt: Nullable(Type.String()),
  appliedAt: Nullable(Type.String()),
  /** Why the file was refused as a whole or its import stopped (status `failed`). */
  error: Nullable(
    Type.Object({
      kind: Type.String({ description: REGISTRY_IMPORT_ERROR_KINDS.join(', ') }),
      line: Type.Optional(Type.Integer()),
      problems: Type.Array(
        Type.Object({
          code: Type.String({ description: FILE_REFUSAL_CODES.join(', ') }),
          params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
        }),
        { description: 'The coded reasons, in order: clients word each (the back office joins them)' },
      ),
      message: Type.Optional(
        Type.String({ description: 'Kind unknown only: the English text stored before codes' }),
      ),
    }),
  ),
  /** The dry run: what the import would do (only after the check). */
  check: Nullable(ImportCounts),
  /** What the import did. */
  result: Nullable(ImportCounts),
});
export type RegistryImportView = Static<typeof RegistryImportView>;

export const AccountStateSchema = Type.Union([
  Type.Literal('not_registered'),
  Type.Literal('waiting_for_activation'),
  Type.Literal('active'),
  Type.Literal('locked'),
]);

export const RegistryMemberView = Type.Object({
  id: Type.String(),
  codiceFiscale: Type.String(),
  surname: Type.String(),
  name: Type.String(),
  birthDate: Type.String(),
  email: Nullable(Type.String()),
  role: Type.String(),
  holderCf: Nullable(Type.String()),
  plan: Type.Object({ code: Type.String(), name: Type.String() }),
  coverage: Type.Object({ start: Type.String(), end: Nullable(Type.String()) }),
  username: Nullable(Type.String()),
  accountState: AccountStateSchema,
  /** Whether the registry holds a card number (the number itself is never sent). */
  hasCardNumber: Type.Boolean(),
});
export type RegistryMemberView = Static<typeof RegistryMemberView>;

export const FamilyMember = Type.Object({
  name: Type.String(),
  surname: Type.String(),
  role: Type.String(),
  birthDate: Type.String(),
  coverage: Type.Object({ start: Type.String(), end: Nullable(Type.String()) }),
});

/** A registration waiting for the back office: what was typed, and the registry member it matched. */
export const RegistrationRequestView = Type.Object({
  id: Type.String(),
  typed: Type.Object({
    surname: Type.String(),
    name: Type.String(),
    codiceFiscale: Type.String(),
    birthDate: Type.String(),
    email: Type.String(),
  }),
  locale: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  /** Earlier requests for the same member that this one replaced. */
  earlierRequests: Type.Integer(),
  member: Type.Object({
    id: Type.String(),
    surname: Type.String(),
    name: Type.String(),
    codiceFiscale: Type.String(),
    birthDate: Type.String(),
  }),
});
export type RegistrationRequestView = Static<typeof RegistrationRequestView>;
