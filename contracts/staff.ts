import { type Static, Type } from 'typebox';

export const StaffRoleSchema = Type.Union([
  Type.Literal('claims_operator'),
  Type.Literal('booking_desk'),
  Type.Literal('administrator'),
  Type.Literal('auditor'),
]);

const Code = Type.String({ maxLength: 20, description: 'A 6-digit authenticator code, or a recovery code' });

export const EnrolmentStartRequest = Type.Object({ token: Type.String({ maxLength: 200 }) });
export const EnrolmentStartResponse = Type.Object({
  username: Type.String(),
  role: StaffRoleSchema,
  /** The key to type into the authenticator when the QR code cannot be scanned (base32). */
  secret: Type.String(),
  otpauthUri: Type.String(),
  /** The QR code of otpauthUri as an SVG document. */
  qrCodeSvg: Type.String(),
});
export type EnrolmentStartResponse = Static<typeof EnrolmentStartResponse>;

export const EnrolmentCompleteRequest = Type.Object({
  token: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 1024 }),
  passwordConfirmation: Type.String({ maxLength: 1024 }),
  code: Code,
});
export type EnrolmentCompleteRequest = Static<typeof EnrolmentCompleteRequest>;
export const EnrolmentCompleteResponse = Type.Object({
  /** Ten single-use codes, shown once: each replaces the authenticator for one login. */
  recoveryCodes: Type.Array(Type.String(), { minItems: 10, maxItems: 10 }),
});
export type EnrolmentCompleteResponse = Static<typeof EnrolmentCompleteResponse>;

export const StaffLoginRequest = Type.Object({
  username: Type.String({ maxLength: 200 }),
  password: Type.String({ maxLength: 1024 }),
  code: Code,
  altcha: Type.Optional(Type.String({ maxLength: 4000 })),
});
export type StaffLoginRequest = Static<typeof StaffLoginRequest>;

export const StaffSessionInfo = Type.Object({
  username: Type.String(),
  role: StaffRoleSchema,
  idleExpiresAt: Type.String(),
  absoluteExpiresAt: Type.String(),
  idleTimeoutSeconds: Type.Integer(),
  /** How many unused recovery codes are left. */
  recoveryCodesLeft: Type.Integer(),
});
export type StaffSessionInfo = Static<typeof StaffSessionInfo>;
