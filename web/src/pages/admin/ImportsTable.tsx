import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../format';
import type { ImportSummary } from '../../types';
import { TableScroller } from '../../components/TableScroller';

export function ImportsTable({ imports }: { imports: ImportSummary[] }) {
  const { t } = useTranslation();
  if (imports.length === 0) return <p>{t('admin.noImports')}</p>;
  return (
    <TableScroller label={t('admin.previousTitle')}>
      <table>
        <caption className="visually-hidden">{t('admin.previousTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.fileName')}</th>
            <th scope="col">{t('admin.date')}</th>
            <th scope="col" className="numeric">
              {t('admin.rows')}
            </th>
            <th scope="col" className="numeric">
              {t('admin.created')}
            </th>
            <th scope="col" className="numeric">
              {t('admin.updated')}
            </th>
            <th scope="col" className="numeric">
              {t('admin.failed')}
            </th>
          </tr>
        </thead>
        <tbody>
          {imports.map((item, i) => (
            <tr key={item.id ?? i}>
              <th scope="row">{item.fileName ?? item.file ?? ''}</th>
              <td>{formatDateTime(item.finishedAt ?? item.startedAt)}</td>
              <td className="numeric">{formatNumber(item.rows ?? item.rowsTotal)}</td>
              <td className="numeric">{formatNumber(item.created)}</td>
              <td className="numeric">{formatNumber(item.updated)}</td>
              <td className="numeric">{formatNumber(item.failed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
}
