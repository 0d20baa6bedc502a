import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPut } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { FieldErrorText } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import type { FieldError } from '../../../hooks/useSubmit';
import type { ReferenceDataset } from '../../../profile-types';
import { uploadError } from './uploadError';

/** Replaces the vaccine reference list with a JSON file (PUT /api/admin/reference/vaccines). */
export function VaccinesUploadForm({ onLoaded }: { onLoaded: (message: string) => Promise<void> | void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) {
      setErrors([{ field: 'vaccines-file', message: t('referenceAdmin.validation.file') }]);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch {
      setErrors([{ field: 'vaccines-file', message: t('referenceAdmin.vaccines.notJson') }]);
      return;
    }
    setErrors([]);
    setPending(true);
    try {
      const dataset = await apiPut<ReferenceDataset>('/api/admin/reference/vaccines', body);
      if (input.current) input.current.value = '';
      await onLoaded(t('referenceAdmin.vaccines.done', { count: dataset.rowCount, version: dataset.version }));
    } catch (error) {
      setErrors([{ message: uploadError(error) }]);
    } finally {
      setPending(false);
    }
  };

  const fileError = errors.find((e) => e.field === 'vaccines-file')?.message;
  return (
    <section aria-labelledby="ref-vaccines-title" className="panel">
      <h2 id="ref-vaccines-title">{t('referenceAdmin.vaccines.title')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="ref-vaccines-title">
        <ErrorSummary errors={errors} />
        <div className={fileError ? 'field field--error' : 'field'}>
          <label htmlFor="vaccines-file">{t('referenceAdmin.vaccines.file')}</label>
          <p id="vaccines-file-hint" className="hint">
            {t('referenceAdmin.vaccines.hint')}
          </p>
          {fileError && <FieldErrorText id="vaccines-file-error" message={fileError} />}
          <input
            ref={input}
            id="vaccines-file"
            type="file"
            accept=".json,application/json"
            aria-describedby={fileError ? 'vaccines-file-hint vaccines-file-error' : 'vaccines-file-hint'}
            aria-invalid={fileError ? true : undefined}
            onChange={() => setErrors([])}
          />
        </div>
        <SubmitButton pending={pending}>{t('referenceAdmin.vaccines.submit')}</SubmitButton>
      </form>
    </section>
  );
}
