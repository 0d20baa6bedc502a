import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isStatus } from '../../../api';
import { Loading, QueryError } from '../../../components/QueryState';
import { TableScroller } from '../../../components/TableScroller';
import { isoOrUndefined } from '../../../format';
import { formatShortDateTime, traceAction, traceOutcome } from '../../patient/professionals/labels';
import type { HistoryItem } from './types';
import { useRecordHistory } from './useDmpPro';

/**
 * The record's access history (R1111-43), for the médecin traitant: every action on the record, newest first,
 * 50 a page, emergency accesses marked. Loaded on demand. A refusal (403: the professional is not, or no
 * longer, the médecin traitant) says so without an error.
 */
export function RecordHistory({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [page, setPage] = useState(0);
  const history = useRecordHistory(patientId, page, open);

  return (
    <section aria-labelledby="record-history-title" className="panel">
      <h2 id="record-history-title">{t('dmpPro.history.title')}</h2>
      <p>{t('dmpPro.history.intro')}</p>
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls="record-history-area" onClick={() => setOpen(!open)}>
        {t(open ? 'dmpPro.history.hide' : 'dmpPro.history.show')}
      </button>
      <div id="record-history-area" hidden={!open}>
        {open &&
          (history.isPending ? (
            <Loading />
          ) : history.isError ? (
            isStatus(history.error, 403) ? (
              <p>{t('dmpPro.history.notOffered')}</p>
            ) : (
              <QueryError error={history.error} />
            )
          ) : history.data.items.length === 0 ? (
            <p>{t('dmpPro.history.empty')}</p>
          ) : (
            <>
              <TableScroller label={t('dmpPro.history.caption', { page: page + 1 })}>
                <table>
                  <caption>{t('dmpPro.history.caption', { page: page + 1 })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dmpPro.history.date')}</th>
                      <th scope="col">{t('dmpPro.history.who')}</th>
                      <th scope="col">{t('dmpPro.history.action')}</th>
                      <th scope="col">{t('dmpPro.history.outcome')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.data.items.map((item, i) => (
                      <HistoryRow key={`${item.at}-${i}`} item={item} />
                    ))}
                  </tbody>
                </table>
              </TableScroller>
              {(page > 0 || history.data.more) && (
                <nav aria-label={t('dmpPro.history.pages')}>
                  <div className="button-group button-group--compact">
                    {page > 0 && (
                      <button type="button" className="button button--secondary button--small" onClick={() => setPage(page - 1)}>
                        {t('dmpPro.history.newer')}
                      </button>
                    )}
                    {history.data.more && (
                      <button type="button" className="button button--secondary button--small" onClick={() => setPage(page + 1)}>
                        {t('dmpPro.history.older')}
                      </button>
                    )}
                  </div>
                </nav>
              )}
            </>
          ))}
      </div>
    </section>
  );
}

function HistoryRow({ item }: { item: HistoryItem }) {
  const { t } = useTranslation();
  const who =
    item.actorType === 'patient'
      ? t('dmpPro.history.actors.patient')
      : item.actorType === 'system'
        ? t('dmpPro.history.actors.system')
        : item.agent || t('dmpPro.history.actors.unknown');
  return (
    <tr>
      <td>
        <time dateTime={isoOrUndefined(item.at)}>{formatShortDateTime(item.at)}</time>
      </td>
      <td>{who}</td>
      <td>
        {traceAction(t, item)}
        {item.documentTitle && <> : « {item.documentTitle} »</>}
        {item.emergency && (
          <>
            {' '}
            <span className="badge" style={{ background: 'var(--danger)' }}>
              {t('dmpPro.history.emergency')}
            </span>
          </>
        )}
      </td>
      <td>{traceOutcome(t, item)}</td>
    </tr>
  );
}
