import { useState } from 'react';
import { ToggleButton, ToggleButtonGroup } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { changeLanguage, isLanguage, type Language } from '../i18n';

const OPTIONS: readonly { id: Language; short: 'itShort' | 'enShort'; name: 'itName' | 'enName' }[] = [
  { id: 'it', short: 'itShort', name: 'itName' },
  { id: 'en', short: 'enShort', name: 'enName' },
];

/**
 * IT / EN switch: a radio group of two buttons; the choice is remembered for the next visit. A
 * language other than Italian may have to arrive first (decision 052): the button shows the choice
 * at once, and the page follows when the words are there.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'it';
  const [pending, setPending] = useState<Language | null>(null);
  const selected = pending ?? current;

  return (
    <ToggleButtonGroup
      className="language-switch"
      aria-label={t('layout.language.label')}
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[selected]}
      onSelectionChange={(keys) => {
        const [next] = keys;
        if (!isLanguage(next) || next === selected) return;
        setPending(next);
        // If the words cannot be fetched (offline), the switch goes back to the language shown.
        void changeLanguage(next)
          .catch(() => undefined)
          .finally(() => setPending(null));
      }}
    >
      {OPTIONS.map((option) => (
        <ToggleButton key={option.id} id={option.id} lang={option.id} className="language-switch__option">
          {t(`layout.language.${option.short}`)}
          <span className="visually-hidden"> {t(`layout.language.${option.name}`)}</span>
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
