const PRESSABLE_STYLE_ID = 'react-aria-pressable-style';

/**
 * react-aria's `usePress` adds a `<style id="react-aria-pressable-style">` (a touch-action rule) at run
 * time unless an element with that id exists, and a strict `style-src 'self'` policy blocks it.
 * styles.css carries the same rule; this marker tells react-aria it is already there.
 * Call it before the first render.
 */
export function preventReactAriaStyleInjection(doc: Document = document): void {
  if (doc.getElementById(PRESSABLE_STYLE_ID)) return;
  const marker = doc.createElement('meta');
  marker.id = PRESSABLE_STYLE_ID;
  doc.head.append(marker);
}
