import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDelete, apiPost, apiPut, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { formatDateTime } from '../../../format';
import { useSubmit } from '../../../hooks/useSubmit';
import type { AgendaFeed } from '../../../profile-types';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { AGENDA_KEY, useAgendaSettings, useFeeds } from './useAgenda';

/** The reminder delays offered (minutes before the appointment). */
export const REMINDER_CHOICES = [60, 1440, 2880, 10080] as const;

/** The inputs of the fields the API names (agenda.invalid: reminderMinutes, label). */
const reminderInput = (field: string) => (field === 'reminderMinutes' ? 'agenda-reminder' : undefined);
const feedLabelInput = (field: string) => (field === 'label' ? 'agenda-feed-label' : undefined);

/** "Rappel de mes rendez-vous": how long before an appointment or a reminder the notification comes. */
export function ReminderSettings({ announce }: { announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useAgendaSettings();
  const [minutes, setMinutes] = useState<string>('');
  const form = useSubmit(undefined, reminderInput);
  useEffect(() => {
    if (settings.data) setMinutes(String(settings.data.reminderMinutes));
  }, [settings.data]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes);
    const ok = await form.run([], async () => {
      await apiPut('/api/agenda/settings', { reminderMinutes: value });
    });
    if (ok) {
      announce(t('agenda.reminder.saved', { delay: delayLabel(value) }));
      await queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
    }
  };

  const delayLabel = (m: number) => ((REMINDER_CHOICES as readonly number[]).includes(m) ? t(`agenda.reminder.choices.${m}`) : t('agenda.reminder.minutes', { count: m }));
  const current = settings.data?.reminderMinutes;
  const options: number[] = [...REMINDER_CHOICES, ...(current !== undefined && !(REMINDER_CHOICES as readonly number[]).includes(current) ? [current] : [])];

  return (
    <section aria-labelledby="agenda-reminder-title" className="panel">
      <h2 id="agenda-reminder-title">{t('agenda.reminder.title')}</h2>
      <p>{t('agenda.reminder.intro')}</p>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <QueryError error={settings.error} />
      ) : (
        <form noValidate onSubmit={onSubmit} aria-labelledby="agenda-reminder-title" className="agenda-inline-form">
          <ErrorSummary errors={form.errors} />
          <Field
            id="agenda-reminder"
            label={t('agenda.reminder.label')}
            error={form.errorFor('agenda-reminder')}
            control={(aria) => (
              <select id="agenda-reminder" {...aria} value={minutes} onChange={(e) => setMinutes(e.target.value)}>
                {options.map((m) => (
                  <option key={m} value={m}>
                    {delayLabel(m)}
                  </option>
                ))}
              </select>
            )}
          />
          <SubmitButton pending={form.pending} variant="secondary">
            {t('agenda.reminder.submit')}
          </SubmitButton>
        </form>
      )}
    </section>
  );
}

/** The webcal:// form of an https:// feed address (what phones open in their calendar app). */
export const webcalOf = (url: string): string => url.replace(/^https?:/, 'webcal:');

/**
 * "S'abonner depuis un téléphone": private iCalendar links. A new link is shown once (with a copy button and its
 * webcal:// form); the links are listed with their last use, and can be revoked (the address then answers 410).
 */
