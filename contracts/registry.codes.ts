/** Registry lists: no dependency, so the web app imports them as they are. */

/** A person's place in the family unit of the registry. */
export const MEMBER_ROLES = ['titolare', 'coniuge', 'figlio', 'altro'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];
