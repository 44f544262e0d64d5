import { BOOKING_DETAIL_MESSAGES } from '#contracts/bookings.codes.js';
import type { DetailCode } from '#contracts/details.codes.js';
import type { DetailParams, Locale } from '#contracts/errors.codes.js';

type Text = { it: string; en: string };

/**
 * The API's words for every detail code, in Italian and English, `{name}` standing for a param.
 * Only the error handler reads it, to give each detail a `message` in the request's language for
 * clients other than the web app (which words the codes itself: `fieldErrors` in web/src/i18n).
 * Services send codes and params, never text.
 */
export const DETAIL_MESSAGES: Record<DetailCode, Text> = {
  // The schema's checks (JSON Schema keywords).
  required: { it: 'Campo obbligatorio.', en: 'This field is required.' },
  type: { it: 'Il valore deve essere di tipo {type}.', en: 'The value must be of type {type}.' },
  minLength: { it: 'Inserisci almeno {limit} caratteri.', en: 'Enter at least {limit} characters.' },
  maxLength: { it: 'Inserisci al massimo {limit} caratteri.', en: 'Enter at most {limit} characters.' },
  minimum: { it: 'Il valore minimo è {limit}.', en: 'The smallest value allowed is {limit}.' },
  maximum: { it: 'Il valore massimo è {limit}.', en: 'The largest value allowed is {limit}.' },
  exclusiveMinimum: { it: 'Il valore deve superare {limit}.', en: 'The value must be above {limit}.' },
  exclusiveMaximum: { it: 'Il valore deve restare sotto {limit}.', en: 'The value must be below {limit}.' },
  minItems: { it: 'Servono almeno {limit} elementi.', en: 'At least {limit} items are needed.' },
  maxItems: { it: 'Al massimo {limit} elementi.', en: 'At most {limit} items.' },
  pattern: { it: 'Formato non valido.', en: 'The format is not valid.' },
  finite: { it: 'Il valore deve essere un numero finito.', en: 'The value must be a finite number.' },
  format: { it: 'Formato non valido.', en: 'The format is not valid.' },
  enum: { it: 'Valore non ammesso.', en: 'This value is not allowed.' },
  const: { it: 'Valore non ammesso.', en: 'This value is not allowed.' },
  anyOf: { it: 'Valore non ammesso.', en: 'This value is not allowed.' },
  oneOf: { it: 'Valore non ammesso.', en: 'This value is not allowed.' },
  additionalProperties: { it: 'Campo non previsto.', en: 'This field is not expected.' },
  invalid: { it: 'Valore non valido.', en: 'The value is not valid.' },
  json: { it: 'Il contenuto non è JSON valido.', en: 'The body is not valid JSON.' },

  // Members' account forms.
  email_invalid: { it: 'Indirizzo email non valido.', en: 'Not a valid email address.' },
  email_mismatch: {
    it: 'La conferma non coincide con l’email inserita.',
    en: 'The confirmation does not match the email entered.',
  },
  cf_malformed: {
    it: 'Il codice fiscale non è scritto correttamente (16 caratteri).',
    en: 'The codice fiscale is not written correctly (16 characters).',
  },
  cf_check_character: {
    it: 'Il codice fiscale non è valido: controlla di averlo scritto bene.',
    en: 'The codice fiscale is not valid: check that you typed it correctly.',
  },
  cf_incoherent_surname: {
    it: 'Il codice fiscale non corrisponde al cognome inserito.',
    en: 'The codice fiscale does not match the surname entered.',
  },
  cf_incoherent_name: {
    it: 'Il codice fiscale non corrisponde al nome inserito.',
    en: 'The codice fiscale does not match the name entered.',
  },
  cf_incoherent_birth_date: {
    it: 'Il codice fiscale non corrisponde alla data di nascita inserita.',
    en: 'The codice fiscale does not match the date of birth entered.',
  },
  birth_date_invalid: { it: 'Data di nascita non valida.', en: 'Not a valid date of birth.' },
  birth_date_future: {
    it: 'La data di nascita non può essere nel futuro.',
    en: 'The date of birth cannot be in the future.',
  },
  captcha_missing: { it: 'Conferma di non essere un robot.', en: 'Confirm that you are not a robot.' },
  captcha_invalid: {
    it: 'Verifica "Non sono un robot" non valida o scaduta: ripetila.',
    en: 'The "I\'m not a robot" check is not valid or has expired: do it again.',
  },
  password_mismatch: {
    it: 'La conferma non coincide con la nuova password.',
    en: 'The confirmation does not match the new password.',
  },
  same_as_current: {
    it: 'La nuova password deve essere diversa da quella attuale.',
    en: 'The new password must differ from the current one.',
  },
  totp_invalid: {
    it: 'Codice non valido: inserisci le 6 cifre mostrate ora dall’app di autenticazione.',
    en: 'Invalid code: enter the 6 digits your authenticator app shows now.',
  },
  current_password_wrong: {
    it: 'La password attuale non è corretta.',
    en: 'The current password is not correct.',
  },

  // The password policy.
  too_short: {
    it: 'La password deve contenere almeno {min} caratteri.',
    en: 'Your password must be at least {min} characters long.',
  },
  too_long: {
    it: 'La password può contenere al massimo {max} caratteri.',
    en: 'Your password can be at most {max} characters long.',
  },
  common: {
    it: 'Questa password è troppo comune: compare negli elenchi di password usate spesso o rubate. Scegline un’altra, per esempio una frase di più parole.',
    en: 'This password is too common: it appears in lists of often used or leaked passwords. Choose another one, for example a phrase of several words.',
  },
  contains_username: {
    it: 'La password non deve contenere il tuo nome utente.',
    en: 'Your password must not contain your username.',
  },
  contains_name: {
    it: 'La password non deve contenere il tuo nome o il tuo cognome.',
    en: 'Your password must not contain your first name or surname.',
  },
  contains_codice_fiscale: {
    it: 'La password non deve contenere il tuo codice fiscale.',
    en: 'Your password must not contain your tax code (codice fiscale).',
  },
  contains_birth_date: {
    it: 'La password non deve contenere la tua data di nascita.',
    en: 'Your password must not contain your date of birth.',
  },

  // Back-office users.
  username_invalid: {
    it: 'La username ha da 3 a 64 caratteri (lettere minuscole a-z, cifre, punto, trattino, trattino basso) e inizia con una lettera.',
    en: 'The username has 3 to 64 characters (lowercase letters a-z, digits, dot, hyphen, underscore) and starts with a letter.',
  },
  role_invalid: { it: 'Scegli uno dei ruoli.', en: 'Choose one of the roles.' },
  username_taken: {
    it: 'Questa username è già usata da un altro utente del back office.',
    en: 'This username is already used by another back-office user.',
  },
  user_disabled: {
    it: 'L’utente è disattivato: riattivalo prima di reimpostare la verifica in due passaggi.',
    en: 'The user is disabled: enable them before resetting the two-factor authentication.',
  },

  // Plans and their rules.
  invalid_type: { it: 'Valore non valido.', en: 'Invalid value.' },
  unknown_field: { it: 'Campo non previsto.', en: 'Unexpected field.' },
  unknown_category: { it: 'Categoria non prevista dal catalogo.', en: 'Category not in the catalogue.' },
  unknown_channel: { it: 'Canale non previsto.', en: 'Unknown channel.' },
  duplicate_rule: {
    it: 'Questa categoria ha già una regola per questo canale.',
    en: 'This category already has a rule for this channel.',
  },
  no_rules: { it: 'Il piano deve avere almeno una regola.', en: 'The plan must have at least one rule.' },
  category_without_rules: {
    it: 'La categoria non ha nessuna regola: aggiungine una o togli la categoria.',
    en: 'The category has no rule: add one or remove the category.',
  },
  year_range: { it: 'L’anno va dal {min} al {max}.', en: 'The year goes from {min} to {max}.' },
  label_required: { it: 'Scrivi il nome della categoria.', en: 'Write the category name.' },
  label_too_long: {
    it: 'Il nome può avere al massimo 200 caratteri.',
    en: 'The name can have at most 200 characters.',
  },
  scope_invalid: { it: 'Scegli "per persona" o "per famiglia".', en: 'Choose "per person" or "per family".' },
  amount_negative: { it: 'L’importo non può essere negativo.', en: 'The amount cannot be negative.' },
  amount_not_cents: {
    it: 'L’importo può avere al massimo due decimali.',
    en: 'The amount can have at most two decimals.',
  },
  amount_too_large: { it: 'L’importo non può superare {max}.', en: 'The amount cannot be above {max}.' },
  percent_range: {
    it: 'Lo scoperto va da 0 a 100%, con al massimo due decimali.',
    en: 'The co-insurance goes from 0 to 100%, with at most two decimals.',
  },
  deadline_range: {
    it: 'Il termine di invio va da {min} a {max} giorni.',
    en: 'The submission deadline goes from {min} to {max} days.',
  },
  subcap_above_cap: {
    it: 'Il sottomassimale non può superare il massimale annuo ({cap}).',
    en: 'The sub-cap cannot be above the annual cap ({cap}).',
  },
  frequency_times_range: { it: 'Le volte vanno da {min} a {max}.', en: 'Times go from {min} to {max}.' },
  frequency_years_range: { it: 'Gli anni vanno da {min} a {max}.', en: 'Years go from {min} to {max}.' },
  code_invalid: {
    it: 'Il codice ha da 2 a 40 caratteri: lettere, cifre, "-" e "_".',
    en: 'The code has 2 to 40 characters: letters, digits, "-" and "_".',
  },
  code_taken: { it: 'Esiste già un piano con questo codice.', en: 'A plan with this code already exists.' },
  name_required: {
    it: 'Scrivi il nome del piano (al massimo 120 caratteri).',
    en: 'Write the plan name (at most 120 characters).',
  },
  source_not_found: {
    it: 'Il piano da copiare non esiste o non ha regole.',
    en: 'The plan to copy does not exist or has no rules.',
  },
  version_conflict: {
    it: 'Nel frattempo è stata salvata la versione {version} ({by}): le modifiche non sono state salvate. Carica la versione attuale e ripetile.',
    en: 'Meanwhile version {version} was saved ({by}): the changes were not saved. Load the current version and make them again.',
  },
  version_conflict_system: {
    it: 'Nel frattempo è stata salvata la versione {version} (sistema): le modifiche non sono state salvate. Carica la versione attuale e ripetile.',
    en: 'Meanwhile version {version} was saved (the system): the changes were not saved. Load the current version and make them again.',
  },
  lines_invalid: {
    it: 'Le righe da valutare non sono valide: {reason}',
    en: 'The lines to assess are not valid: {reason}',
  },

  // The provider network's search.
  service_unknown: { it: 'Prestazione sconosciuta.', en: 'Unknown service.' },
  province_invalid: {
    it: 'La provincia è una sigla di 2 lettere, ad esempio MI.',
    en: 'The province is its two-letter code, e.g. MI.',
  },
  city_invalid: { it: 'Il comune non è valido.', en: 'Not a valid town.' },
  point_incomplete: {
    it: 'Servono sia la latitudine sia la longitudine.',
    en: 'Give both latitude and longitude.',
  },
  cap_invalid: {
    it: 'Il CAP è formato da 5 cifre (o le prime 2-4, per filtrare).',
    en: 'The CAP is five digits (or its first 2 to 4, to filter).',
  },
  cap_and_point: {
    it: 'Indica un CAP oppure una posizione, non entrambi.',
    en: 'Give either a CAP or a position, not both.',
  },
  cap_unknown: {
    it: 'CAP non trovato: controlla di averlo scritto bene o cerca per comune o provincia.',
    en: 'CAP not found: check it, or search by town or province.',
  },
  page_invalid: { it: 'La pagina parte da 1.', en: 'Pages start at 1.' },
  page_size_invalid: { it: 'Numero di risultati per pagina non valido.', en: 'Not a valid page size.' },

  // Actions on a network import.
  rejected_rows: {
    it: 'Il file ha righe scartate: correggile e carica di nuovo il file, oppure scegli di importare solo le righe valide.',
    en: 'The file has rejected rows: fix them and upload it again, or choose to import only the valid rows.',
  },
  another_import_applying: {
    it: 'Un altro file della rete è in corso di importazione: attendi che finisca.',
    en: 'Another network file is being imported: wait until it ends.',
  },
  import_applying: {
    it: 'Questo file è già in corso di importazione.',
    en: 'This file is already being imported.',
  },
  import_discarded: {
    it: 'Questo caricamento è stato annullato: carica di nuovo il file.',
    en: 'This upload was discarded: upload the file again.',
  },
  import_refused: {
    it: 'Questo file è stato rifiutato: correggilo e caricalo di nuovo.',
    en: 'This file was refused: fix it and upload it again.',
  },
  import_failed: {
    it: "L'importazione di questo file si è interrotta: carica di nuovo il file.",
    en: 'The import of this file stopped: upload the file again.',
  },
  import_applied: {
    it: 'Questo file è già stato importato: non può più essere annullato.',
    en: 'This file was imported already: it can no longer be discarded.',
  },

  // Uploaded CSV files refused as a whole (registry, network).
  upload_empty: { it: 'Il file è vuoto.', en: 'The file is empty.' },
  upload_interrupted: { it: 'Caricamento interrotto: riprova.', en: 'Upload interrupted: try again.' },
  file_empty: {
    it: 'il file è vuoto o non inizia con la riga di intestazione ({columns}).',
    en: 'the file is empty or does not start with the header line ({columns}).',
  },
  file_separator: {
    it: "Riga {line}: le colonne devono essere separate da punto e virgola (;) o da virgola (,), e la prima riga deve essere l'intestazione: {columns}.",
    en: 'Line {line}: columns must be separated by semicolons (;) or commas (,), and the first line must be the header: {columns}.',
  },
  file_header: {
    it: "Riga {line}: l'intestazione deve contenere esattamente queste colonne, in qualsiasi ordine: {columns}.",
    en: 'Line {line}: the header must name exactly these columns, in any order: {columns}.',
  },
  file_header_too_long: {
    it: "La prima riga supera i {bytes} byte: non è un'intestazione.",
    en: 'The first line is longer than {bytes} bytes: it is not a header.',
  },
  file_columns_missing: { it: 'Mancano: {names}.', en: 'Missing: {names}.' },
  file_columns_missing_more: {
    it: 'Mancano: {names}, …e altre {more}.',
    en: 'Missing: {names}, …and {more} more.',
  },
  file_columns_unknown: { it: 'Non riconosciute: {names}.', en: 'Not recognised: {names}.' },
  file_columns_unknown_more: {
    it: 'Non riconosciute: {names}, …e altre {more}.',
    en: 'Not recognised: {names}, …and {more} more.',
  },
  file_columns_repeated: { it: 'Ripetute: {names}.', en: 'Repeated: {names}.' },
  file_columns_repeated_more: {
    it: 'Ripetute: {names}, …e altre {more}.',
    en: 'Repeated: {names}, …and {more} more.',
  },
  file_quoting: {
    it: 'Riga {line}: virgolette errate: un campo tra virgolette non viene mai chiuso, oppure dopo la virgoletta di chiusura ci sono altri caratteri. Controlla le virgolette da questa riga in poi.',
    en: 'Line {line}: broken quoting: a quoted field is never closed, or its closing quote is followed by other characters. Check the quotes from this line on.',
  },
  file_row_too_long: {
    it: 'Riga {line}: una riga supera i {kb} KB: probabilmente una virgoletta è rimasta aperta.',
    en: 'Line {line}: a row is longer than {kb} KB: probably a quote was left open.',
  },

  // The registry's back office.
  search_too_short: {
    it: 'Scrivi almeno {min} lettere o cifre del nome, il codice fiscale o l’email (% e _ non contano).',
    en: 'Enter at least {min} letters or digits of the name, the codice fiscale or the email (% and _ do not count).',
  },
  coverage_end_invalid: {
    it: 'La data di fine copertura non è valida: deve essere una data dal giorno di inizio della copertura in poi.',
    en: 'Not a valid end of coverage: it must be a date on or after the start of coverage.',
  },

  // The audit trail.
  cursor_invalid: {
    it: 'Il segnaposto di pagina non è valido: riparti dalla prima pagina dei risultati.',
    en: 'The page cursor is not valid: start again from the first page of results.',
  },

  // Reports: the range asked for.
  range_reversed: {
    it: 'Il mese finale non può precedere quello iniziale.',
    en: 'The last month cannot come before the first one.',
  },
  range_too_long: {
    it: 'Un report copre al massimo {max} mesi.',
    en: 'A report covers at most {max} months.',
  },
  range_conflict: {
    it: 'Scegli un anno oppure un intervallo di mesi, non entrambi.',
    en: 'Choose a year or a range of months, not both.',
  },

  // Claims: the wizard's checks, refused documents, actions refused in the claim's state.
  beneficiary_not_covered: {
    it: 'La persona non risulta coperta dal piano nella data della fattura.',
    en: 'The person is not covered by the plan on the invoice date.',
  },
  category_not_in_plan: {
    it: 'Il tuo piano non prevede questa categoria di spesa.',
    en: 'Your plan does not include this category.',
  },
  channel_not_in_plan: {
    it: 'Il tuo piano non prevede questo regime per la categoria scelta.',
    en: 'Your plan does not cover this channel for the chosen category.',
  },
  invoice_date_future: {
    it: 'La data della fattura non può essere nel futuro.',
    en: 'The invoice date cannot be in the future.',
  },
  invoice_date_before_coverage: {
    it: 'La data della fattura è precedente all’inizio della copertura.',
    en: 'The invoice date is before the coverage started.',
  },
  invoice_past_deadline: {
    it: 'È passato il termine previsto dal piano per inviare questa fattura.',
    en: 'The plan’s deadline for sending this invoice has passed.',
  },
  amount_zero: { it: 'L’importo deve essere maggiore di zero.', en: 'The amount must be more than zero.' },
  too_many_invoices: {
    it: 'Hai inserito troppe fatture per una sola richiesta.',
    en: 'Too many invoices for one claim.',
  },
  facility_required: { it: 'Indica la struttura convenzionata.', en: 'Choose the network facility.' },
  facility_unknown: {
    it: 'La struttura indicata non fa parte della rete convenzionata.',
    en: 'The facility is not part of the network.',
  },
  issuer_tax_id_invalid: {
    it: 'Partita IVA (11 cifre) o codice fiscale (16 caratteri) non valido.',
    en: 'Invalid VAT number (11 digits) or tax code (16 characters).',
  },
  iban_invalid: { it: 'IBAN non valido.', en: 'Invalid IBAN.' },
  iban_not_sepa: {
    it: 'L’IBAN deve essere di un paese dell’area SEPA.',
    en: 'The IBAN must be of a country in the SEPA area.',
  },
  document_missing: {
    it: 'Allega almeno la fattura o ricevuta.',
    en: 'Attach at least the invoice or receipt.',
  },
  declaration_required: {
    it: 'Conferma la dichiarazione per inviare la richiesta.',
    en: 'Confirm the declaration to send the claim.',
  },
  type_not_allowed: {
    it: 'Sono accettati solo file PDF, JPEG o PNG.',
    en: 'Only PDF, JPEG or PNG files are accepted.',
  },
  too_large: { it: 'Il file supera i 10 MB.', en: 'The file is larger than 10 MB.' },
  empty: { it: 'Il file è vuoto.', en: 'The file is empty.' },
  pdf_encrypted: {
    it: 'Il PDF è protetto da password: carica una copia senza protezione.',
    en: 'The PDF is password-protected: upload a copy without protection.',
  },
  pdf_active_content: {
    it: 'Il PDF contiene script o allegati e non può essere accettato.',
    en: 'The PDF contains scripts or attachments and cannot be accepted.',
  },
  pdf_unreadable: { it: 'Il PDF non è leggibile.', en: 'The PDF cannot be read.' },
  image_unreadable: { it: 'L’immagine non è leggibile.', en: 'The image cannot be read.' },
  too_many_documents: {
    it: 'Hai raggiunto il numero massimo di documenti per una richiesta (20).',
    en: 'The claim already has the maximum number of documents (20).',
  },
  illegal_transition: {
    it: 'La pratica non può passare a questo stato da quello in cui si trova.',
    en: 'The claim cannot move to this state from the one it is in.',
  },
  not_waiting_for_documents: {
    it: 'La pratica non è in attesa di documenti.',
    en: 'The claim is not waiting for documents.',
  },
  document_sent: {
    it: 'Il documento è già stato inviato e non può essere rimosso.',
    en: 'The document was already sent and cannot be removed.',
  },
  reminder_not_available: {
    it: 'Il sollecito non è ancora disponibile per questa pratica.',
    en: 'A reminder is not available yet for this claim.',
  },
  messages_closed: {
    it: 'Non è possibile scrivere su questa pratica.',
    en: 'Messages cannot be sent on this claim.',
  },
  no_plan: {
    it: 'Non risulta un piano con regole attive per il tuo nucleo.',
    en: 'No plan with active rules was found for your family.',
  },

  // Claims in the back office: holding, decisions, four eyes, caps.
  held_by_other: {
    it: 'La pratica è in carico a un altro operatore.',
    en: 'Another operator holds this claim.',
  },
  not_held: {
    it: 'Prendi in carico la pratica prima di decidere.',
    en: 'Take the claim before deciding it.',
  },
  decision_pending: {
    it: 'Sulla pratica c’è una decisione in attesa della seconda approvazione.',
    en: 'A decision on this claim is waiting for the second approval.',
  },
  no_pending_decision: {
    it: 'Non c’è una decisione da approvare su questa pratica.',
    en: 'There is no decision to approve on this claim.',
  },
  four_eyes_same_operator: {
    it: 'La seconda approvazione deve darla un altro operatore.',
    en: 'Another operator must give the second approval.',
  },
  cap_exceeded: {
    it: 'L’importo accolto supera il massimale disponibile ({left} rimasti).',
    en: 'The accepted amount is above what is left of the cap ({left} left).',
  },
  lines_mismatch: {
    it: 'Le righe della decisione non corrispondono alle fatture della pratica.',
    en: 'The decision’s lines do not match the claim’s invoices.',
  },
  accepted_above_amount: {
    it: 'L’importo accolto non può superare l’importo della fattura.',
    en: 'The accepted amount cannot be above the invoice amount.',
  },
  adjust_reason_required: {
    it: 'Scegli il motivo della modifica dell’importo proposto.',
    en: 'Choose why the proposed amount is changed.',
  },
  items_required: {
    it: 'Indica almeno un documento da richiedere.',
    en: 'Choose at least one document to request.',
  },
  // Payment batches: dates, and actions refused in the batch's state.
  date_before_allowed: {
    it: 'La data non può essere precedente al {date}.',
    en: 'The date cannot be before {date}.',
  },
  date_too_far: {
    it: 'La data non può essere successiva al {date}.',
    en: 'The date cannot be after {date}.',
  },
  no_payable_claims: {
    it: 'Non ci sono pratiche approvate da pagare.',
    en: 'There are no approved claims to pay.',
  },
  batch_not_draft: {
    it: 'La distinta è già stata inviata alla banca o annullata.',
    en: 'The batch was already sent to the bank or cancelled.',
  },
  batch_not_sent: {
    it: 'La distinta non risulta inviata alla banca.',
    en: 'The batch is not marked as sent to the bank.',
  },
  batch_paid_other_date: {
    it: 'La distinta risulta già pagata con data valuta {valueDate}.',
    en: 'The batch is already paid with value date {valueDate}.',
  },

  // The member's own space (decisions 048–051).
  phone_invalid: { it: 'Numero di telefono non valido.', en: 'Not a valid phone number.' },
  email_same: { it: 'È già l’indirizzo del tuo account.', en: 'This is already your account’s address.' },
  holder_invalid: { it: 'Indica l’intestatario del conto.', en: 'Enter the account holder.' },
  iban_same: { it: 'È già l’IBAN registrato.', en: 'This IBAN is already on file.' },
  iban_frozen: {
    it: 'Il cambio IBAN è bloccato dopo una segnalazione: contatta l’assistenza.',
    en: 'IBAN changes are blocked after a report: contact support.',
  },
  totp_already_enabled: {
    it: 'La verifica in due passaggi è già attiva.',
    en: 'Two-step verification is already on.',
  },
  totp_not_enabled: { it: 'La verifica in due passaggi non è attiva.', en: 'Two-step verification is off.' },
  totp_not_started: {
    it: 'Avvia prima l’attivazione della verifica in due passaggi.',
    en: 'Start setting up two-step verification first.',
  },
  year_invalid: { it: 'Anno non disponibile.', en: 'Year not available.' },
  export_running: {
    it: 'Un’esportazione è già in preparazione.',
    en: 'An export is already being prepared.',
  },
  // Bookings (contracts/bookings.codes.ts holds their words).
  ...BOOKING_DETAIL_MESSAGES,
};

const PARAM = /\{(\w+)\}/g;

/** The names a wording uses, sorted (`{line}` → `line`). */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PARAM)].map((m) => m[1] ?? '').sort();
}

/**
 * A detail's message in one language: the catalog's wording of its code with the params put in
 * (a param not given stays as `{name}`); a code the catalog does not know gets the generic one.
 */
export function detailMessage(
  code: string | undefined,
  params: DetailParams | undefined,
  locale: Locale,
): string {
  const text = (
    code !== undefined && Object.hasOwn(DETAIL_MESSAGES, code)
      ? DETAIL_MESSAGES[code as DetailCode]
      : DETAIL_MESSAGES.invalid
  )[locale];
  return text.replace(PARAM, (whole, name: string) =>
    params && Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
