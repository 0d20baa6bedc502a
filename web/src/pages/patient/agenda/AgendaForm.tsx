import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost, apiPut } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { APPOINTMENT_STATUSES, type AgendaEntry, type AgendaInput, type AppointmentStatus } from '../../../profile-types';
import { isCivilDate, isClockTime, parisParts, parisToIso } from '../../../time';
import { AGENDA_KEY, formatLongDay } from './useAgenda';

/** The input of each field the API names in its errors (src/domain/agenda/validate.ts). */
const INPUT_OF_FIELD: Record<string, string> = {
  kind: 'agenda-kind-appointment',
  title: 'agenda-title',
  start: 'agenda-date',
  end: 'agenda-end',
  with: 'agenda-with-name',
  'with.type': 'agenda-with-PRACTITIONER',
  'with.name': 'agenda-with-name',
  'with.id': 'agenda-with-name',
  'with.specialty': 'agenda-specialty',
  address: 'agenda-address',
  comment: 'agenda-comment',
  status: 'agenda-status',
};
const inputOfField = (field: string): string | undefined => INPUT_OF_FIELD[field];
const inputOfCode = (code: string): string | undefined => (code === 'agenda.end-before-start' ? 'agenda-end' : undefined);

/** What the form edits: an entry, or a new one (of a kind, on a day). */
export type AgendaEditing = { entry: AgendaEntry } | { kind: 'appointment' | 'reminder'; date?: string };

/**
 * Adds or changes an appointment (with a professional or an establishment, specialty, address, date and time,
 * end, status, comment) or a free reminder (title, date and time, comment). Its heading takes the focus.
 */
