import type { RegistrationRequestView } from '#contracts/registry.js';
import type { StaffRole } from '../../lib/staff-session';

export type { RegistrationRequestView };

/** Registrations of members with neither an email nor a card number on file (decision 027). */
export const REGISTRATION_REQUESTS_ROUTE = '/backoffice/registrazioni';
export const REGISTRATION_REQUESTS_PATH = '/api/v1/staff/registration-requests';

export const requestActionPath = (id: string, action: 'confirm' | 'reject') =>
  `${REGISTRATION_REQUESTS_PATH}/${encodeURIComponent(id)}/${action}`;

/** Reads the queue (the server checks it too, and audits every reading). */
export const canReadRegistrationRequests = (role: StaffRole) =>
  role === 'administrator' || role === 'auditor';
/** Confirms or rejects a request. */
export const canDecideRegistrationRequests = (role: StaffRole) => role === 'administrator';
