import { type Static, Type } from 'typebox';
import { FiniteInteger } from './common.js';
import { EMAIL_MAX_LENGTH } from './email.codes.js';
import { ACCESS_LOG_WHAT, DATA_EXPORT_STATES, PHONE_PATTERN, PROFILE_LOCALES } from './profile.codes.js';
import { STAFF_ROLES } from './staff.codes.js';

export * from './profile.codes.js';

const Locale = Type.Enum(PROFILE_LOCALES);
const Password = Type.String({ maxLength: 1000 });
const TotpCode = Type.String({ maxLength: 20 });
const Iban = Type.String({ minLength: 1, maxLength: 42 });

/** Re-authentication for a sensitive change: the password, or the authenticator code when enabled. */
export const Reauth = Type.Object({
  password: Type.Optional(Password),
  code: Type.Optional(TotpCode),
});

export const ProfileView = Type.Object({
  username: Type.String(),
  email: Type.String(),
  pendingEmail: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  locale: Locale,
  iban: Type.Union([Type.String(), Type.Null()]),
  ibanHolder: Type.Union([Type.String(), Type.Null()]),
  ibanChangedAt: Type.Union([Type.String(), Type.Null()]),
  ibanFrozen: Type.Boolean(),
  twoFactor: Type.Object({ enabled: Type.Boolean(), recoveryCodesLeft: Type.Integer() }),
});
export type ProfileView = Static<typeof ProfileView>;

export const ContactsRequest = Type.Object({
  phone: Type.Union([Type.String({ pattern: PHONE_PATTERN, maxLength: 24 }), Type.Null()]),
  locale: Locale,
});
export type ContactsRequest = Static<typeof ContactsRequest>;

export const EmailChangeRequest = Type.Object({ email: Type.String({ maxLength: EMAIL_MAX_LENGTH }) });
export type EmailChangeRequest = Static<typeof EmailChangeRequest>;

export const TokenRequest = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type TokenRequest = Static<typeof TokenRequest>;

export const IbanChangeRequest = Type.Object({
  iban: Iban,
  holder: Type.String({ minLength: 1, maxLength: 70 }),
  password: Type.Optional(Password),
  code: Type.Optional(TotpCode),
});
export type IbanChangeRequest = Static<typeof IbanChangeRequest>;

export const SessionView = Type.Object({
  id: Type.String(),
  device: Type.String({ description: 'Browser and system, from the User-Agent' }),
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  current: Type.Boolean(),
});
export const SessionsResponse = Type.Object({ sessions: Type.Array(SessionView) });
export type SessionView = Static<typeof SessionView>;

export const TotpStartRequest = Type.Object({ password: Password });
export const TotpStartResponse = Type.Object({
  secret: Type.String({ description: 'base32 key, for typing into the app' }),
  uri: Type.String({ description: 'otpauth:// URI' }),
  qrSvg: Type.String({ description: 'the URI as an SVG QR code' }),
});
export type TotpStartResponse = Static<typeof TotpStartResponse>;
export const TotpConfirmRequest = Type.Object({ code: TotpCode });
export const TotpConfirmResponse = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type TotpConfirmResponse = Static<typeof TotpConfirmResponse>;
export const TotpDisableRequest = Type.Object({ code: TotpCode });

/** Login second step: the pending token from the first answer and a code (or a recovery code). */
export const LoginTotpRequest = Type.Object({
  pendingToken: Type.String({ minLength: 1, maxLength: 200 }),
  code: TotpCode,
});
export const LoginSecondStep = Type.Object({
  twoFactorRequired: Type.Literal(true),
  pendingToken: Type.String(),
});
export type LoginSecondStep = Static<typeof LoginSecondStep>;

export const AccessLogEntry = Type.Object({
  id: Type.String(),
  at: Type.String(),
  role: Type.Union([Type.Enum(STAFF_ROLES), Type.Null()]),
  what: Type.Enum(ACCESS_LOG_WHAT),
  event: Type.String(),
});
export type AccessLogEntry = Static<typeof AccessLogEntry>;
export const AccessLogResponse = Type.Object({ entries: Type.Array(AccessLogEntry) });

// ── the yearly statement ─────────────────────────────────────────────────────────────────────
export const StatementQuery = Type.Object({ year: FiniteInteger({ minimum: 2000, maximum: 2100 }) });
export const StatementLine = Type.Object({
  claimNumber: Type.String(),
  invoiceDate: Type.String(),
  invoiceNumber: Type.String(),
  issuer: Type.String(),
  amountCents: Type.Integer(),
  reimbursedCents: Type.Integer(),
  paidOn: Type.Union([Type.String(), Type.Null()]),
  leftCents: Type.Integer(),
});
export type StatementLine = Static<typeof StatementLine>;
export const StatementTotals = Type.Object({
  amountCents: Type.Integer(),
  reimbursedCents: Type.Integer(),
  leftCents: Type.Integer(),
});
export type StatementTotals = Static<typeof StatementTotals>;
export const StatementPerson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  codiceFiscale: Type.String(),
  lines: Type.Array(StatementLine),
  totals: StatementTotals,
});
export type StatementPerson = Static<typeof StatementPerson>;
export const StatementResponse = Type.Object({
  year: Type.Integer(),
  years: Type.Array(Type.Integer()),
  persons: Type.Array(StatementPerson),
  totals: StatementTotals,
});
export type StatementResponse = Static<typeof StatementResponse>;

// ── the data export ──────────────────────────────────────────────────────────────────────────
export const DataExportView = Type.Object({
  id: Type.String(),
  status: Type.Enum(DATA_EXPORT_STATES),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
});
export type DataExportView = Static<typeof DataExportView>;
export const DataExportResponse = Type.Object({ export: Type.Union([DataExportView, Type.Null()]) });
export const DataExportDownloadQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