export function AgendaForm({ editing, onDone, onCancel }: { editing: AgendaEditing; onDone: (text: string, entry: AgendaEntry) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const existing = 'entry' in editing ? editing.entry : undefined;
  const startParts = existing ? parisParts(existing.start) : undefined;
  const [kind, setKind] = useState<'appointment' | 'reminder'>(existing?.kind ?? ('kind' in editing ? editing.kind : 'appointment'));
  const [title, setTitle] = useState(existing?.title ?? '');
  const [withType, setWithType] = useState<'PRACTITIONER' | 'HEALTHCARE_SERVICE'>(existing?.with?.type ?? 'PRACTITIONER');
  const [withName, setWithName] = useState(existing?.with?.name ?? '');
  const [specialty, setSpecialty] = useState(existing?.with?.specialty ?? '');
  const [address, setAddress] = useState(existing?.address ?? '');
  const [date, setDate] = useState(startParts?.date ?? ('date' in editing && editing.date ? editing.date : ''));
  const [time, setTime] = useState(startParts?.time ?? '09:00');
  const [end, setEnd] = useState(existing?.end ? parisParts(existing.end).time : '');
  const [status, setStatus] = useState<AppointmentStatus>(existing?.status ?? 'booked');
  const [comment, setComment] = useState(existing?.comment ?? '');
  const form = useSubmit(inputOfCode, inputOfField);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const appointment = kind === 'appointment';
  const headingText = existing
    ? t(appointment ? 'agenda.form.editAppointment' : 'agenda.form.editReminder', { title: existing.title })
    : t(appointment ? 'agenda.form.newAppointment' : 'agenda.form.newReminder');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    const titleLabel = t(appointment ? 'agenda.form.titleAppointment' : 'agenda.form.titleReminder');
    if (!title.trim()) errors.push({ field: 'agenda-title', message: t('forms.requiredField', { label: titleLabel }) });
    else if (title.trim().length > 200) errors.push({ field: 'agenda-title', message: t('agenda.form.errors.titleTooLong') });
    if (!date) errors.push({ field: 'agenda-date', message: t('forms.requiredField', { label: t('agenda.form.date') }) });
    else if (!isCivilDate(date)) errors.push({ field: 'agenda-date', message: t('agenda.form.errors.date') });
    if (!isClockTime(time)) errors.push({ field: 'agenda-time', message: t('agenda.form.errors.time') });
    if (appointment && end && !isClockTime(end)) errors.push({ field: 'agenda-end', message: t('agenda.form.errors.time') });
    else if (appointment && end && isClockTime(time) && end <= time) errors.push({ field: 'agenda-end', message: t('agenda.form.errors.endBeforeStart') });
    let input: AgendaInput | undefined;
    if (errors.length === 0) {
      input = {
        kind,
        title: title.trim(),
        start: parisToIso(date, time),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(appointment
          ? {
              ...(end ? { end: parisToIso(date, end) } : {}),
              ...(withName.trim() ? { with: { type: withType, name: withName.trim(), ...(specialty.trim() ? { specialty: specialty.trim() } : {}) } } : {}),
              ...(address.trim() ? { address: address.trim() } : {}),
              status,
            }
          : {}),
      };
    }
    let saved: AgendaEntry | undefined;
    const ok = await form.run(errors, async () => {
      saved = existing
        ? await apiPut<AgendaEntry>(`/api/agenda/${encodeURIComponent(existing.id)}`, input)
        : await apiPost<AgendaEntry>('/api/agenda', input);
    });
    if (ok && saved) {
      await queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
      const when = `${formatLongDay(date)} à ${time.replace(':', ' h ')}`;
      onDone(t(existing ? 'agenda.form.updated' : 'agenda.form.added', { title: saved.title, when }), saved);
    }
  };

  return (
    <section aria-labelledby="agenda-form-title" className="panel agenda-form">
      <h2 id="agenda-form-title" ref={heading} tabIndex={-1}>
        {headingText}
      </h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="agenda-form-title">
        <ErrorSummary errors={form.errors} />
        {!existing && (
          <fieldset className="radio-row">
            <legend>{t('agenda.form.kind')}</legend>
            {(['appointment', 'reminder'] as const).map((k) => (
              <div key={k} className="radio-row__item">
                <input id={`agenda-kind-${k}`} type="radio" name="agenda-kind" checked={kind === k} onChange={() => setKind(k)} />
                <label htmlFor={`agenda-kind-${k}`}>{t(`agenda.kinds.${k}`)}</label>
              </div>
            ))}
          </fieldset>
        )}
        <TextField
          id="agenda-title"
          label={t(appointment ? 'agenda.form.titleAppointment' : 'agenda.form.titleReminder')}
          hint={appointment ? t('agenda.form.titleAppointmentHint') : undefined}
          value={title}
          maxLength={200}
          autoComplete="off"
          onChange={(e) => setTitle(e.target.value)}
          error={form.errorFor('agenda-title')}
        />
        {appointment && (
          <>
            <fieldset className="radio-row">
              <legend>{t('agenda.form.withType')}</legend>
              {(['PRACTITIONER', 'HEALTHCARE_SERVICE'] as const).map((w) => (
                <div key={w} className="radio-row__item">
                  <input id={`agenda-with-${w}`} type="radio" name="agenda-with-type" checked={withType === w} onChange={() => setWithType(w)} />
                  <label htmlFor={`agenda-with-${w}`}>{t(`agenda.withTypes.${w}`)}</label>
                </div>
              ))}
            </fieldset>
            <TextField
              id="agenda-with-name"
              label={t(withType === 'PRACTITIONER' ? 'agenda.form.practitioner' : 'agenda.form.establishment')}
              value={withName}
              maxLength={200}
              autoComplete="off"
              onChange={(e) => setWithName(e.target.value)}
              error={form.errorFor('agenda-with-name')}
            />
            <TextField id="agenda-specialty" label={t('agenda.form.specialty')} hint={t('agenda.form.specialtyHint')} value={specialty} maxLength={200} autoComplete="off" onChange={(e) => setSpecialty(e.target.value)} error={form.errorFor('agenda-specialty')} />
            <TextField id="agenda-address" label={t('agenda.form.address')} value={address} maxLength={300} autoComplete="street-address" onChange={(e) => setAddress(e.target.value)} error={form.errorFor('agenda-address')} />
          </>
        )}
        <div className="agenda-form__when">
          <TextField id="agenda-date" type="date" label={t('agenda.form.date')} value={date} onChange={(e) => setDate(e.target.value)} error={form.errorFor('agenda-date')} />
          <TextField id="agenda-time" type="time" label={t('agenda.form.time')} value={time} onChange={(e) => setTime(e.target.value)} error={form.errorFor('agenda-time')} />
          {appointment && (
            <TextField id="agenda-end" type="time" label={t('agenda.form.end')} value={end} onChange={(e) => setEnd(e.target.value)} error={form.errorFor('agenda-end')} />
          )}
        </div>
        {appointment && (
          <Field
            id="agenda-status"
            label={t('agenda.form.status')}
            error={form.errorFor('agenda-status')}
            control={(aria) => (
              <select id="agenda-status" {...aria} value={status} onChange={(e) => setStatus(e.target.value as AppointmentStatus)}>
                {APPOINTMENT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`agenda.statuses.${s}`)}
                  </option>
                ))}
              </select>
            )}
          />
        )}
        <TextAreaField id="agenda-comment" label={t('agenda.form.comment')} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} error={form.errorFor('agenda-comment')} />
        <div className="button-group button-group--compact">
          <SubmitButton pending={form.pending}>{t(existing ? 'agenda.form.save' : appointment ? 'agenda.form.addAppointment' : 'agenda.form.addReminder')}</SubmitButton>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
