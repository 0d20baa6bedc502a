import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDownload, errorMessage } from '../../../api';
import { saveBlob } from '../../../download';
import { StatusMessage } from '../../../components/StatusMessage';

/** Downloads the acting profile's whole record (ZIP). */
export function ExportSection() {
  const { t } = useTranslation();
  const [state, setState] = useState<{ kind: 'idle' | 'working' | 'done' } | { kind: 'error'; message: string }>({
    kind: 'idle',
  });

  const onClick = async () => {
    if (state.kind === 'working') return;
    setState({ kind: 'working' });
    try {
      const file = await apiDownload('/api/account/export', 'application/zip');
      saveBlob(file.blob, file.fileName ?? t('account.exportFileName'));
      setState({ kind: 'done' });
    } catch (error) {
      setState({ kind: 'error', message: errorMessage(error) });
    }
  };

  return (
    <section aria-labelledby="export-title" className="panel">
      <h2 id="export-title">{t('account.exportTitle')}</h2>
      <p>{t('account.exportText')}</p>
      <button
        type="button"
        className="button button--secondary"
        onClick={onClick}
        aria-disabled={state.kind === 'working' || undefined}
      >
        {t('account.export')}
      </button>
      <StatusMessage>
        {state.kind === 'working' && t('account.exporting')}
        {state.kind === 'done' && <span className="text-success">{t('account.exported')}</span>}
      </StatusMessage>
      {state.kind === 'error' && (
        <p className="alert alert--error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}
