import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import it from './it.json';

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'it';

const STORAGE_KEY = 'onecare.language';

/**
 * Italian, the default, is in the main bundle; English is a chunk of its own, fetched when chosen
 * (or remembered from the last visit): a visitor downloads one catalogue, not both (decision 052).
 */
const catalogues: Record<Exclude<Language, 'it'>, () => Promise<{ default: typeof it }>> = {
  en: () => import('./en.json'),
};

/** Makes sure a language's catalogue is there (fetching it once); Italian always is. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language === 'it' || i18next.hasResourceBundle(language, 'translation')) return;
  const catalogue = await catalogues[language]();
  i18next.addResourceBundle(language, 'translation', catalogue.default);
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
  resources: { it: { translation: it } },
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
