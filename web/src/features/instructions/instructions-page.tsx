import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { SupportContactsText } from '../../components/support-contacts-text';
import { useDocumentTitle } from '../../lib/use-document-title';

const STEPS = [
  ['instructions.step1Title', 'instructions.step1'],
  ['instructions.step2Title', 'instructions.step2'],
  ['instructions.step3Title', 'instructions.step3'],
  ['instructions.step4Title', 'instructions.step4'],
  ['instructions.step5Title', 'instructions.step5'],
  ['instructions.step6Title', 'instructions.step6'],
] as const;

/** "Istruzioni per la registrazione": the steps in our words, what if the data is not found, contacts. */
export function InstructionsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('instructions.documentTitle'));

  return (
    <article className="card card--wide prose" aria-labelledby="instructions-heading">
      <h1 id="instructions-heading">{t('instructions.heading')}</h1>
      <p>{t('instructions.intro')}</p>

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">{t('instructions.stepsHeading')}</h2>
        <ol className="steps">
          {STEPS.map(([title, text]) => (
            <li key={title} className="steps__item">
              <h3>{t(title)}</h3>
              <p>{t(text)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="not-found-data-heading">
        <h2 id="not-found-data-heading">{t('instructions.notFoundHeading')}</h2>
        <p>{t('instructions.notFound')}</p>
      </section>

      <section aria-labelledby="already-heading">
        <h2 id="already-heading">{t('instructions.alreadyHeading')}</h2>
        <p>{t('instructions.already')}</p>
      </section>

      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">{t('instructions.contactsHeading')}</h2>
        <SupportContactsText i18nKey="instructions.contacts" />
      </section>

      <div className="form__actions">
        <Link href="/" className="button button--secondary">
          {t('form.back')}
        </Link>
        <Link href="/registrazione" className="button button--primary">
          {t('instructions.register')}
        </Link>
      </div>
    </article>
  );
}
