import itFirst from 'virtual:catalogue/it/first';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'it';

const STORAGE_KEY = 'onecare.language';

type Part = 'first' | 'pages';
type Catalogue = () => Promise<{ default: Record<string, unknown> }>;

/**
 * Each catalogue comes in two parts (web/build/catalogue-parts.ts): what the first page needs, and
 * the sections of the pages loaded on demand. Italian's first part is in the main bundle; every
 * other part is a chunk fetched when needed: a visitor on the login page downloads neither the
 * English catalogue nor the back office's wording (decision 052).
 */
const parts: Record<Language, Partial<Record<Part, Catalogue>>> = {
  it: { pages: () => import('virtual:catalogue/it/pages') },
  en: {
    first: () => import('virtual:catalogue/en/first'),
    pages: () => import('virtual:catalogue/en/pages'),
  },
};
const loaded = new Set<string>(['it/first']);
/** Set once a page loaded on demand has asked for its sections: a later language switch brings them too. */
let pagesWanted = false;

async function loadPart(language: Language, part: Part): Promise<void> {
  const key = `${language}/${part}`;
  const load = parts[language][part];
  if (loaded.has(key) || !load) return;
  const catalogue = await load();
  i18next.addResourceBundle(language, 'translation', catalogue.default, true, true);
  loaded.add(key);
}

/** Makes sure a language's catalogue is there (fetching it once): its first part, and its pages' part once wanted. */
export async function loadLanguage(language: Language): Promise<void> {
  await Promise.all([loadPart(language, 'first'), pagesWanted ? loadPart(language, 'pages') : undefined]);
}

/**
 * The sections of the pages loaded on demand, in the current language (and Italian, the fallback):
 * awaited beside a page's own code, before it first renders (web/src/app.tsx).
 */
export async function loadPageCatalogue(): Promise<void> {
  pagesWanted = true;
  const current = isLanguage(i18next.language) ? i18next.language : DEFAULT_LANGUAGE;
  await Promise.all([loadPart(DEFAULT_LANGUAGE, 'pages'), loadPart(current, 'pages')]);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readStoredLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be unavailable (privacy settings); the default language is fine.
    return DEFAULT_LANGUAGE;
  }
}

function rememberLanguage(language: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered across visits, but the page still switches.
  }
}

function setDocumentLanguage(language: string): void {
  if (isLanguage(language) && typeof document !== 'undefined') document.documentElement.lang = language;
}

/** Switches the interface language and remembers the choice for the next visit. */
export async function changeLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await loadLanguage(language);
  await i18next.changeLanguage(language);
}

i18next.on('languageChanged', setDocumentLanguage);

// Italian is bundled, so with `initAsync: false` i18next is ready in Italian when this module has
// run; `i18nReady` settles once the remembered language (if another) has arrived too.
void i18next.use(initReactI18next).init({
  resources: { it: { translation: itFirst } },
  partialBundledLanguages: true,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false }, // React escapes already.
});
setDocumentLanguage(DEFAULT_LANGUAGE);

const remembered = readStoredLanguage();
/** Settles when the interface can be shown in the visitor's language (never rejects). */
export const i18nReady: Promise<void> =
  remembered === DEFAULT_LANGUAGE
    ? Promise.resolve()
    : loadLanguage(remembered)
        .then(() => i18next.changeLanguage(remembered))
        .then(
          () => undefined,
          // The chunk did not arrive (offline): the page opens in Italian, the switch stays usable.
          () => undefined,
        );

export default i18next;
