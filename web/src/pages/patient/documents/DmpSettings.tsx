import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPut } from '../../../api';
import { useActing } from '../../../acting';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { useSubmit } from '../../../hooks/useSubmit';
import type { DmpSettings as Settings } from './types';
import { DMP_SETTINGS_KEY, useDmpSettings } from './useDocuments';

const KEYS = ['maskNewDocuments', 'samuAccess', 'breakGlass', 'hiddenInEmergency'] as const;

/**
 * "Paramètres de mes documents": hide new documents from professionals by default, and the three emergency
 * consents (SAMU, break the glass, hidden documents in an emergency). A carer sees them but does not change them.
 */
export function DmpSettings() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { actingId, isCarer } = useActing();
  const settings = useDmpSettings();
  const [values, setValues] = useState<Settings | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useSubmit();

  useEffect(() => {
    if (settings.data) setValues(settings.data);
  }, [settings.data]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!values) return;
    const ok = await form.run([], async () => {
      const next = await apiPut<Settings>('/api/dmp/settings', values);
      queryClient.setQueryData([DMP_SETTINGS_KEY, actingId], next);
    });
    setSaved(ok);
  };

  const field = (key: (typeof KEYS)[number]) => (
    <CheckboxField
      key={key}
      id={`dmp-setting-${key}`}
      label={t(`dmp.settings.${key}.label`)}
      hint={t(`dmp.settings.${key}.hint`)}
      checked={values?.[key] ?? false}
      disabled={isCarer}
      onChange={(e) => {
        setSaved(false);
        setValues((v) => (v ? { ...v, [key]: e.target.checked } : v));
      }}
    />
  );

  return (
    <section aria-labelledby="dmp-settings-title" className="panel">
      <h2 id="dmp-settings-title">{t('dmp.settings.title')}</h2>
      {settings.isPending || !values ? (
        settings.isError ? (
          <QueryError error={settings.error} />
        ) : (
          <Loading />
        )
      ) : (
        <form noValidate onSubmit={onSubmit}>
          <ErrorSummary errors={form.errors} />
          {isCarer && <p className="note">{t('dmp.settings.carer')}</p>}
          <fieldset>
            <legend>{t('dmp.settings.visibilityLegend')}</legend>
            {field('maskNewDocuments')}
          </fieldset>
          <fieldset>
            <legend>{t('dmp.settings.emergencyLegend')}</legend>
            <p className="hint">{t('dmp.settings.emergencyIntro')}</p>
            {field('samuAccess')}
            {field('breakGlass')}
            {field('hiddenInEmergency')}
          </fieldset>
          {!isCarer && <SubmitButton pending={form.pending}>{t('dmp.settings.submit')}</SubmitButton>}
        </form>
      )}
      <StatusMessage>{saved && <span className="text-success">{t('dmp.settings.saved')}</span>}</StatusMessage>
    </section>
  );
}
