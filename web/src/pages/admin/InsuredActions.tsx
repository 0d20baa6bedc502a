import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost, errorMessage } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextAreaField } from '../../components/TextAreaField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import type { Insured } from '../../types';

/** Operator actions on a profile: an objection by phone, a suspension with its reason. */
export function InsuredActions({ insured }: { insured: Insured }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [objecting, setObjecting] = useState(false);
  const suspend = useSubmit();
  const base = `/api/admin/insured/${encodeURIComponent(insured.id)}`;

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin'] });

  const recordObjection = async () => {
    if (objecting) return;
    setObjecting(true);
    setStatus(null);
    try {
      const answer = await apiPost<{ reference: string }>(`${base}/objection`, {});
      setStatus({ ok: true, text: t('admin.objectionDone', { reference: answer?.reference ?? '' }) });
      await refresh();
    } catch (error) {
      setStatus({ ok: false, text: errorMessage(error) });
    } finally {
      setObjecting(false);
    }
  };

  const onSuspend = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const errors: FieldError[] = reason.trim().length >= 3 ? [] : [{ field: 'suspend-reason', message: t('validation.reason') }];
    const ok = await suspend.run(errors, async () => {
      await apiPost(`${base}/suspend`, { reason: reason.trim() });
    });
    if (ok) {
      setReason('');
      setStatus({ ok: true, text: t('admin.suspended') });
      await refresh();
    }
  };

  return (
    <section aria-labelledby="actions-title" className="panel">
      <h2 id="actions-title">{t('admin.actions')}</h2>
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      <p>
        <button
          type="button"
          className="button button--secondary"
          onClick={recordObjection}
          aria-disabled={objecting || undefined}
        >
          {t('admin.phoneObjection')}
        </button>
      </p>
      <form noValidate onSubmit={onSuspend} aria-label={t('admin.suspend')}>
        <ErrorSummary errors={suspend.errors} />
        <TextAreaField
          id="suspend-reason"
          label={t('admin.suspendReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={suspend.errorFor('suspend-reason')}
          maxLength={500}
          required
        />
        <SubmitButton pending={suspend.pending} variant="danger">
          {t('admin.suspend')}
        </SubmitButton>
      </form>
    </section>
  );
}