export function FeedsBlock({ announce }: { announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const feeds = useFeeds();
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<{ label: string; url: string } | null>(null);
  const [revoking, setRevoking] = useState<AgendaFeed | null>(null);
  const [pending, setPending] = useState(false);
  const form = useSubmit(undefined, feedLabelInput);
  const createdHeading = useRef<HTMLHeadingElement>(null);
  const nameOf = (f: { label?: string }) => f.label?.trim() || t('agenda.feeds.unnamed');

  useEffect(() => {
    if (created) createdHeading.current?.focus();
  }, [created]);

  const onCreate = async (event: FormEvent) => {
    event.preventDefault();
    const errors = label.trim().length > 100 ? [{ field: 'agenda-feed-label', message: t('agenda.feeds.errors.labelTooLong') }] : [];
    let answer: (AgendaFeed & { url: string }) | undefined;
    const ok = await form.run(errors, async () => {
      answer = await apiPost<AgendaFeed & { url: string }>('/api/agenda/feeds', label.trim() ? { label: label.trim() } : {});
    });
    if (ok && answer) {
      setCreated({ label: nameOf(answer), url: new URL(answer.url, window.location.origin).href });
      setLabel('');
      await queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
    }
  };

  const copy = async (value: string, inputId: string) => {
    try {
      await navigator.clipboard.writeText(value);
      announce(t('agenda.feeds.copied'));
    } catch {
      const input = document.getElementById(inputId) as HTMLInputElement | null;
      input?.focus();
      input?.select();
      announce(t('agenda.feeds.copyManually'), false);
    }
  };

  const revoke = async (feed: AgendaFeed) => {
    if (pending) return;
    setPending(true);
    try {
      await apiDelete(`/api/agenda/feeds/${encodeURIComponent(feed.id)}`);
      setRevoking(null);
      announce(t('agenda.feeds.revoked', { label: nameOf(feed) }));
      await queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
      document.getElementById('agenda-feeds-list-title')?.focus();
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setPending(false);
    }
  };

  const active = (feeds.data?.feeds ?? []).filter((f) => !f.revokedAt);
  const revoked = (feeds.data?.feeds ?? []).filter((f) => f.revokedAt);

  return (
    <section aria-labelledby="agenda-feeds-title" className="panel">
      <h2 id="agenda-feeds-title">{t('agenda.feeds.title')}</h2>
      <p>{t('agenda.feeds.intro')}</p>
      <p className="note">{t('agenda.feeds.private')}</p>
      <details className="agenda-howto foldable">
        <summary>{t('agenda.feeds.howTo.title')}</summary>
        <ul>
          <li>{t('agenda.feeds.howTo.iphone')}</li>
          <li>{t('agenda.feeds.howTo.android')}</li>
          <li>{t('agenda.feeds.howTo.other')}</li>
        </ul>
      </details>

      <form noValidate onSubmit={onCreate} aria-labelledby="agenda-feeds-create-title" className="agenda-inline-form">
        <h3 id="agenda-feeds-create-title">{t('agenda.feeds.createTitle')}</h3>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="agenda-feed-label"
          label={t('agenda.feeds.label')}
          hint={t('agenda.feeds.labelHint')}
          value={label}
          maxLength={100}
          autoComplete="off"
          onChange={(e) => setLabel(e.target.value)}
          error={form.errorFor('agenda-feed-label')}
        />
        <SubmitButton pending={form.pending}>{t('agenda.feeds.create')}</SubmitButton>
      </form>

      {created && (
        <div className="panel panel--success agenda-feed-created" role="group" aria-labelledby="agenda-feed-created-title">
          <h3 id="agenda-feed-created-title" ref={createdHeading} tabIndex={-1}>
            {t('agenda.feeds.createdTitle', { label: created.label })}
          </h3>
          <p>
            <strong>{t('agenda.feeds.shownOnce')}</strong>
          </p>
          <TextField id="agenda-feed-url" label={t('agenda.feeds.url')} value={created.url} readOnly onFocus={(e) => e.target.select()} />
          <div className="button-group button-group--compact">
            <button type="button" className="button button--primary button--small" onClick={() => void copy(created.url, 'agenda-feed-url')}>
              {t('agenda.feeds.copy')}
            </button>
            <a className="button button--secondary button--small" href={webcalOf(created.url)}>
              {t('agenda.feeds.openWebcal')}
            </a>
          </div>
          <TextField id="agenda-feed-webcal" label={t('agenda.feeds.webcal')} hint={t('agenda.feeds.webcalHint')} value={webcalOf(created.url)} readOnly onFocus={(e) => e.target.select()} />
          <button type="button" className="button button--secondary button--small" onClick={() => void copy(webcalOf(created.url), 'agenda-feed-webcal')}>
            {t('agenda.feeds.copyWebcal')}
          </button>
          <p>
            <button
              type="button"
              className="button button--link"
              onClick={() => {
                setCreated(null);
                document.getElementById('agenda-feeds-list-title')?.focus();
              }}
            >
              {t('agenda.feeds.done')}
            </button>
          </p>
        </div>
      )}

      <h3 id="agenda-feeds-list-title" tabIndex={-1}>
        {t('agenda.feeds.listTitle')}
      </h3>
      {feeds.isPending ? (
        <Loading />
      ) : feeds.isError ? (
        <QueryError error={feeds.error} />
      ) : active.length === 0 ? (
        <p>{t('agenda.feeds.none')}</p>
      ) : (
        <ul className="plain-list">
          {active.map((f) => (
            <li key={f.id} className="card">
              <p>
                <strong>{nameOf(f)}</strong>
              </p>
              <p className="meta">
                {t('agenda.feeds.createdAt', { date: formatDateTime(f.createdAt) })}
                {' · '}
                {f.lastUsedAt ? t('agenda.feeds.lastUsed', { date: formatDateTime(f.lastUsedAt) }) : t('agenda.feeds.neverUsed')}
              </p>
              <button
                id={`agenda-feed-revoke-${f.id}`}
                type="button"
                className="button button--danger button--small"
                aria-expanded={revoking?.id === f.id}
                onClick={() => setRevoking(f)}
              >
                {t('agenda.feeds.revoke')}
                <span className="visually-hidden"> : {nameOf(f)}</span>
              </button>
              {revoking?.id === f.id && (
                <ConfirmBox
                  title={t('agenda.feeds.confirmTitle', { label: nameOf(f) })}
                  confirmLabel={t('agenda.feeds.confirm')}
                  pending={pending}
                  onConfirm={() => void revoke(f)}
                  onCancel={() => {
                    setRevoking(null);
                    document.getElementById(`agenda-feed-revoke-${f.id}`)?.focus();
                  }}
                >
                  <p>{t('agenda.feeds.confirmText')}</p>
                </ConfirmBox>
              )}
            </li>
          ))}
        </ul>
      )}
      {revoked.length > 0 && (
        <p className="meta">{t('agenda.feeds.revokedCount', { count: revoked.length })}</p>
      )}
    </section>
  );
}
