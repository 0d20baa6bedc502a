/** Finding a drug (treatments) and a vaccine (vaccinations) in the reference data. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api';
import { describeField, FieldErrorText } from '../../../components/Field';
import type { Drug, VaccineRef } from '../../../profile-types';
import { LegendText } from './fields';
import { useDebounced, useDrugSearch, useVaccineSearch } from '../../../hooks/useReferenceSearch';

/**
 * "Rechercher un médicament": by name or CIP code, as the patient types (debounced); each drug's presentations
 * are buttons that fill the treatment's name, CIP13 and CIS. The patient may also type the name themselves.
 */
export function DrugPicker({
  id,
  cip13,
  onPick,
}: {
  id: string;
  /** The CIP13 currently in the form, to say which presentation is chosen. */
  cip13: string;
  onPick: (drug: Drug, presentation: Drug['presentations'][number] | null) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useDrugSearch(q);
  const settled = useDebounced(q.trim()) === q.trim();
  const drugs = search.data?.drugs ?? [];
  const active = q.trim().length >= 2;
  const hintId = `${id}-hint`;
  // once chosen, the results close and the focus goes to what the choice filled in
  const pick = (drug: Drug, presentation: Drug['presentations'][number] | null) => {
    onPick(drug, presentation);
    setQ('');
    window.setTimeout(() => document.getElementById(`${id}-chosen`)?.focus(), 0);
  };

  let status = '';
  if (active) {
    if (search.isError) status = errorMessage(search.error);
    else if (search.isFetching || !settled || !search.data) status = t('profile.drug.searching');
    else status = t('profile.drug.results', { count: drugs.length });
  }

  return (
    <div className="field pf-picker">
      <label id={`${id}-label`} htmlFor={id}>
        {t('profile.drug.search')} <span className="pf-optional">{t('profile.optional')}</span>
      </label>
      <p id={hintId} className="hint">
        {t('profile.drug.searchHint')}
      </p>
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={q}
        aria-describedby={hintId}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault(); // searching, not submitting the treatment
        }}
      />
      <p className="meta pf-picker__status" role="status">
        {status}
      </p>
      {active && settled && drugs.length > 0 && (
        <ul className="plain-list pf-results" aria-label={t('profile.drug.resultsLabel')}>
          {drugs.map((d) => (
            <li key={d.cis} className="pf-result">
              <p className="pf-result__name">
                <strong>{d.name}</strong>
                {d.form && <span className="meta"> — {d.form}</span>}
                {!d.marketed && <span className="meta"> ({t('profile.drug.notMarketed')})</span>}
              </p>
              {d.presentations.length === 0 && (
                <div className="pf-presentation">
                  <span className="meta">{t('profile.drug.noPresentation')}</span>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    aria-label={t('profile.drug.chooseLabel', { label: d.name })}
                    onClick={() => pick(d, null)}
                  >
                    {t('profile.drug.choose')}
                  </button>
                </div>
              )}
              <ul className="plain-list">
                {d.presentations.map((p) => (
                  <li key={p.cip13} className="pf-presentation">
                    <span>
                      {p.label} <span className="meta">CIP {p.cip13}</span>
                      {!p.marketed && <span className="meta"> ({t('profile.drug.notMarketed')})</span>}
                    </span>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      aria-pressed={cip13 === p.cip13}
                      aria-label={t('profile.drug.chooseLabel', { label: `${d.name}, ${p.label}` })}
                      onClick={() => pick(d, p)}
                    >
                      {t('profile.drug.choose')}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The vaccine of a vaccination, from the reference list: the chosen one with "Choisir un autre vaccin", or a
 * search with the matching vaccines as buttons. The control the errors link to is `${id}`.
 */
export function VaccinePicker({
  id,
  chosen,
  onPick,
  error,
}: {
  id: string;
  chosen: { id: string; label: string } | null;
  onPick: (vaccine: VaccineRef | null) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const search = useVaccineSearch(q);
  const vaccines = search.data?.vaccines ?? [];
  const hint = t('profile.vaccine.searchHint');
  const { hintId, errorId } = describeField(id, hint, error);
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');

  if (chosen?.id) {
    return (
      <fieldset className={error ? 'field field--error pf-picker' : 'field pf-picker'}>
        <legend>
          <LegendText label={t('profile.vaccine.legend')} required />
        </legend>
        {error && <FieldErrorText id={errorId!} message={error} />}
        <p>{t('profile.vaccine.chosen', { label: chosen.label })}</p>
        <button
          id={id}
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            onPick(null);
            window.setTimeout(() => document.getElementById(id)?.focus(), 0);
          }}
        >
          {t('profile.vaccine.change')}
        </button>
      </fieldset>
    );
  }

  return (
    <fieldset className={error ? 'field field--error pf-picker' : 'field pf-picker'}>
      <legend>
        <LegendText label={t('profile.vaccine.legend')} required />
      </legend>
      <label htmlFor={id}>{t('profile.vaccine.search')}</label>
      <p id={hintId} className="hint">
        {hint}
      </p>
      {error && <FieldErrorText id={errorId!} message={error} />}
      <input
        id={id}
        type="search"
        autoComplete="off"
        value={q}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.preventDefault(); // searching, not submitting the vaccination
        }}
      />
      <p className="meta pf-picker__status" role="status">
        {search.isError ? errorMessage(search.error) : search.data ? t('profile.vaccine.results', { count: vaccines.length }) : ''}
      </p>
      {vaccines.length > 0 && (
        <ul className="plain-list pf-results pf-results--scroll" aria-label={t('profile.vaccine.resultsLabel')}>
          {vaccines.map((v) => (
            <li key={v.id} className="pf-presentation">
              <span>
                <strong>{v.label}</strong>
                {v.diseases.length > 0 && <span className="meta"> — {t('profile.entry.diseases', { list: v.diseases.join(', ') })}</span>}
              </span>
              <button
                type="button"
                className="button button--secondary button--small"
                aria-label={t('profile.vaccine.choose', { label: v.label })}
                onClick={() => {
                  onPick(v);
                  window.setTimeout(() => document.getElementById(id)?.focus(), 0);
                }}
              >
                {t('profile.drug.choose')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
