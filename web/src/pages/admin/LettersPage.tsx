import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDownload, errorMessage } from '../../api';
import { saveBlob } from '../../download';
import { PageHeading } from '../../components/PageHeading';
import { StatusMessage } from '../../components/StatusMessage';

/** /admin/courriers: the PDF of the notice letters not printed yet (fetched with the token). */
export function LettersPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'working' | 'done' | 'empty'>('idle');
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    if (state === 'working') return;
    setState('working');
    setError(null);
    try {
      const file = await apiDownload('/api/admin/notices/letters.pdf', 'application/pdf');
      if (file.status === 204 || file.blob.size === 0) {
        setState('empty');
        return;
      }
      saveBlob(file.blob, file.fileName ?? t('admin.lettersFileName'));
      setState('done');
    } catch (e) {
      setState('idle');
      setError(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeading title={t('admin.lettersTitle')} />
      <p>{t('admin.lettersIntro')}</p>
      <button
        type="button"
        className="button button--primary"
        onClick={download}
        aria-disabled={state === 'working' || undefined}
      >
        {t('admin.lettersDownload')}
      </button>
      <StatusMessage>
        {state === 'working' && t('common.loading')}
        {state === 'done' && <span className="text-success">{t('admin.lettersDone')}</span>}
        {state === 'empty' && t('admin.lettersEmpty')}
      </StatusMessage>
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
