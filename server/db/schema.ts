// The one file that reads every module's table types (biome.json exempts it from the rule that a
// module is used only through its index.ts): the Database type is their sum.
import type { CapturedEmailTable, OutboxEmailTable } from '../email/outbox.table.js';
import type { ScheduledJobTable } from '../jobs/scheduled-jobs.table.js';
import type { AuditEventTable } from '../modules/audit/audit.table.js';
import type { SessionTable } from '../modules/auth/sessions.table.js';
import type { MemberRecoveryCodeTable, MemberTokenTable } from '../modules/auth/two-factor.table.js';
import type {
  BookingDocumentTable,
  BookingEventTable,
  BookingNumberCounterTable,
  BookingTable,
} from '../modules/bookings/bookings.table.js';
import type {
  ClaimDocumentTable,
  ClaimEventTable,
  ClaimInvoiceTable,
  ClaimMessageTable,
  ClaimNumberCounterTable,
  ClaimTable,
} from '../modules/claims/claims.table.js';
import type {
  CaptchaSolutionTable,
  LoginThrottleTable,
  MemberAccountTable,
  RegistrationRequestTable,
  VerificationTable,
} from '../modules/members/members.table.js';
import type {
  FacilityServiceTable,
  FacilityTable,
  NetworkImportTable,
} from '../modules/network/network.table.js';
import type { PaymentBatchItemTable, PaymentBatchTable } from '../modules/payments/payments.table.js';
import type { PlanTable, PlanVersionTable } from '../modules/plans/plans.table.js';
import type { DataExportTable, MemberIbanChangeTable } from '../modules/profile/profile.table.js';
import type { RegistryImportTable, RegistryMemberTable } from '../modules/registry/registry.table.js';
import type {
  StaffEnrolmentTable,
  StaffRecoveryCodeTable,
  StaffUserTable,
} from '../modules/staff/staff.table.js';

export interface AppMetaTable {
  key: string;
  value: string;
}

/** Every table the application reads or writes. Each module owns its table interfaces. */
export interface Database {
  app_meta: AppMetaTable;
  outbox_emails: OutboxEmailTable;
  captured_emails: CapturedEmailTable;
  sessions: SessionTable;
  plans: PlanTable;
  registry_members: RegistryMemberTable;
  member_accounts: MemberAccountTable;
  verifications: VerificationTable;
  registration_requests: RegistrationRequestTable;
  login_throttles: LoginThrottleTable;
  captcha_solutions: CaptchaSolutionTable;
  audit_events: AuditEventTable;
  staff_users: StaffUserTable;
  registry_imports: RegistryImportTable;
  facilities: FacilityTable;
  facility_services: FacilityServiceTable;
  network_imports: NetworkImportTable;
  plan_versions: PlanVersionTable;
  staff_enrolments: StaffEnrolmentTable;
  staff_recovery_codes: StaffRecoveryCodeTable;
  scheduled_jobs: ScheduledJobTable;
  claims: ClaimTable;
  claim_invoices: ClaimInvoiceTable;
  claim_documents: ClaimDocumentTable;
  claim_events: ClaimEventTable;
  claim_messages: ClaimMessageTable;
  claim_number_counters: ClaimNumberCounterTable;
  payment_batches: PaymentBatchTable;
  payment_batch_items: PaymentBatchItemTable;
  member_recovery_codes: MemberRecoveryCodeTable;
  member_tokens: MemberTokenTable;
  member_iban_changes: MemberIbanChangeTable;
  data_exports: DataExportTable;
  bookings: BookingTable;
  booking_documents: BookingDocumentTable;
  booking_events: BookingEventTable;
  booking_number_counters: BookingNumberCounterTable;
}
