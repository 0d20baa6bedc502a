import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { apiDelete, apiPut, errorMessage } from '../../../api';
import { LineChart, type ChartSeries } from '../../../components/charts/LineChart';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TableScroller } from '../../../components/TableScroller';
import { TextField } from '../../../components/TextField';
import { formatDateTime, formatNumber, isoOrUndefined } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { Measure, MeasureDefinition, MeasureSeries, MeasureTarget } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { RecordMeasureForm } from './RecordMeasureForm';
import { addToCivil, todayInParis, parseDecimal } from '../../../time';
import { codeOfSlug, formatMeasure, measureLabel, MEASURES_KEY, sourceLabel, targetLabel, unitLabel, useCatalogue, useSeries } from './useMeasures';
import './measures.css';

const PERIODS = ['3m', '1y', 'all'] as const;
type Period = (typeof PERIODS)[number];

function fromOf(period: Period): string | undefined {
  if (period === '3m') return addToCivil(todayInParis(), { months: -3 });
  if (period === '1y') return addToCivil(todayInParis(), { months: -12 });
  return undefined;
}

/**
 * /patient/mesures/:code: the curve of one measure over a period (3 months, a year, everything) with the target
 * band, the table of its values (the accessible alternative to the chart) with their source and deletion, the
 * target, and the form to record a value.
 */
