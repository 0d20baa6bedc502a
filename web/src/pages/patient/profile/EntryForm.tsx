import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost, apiPut } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { ListSection, SectionViews } from '../../../profile-types';
import { formatDocumentDate } from '../documents/labels';
import { CheckboxGroup, DurationField, PartialDateField } from './fields';
import { DrugPicker, VaccinePicker } from './pickers';
import { todayInParis } from '../../../time';
import { entryPath, sectionPath, useDocumentChoices, useLinkable } from './profileApi';
import {
  controlId,
  draftOf,
  duration,
  entryTitle,
  inputOf,
  list,
  partial,
  str,
  type Draft,
  type DraftProblem,
  type FieldSpec,
  type SectionSpec,
} from './sections';
import { useFieldLabel } from './labels';

/**
 * The form of one entry of a section, to add it or to change it: the fields of the section's description,
 * checked here first (each error at its field and in the summary), then sent (POST or PUT). Its heading takes
 * the focus when it opens.
 */
export function EntryForm<S extends ListSection>({
  spec,
  formId,
  entry,
  onSaved,
  onCancel,
}: {
  spec: SectionSpec;
  formId: string;
  entry?: SectionViews[S];
  onSaved: (saved: SectionViews[S], title: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const section = spec.section;
  const labelOf = useFieldLabel(section);
  const today = todayInParis();
  const [draft, setDraft] = useState<Draft>(() => draftOf(spec, entry as Record<string, unknown> | undefined, today));
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);
  const topic = (v: string) => t(`profile.enums.habitTopic.${v}`);

  // the API names the fields at fault by the section input's keys (src/domain/profile/sections/*.ts), which
  // are the keys of the form's fields; the chosen drug's CIS shows at its CIP code
  const inputOfField = useMemo(() => {
    return (name: string): string | undefined => {
      const f = spec.fields.find((x) => x.key === (name === 'cis' ? 'cip13' : name));
      return f ? controlId(formId, f) : undefined;
    };
  }, [spec, formId]);
  const form = useSubmit(undefined, inputOfField);

  useEffect(() => heading.current?.focus(), []);

  const targets = new Set(spec.fields.flatMap((f) => (f.kind === 'links' ? [f.target] : [])));
  const diseases = useLinkable('diseases', targets.has('diseases'));
  const allergies = useLinkable('allergies', targets.has('allergies'));
  const documents = useDocumentChoices(targets.has('documents'));

  const set = (key: string, value: unknown) => setDraft((d) => ({ ...d, [key]: value }));

  const messageOf = (p: DraftProblem): string => {
    const f = spec.fields.find((x) => x.key === p.key);
    return t(`profile.validation.${p.message}`, { label: f ? labelOf(f.key) : '', ...p.params });
  };
  const problemFor = (key: string) => problems.find((p) => p.key === key);
  const errorFor = (f: FieldSpec): string | undefined => {
    const p = problemFor(f.key);
    if (p) return messageOf(p);
    return form.errorFor(controlId(formId, f));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const { input, problems: found } = inputOf(spec, draft, todayInParis());
    setProblems(found);
    const errors: FieldError[] = found.map((p) => {
      const f = spec.fields.find((x) => x.key === p.key)!;
      return { field: controlId(formId, f, p.part), message: messageOf(p) };
    });
    let saved: SectionViews[S] | undefined;
    const ok = await form.run(errors, async () => {
      saved = entry
        ? await apiPut<SectionViews[S]>(entryPath(section, entry.id), input)
        : await apiPost<SectionViews[S]>(sectionPath(section), input);
    });
    if (ok && saved) onSaved(saved, entryTitle(section, saved, topic));
  };

  const title = entry ? t('profile.actions.editTitle', { title: entryTitle(section, entry, topic) }) : t(`profile.sections.${section}.add`);

  const control = (f: FieldSpec) => {
    const id = controlId(formId, f);
    const label = labelOf(f.key);
    const error = errorFor(f);
    const hintKey = section === 'habits' && f.key === 'date' ? 'habitsDate' : f.key;
    const hint = t(`profile.hints.${hintKey}`, { defaultValue: '' }) || undefined;
    switch (f.kind) {
      case 'text':
        return (
          <TextField
            key={f.key}
            id={id}
            label={`${label} ${f.required ? t('profile.required') : t('profile.optional')}`}
            hint={f.key === 'cip13' ? t('profile.hints.cip13') : hint}
            type={f.type ?? 'text'}
            inputMode={f.key === 'cip13' ? 'numeric' : undefined}
            value={str(draft, f.key)}
            onChange={(e) => {
              set(f.key, e.target.value);
              if (f.key === 'cip13') set('cis', ''); // a typed code is not the chosen drug's
            }}
            error={error}
            maxLength={f.max ? f.max + 50 : undefined}
            autoComplete={f.autoComplete ?? 'off'}
          />
        );
      case 'textarea':
        return (
          <TextAreaField
            key={f.key}
            id={id}
            label={`${label} ${f.required ? t('profile.required') : t('profile.optional')}`}
            hint={hint}
            value={str(draft, f.key)}
            onChange={(e) => set(f.key, e.target.value)}
            error={error}
          />
        );
      case 'date':
        return (
          <TextField
            key={f.key}
            id={id}
            type="date"
            label={`${label} ${f.required ? t('profile.required') : t('profile.optional')}`}
            hint={hint ?? t('profile.hints.date')}
            max={today}
            value={str(draft, f.key)}
            onChange={(e) => set(f.key, e.target.value)}
            error={error}
          />
        );
      case 'select':
        return (
          <Field
            key={f.key}
            id={id}
            label={`${label} ${f.required ? t('profile.required') : t('profile.optional')}`}
            hint={hint}
            error={error}
            control={(aria) => (
              <select id={id} {...aria} value={str(draft, f.key)} onChange={(e) => set(f.key, e.target.value)}>
                <option value="">{t('profile.choose')}</option>
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {t(`profile.enums.${f.enumName}.${o}`)}
                  </option>
                ))}
              </select>
            )}
          />
        );
      case 'multi':
        return (
          <CheckboxGroup
            key={f.key}
            id={`${formId}-${f.key}`}
            label={label}
            required={f.required}
            options={f.options.map((o) => ({ value: o, label: t(`profile.enums.${f.enumName}.${o}`) }))}
            value={list(draft, f.key)}
            onChange={(v) => set(f.key, v)}
            error={error}
          />
        );
      case 'links': {
        const options =
          f.target === 'documents'
            ? (documents.data?.documents ?? []).map((d) => ({
                value: d.id,
                label: (
                  <>
                    {d.title} <span className="meta">({formatDocumentDate(d)})</span>
                  </>
                ),
              }))
            : (f.target === 'diseases' ? diseases.entries : allergies.entries).map((e) => ({ value: e.id, label: (e as { name: string }).name }));
        // links to entries or documents that are gone are kept as they are, not shown
        const loading = f.target === 'documents' ? documents.isPending : (f.target === 'diseases' ? diseases : allergies).isPending;
        if (loading) {
          return (
            <p key={f.key} className="meta">
              {t('profile.links.loading')}
            </p>
          );
        }
        return (
          <CheckboxGroup
            key={f.key}
            id={`${formId}-${f.key}`}
            label={label}
            options={options}
            value={list(draft, f.key)}
            onChange={(v) => set(f.key, v)}
            hint={hint}
            empty={t(`profile.links.none.${f.target}`)}
            error={error}
          />
        );
      }
      case 'partialDate': {
        const p = problemFor(f.key);
        return (
          <PartialDateField
            key={f.key}
            id={`${formId}-${f.key}`}
            label={label}
            required={f.required}
            value={partial(draft, f.key)}
            onChange={(v) => set(f.key, v)}
            error={error}
            errorPart={p?.part}
          />
        );
      }
      case 'duration':
        return <DurationField key={f.key} id={`${formId}-${f.key}`} label={label} value={duration(draft, f.key)} onChange={(v) => set(f.key, v)} error={error} />;
      case 'drug':
        return (
          <DrugPicker
            key={f.key}
            id={id}
            cip13={str(draft, 'cip13')}
            onPick={(drug, presentation) => {
              setDraft((d) => ({ ...d, name: drug.name, cip13: presentation?.cip13 ?? '', cis: drug.cis }));
            }}
          />
        );
      case 'vaccine':
        return (
          <VaccinePicker
            key={f.key}
            id={id}
            chosen={str(draft, 'vaccineRefId') ? { id: str(draft, 'vaccineRefId'), label: str(draft, 'vaccineLabel') } : null}
            onPick={(v) => setDraft((d) => ({ ...d, vaccineRefId: v?.id ?? '', vaccineLabel: v?.label ?? '' }))}
            error={error}
          />
        );
    }
  };

  const chosenDrug = section === 'treatments' && str(draft, 'cis');

  return (
    <div className="pf-form">
      <h3 id={`${formId}-title`} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <form noValidate onSubmit={onSubmit} aria-labelledby={`${formId}-title`}>
        <ErrorSummary errors={form.errors} />
        {spec.fields.map((f) => (
          <div key={f.key}>
            {control(f)}
            {f.kind === 'drug' && chosenDrug && (
              <p className="pf-chosen" id={`${controlId(formId, f)}-chosen`} tabIndex={-1}>
                {str(draft, 'cip13')
                  ? t('profile.drug.chosen', { label: str(draft, 'name'), cip: str(draft, 'cip13') })
                  : t('profile.drug.chosenNoCip', { label: str(draft, 'name') })}{' '}
                <button type="button" className="button button--link" onClick={() => setDraft((d) => ({ ...d, cis: '', cip13: '' }))}>
                  {t('profile.drug.clear')}
                </button>
              </p>
            )}
          </div>
        ))}
        <div className="button-group button-group--compact">
          <SubmitButton pending={form.pending}>{form.pending ? t('profile.actions.saving') : t('profile.actions.save')}</SubmitButton>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

