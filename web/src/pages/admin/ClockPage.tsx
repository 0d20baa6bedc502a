import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { formatDateTime } from '../../format';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';

/** /admin/horloge (demo): moves Carnet's clock forward so that deadlines pass. */
export function ClockPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [days, setDays] = useState('42');
  const [done, setDone] = useState<{ days: number; now?: string } | null>(null);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const n = Number(days);
    const errors: FieldError[] =
      Number.isInteger(n) && n >= 1 && n <= 3650 ? [] : [{ field: 'clock-days', message: t('validation.days') }];
    const ok = await form.run(errors, async () => {
      const answer = await apiPost<{ now?: string } | undefined>('/api/admin/clock', { advanceDays: n });
      setDone({ days: n, now: answer?.now });
    });
    if (ok) await queryClient.invalidateQueries();
  };

  return (
    <>
      <PageHeading title={t('admin.clockTitle')} />
      <p>{t('admin.clockIntro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="clock-days"
          type="number"
          label={t('admin.days')}
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={form.errorFor('clock-days')}
          min={1}
          max={3650}
          step={1}
          inputMode="numeric"
          required
        />
        <SubmitButton pending={form.pending}>{t('admin.advance')}</SubmitButton>
      </form>
      <StatusMessage>
        {done && (
          <span className="text-success">
            {t('admin.advanced', { count: done.days })}
            {done.now && <> {t('admin.now', { date: formatDateTime(done.now) })}</>}
          </span>
        )}
      </StatusMessage>
    </>
  );
}
