import { Document } from 'sepa';
import { sepaAmount, sepaText } from './sepa-text.js';

/** One credit transfer: a claim paid to the member's account. */
export interface CreditTransfer {
  /** The claim number: the EndToEndId the member's bank shows, and the remittance text's. */
  endToEndId: string;
  creditorName: string;
  creditorIban: string;
  amountCents: number;
  remittance: string;
}

export interface CreditTransferFile {
  /** GrpHdr/MsgId: unique per file, at most 33 characters (the payment block's id adds `.1`). */
  messageId: string;
  /** CreDtTm, as the wall-clock time in Italy: `YYYY-MM-DDTHH:MM:SS`. */
  createdAt: string;
  /** ReqdExctnDt: `YYYY-MM-DD`. */
  executionDate: string;
  debtor: { name: string; iban: string; bic: string };
  transfers: CreditTransfer[];
}

export const PAIN_FORMAT = 'pain.001.001.03';

/** The limits of the fields the file carries (pain.001.001.03, EPC implementation guidelines). */
export const SEPA_LIMITS = { name: 70, remittance: 140, id: 35 } as const;

/** `2026-12-04T09:30:00` → a Date whose local fields are those (the library writes local fields). */
function localDate(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2}))?$/.exec(text);
  if (!m) throw new RangeError(`not a date or date-time: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** `2026-12-04T09:30:00`: an instant as the wall-clock time in Italy. */
export function italianDateTime(instant: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * The SEPA credit transfer initiation (ISO 20022 pain.001.001.03) of a batch: one payment block
 * from the fund's account, batch booking, one transaction per claim. Names and texts are brought
 * into the SEPA character set; amounts and the control sums are computed on integer cents and
 * checked against what the library wrote. Built with the `sepa` package (decision 040).
 */
export function buildCreditTransferFile(file: CreditTransferFile): string {
  if (file.transfers.length === 0) throw new RangeError('a credit transfer file needs a transfer');
  if (file.messageId.length > SEPA_LIMITS.id - 2) throw new RangeError('MsgId too long');
  const doc = new Document(PAIN_FORMAT);
  doc.grpHdr.id = file.messageId;
  doc.grpHdr.created = localDate(file.createdAt);
  const debtorName = sepaText(file.debtor.name, SEPA_LIMITS.name);
  doc.grpHdr.initiatorName = debtorName;

  const info = doc.createPaymentInfo();
  info.id = '1';
  info.batchBooking = true;
  info.requestedExecutionDate = localDate(file.executionDate);
  info.debtorName = debtorName;
  info.debtorIBAN = file.debtor.iban;
  info.debtorBIC = file.debtor.bic;
  // Added first: the block's id is then `MsgId.1` (the library prefixes it with the MsgId).
  doc.addPaymentInfo(info);

  file.transfers.forEach((transfer, index) => {
    const tx = info.createTransaction();
    tx.end2endId = sepaText(transfer.endToEndId, SEPA_LIMITS.id);
    tx.creditorName = sepaText(transfer.creditorName, SEPA_LIMITS.name) || tx.end2endId;
    tx.creditorIBAN = transfer.creditorIban;
    tx.amount = Number(sepaAmount(transfer.amountCents));
    tx.remittanceInfo = sepaText(transfer.remittance, SEPA_LIMITS.remittance);
    info.addTransaction(tx);
    // InstrId: the transfer's place in the file (the library's default, `MsgId.1.n`, can pass 35).
    tx.id = String(index + 1);
  });

  const xml = doc.toString();
  const total = file.transfers.reduce((sum, t) => sum + t.amountCents, 0);
  const sums = [...xml.matchAll(/<CtrlSum>([^<]*)<\/CtrlSum>/g)].map((m) => m[1]);
  const counts = [...xml.matchAll(/<NbOfTxs>([^<]*)<\/NbOfTxs>/g)].map((m) => m[1]);
  const expected = sepaAmount(total);
  const n = String(file.transfers.length);
  if (sums.length !== 2 || sums.some((s) => s !== expected) || counts.some((c) => c !== n)) {
    throw new Error(`the file's control sums (${sums.join(', ')}) are not ${expected} for ${n} transfers`);
  }
  return xml;
}
