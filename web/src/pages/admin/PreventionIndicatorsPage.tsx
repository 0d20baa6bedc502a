import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { TableScroller } from '../../components/TableScroller';
import { formatCivilDate, formatDateTime, formatNumber } from '../../format';
import { PREVENTION_TYPES, type PreventionIndicators } from '../../prevention-types';

/**
 * /admin/prevention: what the daily prevention reminder job did (docs/prevention.md, "Reminders"): the
 * reminders sent by type since the first run, and the last 30 runs. Numbers only: operators never see who was
 * reminded of what.
 */
export function PreventionIndicatorsPage() {
  const { t } = useTranslation();
  const indicators = useQuery({
    queryKey: ['admin', 'prevention', 'indicators'],
    queryFn: ({ signal }) => apiGet<PreventionIndicators>('/api/admin/prevention/indicators', signal),
  });

  return (
    <>
      <PageHeading title={t('preventionAdmin.title')} />
      <p>{t('preventionAdmin.intro')}</p>
      {indicators.isPending ? (
        <Loading />
      ) : indicators.isError ? (
        <QueryError error={indicators.error} />
      ) : (
        <>
          <section aria-labelledby="prevention-totals-title">
            <h2 id="prevention-totals-title">{t('preventionAdmin.totals.title')}</h2>
            <TableScroller label={t('preventionAdmin.totals.caption')}>
              <table data-testid="prevention-totals">
                <caption className="visually-hidden">{t('preventionAdmin.totals.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('preventionAdmin.totals.type')}</th>
                    <th scope="col" className="numeric">
                      {t('preventionAdmin.totals.count')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {PREVENTION_TYPES.map((type) => (
                    <tr key={type} data-type={type}>
                      <th scope="row">{t(`preventionAdmin.types.${type}`)}</th>
                      <td className="numeric">{formatNumber(indicators.data.sentByType[type] ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('preventionAdmin.totals.total')}</th>
                    <td className="numeric">{formatNumber(indicators.data.sentTotal)}</td>
                  </tr>
                </tfoot>
              </table>
            </TableScroller>
          </section>

          <section aria-labelledby="prevention-runs-title">
            <h2 id="prevention-runs-title">{t('preventionAdmin.runs.title')}</h2>
            {indicators.data.runs.length === 0 ? (
              <p>{t('preventionAdmin.runs.none')}</p>
            ) : (
              <TableScroller label={t('preventionAdmin.runs.caption')}>
                <table>
                  <caption className="visually-hidden">{t('preventionAdmin.runs.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('preventionAdmin.runs.day')}</th>
                      <th scope="col">{t('preventionAdmin.runs.startedAt')}</th>
                      <th scope="col">{t('preventionAdmin.runs.finishedAt')}</th>
                      <th scope="col" className="numeric">
                        {t('preventionAdmin.runs.profiles')}
                      </th>
                      <th scope="col" className="numeric">
                        {t('preventionAdmin.runs.sent')}
                      </th>
                      {PREVENTION_TYPES.map((type) => (
                        <th key={type} scope="col" className="numeric">
                          {t(`preventionAdmin.types.${type}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {indicators.data.runs.map((run) => (
                      <tr key={run.day} data-day={run.day}>
                        <th scope="row">{formatCivilDate(run.day)}</th>
                        <td>{formatDateTime(run.startedAt)}</td>
                        <td>{run.finishedAt ? formatDateTime(run.finishedAt) : t('preventionAdmin.runs.running')}</td>
                        <td className="numeric">{formatNumber(run.profiles)}</td>
                        <td className="numeric">{formatNumber(run.sent)}</td>
                        {PREVENTION_TYPES.map((type) => (
                          <td key={type} className="numeric">
                            {formatNumber(run.byType[type] ?? 0)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroller>
            )}
          </section>
        </>
      )}
    </>
  );
}
