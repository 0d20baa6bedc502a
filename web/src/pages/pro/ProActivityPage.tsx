import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { TableScroller } from '../../components/TableScroller';
import { formatDateTime, isoOrUndefined } from '../../format';
import { formatShortDateTime, traceAction, traceOutcome } from '../patient/professionals/labels';
import { useActivity } from './usePro';

/** /pro/activite: the professional's own last actions in every record (GET /api/pro/activity). */
export function ProActivityPage() {
  const { t } = useTranslation();
  const activity = useActivity();
  return (
    <>
      <PageHeading title={t('proSpace.activity.title')} />
      <p>{t('proSpace.activity.intro')}</p>
      {activity.isPending ? (
        <Loading />
      ) : activity.isError ? (
        <QueryError error={activity.error} />
      ) : activity.data.length === 0 ? (
        <p>{t('proSpace.activity.empty')}</p>
      ) : (
        <TableScroller label={t('proSpace.activity.caption')}>
          <table>
            <caption>{t('proSpace.activity.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('professionals.traces.date')}</th>
                <th scope="col">{t('professionals.traces.action')}</th>
                <th scope="col">{t('professionals.traces.patient')}</th>
                <th scope="col">{t('professionals.traces.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {activity.data.map((a, i) => (
                <tr key={`${a.at}-${i}`}>
                  <td>
                    <time dateTime={isoOrUndefined(a.at)} title={formatDateTime(a.at)}>{formatShortDateTime(a.at)}</time>
                  </td>
                  <td>{traceAction(t, a)}</td>
                  <td>
                    {a.patientId && a.patientName ? (
                      <Link to={`/pro/patients/${encodeURIComponent(a.patientId)}`}>{a.patientName}</Link>
                    ) : (
                      (a.patientName ?? t('proSpace.activity.unknownPatient'))
                    )}
                  </td>
                  <td>
                    {a.outcome === 'refused' ? <strong>{traceOutcome(t, a)}</strong> : traceOutcome(t, a)}
                    {a.outcome === 'refused' && a.detail && <span className="meta"> ({refusalText(t, a.detail)})</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </>
  );
}

/** The reason of a refusal, in French when it is one Carnet gives. */
function refusalText(t: (key: string, o?: Record<string, unknown>) => string, detail: string): string {
  if (/blocked/i.test(detail)) return t('proSpace.activity.refusals.blocked');
  if (/consent/i.test(detail)) return t('proSpace.activity.refusals.consent');
  if (/closed|suspended/i.test(detail)) return t('proSpace.activity.refusals.closed');
  return t('proSpace.activity.refusals.other');
}
