import { type Static, Type } from 'typebox';
import { STAFF_ROLES, STAFF_USER_STATES, type StaffRole, type StaffUserState } from './staff.codes.js';

export { STAFF_ROLES, STAFF_USER_STATES, type StaffRole, type StaffUserState };

export const StaffRoleSchema = Type.Enum(STAFF_ROLES);

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

// ── Staff users, managed by administrators ──────────────────────────────────────────────────────

export const StaffUserStateSchema = Type.Enum(STAFF_USER_STATES);

export const StaffUserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  /** Shown to administrators only (this view is only on administrator routes). */
  email: Type.String(),
  role: StaffRoleSchema,
  state: StaffUserStateSchema,
  locale: Type.Union([Type.Literal('it'), Type.Literal('en')]),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});
export type StaffUserView = Static<typeof StaffUserView>;

export const StaffUserList = Type.Object({ users: Type.Array(StaffUserView) });
export type StaffUserList = Static<typeof StaffUserList>;

export const StaffUserResponse = Type.Object({ user: StaffUserView });
export type StaffUserResponse = Static<typeof StaffUserResponse>;

export const CreateStaffUserRequest = Type.Object({
  username: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 254 }),
  /** Checked by the service, so a wrong value gets a field message in the caller's language. */
  role: Type.String({ maxLength: 40 }),
  /** The language of the enrolment email; by default the caller's. */
  locale: Type.Optional(Type.Union([Type.Literal('it'), Type.Literal('en')])),
});
export type CreateStaffUserRequest = Static<typeof CreateStaffUserRequest>;

export const ChangeStaffRoleRequest = Type.Object({ role: Type.String({ maxLength: 40 }) });
export type ChangeStaffRoleRequest = Static<typeof ChangeStaffRoleRequest>;
