import { describe, expect, it } from 'vitest';
import { parseAmount } from '../../lib/money';
import type { CategoryOption, Draft } from './claims-api';
import {
  checkInvoices,
  checklistNeed,
  checkPayee,
  daysBetween,
  defaultDocumentKind,
  draftToForm,
  emptyInvoice,
  formToDraftBody,
  groupIban,
  type InvoiceForm,
  ibanLooksValid,
  invoiceWarnings,
  labelLanguage,
  missingDocumentKinds,
  requiredDocumentKinds,
  resumeStep,
  stepOfField,
  warningsKey,
} from './wizard-model';

const VISITS: CategoryOption = {
  code: 'visite_specialistiche',
  label: { it: 'Visite specialistiche', en: 'Specialist visits' },
  channels: ['network', 'out_of_network', 'ssn_ticket'],
  deadlineDays: 120,
  prescriptionRequired: ['out_of_network', 'ssn_ticket'],
};
const DENTAL: CategoryOption = {
  code: 'odontoiatria',
  label: { it: 'Odontoiatria', en: 'Dental care' },
  channels: ['out_of_network'],
  deadlineDays: null,
  prescriptionRequired: [],
};

function draft(overrides: Partial<Draft> = {}): Draft {
  return {
    id: 'd1',
    updatedAt: '2026-12-01T10:00:00Z',
    beneficiaryId: null,
    category: null,
    invoices: [],
    iban: null,
    accountHolder: null,
    documents: [],
    warnings: [],
    ...overrides,
  };
}

const FULL_INVOICE = {
  id: 'i1',
  invoiceDate: '2026-11-20',
  invoiceNumber: 'F-12',
  issuerName: 'Dott. Rossi',
  issuerTaxId: null,
  amountCents: 12000,
  channel: 'out_of_network' as const,
  facilityId: null,
};

const document = (kind: Draft['documents'][number]['kind']): Draft['documents'][number] => ({
  id: `doc-${kind}`,
  kind,
  fileName: 'a.pdf',
  mediaType: 'application/pdf',
  bytes: 100,
  uploadedAt: '2026-12-01T10:00:00Z',
  phase: 'initial',
  sent: false,
});

function invoice(overrides: Partial<InvoiceForm>): InvoiceForm {
  return {
    ...emptyInvoice('i1'),
    invoiceDate: '2026-11-20',
    invoiceNumber: 'F-12',
    issuerName: 'Dott. Rossi',
    amount: '120,00',
    channel: 'out_of_network',
    ...overrides,
  };
}

describe('the step a draft resumes at', () => {
  const options = { categories: [VISITS, DENTAL] };

  it('is the first step not filled in', () => {
    expect(resumeStep(draft(), options)).toBe('beneficiary');
    expect(resumeStep(draft({ beneficiaryId: 'b' }), options)).toBe('category');
    expect(resumeStep(draft({ beneficiaryId: 'b', category: 'visite_specialistiche' }), options)).toBe(
      'invoices',
    );
    const withInvoice = {
      beneficiaryId: 'b',
      category: 'visite_specialistiche' as const,
      invoices: [FULL_INVOICE],
    };
    expect(resumeStep(draft(withInvoice), options)).toBe('documents');
    expect(resumeStep(draft({ ...withInvoice, documents: [document('fattura')] }), options)).toBe(
      'documents',
    );
    const documented = { ...withInvoice, documents: [document('fattura'), document('prescrizione')] };
    expect(resumeStep(draft(documented), options)).toBe('payee');
    expect(
      resumeStep(
        draft({ ...documented, iban: 'IT60X0542811101000000123456', accountHolder: 'Mario' }),
        options,
      ),
    ).toBe('summary');
  });

  it('stays on the invoices while one is incomplete, and on the category when it is not in the plan', () => {
    const base = { beneficiaryId: 'b', category: 'visite_specialistiche' as const };
    expect(resumeStep(draft({ ...base, invoices: [{ ...FULL_INVOICE, amountCents: null }] }), options)).toBe(
      'invoices',
    );
    expect(resumeStep(draft({ ...base, invoices: [{ ...FULL_INVOICE, channel: 'network' }] }), options)).toBe(
      'invoices',
    );
    expect(resumeStep(draft({ beneficiaryId: 'b', category: 'lenti' }), options)).toBe('category');
  });
});

