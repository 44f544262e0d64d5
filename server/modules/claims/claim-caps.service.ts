import type { CapStatus, CapsResponse } from '#contracts/claim-caps.js';
import type { CategoryCode } from '#contracts/plans.codes.js';
import type { PlanRules, Usage } from '#contracts/plans.js';
import type { MemberAccount } from '../members/index.js';
import { capsLeft } from '../plans/index.js';
import type { ClaimAccess, ClaimsDeps } from './claim-access.js';
import { coveredInYear, coveredOn } from './claim-dates.js';
import { DECIDED_STATES, IN_REVIEW_STATES, usageIn } from './claim-usage.js';

type Scope = CapStatus['scope'];

/**
 * Every cap of one scope (annual first, then the sub-caps in the plan's order): what the decided
 * claims used and left, and what the claims in review would take, both through the engine's
 * `capsLeft` (decision 043).
 */
function capStatuses(
  rules: PlanRules,
  decided: Usage,
  inReview: Usage,
  personId: string,
  scope: Scope,
): CapStatus[] {
  const used = capsLeft(rules, decided, personId);
  const pending = capsLeft(rules, inReview, personId);
  const statuses: CapStatus[] = [];
  if (used.annual.scope === scope) {
    statuses.push({
      category: null,
      label: null,
      scope,
      capCents: used.annual.capCents,
      usedCents: used.annual.usedCents,
      leftCents: used.annual.leftCents,
      inReviewCents: pending.annual.usedCents,
    });
  }
  for (const [category, cap] of Object.entries(used.subCaps) as [
    CategoryCode,
    typeof used.annual | undefined,
  ][]) {
    if (!cap || cap.scope !== scope) continue;
    statuses.push({
      category,
      label: rules.categories[category]?.label ?? null,
      scope,
      capCents: cap.capCents,
      usedCents: cap.usedCents,
      leftCents: cap.leftCents,
      inReviewCents: pending.subCaps[category]?.usedCents ?? 0,
    });
  }
  return statuses;
}

/** The dashboard's live caps: the member's family, this plan year. */
export class ClaimCapsService {
  constructor(
    private readonly d: Pick<ClaimsDeps, 'db'>,
    private readonly access: ClaimAccess,
  ) {}

  async caps(account: MemberAccount): Promise<CapsResponse> {
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
    const { rules } = plan;
    const lines = await this.access.repo.usageLines(this.d.db, scope.familyId);
    const decided = usageIn(DECIDED_STATES, scope.familyId, rules.year, lines);
    const inReview = usageIn(IN_REVIEW_STATES, scope.familyId, rules.year, lines);
    const today = this.access.today();
    const persons = scope.persons.filter((p) => coveredOn(p, today) || coveredInYear(p, rules.year));
    return {
      plan: { code: plan.code, year: rules.year },
      persons: persons.map((p) => ({
        id: p.id,
        givenName: p.given_name,
        surname: p.surname,
        self: p.id === scope.self.id,
        usedCents: decided.persons[p.id]?.totalCents ?? 0,
        inReviewCents: inReview.persons[p.id]?.totalCents ?? 0,
        caps: capStatuses(rules, decided, inReview, p.id, 'person'),
      })),
      family: {
        usedCents: decided.familyTotalCents,
        inReviewCents: inReview.familyTotalCents,
        caps: capStatuses(rules, decided, inReview, scope.self.id, 'family'),
      },
    };
  }
}
