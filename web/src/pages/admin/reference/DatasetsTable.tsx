import { useTranslation } from 'react-i18next';
import { TableScroller } from '../../../components/TableScroller';
import { formatDateTime } from '../../../format';
import type { ReferenceDataset } from '../../../profile-types';

/** The loaded reference datasets with their provenance. */
export function DatasetsTable({ datasets }: { datasets: ReferenceDataset[] }) {
  const { t } = useTranslation();
  const who = (loadedBy: string) =>
    loadedBy === 'carnet' ? t('referenceAdmin.datasets.shipped') : loadedBy === 'cli' ? t('referenceAdmin.datasets.cli') : loadedBy;
  if (datasets.length === 0) return <p>{t('referenceAdmin.datasets.none')}</p>;
  return (
    <TableScroller label={t('referenceAdmin.datasets.caption')}>
      <table>
        <caption className="visually-hidden">{t('referenceAdmin.datasets.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('referenceAdmin.datasets.name')}</th>
            <th scope="col">{t('referenceAdmin.datasets.source')}</th>
            <th scope="col">{t('referenceAdmin.datasets.version')}</th>
            <th scope="col">{t('referenceAdmin.datasets.loadedAt')}</th>
            <th scope="col">{t('referenceAdmin.datasets.loadedBy')}</th>
            <th scope="col">{t('referenceAdmin.datasets.rows')}</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id} data-dataset={d.id}>
              <th scope="row">{t(`referenceAdmin.datasets.names.${d.id}`)}</th>
              <td>{d.source}</td>
              <td>{d.version}</td>
              <td>{formatDateTime(d.loadedAt)}</td>
              <td>{who(d.loadedBy)}</td>
              <td>{d.rowCount.toLocaleString('fr-FR')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
}
