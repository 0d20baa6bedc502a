/** The controls of the profile's forms that the shared components do not have: partial dates, durations, groups of checkboxes. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeField, FieldErrorText } from '../../../components/Field';
import { DURATION_UNITS } from '../../../profile-types';
import type { DurationDraft, PartialDraft } from './sections';

/** A legend with "(obligatoire)" or "(facultatif)". */
export function LegendText({ label, required }: { label: string; required?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {label} <span className="pf-optional">{required ? t('profile.required') : t('profile.optional')}</span>
    </>
  );
}

/**
 * A date known in part: day (optional), month (optional, a list), year (required when the date is). A fieldset
 * whose legend names the date; the error is about one part, which it links to.
 */
export function PartialDateField({
  id,
  label,
  required,
  value,
  onChange,
  error,
  errorPart,
}: {
  id: string;
  label: string;
  required?: boolean;
  value: PartialDraft;
  onChange: (value: PartialDraft) => void;
  error?: string;
  errorPart?: 'day' | 'month' | 'year' | 'value';
}) {
  const { t } = useTranslation();
  const hint = required ? t('profile.partialDate.hintRequired') : t('profile.partialDate.hintOptional');
  const { hintId, errorId } = describeField(id, hint, error);
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const invalid = (part: string) => (error && (errorPart ?? 'year') === part ? true : undefined);
  const set = (part: keyof PartialDraft, v: string) => onChange({ ...value, [part]: v });
  return (
    <fieldset className={error ? 'field field--error pf-date' : 'field pf-date'} aria-describedby={describedBy}>
      <legend>
        <LegendText label={label} required={required} />
      </legend>
      <p id={hintId} className="hint">
        {hint}
      </p>
      {error && <FieldErrorText id={errorId!} message={error} />}
      <div className="pf-date__parts">
        <div className="pf-date__part pf-date__part--day">
          <label htmlFor={`${id}-day`}>{t('profile.partialDate.day')}</label>
          <input
            id={`${id}-day`}
            type="text"
            inputMode="numeric"
            maxLength={2}
            autoComplete="off"
            value={value.day}
            aria-invalid={invalid('day')}
            onChange={(e) => set('day', e.target.value)}
          />
        </div>
        <div className="pf-date__part pf-date__part--month">
          <label htmlFor={`${id}-month`}>{t('profile.partialDate.month')}</label>
          <select id={`${id}-month`} value={value.month} aria-invalid={invalid('month')} onChange={(e) => set('month', e.target.value)}>
            <option value="">{t('profile.partialDate.noMonth')}</option>
            {Array.from({ length: 12 }, (_, i) => String(i + 1)).map((m) => (
              <option key={m} value={m}>
                {t(`profile.partialDate.months.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="pf-date__part pf-date__part--year">
          <label htmlFor={`${id}-year`}>{t('profile.partialDate.year')}</label>
          <input
            id={`${id}-year`}
            type="text"
            inputMode="numeric"
            maxLength={4}
            autoComplete="off"
            value={value.year}
            aria-invalid={invalid('year')}
            onChange={(e) => set('year', e.target.value)}
          />
        </div>
      </div>
    </fieldset>
  );
}

/** A duration: a whole number and its unit. */
export function DurationField({
  id,
  label,
  value,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: DurationDraft;
  onChange: (value: DurationDraft) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const { errorId } = describeField(id, undefined, error);
  return (
    <fieldset className={error ? 'field field--error pf-duration' : 'field pf-duration'}>
      <legend>
        <LegendText label={label} />
      </legend>
      {error && <FieldErrorText id={errorId!} message={error} />}
      <div className="pf-duration__parts">
        <div>
          <label htmlFor={`${id}-value`}>{t('profile.duration.value')}</label>
          <input
            id={`${id}-value`}
            type="text"
            inputMode="numeric"
            maxLength={3}
            autoComplete="off"
            value={value.value}
            aria-invalid={error ? true : undefined}
            aria-describedby={errorId}
            onChange={(e) => onChange({ ...value, value: e.target.value })}
          />
        </div>
        <div>
          <label htmlFor={`${id}-unit`}>{t('profile.duration.unit')}</label>
          <select id={`${id}-unit`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value })}>
            {DURATION_UNITS.map((u) => (
              <option key={u} value={u}>
                {t(`profile.enums.durationUnit.${u}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </fieldset>
  );
}

/** A group of checkboxes (several of an enum, or links to other entries). The first box carries `${id}-0`. */
export function CheckboxGroup({
  id,
  label,
  required,
  options,
  value,
  onChange,
  error,
  hint,
  empty,
}: {
  id: string;
  label: string;
  required?: boolean;
  options: { value: string; label: ReactNode }[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
  hint?: string;
  /** Shown instead of the boxes when there is nothing to choose. */
  empty?: string;
}) {
  const { hintId, errorId } = describeField(id, hint, error);
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const toggle = (v: string, on: boolean) => onChange(on ? [...value.filter((x) => x !== v), v] : value.filter((x) => x !== v));
  return (
    <fieldset className={error ? 'field field--error pf-checks' : 'field pf-checks'} aria-describedby={describedBy}>
      <legend>
        <LegendText label={label} required={required} />
      </legend>
      {hint && options.length > 0 && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId!} message={error} />}
      {options.length === 0 && empty ? (
        <p className="meta">{empty}</p>
      ) : (
        options.map((o, i) => (
          <div className="checkbox pf-check" key={o.value}>
            <input
              id={`${id}-${i}`}
              type="checkbox"
              checked={value.includes(o.value)}
              aria-invalid={error ? true : undefined}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            <label htmlFor={`${id}-${i}`}>{o.label}</label>
          </div>
        ))
      )}
    </fieldset>
  );
}
