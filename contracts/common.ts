import { type TNumberOptions, type TStringOptions, Type } from 'typebox';

/** Error responses of a route, for its schema and the OpenAPI document: all share ErrorResponse. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));
}

/**
 * Names that, used as a key of a plain object, reach its prototype. No id or code accepts them,
 * so a value sent by a client can never become `obj.__proto__` or `obj.constructor` on the server.
 */
export const NOT_A_PROTOTYPE_NAME = '(?!(?:__proto__|constructor|prototype)$)';

/**
 * Ids: those the app makes (UUIDv7) and those other systems send (a family or beneficiary id):
 * letters, digits and `. _ : -`, starting with a letter or a digit, at most 64 characters.
 */
export const ID_PATTERN = `^${NOT_A_PROTOTYPE_NAME}[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`;

export function Id(options: TStringOptions = {}) {
  return Type.String({ pattern: ID_PATTERN, maxLength: 64, ...options });
}

/** `{ id }` path parameters. */
export const ById = Type.Object({ id: Id() });

/**
 * Numbers must be finite. `Infinity`, `-Infinity` and `1e999` in a query string are turned into
 * ±Infinity by Ajv's type coercion, which then skips `minimum`/`maximum`; `finite` (a keyword the
 * server's Ajv knows, server/lib/ajv-finite.ts) refuses them after coercion. In JSON bodies the
 * server's `strictNumbers` already refuses them. Every numeric query parameter uses these.
 */
export function FiniteNumber(options: TNumberOptions = {}) {
  return Type.Number({ ...options, finite: true });
}

export function FiniteInteger(options: TNumberOptions = {}) {
  return Type.Integer({ ...options, finite: true });
}
