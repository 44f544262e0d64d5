/**
 * A dependency (the database, the document store) that cannot be reached or dropped the
 * connection: the request is answered 503 SERVICE_UNAVAILABLE, not 500, because trying again
 * later works once it is back (decision 057). Recognised by the error's code or its cause's:
 * - the socket's own codes (refused, reset, timed out, unreachable);
 * - PostgreSQL's connection exceptions (SQLSTATE class 08), an administrator's or a shutdown's
 *   termination (57P01–57P03) and too many connections (53300);
 * - node-postgres's messages for a connection that ended under a query or could not be made in time;
 * - an S3 answer of the server's fault (5xx: "slow down", "service unavailable").
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
]);
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const PG_MESSAGES = [
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

export function isUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || typeof error !== 'object') return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || PG_CODES.has(e.code) || e.code.startsWith('08')) return true;
  }
  if (typeof e.message === 'string' && PG_MESSAGES.includes(e.message)) return true;
  const s3Status = e.$metadata?.httpStatusCode;
  if (typeof s3Status === 'number' && s3Status >= 500) return true;
  // Several addresses tried (localhost: ::1 then 127.0.0.1), each refused.
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => isUnavailable(x, depth + 1)))
    return true;
  return e.cause !== undefined && isUnavailable(e.cause, depth + 1);
}
