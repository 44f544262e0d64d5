import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Sections of the catalogues used only by pages loaded on demand (member area, back office,
 * registration and the other public forms). The first page, the login, needs the rest: the layout,
 * errors, field errors, the login form, the session notices. Moving a section here when a
 * first-page component uses it shows a raw key there: tests/e2e/login-page.test.ts and the
 * build's check below catch it.
 */
export const PAGE_SECTIONS = [
  'activation',
  'backoffice',
  'bookingDesk',
  'bookings',
  'caps',
  'claims',
  'claimsList',
  'claimsQueue',
  'dashboard',
  'facilities',
  'instructions',
  'networkBackoffice',
  'passwordChange',
  'passwordRecovery',
  'passwordReset',
  'payments',
  'profile',
  'registration',
  'registrationRequests',
  'reports',
  'settlementLetter',
  'staffAdmin',
  'staffClaim',
  'statement',
  'usernameRecovery',
] as const;

const PREFIX = 'virtual:catalogue/';
const RESOLVED = '\0onecare-catalogue/';
const i18nDir = fileURLToPath(new URL('../src/i18n/', import.meta.url));

/** The sections of one catalogue that belong to `part` ('first': every section not in PAGE_SECTIONS). */
export function cataloguePart(
  catalogue: Record<string, unknown>,
  part: 'first' | 'pages',
): Record<string, unknown> {
  const pages = new Set<string>(PAGE_SECTIONS);
  return Object.fromEntries(
    Object.entries(catalogue).filter(([key]) => pages.has(key) === (part === 'pages')),
  );
}

/**
 * `import first from 'virtual:catalogue/it/first'` gives the sections of src/i18n/it.json the first
 * page needs; `virtual:catalogue/it/pages` the others. The JSON files stay whole (one file per
 * language, checked key by key against each other); only what is bundled is split (decision 052).
 */
export function catalogueParts(): Plugin {
  return {
    name: 'onecare-catalogue-parts',
    enforce: 'pre',
    resolveId(source) {
      return source.startsWith(PREFIX) ? RESOLVED + source.slice(PREFIX.length) : undefined;
    },
    load(id) {
      if (!id.startsWith(RESOLVED)) return undefined;
      const [language, part] = id.slice(RESOLVED.length).split('/');
      if (!language || !/^[a-z]{2}$/.test(language) || (part !== 'first' && part !== 'pages')) {
        this.error(`unknown catalogue part: ${id.slice(RESOLVED.length)}`);
      }
      const file = `${i18nDir}${language}.json`;
      this.addWatchFile(file);
      const catalogue = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      return `export default ${JSON.stringify(cataloguePart(catalogue, part))};`;
    },
  };
}
