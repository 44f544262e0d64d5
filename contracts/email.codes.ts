/**
 * The one email-address rule, shared by the server's checks (registration, staff users, registry
 * files) and the web's field hints. Dependency-free, so the web bundle can import it.
 * A local part without spaces, quotes, brackets or control characters; a domain of letter-digit-
 * hyphen labels with at least one dot; 254 characters at most (RFC 5321's path limit).
 */
export const EMAIL_MAX_LENGTH = 254;

const EMAIL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  /^[^\s@"(),:;<>[\\\]\x00-\x1f\x7f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= EMAIL_MAX_LENGTH && EMAIL.test(value);
}
