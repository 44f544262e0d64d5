/** `tel:` link for a phone number as configured ("800.864.568" → "tel:800864568"). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`;
}
