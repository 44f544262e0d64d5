/**
 * The ALTCHA widget (`<altcha-widget>`), set up for our Content-Security-Policy:
 * - `altcha/external` is the build without the inline `<style>` and the `blob:` workers of the
 *   default build (`style-src 'self'` would block that style);
 * - its stylesheet is imported here, so Vite puts it in our own CSS file;
 * - the proof-of-work workers are separate files Vite emits under /assets (`worker-src 'self'`);
 * - Italian and English texts ("Non sono un robot" / "I'm not a robot").
 * The widget renders in the light DOM (no shadow root), so styles.css can restyle it.
 * Loaded on demand by components/captcha.tsx.
 */
import 'altcha/external';
import 'altcha/altcha.css';
import 'altcha/i18n/it';
import 'altcha/i18n/en';
import Pbkdf2Worker from 'altcha/workers/pbkdf2?worker';
import ShaWorker from 'altcha/workers/sha?worker';

for (const algorithm of ['PBKDF2/SHA-256', 'PBKDF2/SHA-384', 'PBKDF2/SHA-512'] as const) {
  globalThis.$altcha.algorithms.set(algorithm, () => new Pbkdf2Worker());
}
for (const algorithm of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
  globalThis.$altcha.algorithms.set(algorithm, () => new ShaWorker());
}

// No third-party link or logo, and no pointer/scroll sampling ("human interaction signature").
globalThis.$altcha.defaults.set({
  hideLogo: true,
  hideFooter: true,
  humanInteractionSignature: false,
});
