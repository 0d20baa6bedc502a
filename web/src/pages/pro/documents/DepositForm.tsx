import { useCallback, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { todayInParis } from '../../../time';
import { categoryLabel } from './labels';
import { CATEGORIES, type DocumentType, type DocumentView, type Visibility } from './types';
import { depositDocument, useDocumentTypes } from './useDmpPro';

/**
 * The largest document the professional space sends. The server's limit (DOCUMENT_MAX_BYTES, 10 Mo by default)
 * is not published to the web app: a smaller server limit still answers upload.too-large, shown at the file.
 */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
const MAX_TITLE = 200;
/** The API error codes about the file itself. */
const FILE_CODES = ['upload.format', 'upload.mismatch', 'upload.too-large', 'mhd.too-large', 'request.too-large', 'request.unsupported-media-type'];

const mb = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 10) / 10;

/** Whether the file starts like a PDF (%PDF-), as the server checks. */
async function looksLikePdf(file: File): Promise<boolean> {
  try {
    const head = new Uint8Array(await file.slice(0, 5).arrayBuffer());
    return String.fromCharCode(...head) === '%PDF-';
  } catch {
    return true; // unreadable here: the server decides
  }
}

/**
 * Depositing a PDF in the patient's record (or replacing one of one's own documents): the file, the document
 * type (grouped by category), the title, the date of the act and the visibility (non visible par le patient
 * jusqu'à la consultation d'annonce, masqué aux autres professionnels). Errors, the client's and the server's,
 * show next to their field.
 */
