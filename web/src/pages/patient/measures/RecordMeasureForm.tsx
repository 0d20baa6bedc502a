import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { formatDateTime, formatNumber } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { Measure, MeasureCode, MeasureDefinition, MeasureInput } from '../../../profile-types';
import { parisParts, parisToIso, parseDecimal } from '../../../time';
import { formatMeasure, measureLabel, MEASURES_KEY, unitLabel } from './useMeasures';

/** The input of each field the API names in its errors (src/domain/measures/validate.ts checkMeasureInput). */
const INPUT_OF_FIELD: Record<string, string> = {
  code: 'measure-code',
  value: 'measure-value',
  systolic: 'measure-systolic',
  diastolic: 'measure-diastolic',
  unit: 'measure-unit',
  date: 'measure-date',
};
const inputOfField = (field: string): string | undefined => INPUT_OF_FIELD[field];

const nowLocal = () => {
  const p = parisParts(new Date());
  return `${p.date}T${p.time}`;
};

/**
 * "Enregistrer une mesure": the measure (or a fixed one), its value (for a blood pressure, the systolic and
 * diastolic values), the unit among those accepted, and the date and time (now by default, not in the future).
 * Plausibility is the server's to judge (the same rules as for a connected app); the range is given as a hint.
 */
export function RecordMeasureForm({
  catalogue,
  fixedCode,
  onRecorded,
}: {
  catalogue: MeasureDefinition[];
  fixedCode?: MeasureCode;
  onRecorded: (text: string) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const enterable = catalogue.filter((m) => !m.computed);
  const [code, setCode] = useState<string>(fixedCode ?? '');
  const def = enterable.find((m) => m.code === code);
  const [value, setValue] = useState('');
  const [systolic, setSystolic] = useState('');
  const [diastolic, setDiastolic] = useState('');
  const [unit, setUnit] = useState(def?.units[0] ?? '');
  const [date, setDate] = useState(nowLocal);
  const isPair = Boolean(def?.components?.length);
  const form = useSubmit(undefined, inputOfField);

  const chooseCode = (next: string) => {
    setCode(next);
    const d = enterable.find((m) => m.code === next);
    setUnit(d?.units[0] ?? '');
    form.reset();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    let input: MeasureInput | undefined;
    if (!def) errors.push({ field: 'measure-code', message: t('measures.record.errors.code') });
    const numbers: Partial<Record<'value' | 'systolic' | 'diastolic', number>> = {};
    if (def && isPair) {
      for (const c of def.components ?? []) {
        const raw = c.key === 'systolic' ? systolic : diastolic;
        const n = parseDecimal(raw);
        const field = `measure-${c.key}`;
        if (!raw.trim()) errors.push({ field, message: t('forms.requiredField', { label: c.label }) });
        else if (Number.isNaN(n)) errors.push({ field, message: t('measures.record.errors.number', { label: c.label }) });
        else numbers[c.key] = n;
      }
    } else if (def) {
      const n = parseDecimal(value);
      if (!value.trim()) errors.push({ field: 'measure-value', message: t('measures.record.errors.valueRequired') });
      else if (Number.isNaN(n)) errors.push({ field: 'measure-value', message: t('measures.record.errors.number', { label: t('measures.record.value') }) });
      else numbers.value = n;
    }
    if (def && !unit) errors.push({ field: 'measure-unit', message: t('measures.record.errors.unit') });
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(date);
    if (!match) errors.push({ field: 'measure-date', message: t('measures.record.errors.date') });
    if (def && errors.length === 0) {
      input = { code: def.code, unit, date: parisToIso(match![1]!, match![2]!), ...numbers };
    }
    let saved: Measure | undefined;
    const ok = await form.run(errors, async () => {
      saved = await apiPost<Measure>('/api/profile/measures', input);
    });
    if (ok && def && input) {
      const shown = saved ?? ({ ...input, id: '', source: { kind: 'patient' } } as Measure);
      onRecorded(t('measures.record.done', { label: measureLabel(t, def.code, catalogue), value: formatMeasure(t, shown), date: formatDateTime(shown.date) }));
      setValue('');
      setSystolic('');
      setDiastolic('');
      setDate(nowLocal());
      await queryClient.invalidateQueries({ queryKey: [MEASURES_KEY] });
    }
  };

  const rangeHint = def && !isPair ? t('measures.record.range', { min: formatNumber(def.min, 2), max: formatNumber(def.max, 2), unit: unitLabel(t, def.units[0]!) }) : undefined;

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="record-measure-title" className="measure-form">
      <ErrorSummary errors={form.errors} />
      {fixedCode ? null : (
        <Field
          id="measure-code"
          label={t('measures.record.code')}
          error={form.errorFor('measure-code')}
          control={(aria) => (
            <select id="measure-code" {...aria} value={code} onChange={(e) => chooseCode(e.target.value)}>
              <option value="">{t('measures.record.choose')}</option>
              {enterable.map((m) => (
                <option key={m.code} value={m.code}>
                  {measureLabel(t, m.code, catalogue)}
                </option>
              ))}
            </select>
          )}
        />
      )}
      {def && isPair ? (
        <div className="measure-form__pair">
          {(def.components ?? []).map((c) => (
            <TextField
              key={c.key}
              id={`measure-${c.key}`}
              label={c.label}
              hint={t('measures.record.range', { min: formatNumber(c.min, 2), max: formatNumber(c.max, 2), unit: unitLabel(t, def.units[0]!) })}
              inputMode="decimal"
              autoComplete="off"
              value={c.key === 'systolic' ? systolic : diastolic}
              onChange={(e) => (c.key === 'systolic' ? setSystolic(e.target.value) : setDiastolic(e.target.value))}
              error={form.errorFor(`measure-${c.key}`)}
            />
          ))}
        </div>
      ) : (
        <TextField
          id="measure-value"
          label={t('measures.record.value')}
          hint={rangeHint}
          inputMode="decimal"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={form.errorFor('measure-value')}
        />
      )}
      <Field
        id="measure-unit"
        label={t('measures.record.unit')}
        error={form.errorFor('measure-unit')}
        control={(aria) => (
          <select id="measure-unit" {...aria} value={unit} onChange={(e) => setUnit(e.target.value)}>
            {!def && <option value="">{t('measures.record.chooseMeasureFirst')}</option>}
            {(def?.units ?? []).map((u) => (
              <option key={u} value={u}>
                {unitLabel(t, u)}
              </option>
            ))}
          </select>
        )}
      />
      <TextField
        id="measure-date"
        type="datetime-local"
        label={t('measures.record.date')}
        hint={t('measures.record.dateHint')}
        value={date}
        max={nowLocal()}
        onChange={(e) => setDate(e.target.value)}
        error={form.errorFor('measure-date')}
      />
      <SubmitButton pending={form.pending}>{t('measures.record.submit')}</SubmitButton>
    </form>
  );
}
