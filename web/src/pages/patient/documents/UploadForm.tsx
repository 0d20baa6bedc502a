import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { categoryLabel } from './labels';
import { CATEGORIES, UPLOAD_ACCEPT, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from './types';
import { DOCUMENTS_KEY, extensionOf, uploadDocument } from './useDocuments';

/** The API error codes of an upload, and the field each is about. */
const FIELD_OF_CODE: Record<string, string> = {
  'upload.format': 'upload-file',
  'upload.mismatch': 'upload-file',
  'upload.too-large': 'upload-file',
  'upload.empty': 'upload-file',
  'blob.too-large': 'upload-file',
  'upload.title': 'upload-title',
  'documents.category': 'upload-category',
  'request.date': 'upload-date',
};

/** "Ajouter un document": a PDF, TXT, RTF, JPEG or TIFF file of at most 5 MB, with a title, a category and a date. */
export function UploadForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('');
  const [date, setDate] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useSubmit((code) => FIELD_OF_CODE[code]);

  const onFile = (chosen: File | null) => {
    setFile(chosen);
    setDone(null);
    // the title defaults to the file's name without its extension
    if (chosen && !title.trim()) setTitle(chosen.name.replace(/\.[^.]+$/, '').slice(0, 200));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const errors: FieldError[] = [];
    if (!file) errors.push({ field: 'upload-file', message: t('dmp.upload.errors.fileRequired') });
    else if (!UPLOAD_TYPES[extensionOf(file.name)]) {
      errors.push({ field: 'upload-file', message: t('dmp.upload.errors.format', { name: file.name }) });
    } else if (file.size === 0) errors.push({ field: 'upload-file', message: t('dmp.upload.errors.empty') });
    else if (file.size > UPLOAD_MAX_BYTES) errors.push({ field: 'upload-file', message: t('dmp.upload.errors.tooLarge') });
    if (!title.trim()) errors.push({ field: 'upload-title', message: t('dmp.upload.errors.titleRequired') });
    else if (title.trim().length > 200) errors.push({ field: 'upload-title', message: t('dmp.upload.errors.titleTooLong') });
    if (!category) errors.push({ field: 'upload-category', message: t('dmp.upload.errors.categoryRequired') });
    if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.push({ field: 'upload-date', message: t('dmp.upload.errors.date') });
    const added = title.trim();
    const ok = await form.run(errors, async () => {
      await uploadDocument(file!, { title: added, category, ...(date ? { date } : {}) });
    });
    if (ok) {
      setDone(t('dmp.upload.done', { title: added, category: categoryLabel(t, category) }));
      setFile(null);
      setTitle('');
      setDate('');
      if (fileInput.current) fileInput.current.value = '';
      await queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY] });
    }
  };

  return (
    <section aria-labelledby="upload-title-heading" className="panel">
      <h2 id="upload-title-heading">{t('dmp.upload.heading')}</h2>
      <p>{t('dmp.upload.intro')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="upload-title-heading">
        <ErrorSummary errors={form.errors} />
        <Field
          id="upload-file"
          label={t('dmp.upload.file')}
          hint={t('dmp.upload.fileHint')}
          error={form.errorFor('upload-file')}
          control={(aria) => (
            <input
              ref={fileInput}
              id="upload-file"
              type="file"
              accept={UPLOAD_ACCEPT}
              {...aria}
              onChange={(e) => onFile(e.target.files?.[0] ?? null)}
            />
          )}
        />
        <TextField
          id="upload-title"
          label={t('dmp.upload.title')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={form.errorFor('upload-title')}
          maxLength={200}
          autoComplete="off"
        />
        <Field
          id="upload-category"
          label={t('dmp.upload.category')}
          error={form.errorFor('upload-category')}
          control={(aria) => (
            <select id="upload-category" {...aria} value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t('dmp.upload.chooseCategory')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(t, c)}
                </option>
              ))}
            </select>
          )}
        />
        <TextField
          id="upload-date"
          type="date"
          label={t('dmp.upload.date')}
          hint={t('dmp.upload.dateHint')}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          error={form.errorFor('upload-date')}
        />
        <SubmitButton pending={form.pending}>{form.pending ? t('forms.sending') : t('dmp.upload.submit')}</SubmitButton>
      </form>
      <StatusMessage>{done && <span className="text-success">{done}</span>}</StatusMessage>
    </section>
  );
}
