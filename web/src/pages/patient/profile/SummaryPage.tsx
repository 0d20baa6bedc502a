import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiDownload, apiPost } from '../../../api';
import { useActing } from '../../../acting';
import { saveBlob } from '../../../download';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PageHeading } from '../../../components/PageHeading';
import { StatusMessage } from '../../../components/StatusMessage';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { SUMMARY_SECTIONS, type SummaryRequest, type SummarySection } from '../../../profile-types';
import { DOCUMENTS_KEY } from '../documents/useDocuments';
import { CheckboxGroup } from './fields';
import './profile.css';

/** The API names the field `sections` when none or an unknown one is sent: the first box is its input. */
const inputOfField = (field: string) => (field === 'sections' ? 'pf-summary-sections-0' : undefined);

/**
 * /patient/profil/synthese, "Synthèse de mon profil médical": the sections to include (all by default), then the
 * PDF made by the server (POST /api/profile/summary), downloaded or filed in the documents (DOCPAT08).
 */
export function SummaryPage() {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const [sections, setSections] = useState<string[]>([...SUMMARY_SECTIONS]);
  const [done, setDone] = useState<{ kind: 'download' | 'file' } | null>(null);
  const form = useSubmit(undefined, inputOfField);

  const chosen = SUMMARY_SECTIONS.filter((s) => sections.includes(s));

  const run = async (action: SummaryRequest['action']) => {
    if (form.pending) return;
    setDone(null);
    const errors: FieldError[] = chosen.length === 0 ? [{ field: 'pf-summary-sections-0', message: t('profile.summary.chooseOne') }] : [];
    const body: SummaryRequest = { sections: chosen as SummarySection[], action };
    const ok = await form.run(errors, async () => {
      if (action === 'download') {
        const file = await apiDownload('/api/profile/summary', { method: 'POST', json: body, accept: 'application/pdf' });
        saveBlob(file.blob, file.fileName ?? t('profile.summary.fileName'));
      } else {
        await apiPost<{ documentId: string }>('/api/profile/summary', body);
        await queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY, actingId] });
      }
    });
    if (ok) setDone({ kind: action });
  };

  return (
    <>
      <PageHeading title={t('profile.summary.title')} />
      <p>
        <Link to="/patient/profil">{t('profile.back')}</Link>
      </p>
      <p>{t('profile.summary.intro')}</p>
      <form
        key={actingId}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run('download');
        }}
      >
        <ErrorSummary errors={form.errors} />
        <div className="button-group button-group--compact pf-summary-all">
          <button type="button" className="button button--link" onClick={() => setSections([...SUMMARY_SECTIONS])}>
            {t('profile.summary.all')}
          </button>
          <button type="button" className="button button--link" onClick={() => setSections([])}>
            {t('profile.summary.none')}
          </button>
        </div>
        <CheckboxGroup
          id="pf-summary-sections"
          label={t('profile.summary.legend')}
          required
          options={SUMMARY_SECTIONS.map((s) => ({ value: s, label: t(`profile.summary.sections.${s}`) }))}
          value={sections}
          onChange={setSections}
          error={form.errorFor('pf-summary-sections-0')}
        />
        <div className="button-group">
          <button type="submit" className="button button--primary" aria-disabled={form.pending || undefined}>
            {t('profile.summary.download')}
          </button>
          <button type="button" className="button button--secondary" aria-disabled={form.pending || undefined} onClick={() => void run('file')}>
            {t('profile.summary.file')}
          </button>
        </div>
      </form>
      <StatusMessage>
        {form.pending ? (
          <span>{t('profile.summary.working')}</span>
        ) : done?.kind === 'download' ? (
          <span className="text-success">{t('profile.summary.downloaded')}</span>
        ) : done?.kind === 'file' ? (
          <span className="text-success">
            {t('profile.summary.filed')} <Link to="/patient/documents">{t('profile.summary.filedLink')}</Link>
          </span>
        ) : null}
      </StatusMessage>
    </>
  );
}
