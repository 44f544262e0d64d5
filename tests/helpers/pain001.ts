import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reads a SEPA credit transfer file (pain.001.001.03) back, as a bank would see it, and checks it
 * against the rules of the official schema for the elements OneCare writes: the order of each
 * element's children and the facets of their types. The official XSD could not be obtained from
 * the package registries this project installs from (decision 040); these are its rules for
 * CustomerCreditTransferInitiationV03 as published by ISO 20022, transcribed for our elements.
 */

export interface Pain001Transfer {
  instrId: string;
  endToEndId: string;
  amount: string;
  currency: string;
  creditorName: string;
  creditorIban: string;
  remittance: string;
}

export interface Pain001 {
  namespace: string;
  messageId: string;
  createdAt: string;
  groupCount: string;
  groupSum: string;
  initiatorName: string;
  paymentInfoId: string;
  method: string;
  batchBooking: string;
  count: string;
  sum: string;
  serviceLevel: string;
  executionDate: string;
  debtorName: string;
  debtorIban: string;
  debtorBic: string;
  chargeBearer: string;
  transfers: Pain001Transfer[];
}

type Node = Record<string, unknown>;
const text = (node: unknown): string => {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String((node as Node)['#text']);
  return '';
};
const at = (node: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((n, key) => (n && typeof n === 'object' ? (n as Node)[key] : undefined), node);

export function readPain001(xml: string): Pain001 {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid)}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => name === 'PmtInf' || name === 'CdtTrfTxInf',
  });
  const doc = parser.parse(xml) as Node;
  const root = at(doc, 'Document', 'CstmrCdtTrfInitn');
  const blocks = at(root, 'PmtInf') as Node[];
  if (blocks.length !== 1) throw new Error(`expected one PmtInf, got ${blocks.length}`);
  const pmt = blocks[0] as Node;
  return {
    namespace: String(at(doc, 'Document', '@xmlns')),
    messageId: text(at(root, 'GrpHdr', 'MsgId')),
    createdAt: text(at(root, 'GrpHdr', 'CreDtTm')),
    groupCount: text(at(root, 'GrpHdr', 'NbOfTxs')),
    groupSum: text(at(root, 'GrpHdr', 'CtrlSum')),
    initiatorName: text(at(root, 'GrpHdr', 'InitgPty', 'Nm')),
    paymentInfoId: text(at(pmt, 'PmtInfId')),
    method: text(at(pmt, 'PmtMtd')),
    batchBooking: text(at(pmt, 'BtchBookg')),
    count: text(at(pmt, 'NbOfTxs')),
    sum: text(at(pmt, 'CtrlSum')),
    serviceLevel: text(at(pmt, 'PmtTpInf', 'SvcLvl', 'Cd')),
    executionDate: text(at(pmt, 'ReqdExctnDt')),
    debtorName: text(at(pmt, 'Dbtr', 'Nm')),
    debtorIban: text(at(pmt, 'DbtrAcct', 'Id', 'IBAN')),
    debtorBic: text(at(pmt, 'DbtrAgt', 'FinInstnId', 'BIC')),
    chargeBearer: text(at(pmt, 'ChrgBr')),
    transfers: (at(pmt, 'CdtTrfTxInf') as Node[]).map((tx) => ({
      instrId: text(at(tx, 'PmtId', 'InstrId')),
      endToEndId: text(at(tx, 'PmtId', 'EndToEndId')),
      amount: text(at(tx, 'Amt', 'InstdAmt')),
      currency: String(at(tx, 'Amt', 'InstdAmt', '@Ccy')),
      creditorName: text(at(tx, 'Cdtr', 'Nm')),
      creditorIban: text(at(tx, 'CdtrAcct', 'Id', 'IBAN')),
      remittance: text(at(tx, 'RmtInf', 'Ustrd')),
    })),
  };
}

