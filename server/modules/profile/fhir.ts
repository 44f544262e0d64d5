import type {
  Appointment,
  Bundle,
  BundleEntry,
  Claim,
  ClaimResponse,
  Coverage,
  Money,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import type { ClaimRecord, MemberRecords, PersonRecord } from '../claims/index.js';

/**
 * The FHIR R4 export of one member for the fund's other systems (decision 051): pure functions
 * from the member's records to a `searchset` Bundle of Patient, Coverage, Claim, ClaimResponse
 * and Appointment. Types from @medplum/fhirtypes (R4); the tests validate every resource against
 * the official FHIR R4 JSON schema. Money in EUR decimals from integer cents.
 */

const CF_SYSTEM = 'http://hl7.it/sid/codiceFiscale';
const CLAIM_NUMBER_SYSTEM = 'urn:onecare:claim-number';
const CLAIM_TYPE = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }],
};

const money = (cents: number): Money => ({ value: cents / 100, currency: 'EUR' });
const adjudication = (code: 'submitted' | 'benefit') => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/adjudication', code }],
});

export function patientResource(p: PersonRecord): Patient {
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [{ system: CF_SYSTEM, value: p.codiceFiscale }],
    active: true,
    name: [{ family: p.surname, given: [p.givenName] }],
    birthDate: p.birthDate,
  };
}

export function coverageResource(
  p: PersonRecord,
  plan: { code: string; fundName: string },
  today: string,
): Coverage {
  const ended = p.coverageEnd !== null && p.coverageEnd < today;
  return {
    resourceType: 'Coverage',
    id: `coverage-${p.id}`,
    status: ended ? 'cancelled' : 'active',
    beneficiary: { reference: `Patient/${p.id}` },
    relationship: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
          code: p.holderCf === null ? 'self' : 'other',
        },
      ],
    },
    period: { start: p.coverageStart, ...(p.coverageEnd ? { end: p.coverageEnd } : {}) },
    payor: [{ display: plan.fundName }],
    class: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }] },
        value: plan.code,
      },
    ],
  };
}

export function claimResource(c: ClaimRecord, patientId: string): Claim {
  return {
    resourceType: 'Claim',
    id: c.id,
    ...(c.number ? { identifier: [{ system: CLAIM_NUMBER_SYSTEM, value: c.number }] } : {}),
    status: c.state === 'cancelled' ? 'cancelled' : 'active',
    type: CLAIM_TYPE,
    use: 'claim',
    patient: { reference: `Patient/${patientId}` },
    created: c.submittedAt ?? '',
    provider: { display: c.invoices[0]?.issuerName ?? 'n/a' },
    priority: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }],
    },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/coverage-${patientId}` } }],
    item: c.invoices.map((i, n) => ({
      sequence: n + 1,
      productOrService: { text: c.category ?? 'other' },
      servicedDate: i.invoiceDate,
      net: money(i.amountCents),
    })),
    total: money(c.claimedCents),
  };
}

const DECIDED = new Set(['approved', 'partially_approved', 'rejected', 'paid']);

/** The fund's answer to a claim, once decided; undefined before. */
export function claimResponseResource(
  c: ClaimRecord,
  patientId: string,
  fundName: string,
): ClaimResponse | undefined {
  if (!DECIDED.has(c.state)) return undefined;
  const accepted = c.acceptedCents ?? 0;
  return {
    resourceType: 'ClaimResponse',
    id: `response-${c.id}`,
    status: 'active',
    type: CLAIM_TYPE,
    use: 'claim',
    patient: { reference: `Patient/${patientId}` },
    created: c.decidedAt ?? c.submittedAt ?? '',
    insurer: { display: fundName },
    request: { reference: `Claim/${c.id}` },
    outcome: c.state === 'partially_approved' ? 'partial' : 'complete',
    item: c.invoices.map((i, n) => ({
      itemSequence: n + 1,
      adjudication: [
        { category: adjudication('submitted'), amount: money(i.amountCents) },
        { category: adjudication('benefit'), amount: money(i.acceptedCents ?? 0) },
      ],
    })),
    total: [
      { category: adjudication('submitted'), amount: money(c.claimedCents) },
      { category: adjudication('benefit'), amount: money(accepted) },
    ],
    ...(c.state === 'paid' && c.paidOn
      ? {
          payment: {
            type: {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype', code: 'complete' }],
            },
            date: c.paidOn,
            amount: money(c.paidCents ?? accepted),
          },
        }
      : {}),
  };
}

/** A booking as the Appointment mapping reads it: the bookings module feeds it. */
export interface AppointmentInput {
  id: string;
  patientId: string;
  status: 'requested' | 'confirmed' | 'cancelled' | 'done';
  start: string | null;
  end: string | null;
  serviceText: string;
  facilityName: string | null;
  createdAt: string;
}

const APPOINTMENT_STATUS = {
  requested: 'proposed',
  confirmed: 'booked',
  cancelled: 'cancelled',
  done: 'fulfilled',
} as const;

export function appointmentResource(a: AppointmentInput): Appointment {
  return {
    resourceType: 'Appointment',
    id: a.id,
    status: APPOINTMENT_STATUS[a.status],
    serviceType: [{ text: a.serviceText }],
    ...(a.start ? { start: a.start } : {}),
    ...(a.end ? { end: a.end } : {}),
    created: a.createdAt,
    participant: [
      { actor: { reference: `Patient/${a.patientId}` }, status: 'accepted' },
      ...(a.facilityName ? [{ actor: { display: a.facilityName }, status: 'accepted' as const }] : []),
    ],
  };
}

/**
 * `$everything` for one patient: the Patient, their Coverage, their claims and the fund's answers,
 * their appointments (the bookings module supplies them; none until it does).
 */
export function everythingBundle(
  records: MemberRecords,
  patientId: string,
  context: { planCode: string; fundName: string; today: string; baseUrl: string; at: string },
  appointments: AppointmentInput[] = [],
): Bundle {
  const person = records.persons.find((p) => p.id === patientId);
  const resources: Resource[] = [];
  if (person) {
    resources.push(patientResource(person));
    resources.push(
      coverageResource(person, { code: context.planCode, fundName: context.fundName }, context.today),
    );
    for (const c of records.claims.filter((c) => c.beneficiaryId === patientId)) {
      resources.push(claimResource(c, patientId));
      const response = claimResponseResource(c, patientId, context.fundName);
      if (response) resources.push(response);
    }
    for (const a of appointments.filter((a) => a.patientId === patientId))
      resources.push(appointmentResource(a));
  }
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${context.baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  return { resourceType: 'Bundle', type: 'searchset', timestamp: context.at, total: entry.length, entry };
}
