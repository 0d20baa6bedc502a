import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, apiDownload, apiPost, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { saveBlob } from '../../../download';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { formatDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { DIRECTIVE_MODELS, type AdvanceDirective, type DirectiveAnswers, type DirectiveModel } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { DOCUMENTS_KEY } from '../documents/useDocuments';
import { LegendText } from './fields';
import { formatIsoDay } from './labels';
import { PROFILE_KEY, useDirectives } from './profileApi';
import './profile.css';

const QUESTIONS = ['context', 'lifeSupport', 'sedation', 'treatmentsStarted', 'treatmentsStopped', 'treatmentsSpecific', 'otherWishes'] as const;
const REQUIRED = new Set<string>(['context', 'lifeSupport', 'sedation', 'place']);
const MAX_TEXT = 5000;
const MAX_PDF = 5 * 1024 * 1024;

/**
 * /patient/profil/directives, "Directives anticipées": the version in force and the previous ones (their PDFs,
 * in the documents), the online form on one of the two models (en bonne santé, fin de vie), which becomes a PDF,
 * or a PDF of their own. Not open to minors: the page then says why.
 */
export function DirectivesPage() {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const directives = useDirectives();
  const { announce, statusMessage } = useAnnouncer();
  const queryClient = useQueryClient();
  const data = directives.data;

  const saved = async (text: string) => {
    await queryClient.invalidateQueries({ queryKey: [PROFILE_KEY, actingId] });
    await queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY] });
    announce(text);
    window.setTimeout(() => document.getElementById('pf-dir-current-title')?.focus(), 50);
  };

  return (
    <>
      <PageHeading title={t('profile.directives.title')} />
      <p>
        <Link to="/patient/profil">{t('profile.back')}</Link>
      </p>
      {statusMessage}
      {directives.isPending ? (
        <Loading />
      ) : directives.isError ? (
        <QueryError error={directives.error} />
      ) : data && !data.allowed ? (
        <p className="alert">{t('profile.directives.minor')}</p>
      ) : data ? (
        <div key={actingId}>
          <p>{t('profile.directives.intro')}</p>
          <section aria-labelledby="pf-dir-current-title" className="panel">
            <h2 id="pf-dir-current-title" tabIndex={-1}>
              {t('profile.directives.currentTitle')}
            </h2>
            {data.current ? (
              <>
                <DirectiveVersion directive={data.current} announce={announce} />
                <p>
                  {t('profile.directives.inDocuments')} <Link to="/patient/documents">{t('profile.directives.documentsLink')}</Link>
                </p>
              </>
            ) : (
              <p>{t('profile.directives.none')}</p>
            )}
            {data.previous.length > 0 && (
              <>
                <h3>{t('profile.directives.previousTitle')}</h3>
                <ul className="plain-list">
                  {data.previous.map((d) => (
                    <li key={d.id} className="pf-version">
                      <DirectiveVersion directive={d} announce={announce} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <DirectiveForm current={data.current} onSaved={() => void saved(t('profile.directives.saved'))} />
          <DirectiveUpload onSaved={() => void saved(t('profile.directives.uploaded'))} />
        </div>
      ) : null}
    </>
  );
}

function versionName(t: TFunction, d: AdvanceDirective): string {
  const kind = d.kind === 'form' && d.model ? t('profile.directives.kindForm', { model: t(`profile.directives.modelNames.${d.model}`) }) : t('profile.directives.kindFile');
  return t('profile.directives.version', { kind, date: d.date.length > 10 ? formatDate(d.date) : formatIsoDay(t, d.date) });
}

/** One version: its kind, its date, and its PDF (fetched with the token, saved as a file). */
function DirectiveVersion({ directive, announce }: { directive: AdvanceDirective; announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const name = versionName(t, directive);
  const download = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const file = await apiDownload(`/api/documents/${encodeURIComponent(directive.documentId)}/content`, 'application/pdf');
      saveBlob(file.blob, file.fileName ?? t('profile.directives.fileName', { date: directive.date.slice(0, 10) }));
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="pf-version__row">
      <p className="pf-version__name">{name}</p>
      <button
        type="button"
        className="button button--secondary button--small"
        aria-label={t('profile.directives.downloadLabel', { name })}
        aria-disabled={busy || undefined}
        onClick={() => void download()}
      >
        {t('profile.directives.download')}
      </button>
    </div>
  );
}

type Answers = Record<(typeof QUESTIONS)[number] | 'place', string>;

const emptyAnswers = (from?: DirectiveAnswers): Answers => ({
  context: from?.context ?? '',
  lifeSupport: from?.lifeSupport ?? '',
  sedation: from?.sedation ?? '',
  treatmentsStarted: from?.treatmentsStarted ?? '',
  treatmentsStopped: from?.treatmentsStopped ?? '',
  treatmentsSpecific: from?.treatmentsSpecific ?? '',
  otherWishes: from?.otherWishes ?? '',
  place: from?.place ?? '',
});

/** The input of each field the API names about the online form (model, answers.<question>). */
const formInput = (field: string): string | undefined =>
  field === 'model' ? 'pf-dir-model-0' : field.startsWith('answers.') ? `pf-dir-${field.slice('answers.'.length)}` : undefined;

/** The input of each field the API names about an uploaded PDF (file, title). */
const uploadInput = (field: string): string | undefined => (field === 'file' ? 'pf-dir-file' : field === 'title' ? 'pf-dir-file-title' : undefined);

/** The online form: a model, then the questions in its words (starting from the current form's answers). */
function DirectiveForm({ current, onSaved }: { current: AdvanceDirective | null; onSaved: () => void }) {
  const { t } = useTranslation();
  const fromForm = current?.kind === 'form' ? current : null;
  const [model, setModel] = useState<DirectiveModel | ''>(fromForm?.model ?? '');
  const [answers, setAnswers] = useState<Answers>(() => emptyAnswers(fromForm?.answers));
  const form = useSubmit(undefined, formInput);
  const questions = model || 'good-health';
  const label = (key: string) => t(`profile.directives.questions.${questions}.${key}`);
  const labelWith = (key: string) => `${label(key)} ${REQUIRED.has(key) ? t('profile.required') : t('profile.optional')}`;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!model) errors.push({ field: 'pf-dir-model-0', message: t('profile.directives.errors.model') });
    for (const key of [...QUESTIONS, 'place'] as const) {
      const v = answers[key].trim();
      if (REQUIRED.has(key) && !v) errors.push({ field: `pf-dir-${key}`, message: t('profile.validation.required', { label: label(key) }) });
      else if (v.length > MAX_TEXT) errors.push({ field: `pf-dir-${key}`, message: t('profile.validation.tooLong', { label: label(key), max: MAX_TEXT }) });
    }
    const body: DirectiveAnswers = {
      context: answers.context.trim(),
      lifeSupport: answers.lifeSupport.trim(),
      sedation: answers.sedation.trim(),
      place: answers.place.trim(),
      ...Object.fromEntries(
        (['treatmentsStarted', 'treatmentsStopped', 'treatmentsSpecific', 'otherWishes'] as const).flatMap((k) => (answers[k].trim() ? [[k, answers[k].trim()]] : [])),
      ),
    };
    const ok = await form.run(errors, async () => {
      await apiPost('/api/profile/advance-directives/form', { model, answers: body });
    });
    if (ok) onSaved();
  };

  const modelError = form.errorFor('pf-dir-model-0');
  const set = (key: keyof Answers, v: string) => setAnswers((a) => ({ ...a, [key]: v }));

  return (
    <section aria-labelledby="pf-dir-form-title" className="panel">
      <h2 id="pf-dir-form-title">{t('profile.directives.formTitle')}</h2>
      <p>{t('profile.directives.formIntro')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="pf-dir-form-title">
        <ErrorSummary errors={form.errors} />
        <fieldset className={modelError ? 'field field--error' : 'field'} aria-describedby={modelError ? 'pf-dir-model-error' : undefined}>
          <legend>
            <LegendText label={t('profile.directives.modelLegend')} required />
          </legend>
          {modelError && (
            <p id="pf-dir-model-error" className="field-error">
              {modelError}
            </p>
          )}
          {DIRECTIVE_MODELS.map((m, i) => (
            <div key={m} className="checkbox pf-radio">
              <input id={`pf-dir-model-${i}`} type="radio" name="pf-dir-model" value={m} checked={model === m} onChange={() => setModel(m)} />
              <label htmlFor={`pf-dir-model-${i}`}>{t(`profile.directives.models.${m}`)}</label>
            </div>
          ))}
        </fieldset>
        {QUESTIONS.map((key) => (
          <TextAreaField
            key={key}
            id={`pf-dir-${key}`}
            label={labelWith(key)}
            value={answers[key]}
            rows={4}
            onChange={(e) => set(key, e.target.value)}
            error={form.errorFor(`pf-dir-${key}`)}
          />
        ))}
        <TextField
          id="pf-dir-place"
          label={labelWith('place')}
          hint={t('profile.directives.placeHint')}
          value={answers.place}
          onChange={(e) => set('place', e.target.value)}
          error={form.errorFor('pf-dir-place')}
          autoComplete="address-level2"
          maxLength={200}
        />
        <SubmitButton pending={form.pending}>{form.pending ? t('profile.actions.saving') : t('profile.directives.submit')}</SubmitButton>
      </form>
    </section>
  );
}

/** A PDF of the patient's own (POST /api/profile/advance-directives/file?title=, the PDF as the body). */
function DirectiveUpload({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const form = useSubmit(undefined, uploadInput);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!file) errors.push({ field: 'pf-dir-file', message: t('profile.directives.errors.fileRequired') });
    else if (!/\.pdf$/i.test(file.name) && file.type !== 'application/pdf') errors.push({ field: 'pf-dir-file', message: t('profile.directives.errors.filePdf', { name: file.name }) });
    else if (file.size > MAX_PDF) errors.push({ field: 'pf-dir-file', message: t('profile.directives.errors.fileTooLarge') });
    if (title.trim().length > 200) errors.push({ field: 'pf-dir-file-title', message: t('profile.validation.tooLong', { label: t('profile.directives.fileTitle'), max: 200 }) });
    const ok = await form.run(errors, async () => {
      const q = title.trim() ? `?title=${encodeURIComponent(title.trim())}` : '';
      await api(`/api/profile/advance-directives/file${q}`, { method: 'POST', body: file!, contentType: 'application/pdf' });
    });
    if (ok) {
      setFile(null);
      if (input.current) input.current.value = '';
      onSaved();
    }
  };

  return (
    <section aria-labelledby="pf-dir-upload-title" className="panel">
      <h2 id="pf-dir-upload-title">{t('profile.directives.uploadTitle')}</h2>
      <p>{t('profile.directives.uploadIntro')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="pf-dir-upload-title">
        <ErrorSummary errors={form.errors} />
        <Field
          id="pf-dir-file"
          label={t('profile.directives.file')}
          error={form.errorFor('pf-dir-file')}
          control={(aria) => (
            <input ref={input} id="pf-dir-file" type="file" accept=".pdf,application/pdf" {...aria} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          )}
        />
        <TextField
          id="pf-dir-file-title"
          label={t('profile.directives.fileTitle')}
          hint={t('profile.directives.fileTitleHint')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={form.errorFor('pf-dir-file-title')}
          maxLength={250}
          autoComplete="off"
        />
        <SubmitButton pending={form.pending}>{t('profile.directives.upload')}</SubmitButton>
      </form>
    </section>
  );
}