/** pain.001.001.03: the children each element may have, in the schema's order (ours among them). */
const SEQUENCES: Record<string, string[]> = {
  Document: ['CstmrCdtTrfInitn'],
  CstmrCdtTrfInitn: ['GrpHdr', 'PmtInf', 'SplmtryData'],
  GrpHdr: ['MsgId', 'CreDtTm', 'Authstn', 'NbOfTxs', 'CtrlSum', 'InitgPty', 'FwdgAgt'],
  InitgPty: ['Nm', 'PstlAdr', 'Id', 'CtryOfRes', 'CtctDtls'],
  PmtInf: [
    'PmtInfId',
    'PmtMtd',
    'BtchBookg',
    'NbOfTxs',
    'CtrlSum',
    'PmtTpInf',
    'ReqdExctnDt',
    'PoolgAdjstmntDt',
    'Dbtr',
    'DbtrAcct',
    'DbtrAgt',
    'DbtrAgtAcct',
    'InstrForDbtrAgt',
    'UltmtDbtr',
    'ChrgBr',
    'ChrgsAcct',
    'ChrgsAcctAgt',
    'CdtTrfTxInf',
  ],
  PmtTpInf: ['InstrPrty', 'SvcLvl', 'LclInstrm', 'CtgyPurp'],
  SvcLvl: ['Cd', 'Prtry'],
  Dbtr: ['Nm', 'PstlAdr', 'Id', 'CtryOfRes', 'CtctDtls'],
  Cdtr: ['Nm', 'PstlAdr', 'Id', 'CtryOfRes', 'CtctDtls'],
  DbtrAcct: ['Id', 'Tp', 'Ccy', 'Nm'],
  // An account's Id (AccountIdentification4Choice): the IBAN, or another scheme's.
  Id: ['IBAN', 'Othr'],
  CdtrAcct: ['Id', 'Tp', 'Ccy', 'Nm'],
  DbtrAgt: ['FinInstnId', 'BrnchId'],
  FinInstnId: ['BIC', 'ClrSysMmbId', 'Nm', 'PstlAdr', 'Othr'],
  CdtTrfTxInf: [
    'PmtId',
    'PmtTpInf',
    'Amt',
    'XchgRateInf',
    'ChrgBr',
    'ChqInstr',
    'UltmtDbtr',
    'IntrmyAgt1',
    'IntrmyAgt1Acct',
    'IntrmyAgt2',
    'IntrmyAgt2Acct',
    'IntrmyAgt3',
    'IntrmyAgt3Acct',
    'CdtrAgt',
    'CdtrAgtAcct',
    'Cdtr',
    'CdtrAcct',
    'UltmtCdtr',
    'InstrForCdtrAgt',
    'InstrForDbtrAgt',
    'Purp',
    'RgltryRptg',
    'Tax',
    'RltdRmtInf',
    'RmtInf',
  ],
  PmtId: ['InstrId', 'EndToEndId'],
  Amt: ['InstdAmt', 'EqvtAmt'],
  RmtInf: ['Ustrd', 'Strd'],
};

/** Elements that must be there (minOccurs 1) under each parent. */
const REQUIRED: Record<string, string[]> = {
  CstmrCdtTrfInitn: ['GrpHdr', 'PmtInf'],
  GrpHdr: ['MsgId', 'CreDtTm', 'NbOfTxs', 'InitgPty'],
  PmtInf: ['PmtInfId', 'PmtMtd', 'ReqdExctnDt', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'CdtTrfTxInf'],
  CdtTrfTxInf: ['PmtId', 'Amt'],
  PmtId: ['EndToEndId'],
};

/** Elements that may appear more than once. */
const REPEATABLE = new Set(['PmtInf', 'CdtTrfTxInf', 'Ustrd', 'InstrForCdtrAgt', 'RgltryRptg', 'RltdRmtInf']);

