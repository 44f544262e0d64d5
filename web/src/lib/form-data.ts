/** A text field of a submitted form ('' when absent). */
export function formText(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

/** Keeps only the entries that hold a message. */
export function compactErrors(errors: Record<string, string | false | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) if (message) out[field] = message;
  return out;
}
