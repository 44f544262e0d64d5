import fp from 'fastify-plugin';
import type { ClaimState } from '#contracts/claims.codes.js';
import type { MemberAccount } from '../members/index.js';
import { ClaimAccess } from './claim-access.js';
import { claimCapsRoutes } from './claim-caps.routes.js';
import { ClaimCapsService } from './claim-caps.service.js';
import { ClaimDecisionsService } from './claim-decisions.service.js';
import { type BookingScope, ClaimDirectService } from './claim-direct.service.js';
import { ClaimDocumentsService } from './claim-documents.service.js';
import { ClaimDraftsService } from './claim-drafts.service.js';
import { claimRecords, type MemberRecords, type PersonRecord } from './claim-records.js';
import { ClaimReviewRepository } from './claim-review.repository.js';
import { ClaimReviewService } from './claim-review.service.js';
import { ClaimSubmissionService } from './claim-submission.service.js';
import { ClaimTransitionsService } from './claim-transitions.service.js';
import { claimsRoutes } from './claims.routes.js';
import { ClaimsService } from './claims.service.js';
import { claimsBackofficeRoutes } from './claims-backoffice.routes.js';

/**
 * What the rest of the server uses of the claims module: `transition` for the back office and the
 * system, `expireIntegrations` for its job, `referencedKeys` for the document sweep, `assertVisible`
 * for what other modules serve a member about a claim (the settlement letter).
 */
export type ClaimsApi = Pick<ClaimTransitionsService, 'transition' | 'expireIntegrations'> &
  Pick<ClaimDocumentsService, 'referencedKeys'> &
  Pick<ClaimDirectService, 'estimateNetwork' | 'createDirect'> & {
    /** NOT_FOUND unless the member may see the sent claim (their own, or of a person they see). */
    assertVisible(account: MemberAccount, claimId: string): Promise<void>;
    /**
     * The persons the member sees (the whole family for a holder, else themselves) and every sent
     * claim about them or sent by the account: the statement and the data export read it.
     */
    memberRecords(account: MemberAccount): Promise<MemberRecords>;
    /** One registry member and the sent claims for them (the FHIR export); undefined when unknown. */
    personRecords(registryMemberId: string): Promise<MemberRecords | undefined>;
    /** Who the member may book for, their family and plan (the bookings module). */
    bookingScope(account: MemberAccount): Promise<BookingScope>;
    /** A claim's number, state and the member's share. */
    claimSummary(claimId: string): ReturnType<ClaimDirectService['summary']>;
    /** The straight-through decision of a sent claim, if its rules allow one. */
    autoDecide(claimId: string): Promise<ClaimState | null>;
  };

declare module 'fastify' {
  interface FastifyInstance {
    claims: ClaimsApi;
  }
}

/**
 * Claims (forma rimborsuale): the member's draft, checks and estimate, submission with a number
 * and a receipt, documents, "Le mie pratiche"; and `transition`, the one way a claim changes state
 * (decision 033).
 */
export const claimsModule = fp(
  async (app) => {
    const deps = {
      log: app.log,
      db: app.db,
      dialect: app.dialect,
      clock: app.clock,
      outbox: app.outbox,
      documents: app.documents,
      config: app.config,
    };
    const access = new ClaimAccess(deps);
    const transitions = new ClaimTransitionsService(deps, access.repo);
    const drafts = new ClaimDraftsService(deps, access);
    const submission = new ClaimSubmissionService(deps, access, drafts);
    const documents = new ClaimDocumentsService(deps, access);
    const claims = new ClaimsService(deps, access, transitions);
    const reviewRepo = new ClaimReviewRepository(app.dialect);
    const decisions = new ClaimDecisionsService(deps, access.repo, reviewRepo, transitions, app.audit);
    const review = new ClaimReviewService(deps, access.repo, reviewRepo, transitions, decisions, app.audit);
    submission.afterSubmit = (claimId) => decisions.autoDecide(claimId);
    const direct = new ClaimDirectService(deps, access);
    app.decorate('claims', {
      transition: (claimId, to, actor, options) => transitions.transition(claimId, to, actor, options),
      expireIntegrations: (now) => transitions.expireIntegrations(now),
      referencedKeys: (keys) => documents.referencedKeys(keys),
      assertVisible: async (account, claimId) => {
        await access.visibleClaim(account, claimId);
      },
      memberRecords: async (account) => {
        const scope = await access.scope(account);
        return claimRecords(app.db, scope.persons.map(personRecord), {
          familyId: scope.familyId,
          accountId: account.id,
        });
      },
      personRecords: async (registryMemberId) => {
        const person = await access.repo.registryMember(app.db, registryMemberId);
        return person ? claimRecords(app.db, [personRecord(person)], {}) : undefined;
      },
      bookingScope: (account) => direct.scope(account),
      estimateNetwork: (input, db) => direct.estimateNetwork(input, db),
      createDirect: (trx, input) => direct.createDirect(trx, input),
      claimSummary: (claimId) => direct.summary(app.db, claimId),
      autoDecide: (claimId) => decisions.autoDecide(claimId),
    } satisfies ClaimsApi);
    await app.register(claimsRoutes, { drafts, submission, documents, claims });
    await app.register(claimCapsRoutes, { caps: new ClaimCapsService(deps, access) });
    await app.register(claimsBackofficeRoutes, { review, decisions });
  },
  {
    name: 'claims',
    decorators: { fastify: ['db', 'clock', 'config', 'outbox', 'documents', 'audit'] },
  },
);

export { CLAIM_DOCUMENT_FOLDER } from './claim-access.js';
export type { BookingScope, DirectClaimInput, NetworkEstimate } from './claim-direct.service.js';
export { maskIban } from './claim-format.js';
export type { ClaimRecord, MemberRecords, PersonRecord } from './claim-records.js';
export { assertTransition, canTransition, nextStates } from './claim-state.js';

function personRecord(p: {
  id: string;
  given_name: string;
  surname: string;
  codice_fiscale: string;
  birth_date: string;
  role: string;
  holder_cf: string | null;
  plan_id: string;
  coverage_start: string;
  coverage_end: string | null;
}): PersonRecord {
  return {
    id: p.id,
    givenName: p.given_name,
    surname: p.surname,
    codiceFiscale: p.codice_fiscale,
    birthDate: p.birth_date,
    role: p.role,
    holderCf: p.holder_cf,
    planId: p.plan_id,
    coverageStart: p.coverage_start,
    coverageEnd: p.coverage_end,
  };
}
