import { Type } from 'typebox';

/** Error responses of a route, for its schema and the OpenAPI document: all share ErrorResponse. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorResponse')]));
}
