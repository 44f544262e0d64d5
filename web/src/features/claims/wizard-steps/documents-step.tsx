import { useTranslation } from 'react-i18next';
import type { DocumentKind } from '#contracts/claims.codes.js';
import { apiRequest } from '../../../lib/api';
import { type Draft, draftDocumentsPath } from '../claims-api';
import { DocumentUpload } from '../document-upload';
import { checklistNeed, defaultDocumentKind } from '../wizard-model';

/** Step 4: the checklist of the category and the files uploaded to the draft. */
export function DocumentsStep({
  draft,
  checklist,
  required,
  onDocuments,
}: {
  draft: Draft;
  checklist: readonly { kind: DocumentKind; need: 'required' | 'when_applicable' }[];
  required: readonly DocumentKind[];
  onDocuments(documents: Draft['documents']): void;
}) {
  const { t } = useTranslation();
  const documents = draft.documents;
  return (
    <>
      <h3>{t('claims.checklistHeading')}</h3>
      <ul className="checklist">
        {checklist.map((item) => {
          const present = documents.some((d) => d.kind === item.kind);
          const need = checklistNeed(item, required);
          return (
            <li key={item.kind} className="checklist__item" data-present={present || undefined}>
              <span className="checklist__mark" aria-hidden="true">
                {present ? '✓' : '•'}
              </span>
              {t(`claims.kinds.${item.kind}`)} — {t(`claims.need.${need}`)}
              {present && <> ({t('claims.need.present')})</>}
            </li>
          );
        })}
      </ul>
      <DocumentUpload
        uploadBase={draftDocumentsPath(draft.id)}
        documents={documents}
        defaultKind={defaultDocumentKind(required, documents)}
        listHeading={t('claims.uploadedHeading')}
        onUploaded={(document) => onDocuments([...documents, document])}
        onRemove={async (document) => {
          await apiRequest(`${draftDocumentsPath(draft.id)}/${encodeURIComponent(document.id)}`, {
            method: 'DELETE',
          });
          onDocuments(documents.filter((d) => d.id !== document.id));
        }}
      />
    </>
  );
}
