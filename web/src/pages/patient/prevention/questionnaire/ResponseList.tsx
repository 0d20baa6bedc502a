import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiDownload, apiPost, errorMessage } from '../../../../api';
import { useActing } from '../../../../acting';
import { saveBlob } from '../../../../download';
import { formatDate, formatDateTime } from '../../../../format';
import type { QuestionnaireResponseView } from '../../../../prevention-types';
import { DOCUMENTS_KEY } from '../../documents/useDocuments';
import { QUESTIONNAIRES_KEY, responsePath } from './useQuestionnaire';

/** The id of a response's card heading (the focus goes there after finalising). */
export const responseHeadingId = (id: string) => `qr-response-${id}`;

/**
 * The acting profile's responses to the questionnaire, newest first: a draft to continue, finalised ones with
 * their PDF (downloaded, or filed in the documents: then "Classé dans vos documents").
 */
export function ResponseList({
  responses,
  openId,
  onOpen,
  announce,
}: {
  responses: QuestionnaireResponseView[];
  openId: string | undefined;
  onOpen: (id: string) => void;
  announce: (text: string, ok?: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <ul className="cards qr-responses">
      {responses.map((r) => (
        <li key={r.id} className="card">
          <h3 id={responseHeadingId(r.id)} tabIndex={-1}>
            {r.status === 'final' ? t('questionnaire.responses.final', { date: formatDate(r.finalisedAt ?? r.updatedAt) }) : t('questionnaire.responses.draft', { date: formatDateTime(r.updatedAt) })}
          </h3>
          <p className="meta">{t('questionnaire.responses.versionOf', { version: r.questionnaire.version })}</p>
          {r.status === 'final' ? (
            <FinalActions response={r} open={openId === r.id} onOpen={onOpen} announce={announce} />
          ) : (
            openId !== r.id && (
              <button type="button" className="button button--primary" onClick={() => onOpen(r.id)}>
                {t('questionnaire.responses.continue')}
              </button>
            )
          )}
        </li>
      ))}
    </ul>
  );
}

function FinalActions({
  response,
  open,
  onOpen,
  announce,
}: {
  response: QuestionnaireResponseView;
  open: boolean;
  onOpen: (id: string) => void;
  announce: (text: string, ok?: boolean) => void;
}) {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<'download' | 'file' | null>(null);
  const date = formatDate(response.finalisedAt ?? response.updatedAt);
  const which = <span className="visually-hidden"> {t('questionnaire.pdf.of', { date })}</span>;

  const download = async () => {
    if (pending) return;
    setPending('download');
    try {
      const file = await apiDownload(responsePath(response.id, 'pdf'), 'application/pdf');
      saveBlob(file.blob, file.fileName ?? t('questionnaire.pdf.fileName'));
      announce(t('questionnaire.pdf.downloaded'));
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setPending(null);
    }
  };

  const file = async () => {
    if (pending) return;
    setPending('file');
    try {
      await apiPost<{ documentId: string }>(responsePath(response.id, 'file'));
      await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
      await queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY, actingId] });
      announce(t('questionnaire.pdf.filed'));
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <p>
        {response.documentId ? (
          <>
            <span className="text-success">{t('questionnaire.responses.filed')}</span> <Link to="/patient/documents">{t('questionnaire.pdf.filedLink')}</Link>
          </>
        ) : (
          t('questionnaire.responses.notFiled')
        )}
      </p>
      <div className="button-group button-group--compact">
        <button type="button" className="button button--primary" aria-disabled={pending !== null || undefined} onClick={() => void download()}>
          {t('questionnaire.pdf.download')}
          {which}
        </button>
        {!response.documentId && (
          <button type="button" className="button button--secondary" aria-disabled={pending !== null || undefined} onClick={() => void file()}>
            {t('questionnaire.pdf.file')}
            {which}
          </button>
        )}
        {!open && (
          <button type="button" className="button button--link" onClick={() => onOpen(response.id)}>
            {t('questionnaire.responses.view')}
            {which}
          </button>
        )}
      </div>
    </>
  );
}
