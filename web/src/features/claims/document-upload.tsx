import { type ChangeEvent, useId, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CLAIM_LIMITS, DOCUMENT_KINDS, type DocumentKind } from '#contracts/claims.codes.js';
import { ApiError, uploadWithProgress } from '../../lib/api';
import { claimActionError, formatBytes, refusalCodeOf } from './claim-errors';
import { SelectField } from './claim-fields';
import { type ClaimDocument, documentUploadUrl } from './claims-api';

interface Upload {
  key: number;
  name: string;
  sent: number;
  total: number;
}

/**
 * Uploads files to `uploadBase` (a draft's or a claim's documents), each tagged with the kind chosen
 * in the select: a file picker (PDF, JPEG, PNG) and, for phones, a camera input. Shows each upload's
 * progress, says why a file was refused, lists the files with a remove button where allowed.
 */
export function DocumentUpload({
  uploadBase,
  documents,
  defaultKind,
  onUploaded,
  onRemove,
  listHeading,
}: {
  uploadBase: string;
  documents: readonly ClaimDocument[];
  defaultKind: DocumentKind;
  onUploaded(document: ClaimDocument): void;
  /** Removes a file not yet sent (absent: files cannot be removed here). */
  onRemove?: ((document: ClaimDocument) => Promise<void>) | undefined;
  listHeading: string;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const id = useId();
  const [kind, setKind] = useState<DocumentKind>(defaultKind);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [refusals, setRefusals] = useState<{ key: number; text: string }[]>([]);
  const [status, setStatus] = useState('');
  const [removing, setRemoving] = useState<string | null>(null);

  const counter = useRef(0);
  async function send(file: File, key: number): Promise<void> {
    setUploads((list) => [...list, { key, name: file.name, sent: 0, total: file.size }]);
    try {
      if (file.size > CLAIM_LIMITS.maxDocumentBytes) {
        throw new ApiError('PAYLOAD_TOO_LARGE', 413, 'too large', [
          { field: 'file', code: 'too_large', message: '' },
        ]);
      }
      const document = await uploadWithProgress<ClaimDocument>(
        documentUploadUrl(uploadBase, kind, file.name),
        file,
        (sent, total) => setUploads((list) => list.map((u) => (u.key === key ? { ...u, sent, total } : u))),
      );
      onUploaded(document);
      setStatus(t('claims.uploaded', { name: file.name }));
    } catch (error) {
      const code = refusalCodeOf(error);
      const reason = code ? t(`fieldErrors.${code}`) : claimActionError(t, error);
      setRefusals((list) => [...list, { key, text: t('claims.refused', { name: file.name, reason }) }]);
    } finally {
      setUploads((list) => list.filter((u) => u.key !== key));
    }
  }

  function onFiles(event: ChangeEvent<HTMLInputElement>): void {
    const input = event.currentTarget;
    const files = [...(input.files ?? [])];
    input.value = '';
    setRefusals([]);
    setStatus('');
    const base = Date.now();
    void (async () => {
      for (const file of files) {
        counter.current += 1;
        await send(file, base + counter.current);
      }
    })();
  }

  async function remove(document: ClaimDocument): Promise<void> {
    if (!onRemove || removing) return;
    setRemoving(document.id);
    try {
      await onRemove(document);
      setStatus(t('claims.removed', { name: document.fileName }));
      // The button pressed is gone: focus goes back to the file picker.
      setTimeout(() => globalThis.document.getElementById(`${id}-file`)?.focus());
    } catch (error) {
      setRefusals([{ key: Date.now(), text: claimActionError(t, error) }]);
    } finally {
      setRemoving(null);
    }
  }

  return (
    <div className="document-upload">
      <SelectField
        name="documentKind"
        label={t('claims.kind')}
        value={kind}
        onChange={(value) => setKind(value as DocumentKind)}
        choices={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`claims.kinds.${k}`) }))}
      />
      <p id={`${id}-hint`} className="field__hint">
        {t('claims.fileHint')}
      </p>
      <div className="document-upload__inputs">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-file`}>
            {t('claims.chooseFile')}
          </label>
          <input
            id={`${id}-file`}
            type="file"
            className="field__file"
            accept="application/pdf,image/jpeg,image/png"
            multiple
            aria-describedby={`${id}-hint`}
            onChange={onFiles}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-photo`}>
            {t('claims.takePhoto')}
          </label>
          <input
            id={`${id}-photo`}
            type="file"
            className="field__file"
            accept="image/*"
            capture="environment"
            aria-describedby={`${id}-hint`}
            onChange={onFiles}
          />
        </div>
      </div>
      {uploads.map((upload) => (
        <div key={upload.key} className="upload-progress">
          <label htmlFor={`${id}-progress-${upload.key}`}>
            {t('claims.uploading', { name: upload.name })}
          </label>
          <progress id={`${id}-progress-${upload.key}`} value={upload.sent} max={Math.max(1, upload.total)} />
        </div>
      ))}
      <div role="alert" className="form-alert">
        {refusals.length > 0 && (
          <ul className="form-alert__list">
            {refusals.map((refusal) => (
              <li key={refusal.key}>{refusal.text}</li>
            ))}
          </ul>
        )}
      </div>
      <p role="status" className="upload-status">
        {status}
      </p>
      <h3>{listHeading}</h3>
      {documents.length === 0 ? (
        <p className="muted">{t('claims.noFiles')}</p>
      ) : (
        <ul className="document-list">
          {documents.map((document) => (
            <li key={document.id} className="document-list__item">
              <span className="document-list__name">{document.fileName}</span>
              <span className="muted">
                {t(`claims.kinds.${document.kind}`)} · {formatBytes(document.bytes, language)}
              </span>
              {onRemove && !document.sent && (
                <Button
                  className="button button--secondary button--small"
                  isDisabled={removing !== null}
                  onPress={() => void remove(document)}
                >
                  {t('claims.removeFile', { name: document.fileName })}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
