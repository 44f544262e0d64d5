import { type Static, Type } from 'typebox';
import { Id } from './common.js';
import { CapScope, CategoryCode, Label } from './plans.js';

/**
 * The member's live caps (`GET /api/v1/claims/caps`, decision 043): for the plan year, what is
 * used of each cap by decided claims (accepted amounts), what is left, and apart what claims still
 * in review would take (their estimates). Money in integer cents.
 */

const Cents = Type.Integer({ minimum: 0 });

export const CapStatus = Type.Object({
  /** null: the annual cap; else the category of the sub-cap. */
  category: Type.Union([CategoryCode, Type.Null()]),
  /** The plan's name of the category (text that is data); null for the annual cap. */
  label: Type.Union([Label, Type.Null()]),
  scope: CapScope,
  capCents: Cents,
  /** Accepted on approved, partially approved and paid claims. */
  usedCents: Cents,
  /** `capCents − usedCents`, never below zero. */
  leftCents: Cents,
  /** Estimated on claims sent, in review or waiting for documents: not counted in `usedCents`. */
  inReviewCents: Cents,
});
export type CapStatus = Static<typeof CapStatus>;

export const PersonCaps = Type.Object({
  id: Id(),
  givenName: Type.String(),
  surname: Type.String(),
  /** The member asking. */
  self: Type.Boolean(),
  /** The person's accepted amounts this plan year, and apart those in review. */
  usedCents: Cents,
  inReviewCents: Cents,
  /** The caps counted per person (annual and sub-caps with scope `person`), annual first. */
  caps: Type.Array(CapStatus),
});
export type PersonCaps = Static<typeof PersonCaps>;

export const FamilyCaps = Type.Object({
  /** The family's accepted amounts this plan year, and apart those in review. */
  usedCents: Cents,
  inReviewCents: Cents,
  /** The caps counted for the whole family (scope `family`), annual first. */
  caps: Type.Array(CapStatus),
});
export type FamilyCaps = Static<typeof FamilyCaps>;

export const CapsResponse = Type.Object({
  plan: Type.Object({ code: Type.String(), year: Type.Integer() }),
  /** The persons the member sees (the holder: the whole family; a dependant: themselves). */
  persons: Type.Array(PersonCaps),
  family: FamilyCaps,
});
export type CapsResponse = Static<typeof CapsResponse>;
