import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiGet } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { formatNumber } from '../../format';
import { PROFILE_STATES, type PopulationStats } from '../../types';
import { TableScroller } from '../../components/TableScroller';

/** /admin: the population by profile state. */
export function AdminHomePage() {
  const { t } = useTranslation();
  const stats = useQuery({
    queryKey: ['admin', 'stats'],
    queryFn: ({ signal }) => apiGet<PopulationStats>('/api/admin/population/stats', signal),
  });

  return (
    <>
      <PageHeading title={t('admin.homeTitle')} />
      {stats.isPending ? (
        <Loading />
      ) : stats.isError ? (
        <QueryError error={stats.error} />
      ) : (
        <TableScroller label={t('admin.statsCaption')}>
          <table>
            <caption>{t('admin.statsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.state')}</th>
                <th scope="col" className="numeric">
                  {t('admin.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {PROFILE_STATES.map((state) => (
                <tr key={state}>
                  <th scope="row">{t(`states.${state}`)}</th>
                  <td className="numeric">{formatNumber(stats.data.byState?.[state] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('admin.total')}</th>
                <td className="numeric">{formatNumber(stats.data.total)}</td>
              </tr>
            </tfoot>
          </table>
        </TableScroller>
      )}
    </>
  );
}
