import { type Static, Type } from 'typebox';
import { AUDIT_COUNT_CAP, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX } from './audit.codes.js';
import { FiniteInteger, Id } from './common.js';

export { AUDIT_COUNT_CAP, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX };

/**
 * The audit trail as the back office reads it (decisions 015 and 024): newest first, by pages
 * reached with opaque cursors, so that events written meanwhile never shift a page.
 */

export const AuditEvent = Type.Object({
  id: Type.String(),
  occurredAt: Type.String(),
  event: Type.String(),
  outcome: Type.String(),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type AuditEvent = Static<typeof AuditEvent>;

/** What both the page and the CSV export filter on. */
const filterProperties = {
  actor: Type.Optional(Id({ description: 'The actor id (staff or member)' })),
  member: Type.Optional(Id({ description: 'The registry member concerned' })),
  event: Type.Optional(Type.String({ maxLength: 64, description: 'The exact event name' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Inclusive start' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Exclusive end' })),
};
export const AuditFilterQuery = Type.Object(filterProperties);
export type AuditFilterQuery = Static<typeof AuditFilterQuery>;

export const AuditPageQuery = Type.Object({
  ...filterProperties,
  limit: FiniteInteger({ minimum: 1, maximum: AUDIT_PAGE_MAX, default: AUDIT_PAGE_DEFAULT }),
  cursor: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'The `older` or `newer` value of a previous page, as given (opaque)',
    }),
  ),
});
export type AuditPageQuery = Static<typeof AuditPageQuery>;

const Cursor = Type.Union([Type.String(), Type.Null()]);

export const AuditPage = Type.Object({
  /** Newest first. */
  events: Type.Array(AuditEvent),
  /** The cursor of the page of older events; null when there is none. */
  older: Cursor,
  /** The cursor of the page of newer events; null on the newest page. */
  newer: Cursor,
  /** How many events match the filters, when at most AUDIT_COUNT_CAP; null when more. */
  total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;