export function DepositForm({
  patientId,
  replacing,
  labelledBy,
  onDone,
  onCancel,
}: {
  /** The id of the heading that names the form. */
  labelledBy: string;
  patientId: string;
  /** The document this one replaces (the form is then the replacement form). */
  replacing?: DocumentView;
  onDone: (title: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const prefix = replacing ? `replace-${replacing.id}` : 'deposit';
  const ids = {
    file: `${prefix}-file`,
    type: `${prefix}-type`,
    title: `${prefix}-title`,
    date: `${prefix}-date`,
    invisible: `${prefix}-invisible-patient`,
    masked: `${prefix}-masque-ps`,
  };
  const fieldOf = useCallback(
    (code: string): string | undefined => {
      if (code === 'upload.title') return `${prefix}-title`;
      if (code === 'dmp.type-unknown') return `${prefix}-type`;
      if (code === 'request.date') return `${prefix}-date`;
      if (code === 'documents.visibility') return `${prefix}-invisible-patient`;
      if (FILE_CODES.includes(code)) return `${prefix}-file`;
      return undefined;
    },
    [prefix],
  );
  const { errors, pending, run, errorFor } = useSubmit(fieldOf);
  const types = useDocumentTypes(true);
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [typeCode, setTypeCode] = useState(replacing?.typeCode ?? '');
  const [title, setTitle] = useState(replacing?.title ?? '');
  // a replacement is about the same act: its date by default
  const [date, setDate] = useState(replacing?.date && /^\d{4}-\d{2}-\d{2}/.test(replacing.date) ? replacing.date.slice(0, 10) : todayInParis());
  const [invisible, setInvisible] = useState(replacing?.hiddenFromPatient ?? false);
  const [masked, setMasked] = useState(replacing?.hiddenFromProfessionals ?? false);

  const groups = useMemo(() => {
    const all = types.data?.types ?? [];
    return CATEGORIES.map((category) => ({
      category,
      types: all.filter((ty) => ty.category === category).sort((a, b) => a.label.localeCompare(b.label, 'fr')),
    })).filter((g) => g.types.length > 0) as { category: string; types: DocumentType[] }[];
  }, [types.data]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = [];
    if (!file) invalid.push({ field: ids.file, message: t('dmpPro.deposit.fileRequired') });
    else if (!(file.type === 'application/pdf' || /\.pdf$/i.test(file.name)) || !(await looksLikePdf(file)))
      invalid.push({ field: ids.file, message: t('dmpPro.deposit.fileNotPdf') });
    else if (file.size === 0) invalid.push({ field: ids.file, message: t('dmpPro.deposit.fileEmpty') });
    else if (file.size > MAX_PDF_BYTES) invalid.push({ field: ids.file, message: t('dmpPro.deposit.fileTooLarge', { max: mb(MAX_PDF_BYTES) }) });
    if (!typeCode) invalid.push({ field: ids.type, message: t('dmpPro.deposit.typeRequired') });
    const trimmed = title.trim();
    if (!trimmed) invalid.push({ field: ids.title, message: t('dmpPro.deposit.titleRequired') });
    else if (trimmed.length > MAX_TITLE) invalid.push({ field: ids.title, message: t('dmpPro.deposit.titleTooLong', { max: MAX_TITLE }) });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) invalid.push({ field: ids.date, message: t('dmpPro.deposit.dateInvalid') });
    else if (date > todayInParis()) invalid.push({ field: ids.date, message: t('dmpPro.deposit.dateFuture') });
    const visibility: Visibility[] = [...(invisible ? (['INVISIBLE_PATIENT'] as const) : []), ...(masked ? (['MASQUE_PS'] as const) : [])];
    const ok = await run(invalid, async () => {
      await depositDocument(patientId, { file: file!, typeCode, title: trimmed, date, visibility }, replacing?.id);
    });
    if (ok) {
      if (!replacing) {
        setFile(null);
        if (fileInput.current) fileInput.current.value = '';
        setTypeCode('');
        setTitle('');
        setDate(todayInParis());
        setInvisible(false);
        setMasked(false);
      }
      onDone(trimmed);
    }
  };

  if (types.isPending) return <Loading />;
  if (types.isError) return <QueryError error={types.error} />;

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-labelledby={labelledBy}>
      <ErrorSummary errors={errors} />
      <Field
        id={ids.file}
        label={t('dmpPro.deposit.file')}
        hint={t('dmpPro.deposit.fileHint', { max: mb(MAX_PDF_BYTES) })}
        error={errorFor(ids.file)}
        control={(aria) => (
          <input
            ref={fileInput}
            id={ids.file}
            type="file"
            accept="application/pdf,.pdf"
            required
            {...aria}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        )}
      />
      <Field
        id={ids.type}
        label={t('dmpPro.deposit.type')}
        hint={t('dmpPro.deposit.typeHint')}
        error={errorFor(ids.type)}
        control={(aria) => (
          <select id={ids.type} required {...aria} value={typeCode} onChange={(e) => setTypeCode(e.target.value)}>
            <option value="">{t('dmpPro.deposit.typeChoose')}</option>
            {replacing?.typeCode && !types.data.types.some((ty) => ty.code === replacing.typeCode) && (
              <option value={replacing.typeCode}>{replacing.typeLabel ?? replacing.typeCode}</option>
            )}
            {groups.map((g) => (
              <optgroup key={g.category} label={categoryLabel(t, g.category)}>
                {g.types.map((ty) => (
                  <option key={ty.code} value={ty.code}>
                    {ty.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      />
      <TextField
        id={ids.title}
        label={t('dmpPro.deposit.title')}
        hint={t('dmpPro.deposit.titleHint', { max: MAX_TITLE })}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errorFor(ids.title)}
        maxLength={MAX_TITLE}
        autoComplete="off"
        required
      />
      <TextField
        id={ids.date}
        type="date"
        label={t('dmpPro.deposit.date')}
        value={date}
        max={todayInParis()}
        onChange={(e) => setDate(e.target.value)}
        error={errorFor(ids.date)}
        autoComplete="off"
        required
      />
      <fieldset>
        <legend>{t('dmpPro.deposit.visibility')}</legend>
        <CheckboxField
          id={ids.invisible}
          label={t('dmpPro.deposit.invisiblePatient')}
          hint={t('dmpPro.deposit.invisiblePatientHint')}
          checked={invisible}
          onChange={(e) => setInvisible(e.target.checked)}
          error={errorFor(ids.invisible)}
        />
        <CheckboxField
          id={ids.masked}
          label={t('dmpPro.deposit.maskedPs')}
          hint={t('dmpPro.deposit.maskedPsHint')}
          checked={masked}
          onChange={(e) => setMasked(e.target.checked)}
        />
      </fieldset>
      <div className="button-group button-group--compact">
        <SubmitButton pending={pending}>{t(replacing ? 'dmpPro.replace.submit' : 'dmpPro.deposit.submit')}</SubmitButton>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
