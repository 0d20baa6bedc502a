import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LineChart, type ChartSeries } from '../../../components/charts/LineChart';
import { formatAgeMonths } from '../../../components/charts/scale';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { TableScroller } from '../../../components/TableScroller';
import { formatCivilDate, formatDate, formatNumber, isoOrUndefined } from '../../../format';
import type { GrowthChart, GrowthMeasure } from '../../../profile-types';
import { unitLabel, useGrowth, useProfileOverview } from './useMeasures';
import './measures.css';

const TABS: GrowthMeasure[] = ['weight', 'height', 'head-circumference', 'bmi'];

/**
 * /patient/mesures/croissance: the child's growth charts (weight, height, head circumference, BMI) against the
 * reference curves, the reference named on the chart, a choice of reference where there are several (the BMI:
 * WHO or IOTF), and the table of the child's values.
 */
export function GrowthPage() {
  const { t } = useTranslation();
  const overview = useProfileOverview();
  const [tab, setTab] = useState<GrowthMeasure>('weight');
  const [sources, setSources] = useState<Partial<Record<GrowthMeasure, string>>>({});
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = (moves[event.key]! + TABS.length) % TABS.length;
    setTab(TABS[next]!);
    tabs.current[next]?.focus();
  };

  const child = overview.data?.patient;

  return (
    <>
      <PageHeading title={t('measures.growth.title')} />
      <p>
        <Link to="/patient/mesures">{t('measures.back')}</Link>
      </p>
      {overview.isPending ? (
        <Loading />
      ) : overview.isError ? (
        <QueryError error={overview.error} />
      ) : !child?.minor ? (
        <p>{t('measures.growth.notMinor')}</p>
      ) : (
        <>
          <p>{t('measures.growth.intro', { name: child.name })}</p>
          <div role="tablist" aria-label={t('measures.growth.tabsLabel')} className="growth-tabs">
            {TABS.map((m, i) => (
              <button
                key={m}
                ref={(el) => {
                  tabs.current[i] = el;
                }}
                id={`growth-tab-${m}`}
                type="button"
                role="tab"
                aria-selected={tab === m}
                aria-controls="growth-panel"
                tabIndex={tab === m ? 0 : -1}
                className="growth-tab"
                onClick={() => setTab(m)}
                onKeyDown={(e) => onKey(e, i)}
              >
                {t(`measures.growth.tabs.${m}`)}
              </button>
            ))}
          </div>
          <div id="growth-panel" role="tabpanel" aria-labelledby={`growth-tab-${tab}`} tabIndex={0} className="growth-panel">
            <GrowthPanel
              measure={tab}
              source={sources[tab]}
              onSource={(s) => setSources((x) => ({ ...x, [tab]: s }))}
              name={child.name}
            />
          </div>
        </>
      )}
    </>
  );
}

function GrowthPanel({ measure, source, onSource, name }: { measure: GrowthMeasure; source?: string; onSource: (s: string) => void; name: string }) {
  const { t } = useTranslation();
  const growth = useGrowth(measure, source);
  if (growth.isPending) return <Loading />;
  if (growth.isError) return <QueryError error={growth.error} />;
  const chart = growth.data;
  const title = t(`measures.growth.tabs.${measure}`);
  // the reference in use and the others available (the list may or may not repeat the one in use)
  const choices = [chart.reference, ...chart.references.filter((r) => r.id !== chart.reference.id)].sort((a, b) => a.id.localeCompare(b.id));
  return (
    <>
      <h2>{t('measures.growth.chartTitle', { measure: title, name })}</h2>
      {choices.length > 1 && (
        <fieldset className="measure-period">
          <legend>{t('measures.growth.reference')}</legend>
          {choices.map((r) => (
            <div key={r.id} className="measure-period__choice">
              <input
                id={`growth-source-${r.id}`}
                type="radio"
                name={`growth-source-${measure}`}
                checked={(source ?? chart.reference.id) === r.id}
                onChange={() => onSource(r.id)}
              />
              <label htmlFor={`growth-source-${r.id}`}>{r.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <GrowthFigure chart={chart} title={title} name={name} />
    </>
  );
}

function GrowthFigure({ chart, title, name }: { chart: GrowthChart; title: string; name: string }) {
  const { t } = useTranslation();
  const unit = unitLabel(t, chart.unit);
  const points = [...chart.points].sort((a, b) => a.ageMonths - b.ageMonths);
  const maxAge = Math.max(...points.map((p) => p.ageMonths), 0);
  // the reference curves up to a little beyond the child's age (at least two years), so that the points are readable
  const horizon = Math.max(24, Math.ceil((maxAge * 1.25) / 12) * 12);
  const series: ChartSeries[] = [
    ...chart.curves.map((c) => ({
      key: `ref-${c.key}`,
      label: c.label,
      reference: true,
      emphasis: c.emphasis,
      endLabel: true,
      points: c.points.filter((p) => p.ageMonths <= horizon).map((p) => ({ x: p.ageMonths, y: p.value })),
    })),
    {
      key: 'child',
      label: name,
      showPoints: true,
      points: points.map((p) => ({
        x: p.ageMonths,
        y: p.value,
        title: `${formatDate(p.date)} (${formatAgeMonths(p.ageMonths)}) : ${formatNumber(p.value, 2)} ${unit}`,
      })),
    },
  ];
  const caption = t('measures.growth.references', { name: chart.reference.name });
  const summary =
    points.length === 0
      ? t('measures.growth.summaryEmpty', { measure: title, name, reference: chart.reference.name })
      : t('measures.growth.summary', {
          measure: title,
          name,
          reference: chart.reference.name,
          count: points.length,
          last: `${formatNumber(points[points.length - 1]!.value, 2)} ${unit}`,
          age: formatAgeMonths(points[points.length - 1]!.ageMonths),
        });

  const table = (
    <TableScroller label={t('measures.growth.tableCaption', { measure: title, name })}>
      <table>
        <caption>{t('measures.growth.tableCaption', { measure: title, name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('measures.table.date')}</th>
            <th scope="col">{t('measures.growth.age')}</th>
            <th scope="col" className="numeric">
              {t('measures.table.value')}
            </th>
          </tr>
        </thead>
        <tbody>
          {points.length === 0 ? (
            <tr>
              <td colSpan={3}>{t('measures.growth.noPoints')}</td>
            </tr>
          ) : (
            points.map((p) => (
              <tr key={`${p.date}-${p.value}`}>
                <td>
                  <time dateTime={isoOrUndefined(p.date)}>{formatDate(p.date)}</time>
                </td>
                <td>{formatAgeMonths(p.ageMonths)}</td>
                <td className="numeric">
                  {formatNumber(p.value, 2)} {unit}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableScroller>
  );

  return (
    <>
      <LineChart
        series={series}
        xKind="age"
        xLabel={t('measures.growth.xLabel')}
        yLabel={unit}
        ariaLabel={summary}
        caption={
          <>
            {caption}
            <span className="meta growth-citation"> — {chart.reference.citation}</span>
          </>
        }
        table={table}
        height={340}
      />
      <p className="meta">{t('measures.growth.bornOn', { date: formatCivilDate(chart.birthDate) })}</p>
    </>
  );
}
