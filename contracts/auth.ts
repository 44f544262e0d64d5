import { type Static, Type } from 'typebox';

/**
 * The member account API (registration, activation, login, recovery). Field names are the
 * wire format; the web app compiles against these types. Every answer that could reveal whether a
 * person is insured or has an account is the same whatever the input.
 */

const Altcha = Type.String({ minLength: 1, maxLength: 4000, description: 'ALTCHA payload from the widget' });
const Email = Type.String({ maxLength: 254 });
const Password = Type.String({ maxLength: 1024 });

export const Accepted = Type.Object({ status: Type.Literal('received') });
export type Accepted = Static<typeof Accepted>;

export const RegistrationRequest = Type.Object({
  surname: Type.String({ maxLength: 100 }),
  name: Type.String({ maxLength: 100 }),
  email: Email,
  emailConfirmation: Email,
  codiceFiscale: Type.String({ maxLength: 32 }),
  birthDate: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  cardNumber: Type.Optional(
    Type.String({
      maxLength: 64,
      description:
        'Numero tessera: needed only when the registry holds no email for the person; the answer never says whether it was',
    }),
  ),
  altcha: Type.String({ maxLength: 4000 }),
});
export type RegistrationRequest = Static<typeof RegistrationRequest>;

export const ActivationRequest = Type.Object({ ticket: Type.String({ maxLength: 64 }) });
export type ActivationRequest = Static<typeof ActivationRequest>;
export const ActivationResponse = Type.Object({ status: Type.Literal('activated') });

export const LoginRequest = Type.Object({
  username: Type.String({ maxLength: 200 }),
  password: Password,
  altcha: Type.Optional(Type.String({ maxLength: 4000 })),
});
export type LoginRequest = Static<typeof LoginRequest>;

export const SessionInfo = Type.Object({
  mustChangePassword: Type.Boolean(),
  idleExpiresAt: Type.String({ description: 'ISO-8601: the session ends then unless used or extended' }),
  absoluteExpiresAt: Type.String({ description: 'ISO-8601: the session ends then whatever happens' }),
  idleTimeoutSeconds: Type.Integer(),
});
export type SessionInfo = Static<typeof SessionInfo>;

export const PasswordChangeRequest = Type.Object({
  currentPassword: Type.Optional(Password),
  newPassword: Password,
  newPasswordConfirmation: Password,
});
export type PasswordChangeRequest = Static<typeof PasswordChangeRequest>;

export const PasswordCheckRequest = Type.Object({
  password: Password,
  resetToken: Type.Optional(Type.String({ maxLength: 200 })),
});
export type PasswordCheckRequest = Static<typeof PasswordCheckRequest>;

export const PasswordCheckResponse = Type.Object({
  acceptable: Type.Boolean(),
  /** 0 (very weak) to 4 (very strong), from zxcvbn. */
  score: Type.Integer({ minimum: 0, maximum: 4 }),
  /**
   * Why it would be refused: a code of PASSWORD_PROBLEM_CODES (contracts/auth.codes.ts) with its
   * params, and the message in the request's language for clients that do not word codes.
   */
  problems: Type.Array(
    Type.Object({
      code: Type.String(),
      params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
      message: Type.String(),
    }),
  ),
});
export type PasswordCheckResponse = Static<typeof PasswordCheckResponse>;

export const PasswordRecoveryRequest = Type.Object({
  email: Email,
  username: Type.String({ maxLength: 200 }),
  altcha: Altcha,
});
export type PasswordRecoveryRequest = Static<typeof PasswordRecoveryRequest>;

export const PasswordResetRequest = Type.Object({
  token: Type.String({ maxLength: 200 }),
  newPassword: Password,
  newPasswordConfirmation: Password,
});
export type PasswordResetRequest = Static<typeof PasswordResetRequest>;

export const ResetLinkCheckRequest = Type.Object({ token: Type.String({ maxLength: 200 }) });
export const ResetLinkCheckResponse = Type.Object({ valid: Type.Literal(true) });

export const UsernameRecoveryRequest = Type.Object({
  email: Email,
  codiceFiscale: Type.String({ maxLength: 32 }),
  altcha: Altcha,
});
export type UsernameRecoveryRequest = Static<typeof UsernameRecoveryRequest>;

export const MeResponse = Type.Object({
  username: Type.String(),
  surname: Type.String(),
  name: Type.String(),
  role: Type.String({ description: 'titolare, coniuge, figlio, altro' }),
  plan: Type.Object({ code: Type.String(), name: Type.String() }),
  coverage: Type.Object({ start: Type.String(), end: Type.Union([Type.String(), Type.Null()]) }),
});
export type MeResponse = Static<typeof MeResponse>;