/** The simple types' facets of the leaves we write (ISO 20022 pain.001.001.03). */
const LEAVES: Record<string, RegExp> = {
  MsgId: /^.{1,35}$/s,
  PmtInfId: /^.{1,35}$/s,
  InstrId: /^.{1,35}$/s,
  EndToEndId: /^.{1,35}$/s,
  // ISODateTime: a date and a time, an optional fraction and zone.
  CreDtTm: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/,
  // Max15NumericText
  NbOfTxs: /^[0-9]{1,15}$/,
  // DecimalNumber: fractionDigits 17, totalDigits 18.
  CtrlSum: /^(?=(\D*\d){1,18}\D*$)\d+(\.\d{1,17})?$/,
  // ActiveOrHistoricCurrencyAndAmount: fractionDigits 5, totalDigits 18, minInclusive 0.
  InstdAmt: /^(?=(\D*\d){1,18}\D*$)\d+(\.\d{1,5})?$/,
  PmtMtd: /^(CHK|TRF|TRA)$/,
  BtchBookg: /^(true|false)$/,
  ReqdExctnDt: /^\d{4}-\d{2}-\d{2}$/,
  // IBAN2007Identifier, BICIdentifier
  IBAN: /^[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}$/,
  BIC: /^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$/,
  ChrgBr: /^(DEBT|CRED|SHAR|SLEV)$/,
  Nm: /^.{1,140}$/s,
  Ustrd: /^.{1,140}$/s,
  Cd: /^.{1,4}$/s,
};

/** The EPC's SEPA character set, which the names and texts must keep to (stricter than the schema). */
const SEPA_SET = /^[A-Za-z0-9/?:().,'+ -]*$/;

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Every way the file departs from the schema's rules for the elements we write, as readable lines
 * (empty when it keeps them): unknown or misplaced children, missing required ones, repeated
 * single ones, leaves outside their type, text outside the SEPA set, the currency.
 */
export function schemaProblems(xml: string): string[] {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    trimValues: false,
  });
  const problems: string[] = [];
  const nameOf = (node: Ordered) => Object.keys(node).find((k) => k !== ':@') ?? '';

  function walk(node: Ordered, path: string): void {
    const name = nameOf(node);
    const children = (node[name] as Ordered[]) ?? [];
    const elements = children.filter((c) => nameOf(c) !== '#text');
    const here = `${path}/${name}`;
    if (elements.length === 0) {
      const value = children.map((c) => String(c['#text'] ?? '')).join('');
      const rule = LEAVES[name];
      if (rule && !rule.test(value)) problems.push(`${here}: "${value}" is not a valid ${name}`);
      if (
        ['Nm', 'Ustrd', 'EndToEndId', 'InstrId', 'MsgId', 'PmtInfId'].includes(name) &&
        !SEPA_SET.test(value)
      )
        problems.push(`${here}: "${value}" is outside the SEPA character set`);
      if (['Nm'].includes(name) && value.length > 70)
        problems.push(`${here}: "${value}" is longer than the EPC's 70 characters`);
      if (name === 'InstdAmt' && node[':@']?.Ccy !== 'EUR') problems.push(`${here}: the currency is not EUR`);
      return;
    }
    const sequence = SEQUENCES[name];
    if (!sequence) {
      problems.push(`${here}: not an element OneCare's check knows`);
      return;
    }
    let last = -1;
    const seen = new Map<string, number>();
    for (const child of elements) {
      const childName = nameOf(child);
      const index = sequence.indexOf(childName);
      if (index === -1) problems.push(`${here}: ${childName} is not allowed here`);
      else if (index < last) problems.push(`${here}: ${childName} is out of the schema's order`);
      else last = index;
      seen.set(childName, (seen.get(childName) ?? 0) + 1);
      walk(child, here);
    }
    for (const [childName, times] of seen)
      if (times > 1 && !REPEATABLE.has(childName))
        problems.push(`${here}: ${childName} appears ${times} times`);
    for (const required of REQUIRED[name] ?? [])
      if (!seen.has(required)) problems.push(`${here}: ${required} is missing`);
  }

  const doc = parser.parse(xml) as Ordered[];
  const root = doc.find((n) => nameOf(n) === 'Document');
  if (!root) return ['no Document element'];
  if (root[':@']?.xmlns !== 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03')
    problems.push('the Document is not in the pain.001.001.03 namespace');
  walk(root, '');
  return problems;
}
