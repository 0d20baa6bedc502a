import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format';
import type { ImportReport } from '../../types';
import { TableScroller } from '../../components/TableScroller';

/** The report of one import: counts and the failed lines. Takes the focus when it appears. */
export function ImportReportView({ fileName, report }: { fileName: string; report: ImportReport }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [report]);
  const errors = report.errors ?? [];

  return (
    <section aria-labelledby="report-title" className="panel">
      <h2 id="report-title" ref={heading} tabIndex={-1}>
        {t('admin.reportTitle')} : {fileName}
      </h2>
      <dl className="stats">
        <div>
          <dt>{t('admin.rows')}</dt>
          <dd>{formatNumber(report.rows)}</dd>
        </div>
        <div>
          <dt>{t('admin.created')}</dt>
          <dd>{formatNumber(report.created)}</dd>
        </div>
        <div>
          <dt>{t('admin.updated')}</dt>
          <dd>{formatNumber(report.updated)}</dd>
        </div>
        <div>
          <dt>{t('admin.failed')}</dt>
          <dd>{formatNumber(report.failed)}</dd>
        </div>
      </dl>
      {errors.length === 0 ? (
        <p>{t('admin.noErrors')}</p>
      ) : (
        <TableScroller label={t('admin.errorsCaption')}>
          <table>
            <caption>{t('admin.errorsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('admin.line')}
                </th>
                <th scope="col">{t('admin.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((error, i) => (
                <tr key={`${error.line}-${i}`}>
                  <td className="numeric">{error.line}</td>
                  <td>{error.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
    </section>
  );
}
