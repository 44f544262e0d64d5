import type { PlanRules } from '../../../contracts/plans.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { AuditService, RequestOrigin } from '../audit/audit.service.js';
import { PlansRepository } from './plans.repository.js';
import { DEMO_PLAN_RULES } from './rules-engine.js';

/**
 * The first version of a plan that a registry import (or the demo) creates: the demo rules, until
 * an administrator edits them. Called in the transaction that creates the plan.
 */
export async function insertDefaultPlanVersion(db: Db, planId: string, now: Date): Promise<void> {
  await new PlansRepository().insertVersion(db, {
    id: newId(now.getTime()),
    plan_id: planId,
    version: 1,
    rules: JSON.stringify(DEMO_PLAN_RULES),
    created_by: null,
    created_at: now.toISOString(),
  });
}

export interface PlanView {
  code: string;
  name: string;
  currentVersion: number | null;
  rules: PlanRules | null;
  /** createdBy: the staff username, null for versions made by the system. */
  versions: { version: number; createdAt: string; createdBy: string | null }[];
}

/**
 * Plans and their rules. Saving rules never changes a version: it adds the next one, so a claim
 * judged under version 3 can always be explained with version 3.
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

  async create(
    input: { code: string; name: string; rules: PlanRules },
    staffId: string,
    origin: RequestOrigin,
  ): Promise<PlanView> {
    const code = input.code.trim().toUpperCase();
    if (await this.repository.findPlanByCode(this.db, code)) throw new AppError('CONFLICT');
    const now = this.clock.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      const id = newId(this.clock.now().getTime());
      await this.repository.insertPlan(trx, { id, code, name: input.name.trim(), created_at: now });
      await this.repository.insertVersion(trx, {
        id: newId(),
        plan_id: id,
        version: 1,
        rules: JSON.stringify(input.rules),
        created_by: staffId,
        created_at: now,
      });
      await this.audit.record(trx, origin, {
        event: 'plan_created',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffId,
        details: { plan: code },
      });
    });
    return this.get(code);
  }

  /** Saves new rules as the next version (and renames the plan when a name is given). */
  async update(
    code: string,
    input: { name?: string | undefined; rules: PlanRules },
    staffId: string,
    origin: RequestOrigin,
  ) {
    const plan = await this.repository.findPlanByCode(this.db, code);
    if (!plan) throw new AppError('NOT_FOUND');
    await this.db.transaction().execute(async (trx) => {
      const [latest] = await this.repository.versions(trx, plan.id);
      const version = (latest?.version ?? 0) + 1;
      await this.repository.insertVersion(trx, {
        id: newId(),
        plan_id: plan.id,
        version,
        rules: JSON.stringify(input.rules),
        created_by: staffId,
        created_at: this.clock.now().toISOString(),
      });
      if (input.name && input.name.trim() !== plan.name)
        await this.repository.renamePlan(trx, plan.id, input.name.trim());
      await this.audit.record(trx, origin, {
        event: 'plan_version_created',
        outcome: 'success',
        actorType: 'staff',
        actorId: staffId,
        details: { plan: code, version },
      });
    });
    return this.get(code);
  }
}