export function MeasurePage() {
  const { t } = useTranslation();
  const { code: slug } = useParams();
  const code = codeOfSlug(slug);
  const catalogue = useCatalogue();
  const [period, setPeriod] = useState<Period>('1y');
  const series = useSeries(code, fromOf(period));
  const { announce, statusMessage } = useAnnouncer();
  const def = catalogue.data?.measures.find((m) => m.code === code);
  const label = code ? measureLabel(t, code, catalogue.data?.measures) : t('measures.unknown.title');

  if (!code) {
    return (
      <>
        <PageHeading title={label} />
        <p>{t('measures.unknown.text')}</p>
        <p>
          <Link to="/patient/mesures">{t('measures.back')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeading title={label} />
      <p>
        <Link to="/patient/mesures">{t('measures.back')}</Link>
      </p>
      {statusMessage}

      <section aria-labelledby="measure-curve-title" className="panel">
        <h2 id="measure-curve-title" tabIndex={-1}>
          {t('measures.curve.title')}
        </h2>
        <fieldset className="measure-period">
          <legend>{t('measures.curve.period')}</legend>
          {PERIODS.map((p) => (
            <div key={p} className="measure-period__choice">
              <input id={`period-${p}`} type="radio" name="period" value={p} checked={period === p} onChange={() => setPeriod(p)} />
              <label htmlFor={`period-${p}`}>{t(`measures.curve.periods.${p}`)}</label>
            </div>
          ))}
        </fieldset>
        {series.isPending || catalogue.isPending ? (
          <Loading />
        ) : series.isError ? (
          <QueryError error={series.error} />
        ) : catalogue.isError ? (
          <QueryError error={catalogue.error} />
        ) : (
          <MeasureCurve def={def} data={series.data} period={period} label={label} onDeleted={announce} />
        )}
      </section>

      {def && !def.computed && (
        <section aria-labelledby="record-measure-title" className="panel">
          <h2 id="record-measure-title">{t('measures.record.titleOf', { label })}</h2>
          <RecordMeasureForm catalogue={catalogue.data!.measures} fixedCode={def.code} onRecorded={announce} />
        </section>
      )}

      {def && series.data && <TargetForm def={def} target={series.data.target} label={label} onDone={announce} />}
    </>
  );
}

function MeasureCurve({
  def,
  data,
  period,
  label,
  onDeleted,
}: {
  def: MeasureDefinition | undefined;
  data: MeasureSeries;
  period: Period;
  label: string;
  onDeleted: (text: string, ok?: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState<Measure | null>(null);
  const [pending, setPending] = useState(false);
  const measures = [...data.measures].sort((a, b) => a.date.localeCompare(b.date));
  const unit = measures[0]?.unit ?? def?.units[0] ?? '';
  const decimals = def?.decimals ?? 2;
  const pair = Boolean(def?.components?.length) || measures.some((m) => m.systolic !== undefined);

  const point = (m: Measure, y: number) => ({ x: Date.parse(m.date), y, title: `${formatDateTime(m.date)} : ${formatMeasure(t, m, decimals)}` });
  const chartSeries: ChartSeries[] = pair
    ? (def?.components ?? [
        { key: 'systolic' as const, label: t('measures.systolic') },
        { key: 'diastolic' as const, label: t('measures.diastolic') },
      ]).map((c) => ({
        key: c.key,
        label: c.label,
        showPoints: true,
        points: measures.filter((m) => m[c.key] !== undefined).map((m) => point(m, m[c.key]!)),
      }))
    : [{ key: 'value', label, showPoints: true, points: measures.filter((m) => m.value !== undefined).map((m) => point(m, m.value!)) }];

  const target = targetLabel(t, data.target, unit);
  const last = measures[measures.length - 1];
  const summary =
    measures.length === 0
      ? t('measures.curve.summaryEmpty', { label })
      : t('measures.curve.summary', {
          label,
          count: measures.length,
          from: formatDateTime(measures[0]!.date),
          to: formatDateTime(last!.date),
          last: formatMeasure(t, last!, decimals),
        }) + (target ? ` ${target}.` : '');

  const remove = async (m: Measure) => {
    if (pending) return;
    setPending(true);
    try {
      await apiDelete(`/api/profile/measures/${encodeURIComponent(m.id)}`);
      setDeleting(null);
      onDeleted(t('measures.table.deleted', { value: formatMeasure(t, m, decimals), date: formatDateTime(m.date) }));
      await queryClient.invalidateQueries({ queryKey: [MEASURES_KEY] });
      document.getElementById('measure-curve-title')?.focus();
    } catch (error) {
      onDeleted(errorMessage(error), false);
    } finally {
      setPending(false);
    }
  };

  const table = (
    <TableScroller label={t('measures.table.caption', { label })}>
      <table className="measure-table">
        <caption>
          {t('measures.table.caption', { label })} <span className="meta">({t(`measures.curve.periods.${period}`)})</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('measures.table.date')}</th>
            <th scope="col" className="numeric">
              {t('measures.table.value')}
            </th>
            <th scope="col">{t('measures.table.source')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('measures.table.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...measures].reverse().map((m) => (
            <tr key={m.id}>
              <td>
                <time dateTime={isoOrUndefined(m.date)}>{formatDateTime(m.date)}</time>
              </td>
              <td className="numeric">{formatMeasure(t, m, decimals)}</td>
              <td>{sourceLabel(t, m.source)}</td>
              <td>
                {!def?.computed && (
                  <button
                    id={`delete-${m.id}`}
                    type="button"
                    className="button button--secondary button--small"
                    aria-expanded={deleting?.id === m.id}
                    onClick={() => setDeleting(m)}
                  >
                    {t('measures.table.delete')}
                    <span className="visually-hidden"> {t('measures.table.deleteWhich', { value: formatMeasure(t, m, decimals), date: formatDateTime(m.date) })}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );

  return (
    <>
      {measures.length === 0 ? (
        <p>{t('measures.curve.empty')}</p>
      ) : (
        <LineChart
          series={chartSeries}
          xKind="time"
          xLabel={t('measures.curve.xLabel')}
          yLabel={unitLabel(t, unit)}
          ariaLabel={summary}
          band={data.target ? { low: data.target.low, high: data.target.high, label: target ?? '' } : null}
          yDecimals={decimals}
          table={table}
        />
      )}
      {deleting && (
        <ConfirmBox
          title={t('measures.table.confirmTitle', { value: formatMeasure(t, deleting, decimals), date: formatDateTime(deleting.date) })}
          confirmLabel={t('measures.table.confirm')}
          headingLevel="h3"
          pending={pending}
          onConfirm={() => void remove(deleting)}
          onCancel={() => {
            const id = deleting.id;
            setDeleting(null);
            document.getElementById(`delete-${id}`)?.focus();
          }}
        >
          <p>{t('measures.table.confirmText')}</p>
        </ConfirmBox>
      )}
    </>
  );
}

/** The inputs of the fields the API names about a target (low, high). */
const targetInput = (field: string) => (field === 'low' ? 'target-low' : field === 'high' ? 'target-high' : undefined);

/** The target of a measure: a low and/or a high value, drawn as a band on the curve. */
function TargetForm({
  def,
  target,
  label,
  onDone,
}: {
  def: MeasureDefinition;
  target: MeasureTarget | null;
  label: string;
  onDone: (text: string) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const show = (n: number | undefined) => (n === undefined ? '' : formatNumber(n, 3).replace(/\s/g, ''));
  const [low, setLow] = useState(show(target?.low));
  const [high, setHigh] = useState(show(target?.high));
  const form = useSubmit(undefined, targetInput);
  const unit = unitLabel(t, def.units[0]!);
  useEffect(() => {
    setLow(show(target?.low));
    setHigh(show(target?.high));
  }, [target?.low, target?.high]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    const l = low.trim() ? parseDecimal(low) : undefined;
    const h = high.trim() ? parseDecimal(high) : undefined;
    if (l !== undefined && Number.isNaN(l)) errors.push({ field: 'target-low', message: t('measures.record.errors.number', { label: t('measures.targetForm.low', { unit }) }) });
    if (h !== undefined && Number.isNaN(h)) errors.push({ field: 'target-high', message: t('measures.record.errors.number', { label: t('measures.targetForm.high', { unit }) }) });
    if (l === undefined && h === undefined) errors.push({ field: 'target-low', message: t('measures.targetForm.errors.empty') });
    if (l !== undefined && h !== undefined && !Number.isNaN(l) && !Number.isNaN(h) && l > h) {
      errors.push({ field: 'target-high', message: t('measures.targetForm.errors.order') });
    }
    const ok = await form.run(errors, async () => {
      await apiPut(`/api/profile/measures/targets/${def.code}`, { ...(l !== undefined ? { low: l } : {}), ...(h !== undefined ? { high: h } : {}) });
    });
    if (ok) {
      onDone(t('measures.targetForm.saved', { label }));
      await queryClient.invalidateQueries({ queryKey: [MEASURES_KEY] });
    }
  };

  const remove = async () => {
    const ok = await form.run([], async () => {
      await apiDelete(`/api/profile/measures/targets/${def.code}`);
    });
    if (ok) {
      onDone(t('measures.targetForm.removed', { label }));
      await queryClient.invalidateQueries({ queryKey: [MEASURES_KEY] });
      document.getElementById('target-low')?.focus();
    }
  };

  return (
    <section aria-labelledby="measure-target-title" className="panel">
      <h2 id="measure-target-title">{t('measures.targetForm.title')}</h2>
      <p>{targetLabel(t, target, def.units[0]!) ?? t('measures.targetForm.none')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="measure-target-title">
        <ErrorSummary errors={form.errors} />
        <div className="measure-form__pair">
          <TextField id="target-low" label={t('measures.targetForm.low', { unit })} inputMode="decimal" autoComplete="off" value={low} onChange={(e) => setLow(e.target.value)} error={form.errorFor('target-low')} />
          <TextField id="target-high" label={t('measures.targetForm.high', { unit })} inputMode="decimal" autoComplete="off" value={high} onChange={(e) => setHigh(e.target.value)} error={form.errorFor('target-high')} />
        </div>
        <div className="button-group button-group--compact">
          <SubmitButton pending={form.pending}>{t('measures.targetForm.submit')}</SubmitButton>
          {target && (
            <button type="button" className="button button--secondary" onClick={() => void remove()}>
              {t('measures.targetForm.remove')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
