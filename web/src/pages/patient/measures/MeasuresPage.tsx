import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiPut } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { formatDateTime, isoOrUndefined } from '../../../format';
import { useSubmit } from '../../../hooks/useSubmit';
import type { Dashboard, MeasureCode, MeasureDefinition } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { RecordMeasureForm } from './RecordMeasureForm';
import { formatMeasure, measureLabel, MEASURES_KEY, slugOf, targetLabel, useCatalogue, useDashboard, useProfileOverview } from './useMeasures';
import './measures.css';

/**
 * /patient/mesures, "Mes mesures": the dashboard's tiles (last value, its date, the target), the choice of the
 * tiles, the form to record a measure, a link to each measure's curve and, for a child, to the growth curves.
 */
export function MeasuresPage() {
  const { t } = useTranslation();
  const catalogue = useCatalogue();
  const dashboard = useDashboard();
  const overview = useProfileOverview();
  const { announce, statusMessage } = useAnnouncer();
  const measures = catalogue.data?.measures ?? [];

  return (
    <>
      <PageHeading title={t('measures.title')} />
      <p>{t('measures.intro')}</p>
      {statusMessage}

      {overview.data?.patient.minor && (
        <p className="measures-growth-link">
          <Link to="/patient/mesures/croissance">{t('measures.growth.link', { name: overview.data.patient.name })}</Link>
        </p>
      )}

      <section aria-labelledby="measures-dashboard-title" className="panel">
        <h2 id="measures-dashboard-title" tabIndex={-1}>
          {t('measures.dashboard.title')}
        </h2>
        {dashboard.isPending || catalogue.isPending ? (
          <Loading />
        ) : dashboard.isError ? (
          <QueryError error={dashboard.error} />
        ) : catalogue.isError ? (
          <QueryError error={catalogue.error} />
        ) : dashboard.data.tiles.length === 0 ? (
          <p>{t('measures.dashboard.empty')}</p>
        ) : (
          <ul className="measure-tiles">
            {dashboard.data.tiles.map((tile) => {
              const def = measures.find((m) => m.code === tile.code);
              const label = measureLabel(t, tile.code, measures);
              const target = targetLabel(t, tile.target, tile.last?.unit ?? def?.units[0] ?? '');
              return (
                <li key={tile.code} className="measure-tile">
                  <h3>{label}</h3>
                  {tile.last ? (
                    <>
                      <p className="measure-tile__value">{formatMeasure(t, tile.last, def?.decimals ?? 2)}</p>
                      <p className="meta">
                        <time dateTime={isoOrUndefined(tile.last.date)}>{formatDateTime(tile.last.date)}</time>
                      </p>
                    </>
                  ) : (
                    <p className="meta">{t('measures.dashboard.noValue')}</p>
                  )}
                  {target && <p className="measure-tile__target">{target}</p>}
                  <Link to={`/patient/mesures/${slugOf(tile.code)}`} aria-label={t('measures.dashboard.seeCurveOf', { label })}>
                    {t('measures.dashboard.seeCurve')}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section aria-labelledby="record-measure-title" className="panel">
        <h2 id="record-measure-title">{t('measures.record.title')}</h2>
        {catalogue.isPending ? (
          <Loading />
        ) : catalogue.isError ? (
          <QueryError error={catalogue.error} />
        ) : (
          <RecordMeasureForm catalogue={measures} onRecorded={(text) => announce(text)} />
        )}
      </section>

      {measures.length > 0 && (
        <section aria-labelledby="measures-all-title" className="panel">
          <h2 id="measures-all-title">{t('measures.all.title')}</h2>
          <ul className="measure-links">
            {measures.map((m) => (
              <li key={m.code}>
                <Link to={`/patient/mesures/${slugOf(m.code)}`}>{measureLabel(t, m.code, measures)}</Link>
                {m.computed && <span className="meta"> {t('measures.all.computed')}</span>}
              </li>
            ))}
            {overview.data?.patient.minor && (
              <li>
                <Link to="/patient/mesures/croissance">{t('measures.growth.title')}</Link>
              </li>
            )}
          </ul>
        </section>
      )}

      {dashboard.data && measures.length > 0 && (
        <TilesForm
          measures={measures}
          chosen={dashboard.data.tiles.map((x) => x.code)}
          onSaved={() => announce(t('measures.tiles.done'))}
        />
      )}
    </>
  );
}

/** "Choisir les mesures du tableau de bord": one checkbox per measure, in the catalogue's order. */
function TilesForm({ measures, chosen, onSaved }: { measures: MeasureDefinition[]; chosen: MeasureCode[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [codes, setCodes] = useState<Set<MeasureCode>>(() => new Set(chosen));
  const form = useSubmit();
  const chosenKey = chosen.join(',');
  useEffect(() => setCodes(new Set(chosenKey ? (chosenKey.split(',') as MeasureCode[]) : [])), [chosenKey]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const ordered = measures.map((m) => m.code).filter((c) => codes.has(c));
    const ok = await form.run([], async () => {
      await apiPut<Dashboard>('/api/profile/measures/dashboard', { codes: ordered });
    });
    if (ok) {
      onSaved();
      await queryClient.invalidateQueries({ queryKey: [MEASURES_KEY] });
      document.getElementById('measures-dashboard-title')?.focus();
    }
  };

  return (
    <section aria-labelledby="measures-tiles-title" className="panel">
      <h2 id="measures-tiles-title">{t('measures.tiles.title')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="measures-tiles-title">
        <ErrorSummary errors={form.errors} />
        <fieldset className="measure-tiles-choice">
          <legend>{t('measures.tiles.legend')}</legend>
          {measures.map((m) => (
            <div key={m.code} className="field field--checkbox">
              <div className="checkbox">
                <input
                  id={`tile-${m.code}`}
                  type="checkbox"
                  checked={codes.has(m.code)}
                  onChange={(e) =>
                    setCodes((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.add(m.code);
                      else next.delete(m.code);
                      return next;
                    })
                  }
                />
                <label htmlFor={`tile-${m.code}`}>{measureLabel(t, m.code, measures)}</label>
              </div>
            </div>
          ))}
        </fieldset>
        <SubmitButton pending={form.pending} variant="secondary">
          {t('measures.tiles.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}
