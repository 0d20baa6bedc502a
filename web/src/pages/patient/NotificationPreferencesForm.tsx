import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPut } from '../../api';
import { CheckboxField } from '../../components/CheckboxField';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Loading, QueryError } from '../../components/QueryState';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { useNotificationPreferences } from '../../hooks/usePatientData';
import { useSubmit } from '../../hooks/useSubmit';
import { NOTIFICATION_CATEGORIES, type NotificationPreferences } from '../../types';

/** One checkbox per category: also receive an e-mail. */
export function NotificationPreferencesForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const preferences = useNotificationPreferences();
  const [values, setValues] = useState<NotificationPreferences | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useSubmit();

  useEffect(() => {
    if (preferences.data) setValues({ ...defaults(), ...preferences.data });
  }, [preferences.data]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    setSaved(false);
    const ok = await form.run([], async () => {
      await apiPut('/api/notifications/preferences', values);
    });
    if (ok) {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: ['notification-preferences'] });
    }
  };

  return (
    <section aria-labelledby="preferences-title" className="panel">
      <h2 id="preferences-title">{t('notifications.prefsTitle')}</h2>
      <p>{t('notifications.prefsIntro')}</p>
      {preferences.isPending ? (
        <Loading />
      ) : preferences.isError ? (
        <QueryError error={preferences.error} />
      ) : (
        values && (
          <form noValidate onSubmit={onSubmit} aria-labelledby="preferences-title">
            <ErrorSummary errors={form.errors} />
            <fieldset>
              <legend>{t('notifications.prefsLegend')}</legend>
              {NOTIFICATION_CATEGORIES.map((category) => (
                <CheckboxField
                  key={category}
                  id={`preference-${category}`}
                  label={t('notifications.prefLabel', { category: t(`categories.${category}`) })}
                  checked={values[category]}
                  onChange={(e) => {
                    setSaved(false);
                    setValues({ ...values, [category]: e.target.checked });
                  }}
                />
              ))}
            </fieldset>
            <SubmitButton pending={form.pending}>{t('notifications.prefsSubmit')}</SubmitButton>
            <StatusMessage>{saved && <span className="text-success">{t('notifications.prefsSaved')}</span>}</StatusMessage>
          </form>
        )
      )}
    </section>
  );
}

const defaults = (): NotificationPreferences => ({
  documents: true,
  messages: true,
  appointments: true,
  prevention: true,
  services: true,
});
