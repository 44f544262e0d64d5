import { describe, expect, it } from 'vitest';
import { categoryPath, channelPath, type PlanFormMessages, readPlanForm } from './plan-form';
import type { PlanRules } from './plans-api';

const messages: PlanFormMessages = {
  euroInvalid: 'euro',
  percentInvalid: 'percent',
  wholeInvalid: (min, max) => `whole ${min}-${max}`,
  nameRequired: 'name',
  labelRequired: 'label',
  frequencyIncomplete: 'frequency',
};

/** The form shows these categories and channels: lenses out of network, SSN tickets. */
const draft: PlanRules = {
  year: 2026,
  annualCap: { cents: 1, scope: 'family' },
  categories: {
    lenti: {
      label: { it: 'x', en: 'x' },
      channels: {
        out_of_network: {
          coinsuranceBasisPoints: 0,
          minimumPerInvoiceCents: 0,
          deductiblePerVisitCents: 0,
          prescriptionRequired: false,
          submissionDeadlineDays: 1,
        },
      },
    },
    ticket_ssn: {
      label: { it: 'x', en: 'x' },
      channels: {
        ssn_ticket: {
          coinsuranceBasisPoints: 0,
          minimumPerInvoiceCents: 0,
          deductiblePerVisitCents: 0,
          prescriptionRequired: false,
          submissionDeadlineDays: 1,
        },
      },
    },
  },
};

const lenses = (field: string) => channelPath('lenti', 'out_of_network', field);
const tickets = (field: string) => channelPath('ticket_ssn', 'ssn_ticket', field);

function form(entries: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.set(name, value);
  return data;
}

/** A form as an administrator fills it in Italian. */
const filled: Record<string, string> = {
  name: ' Piano Base ',
  'rules/year': '2027',
  'rules/annualCap/cents': '5.000,00',
  'rules/annualCap/scope': 'family',
  [categoryPath('lenti', 'label/it')]: 'Lenti',
  [categoryPath('lenti', 'label/en')]: 'Lenses',
  [categoryPath('lenti', 'subCap/cents')]: '250',
  [categoryPath('lenti', 'subCap/scope')]: 'person',
  [categoryPath('lenti', 'frequency/times')]: '1',
  [categoryPath('lenti', 'frequency/everyYears')]: '2',
  [lenses('coinsuranceBasisPoints')]: '20',
  [lenses('minimumPerInvoiceCents')]: '50,00',
  [lenses('deductiblePerVisitCents')]: '0',
  [lenses('prescriptionRequired')]: 'on',
  [lenses('submissionDeadlineDays')]: '120',
  [categoryPath('ticket_ssn', 'label/it')]: 'Ticket',
  [categoryPath('ticket_ssn', 'label/en')]: 'Tickets',
  [tickets('coinsuranceBasisPoints')]: '0',
  [tickets('minimumPerInvoiceCents')]: '0',
  [tickets('deductiblePerVisitCents')]: '0',
  [tickets('submissionDeadlineDays')]: '365',
};

describe('the plan editor form', () => {
  it('[administrator] Italian amounts and percentages become cents and basis points', () => {
    const { value, errors } = readPlanForm(form(filled), draft, 'it', messages);
    expect(errors).toEqual({});
    expect(value).toEqual({
      name: 'Piano Base',
      rules: {
        year: 2027,
        annualCap: { cents: 500_000, scope: 'family' },
        categories: {
          lenti: {
            label: { it: 'Lenti', en: 'Lenses' },
            channels: {
              out_of_network: {
                coinsuranceBasisPoints: 2000,
                minimumPerInvoiceCents: 5000,
                deductiblePerVisitCents: 0,
                prescriptionRequired: true,
                submissionDeadlineDays: 120,
              },
            },
            subCap: { cents: 25_000, scope: 'person' },
            frequency: { times: 1, everyYears: 2 },
          },
          ticket_ssn: {
            label: { it: 'Ticket', en: 'Tickets' },
            channels: {
              ssn_ticket: {
                coinsuranceBasisPoints: 0,
                minimumPerInvoiceCents: 0,
                deductiblePerVisitCents: 0,
                prescriptionRequired: false,
                submissionDeadlineDays: 365,
              },
            },
          },
        },
      },
    });
  });

  it('[administrator] English number format in the English page', () => {
    const { value, errors } = readPlanForm(
      form({ ...filled, 'rules/annualCap/cents': '5,000.50', [lenses('coinsuranceBasisPoints')]: '12.5' }),
      draft,
      'en',
      messages,
    );
    expect(errors).toEqual({});
    expect(value.rules.annualCap.cents).toBe(500_050);
    expect(value.rules.categories.lenti?.channels.out_of_network?.coinsuranceBasisPoints).toBe(1250);
  });

  it('[administrator] each wrong field gets its own message, named by its path', () => {
    const { errors } = readPlanForm(
      form({
        ...filled,
        name: '  ',
        'rules/year': '1999',
        'rules/annualCap/cents': 'tanti',
        [categoryPath('lenti', 'label/en')]: '',
        [categoryPath('lenti', 'frequency/everyYears')]: '',
        [lenses('coinsuranceBasisPoints')]: '100,01',
        [lenses('minimumPerInvoiceCents')]: '10.000.000,01',
        [tickets('submissionDeadlineDays')]: '3651',
      }),
      draft,
      'it',
      messages,
    );
    expect(errors).toEqual({
      name: 'name',
      'rules/year': 'whole 2000-2100',
      'rules/annualCap/cents': 'euro',
      [categoryPath('lenti', 'label/en')]: 'label',
      [categoryPath('lenti', 'frequency/everyYears')]: 'frequency',
      [lenses('coinsuranceBasisPoints')]: 'percent',
      [lenses('minimumPerInvoiceCents')]: 'euro',
      [tickets('submissionDeadlineDays')]: 'whole 1-3650',
    });
  });

  it('[administrator] an empty sub-cap and frequency mean none; only the shown rules are read', () => {
    const { value, errors } = readPlanForm(
      form({
        ...filled,
        [categoryPath('lenti', 'subCap/cents')]: '',
        [categoryPath('lenti', 'frequency/times')]: '',
        [categoryPath('lenti', 'frequency/everyYears')]: '',
        [channelPath('lenti', 'network', 'coinsuranceBasisPoints')]: '50',
      }),
      draft,
      'it',
      messages,
    );
    expect(errors).toEqual({});
    expect(value.rules.categories.lenti?.subCap).toBeUndefined();
    expect(value.rules.categories.lenti?.frequency).toBeUndefined();
    expect(Object.keys(value.rules.categories.lenti?.channels ?? {})).toEqual(['out_of_network']);
    expect(Object.keys(value.rules.categories)).toEqual(['lenti', 'ticket_ssn']);
  });
});
