import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { FieldErrorText } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import type { FieldError } from '../../../hooks/useSubmit';
import type { ReferenceDataset } from '../../../profile-types';
import { uploadError } from './uploadError';

const FILES = ['CIS_bdpm.txt', 'CIS_CIP_bdpm.txt'] as const;
type BdpmFile = (typeof FILES)[number];

/**
 * Replaces one file of the drug database (POST /api/admin/reference/bdpm?file=...): the bytes go as they are
 * (Windows-1252), the server decodes and checks every row.
 */
export function BdpmUploadForm({ onLoaded }: { onLoaded: (message: string) => Promise<void> | void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [which, setWhich] = useState<BdpmFile>('CIS_bdpm.txt');
  const [version, setVersion] = useState(() => new Date().toISOString().slice(0, 10));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const file = input.current?.files?.[0];
    const invalid: FieldError[] = [];
    if (!file) invalid.push({ field: 'bdpm-file', message: t('referenceAdmin.validation.file') });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(version.trim())) invalid.push({ field: 'bdpm-version', message: t('referenceAdmin.validation.version') });
    setErrors(invalid);
    if (invalid.length > 0) return;
    setPending(true);
    try {
      const query = new URLSearchParams({ file: which, version: version.trim() });
      const dataset = await api<ReferenceDataset>(`/api/admin/reference/bdpm?${query.toString()}`, {
        method: 'POST',
        body: file!,
        contentType: 'text/plain',
      });
      if (input.current) input.current.value = '';
      await onLoaded(t('referenceAdmin.bdpm.done', { file: which, count: dataset.rowCount, version: dataset.version }));
    } catch (error) {
      setErrors([{ message: uploadError(error) }]);
    } finally {
      setPending(false);
    }
  };

  const fileError = errors.find((e) => e.field === 'bdpm-file')?.message;
  return (
    <section aria-labelledby="ref-bdpm-title" className="panel">
      <h2 id="ref-bdpm-title">{t('referenceAdmin.bdpm.title')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="ref-bdpm-title">
        <ErrorSummary errors={errors} />
        <fieldset>
          <legend>{t('referenceAdmin.bdpm.which')}</legend>
          {FILES.map((f) => (
            <div key={f}>
              <input id={`bdpm-which-${f}`} type="radio" name="bdpm-which" checked={which === f} onChange={() => setWhich(f)} />
              <label htmlFor={`bdpm-which-${f}`}>{t(f === 'CIS_bdpm.txt' ? 'referenceAdmin.bdpm.cis' : 'referenceAdmin.bdpm.cip')}</label>
            </div>
          ))}
        </fieldset>
        <div className={fileError ? 'field field--error' : 'field'}>
          <label htmlFor="bdpm-file">{t('referenceAdmin.bdpm.file')}</label>
          <p id="bdpm-file-hint" className="hint">
            {t('referenceAdmin.bdpm.hint')}
          </p>
          {fileError && <FieldErrorText id="bdpm-file-error" message={fileError} />}
          <input
            ref={input}
            id="bdpm-file"
            type="file"
            accept=".txt,text/plain"
            aria-describedby={fileError ? 'bdpm-file-hint bdpm-file-error' : 'bdpm-file-hint'}
            aria-invalid={fileError ? true : undefined}
            onChange={() => setErrors([])}
          />
        </div>
        <TextField
          id="bdpm-version"
          label={t('referenceAdmin.bdpm.version')}
          hint={t('referenceAdmin.bdpm.versionHint')}
          error={errors.find((e) => e.field === 'bdpm-version')?.message}
          value={version}
          onChange={(e) => setVersion(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          maxLength={10}
        />
        <SubmitButton pending={pending}>{t('referenceAdmin.bdpm.submit')}</SubmitButton>
        {pending && <p>{t('referenceAdmin.bdpm.loading')}</p>}
      </form>
    </section>
  );
}