describe('documents required', () => {
  it('asks a prescription only where the plan does for the channels used', () => {
    expect(requiredDocumentKinds(VISITS, ['out_of_network'])).toEqual(['fattura', 'prescrizione']);
    expect(requiredDocumentKinds(VISITS, ['network'])).toEqual(['fattura']);
    expect(requiredDocumentKinds(DENTAL, ['out_of_network'])).toEqual(['fattura']);
    expect(requiredDocumentKinds(undefined, [])).toEqual(['fattura']);
    expect(missingDocumentKinds(['fattura', 'prescrizione'], [document('fattura')])).toEqual([
      'prescrizione',
    ]);
  });
});

describe('draft ↔ form', () => {
  it('writes amounts in the interface language and starts the IBAN from the last payee', () => {
    const form = draftToForm(
      draft({ invoices: [{ ...FULL_INVOICE, amountCents: 123456 }] }),
      { payee: { iban: 'IT60X0542811101000000123456', accountHolder: 'Mario Demo' } },
      'it',
      () => 'new',
    );
    expect(form.invoices[0]?.amount).toBe('1.234,56');
    expect(form.iban).toBe('IT60X0542811101000000123456');
    expect(form.accountHolder).toBe('Mario Demo');
    expect(draftToForm(draft(), { payee: null }, 'en', () => 'new').invoices).toEqual([emptyInvoice('new')]);
  });

  it('saves what can be read and null for the rest, and round-trips', () => {
    const body = formToDraftBody(
      {
        beneficiaryId: 'b',
        category: 'visite_specialistiche',
        invoices: [
          invoice({ amount: '1.234,56', issuerTaxId: ' 0123456789 1 ' }),
          invoice({
            id: 'i2',
            amount: '12,3,4',
            invoiceDate: '2026-02-30',
            channel: 'network',
            facilityId: 'f1',
          }),
          invoice({ id: 'i3', channel: 'out_of_network', facilityId: 'f1', invoiceNumber: '  ' }),
        ],
        iban: 'it60 x054 2811 1010 0000 0123 456',
        accountHolder: ' ',
      },
      'it',
    );
    expect(body.invoices[0]).toMatchObject({ amountCents: 123456, issuerTaxId: '01234567891' });
    expect(body.invoices[1]).toEqual({
      id: 'i2',
      invoiceNumber: 'F-12',
      issuerName: 'Dott. Rossi',
      channel: 'network',
      facilityId: 'f1',
    });
    expect(body.invoices[2]).not.toHaveProperty('facilityId');
    expect(body.invoices[2]).not.toHaveProperty('invoiceNumber');
    expect(body.iban).toBe('IT60X0542811101000000123456');
    expect(body).not.toHaveProperty('accountHolder');

    const again = draftToForm(
      draft({
        ...body,
        beneficiaryId: 'b',
        category: 'visite_specialistiche',
        invoices: body.invoices,
      } as Draft),
      { payee: null },
      'it',
      () => 'x',
    );
    expect(again.invoices[0]?.amount).toBe('1.234,56');
  });
});

describe('invoice checks before sending', () => {
  const context = { today: '2026-12-04', language: 'it', category: VISITS, coverageStart: '2024-01-01' };

  it('catches a future date, a zero amount and a date past the deadline', () => {
    expect(checkInvoices([invoice({ invoiceDate: '2026-12-05' })], context)).toEqual({
      'invoices/0/invoiceDate': 'invoice_date_future',
    });
    expect(checkInvoices([invoice({ amount: '0,00' })], context)).toEqual({
      'invoices/0/amountCents': 'amount_zero',
    });
    expect(checkInvoices([invoice({ invoiceDate: '2026-08-05' })], context)).toEqual({
      'invoices/0/invoiceDate': 'invoice_past_deadline',
    });
    expect(checkInvoices([invoice({ invoiceDate: '2026-08-06' })], context)).toEqual({});
    expect(checkInvoices([invoice({ invoiceDate: '2023-12-31' })], context)).toEqual({
      'invoices/0/invoiceDate': 'invoice_date_before_coverage',
    });
  });

  it('names every missing or malformed field by its path', () => {
    expect(checkInvoices([invoice({}), emptyInvoice('i2')], context)).toEqual({
      'invoices/1/invoiceDate': 'required',
      'invoices/1/invoiceNumber': 'required',
      'invoices/1/issuerName': 'required',
      'invoices/1/amountCents': 'required',
      'invoices/1/channel': 'required',
    });
    expect(
      checkInvoices([invoice({ amount: '12.5', issuerTaxId: 'abc', channel: 'network' })], context),
    ).toEqual({
      'invoices/0/amountCents': 'amount_invalid',
      'invoices/0/issuerTaxId': 'issuer_tax_id_invalid',
      'invoices/0/facilityId': 'facility_required',
    });
    expect(checkInvoices([invoice({ channel: 'network' })], { ...context, category: DENTAL })).toEqual({
      'invoices/0/channel': 'channel_not_in_plan',
      'invoices/0/invoiceDate': undefined,
    } as never);
  });
});

