import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { appointmentResource, everythingBundle } from './fhir.js';

const require = createRequire(import.meta.url);
const Validator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): unknown[];
};

describe('FHIR R4 mapping', () => {
  const validator = new Validator();
  const records = {
    persons: [
      {
        id: 'p1',
        givenName: 'Mario',
        surname: 'Rossi',
        codiceFiscale: 'RSSMRA80A01H501U',
        birthDate: '1980-01-01',
        role: 'titolare',
        holderCf: null,
        planId: 'plan',
        coverageStart: '2024-01-01',
        coverageEnd: null,
      },
    ],
    claims: [
      {
        id: 'c1',
        number: 'RSM-2026-1',
        beneficiaryId: 'p1',
        accountId: 'a',
        category: 'visite_specialistiche',
        state: 'paid' as const,
        iban: null,
        accountHolder: null,
        submittedAt: '2026-03-01T09:00:00.000Z',
        decidedAt: '2026-03-05T09:00:00.000Z',
        claimedCents: 12_000,
        acceptedCents: 8_000,
        paidCents: 8_000,
        paidOn: '2026-03-20',
        invoices: [
          {
            id: 'i1',
            invoiceDate: '2026-02-20',
            invoiceNumber: 'FT-1',
            issuerName: 'Studio',
            issuerTaxId: null,
            channel: 'out_of_network',
            amountCents: 12_000,
            acceptedCents: 8_000,
            paidCents: 8_000,
            reason: null,
          },
        ],
        documents: [],
        events: [],
      },
    ],
  };
  const context = {
    planCode: 'DEMO',
    fundName: 'Fondo',
    today: '2026-06-01',
    baseUrl: 'https://x/fhir',
    at: '2026-06-01T10:00:00Z',
  };

  it('[administrator] a bundle of Patient, Coverage, Claim and ClaimResponse, each valid R4', () => {
    const bundle = everythingBundle(records, 'p1', context);
    expect(bundle.entry?.map((e) => e.resource?.resourceType)).toEqual([
      'Patient',
      'Coverage',
      'Claim',
      'ClaimResponse',
    ]);
    expect(validator.validate(bundle)).toEqual([]);
    for (const e of bundle.entry ?? []) expect(validator.validate(e.resource)).toEqual([]);
    const response = bundle.entry?.[3]?.resource as { payment?: { amount: { value: number } } };
    expect(response.payment?.amount.value).toBe(80);
  });

  it('[administrator] appointments (fed by bookings) map to valid R4 Appointments', () => {
    const a = appointmentResource({
      id: 'b1',
      patientId: 'p1',
      status: 'confirmed',
      start: '2026-07-01T08:00:00Z',
      end: '2026-07-01T08:30:00Z',
      serviceText: 'Visita cardiologica',
      facilityName: 'Centro Medico',
      createdAt: '2026-06-01T10:00:00Z',
    });
    expect(a.status).toBe('booked');
    expect(validator.validate(a)).toEqual([]);
    const bundle = everythingBundle(records, 'p1', context, [
      {
        id: 'b2',
        patientId: 'p1',
        status: 'requested',
        start: null,
        end: null,
        serviceText: 'RX',
        facilityName: null,
        createdAt: '2026-06-01T10:00:00Z',
      },
    ]);
    expect(bundle.entry?.at(-1)?.resource?.resourceType).toBe('Appointment');
    expect(validator.validate(bundle)).toEqual([]);
  });
});
