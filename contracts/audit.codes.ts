/** The audit trail's paging limits: no dependency, so the web app imports them as they are. */

/** Events per page: the default and the most one request may ask for. */
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;
/** The matching events are counted up to this number; beyond it the total is not given. */
export const AUDIT_COUNT_CAP = 1000;

/** Why an audit trail request is refused (`details[].code`). */
export const AUDIT_DETAIL_CODES = ['cursor_invalid'] as const;