describe('amounts typed on invoices', () => {
  it('reads Italian amounts in either language, to the cent', () => {
    expect(parseAmount('120,00', 'it')).toBe(12000);
    expect(parseAmount('36,15', 'it')).toBe(3615);
    expect(parseAmount('1.234,56 €', 'it')).toBe(123456);
    expect(parseAmount('36,15', 'en')).toBe(3615);
    expect(parseAmount('1,234.56', 'en')).toBe(123456);
    expect(parseAmount('36.15', 'it')).toBeNull();
  });
});

describe('IBAN and fields', () => {
  it('checks the shape and the check digits', () => {
    expect(ibanLooksValid('IT60 X054 2811 1010 0000 0123 456')).toBe(true);
    expect(ibanLooksValid('IT61X0542811101000000123456')).toBe(false);
    expect(ibanLooksValid('IT60')).toBe(false);
    expect(groupIban('it60x0542811101000000123456')).toBe('IT60 X054 2811 1010 0000 0123 456');
  });

  it('maps the server fields to their step', () => {
    expect(stepOfField('/invoices/1/amountCents')).toBe('invoices');
    expect(stepOfField('/beneficiaryId')).toBe('beneficiary');
    expect(stepOfField('/iban')).toBe('payee');
    expect(stepOfField('/documents')).toBe('documents');
    expect(stepOfField('/declaration')).toBe('summary');
    expect(daysBetween('2026-08-06', '2026-12-04')).toBe(120);
  });
});

describe('payee checks before sending', () => {
  it('asks for both fields and a well-formed IBAN', () => {
    expect(checkPayee({ iban: ' ', accountHolder: '' })).toEqual({
      iban: 'required',
      accountHolder: 'required',
    });
    expect(checkPayee({ iban: 'IT61X0542811101000000123456', accountHolder: 'Anna Rossi' })).toEqual({
      iban: 'iban_invalid',
    });
    expect(checkPayee({ iban: 'IT60 X054 2811 1010 0000 0123 456', accountHolder: 'Anna Rossi' })).toEqual(
      {},
    );
  });
});

describe('labels and warnings', () => {
  it('shows labels in English only for English', () => {
    expect(labelLanguage('en')).toBe('en');
    expect(labelLanguage('it')).toBe('it');
    expect(labelLanguage(undefined)).toBe('it');
  });

  it('gives each invoice its own warnings, and a key that changes with the set', () => {
    const warnings = [
      { code: 'probable_duplicate' as const, field: '/invoices/1' },
      { code: 'probable_duplicate' as const, field: '/invoices/10/invoiceNumber' },
      { code: 'probable_duplicate' as const, field: '/invoices/1/amountCents' },
    ];
    expect(invoiceWarnings(warnings, 1).map((w) => w.field)).toEqual([
      '/invoices/1',
      '/invoices/1/amountCents',
    ]);
    expect(invoiceWarnings(warnings, 0)).toEqual([]);
    expect(warningsKey([])).toBe('');
    expect(warningsKey(warnings.slice(0, 2))).toBe(
      'probable_duplicate:/invoices/1|probable_duplicate:/invoices/10/invoiceNumber',
    );
  });
});

describe('documents step', () => {
  it('calls "when applicable" a kind the category requires but these invoices do not', () => {
    expect(checklistNeed({ kind: 'prescrizione', need: 'required' }, ['fattura'])).toBe('when_applicable');
    expect(checklistNeed({ kind: 'prescrizione', need: 'required' }, ['fattura', 'prescrizione'])).toBe(
      'required',
    );
    expect(checklistNeed({ kind: 'altro', need: 'when_applicable' }, ['fattura'])).toBe('when_applicable');
  });

  it('offers the invoice first, then the first required kind missing, then "altro"', () => {
    expect(defaultDocumentKind(['fattura', 'prescrizione'], [])).toBe('fattura');
    expect(defaultDocumentKind(['fattura', 'prescrizione'], [document('prescrizione')])).toBe('fattura');
    expect(defaultDocumentKind(['fattura', 'prescrizione'], [document('fattura')])).toBe('prescrizione');
    expect(
      defaultDocumentKind(['fattura', 'prescrizione'], [document('fattura'), document('prescrizione')]),
    ).toBe('altro');
  });
});
