import type {
  Assessment,
  CreatePlanBody,
  PlanRules,
  PlanView,
  UpdatePlanBody,
  Usage,
} from '#contracts/plans.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { PlansRepository } from './plans.repository.js';
import { assessClaim, type ClaimToAssess, DEMO_PLAN_RULES, emptyUsage } from './rules-engine.js';

/**
 * The first version of a plan that a registry import (or the demo) creates: the demo rules, until
 * an administrator edits them. Called in the transaction that creates the plan.
 */
export async function insertDefaultPlanVersion(
  db: Db,
  planId: string,
  now: Date,
  rules: PlanRules = DEMO_PLAN_RULES,
): Promise<void> {
  await new PlansRepository().insertVersion(db, {
    id: newId(now.getTime()),
    plan_id: planId,
    version: 1,
    rules: JSON.stringify(rules),
    created_by: null,
    created_at: now.toISOString(),
  });
}

/** Refused: saving on top of a version that is no longer the current one. */
function versionConflict(current: { version: number; author: string | null }): AppError {
  return new AppError('CONFLICT', [
    current.author === null
      ? { field: 'baseVersion', code: 'version_conflict_system', params: { version: current.version } }
      : {
          field: 'baseVersion',
          code: 'version_conflict',
          params: { version: current.version, by: current.author },
        },
  ]);
}

function codeTaken(): AppError {
  return new AppError('CONFLICT', [
    {
      field: 'code',
      code: 'code_taken',
    },
  ]);
}

/**
 * Plans and their rules. Saving rules never changes a version: it adds the next one, so a claim
 * judged under version 3 can always be explained with version 3. Every save names the version it
 * started from; when another was saved since, nothing is saved (CONFLICT, decision 021).
 */
export class PlansService {
  constructor(
    private readonly db: Db,
    private readonly repository: PlansRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async list() {
    return (await this.repository.listWithCurrentVersion(this.db)).map((p) => ({
      code: p.code,
      name: p.name,
      currentVersion: p.current_version === null ? null : Number(p.current_version),
    }));
  }

  async get(code: string): Promise<PlanView> {
    const plan = await this.repository.findPlanByCode(this.db, code);
    if (!plan) throw new AppError('NOT_FOUND');
    const versions = await this.repository.versions(this.db, plan.id);
    const current = versions[0];
    return {
      code: plan.code,
      name: plan.name,
      currentVersion: current?.version ?? null,
      rules: current ? (JSON.parse(current.rules) as PlanRules) : null,
      versions: versions.map((v) => ({
        version: v.version,
        createdAt: v.created_at,
        createdBy: v.author,
      })),
    };
  }

  /** The rules of the current version, for the engine. */
  async currentRules(code: string): Promise<{ version: number; rules: PlanRules }> {
    const plan = await this.get(code);
    if (!plan.rules || plan.currentVersion === null) throw new AppError('CONFLICT');
    return { version: plan.currentVersion, rules: plan.rules };
  }

  /**
   * The rules engine on a claim under the plan's current version (nothing is stored); `usage`
   * defaults to none. Amounts the engine refuses (RangeError) are a VALIDATION_FAILED on `lines`.
   */
  async assess(
    code: string,
    claim: ClaimToAssess,
    usage: Usage | undefined,
  ): Promise<{ planVersion: number; assessment: Assessment }> {
    const { version, rules } = await this.currentRules(code);
    try {
      return {
        planVersion: version,
        assessment: assessClaim(rules, claim, usage ?? emptyUsage(claim.familyId)),
      };
    } catch (err) {
      if (err instanceof RangeError)
        throw new AppError('VALIDATION_FAILED', [
          { field: 'lines', code: 'lines_invalid', params: { reason: err.message } },
        ]);
      throw err;
    }
  }

  /**
   * A new plan at version 1: the rules given, else a copy of another plan's current rules
   * (`copyFrom`), else the demo rules; `year` sets the plan year. Audited.
   */
  async create(input: CreatePlanBody, staffId: string, origin: RequestOrigin): Promise<PlanView> {
    const code = input.code.trim().toUpperCase();
    if (await this.repository.findPlanByCode(this.db, code)) throw codeTaken();
    let rules: PlanRules;
    let source: string;
    if (input.rules) {
      rules = structuredClone(input.rules);
      source = 'document';
    } else if (input.copyFrom) {
      const from = await this.repository.findPlanByCode(this.db, input.copyFrom.trim().toUpperCase());
      const latest = from ? (await this.repository.versions(this.db, from.id))[0] : undefined;
      if (!from || !latest) {
        throw new AppError('VALIDATION_FAILED', [
          {
            field: 'copyFrom',
            code: 'source_not_found',
          },
        ]);
      }
      rules = JSON.parse(latest.rules) as PlanRules;
      source = `copy:${from.code}`;
    } else {
      rules = structuredClone(DEMO_PLAN_RULES);
      source = 'demo';
    }
    if (input.year !== undefined) rules.year = input.year;

    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        const id = newId(now.getTime());
        await this.repository.insertPlan(trx, {
          id,
          code,
          name: input.name.trim(),
          created_at: now.toISOString(),
        });
        await this.repository.insertVersion(trx, {
          id: newId(now.getTime()),
          plan_id: id,
          version: 1,
          rules: JSON.stringify(rules),
          created_by: staffId,
          created_at: now.toISOString(),
        });
        await this.audit.record(trx, origin, {
          event: 'plan_created',
          outcome: 'success',
          actorType: 'staff',
          actorId: staffId,
          details: { plan: code, version: 1, source },
        });
      });
    } catch (error) {
      // Two administrators creating the same code at once: the second one is told, not overwritten.
      if (isUniqueViolation(error)) throw codeTaken();
      throw error;
    }
    return this.get(code);
  }

  /**
   * Saves new rules as the next version (and renames the plan when a name is given), if
   * `baseVersion` is still the current one; else CONFLICT and nothing changes.
   */
  async update(code: string, input: UpdatePlanBody, staffId: string, origin: RequestOrigin) {
    const plan = await this.repository.findPlanByCode(this.db, code);
    if (!plan) throw new AppError('NOT_FOUND');
    try {
      await this.db.transaction().execute(async (trx) => {
        const latest = await this.repository.latestVersion(trx, plan.id);
        if ((latest?.version ?? 0) !== input.baseVersion) {
          throw versionConflict(latest ?? { version: 0, author: null });
        }
        const version = input.baseVersion + 1;
        const now = this.clock.now();
        // Two saves on the same base: the unique (plan, version) key lets one in and refuses the other.
        await this.repository.insertVersion(trx, {
          id: newId(now.getTime()),
          plan_id: plan.id,
          version,
          rules: JSON.stringify(input.rules),
          created_by: staffId,
          created_at: now.toISOString(),
        });
        const name = input.name?.trim();
        if (name && name !== plan.name) await this.repository.renamePlan(trx, plan.id, name);
        await this.audit.record(trx, origin, {
          event: 'plan_version_created',
          outcome: 'success',
          actorType: 'staff',
          actorId: staffId,
          details: { plan: plan.code, version, baseVersion: input.baseVersion },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const latest = await this.repository.latestVersion(this.db, plan.id);
        throw versionConflict(latest ?? { version: input.baseVersion + 1, author: null });
      }
      throw error;
    }
    return this.get(code);
  }
}
