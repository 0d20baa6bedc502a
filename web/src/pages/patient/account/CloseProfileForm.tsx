import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { apiPost } from '../../../api';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { clearSession } from '../../../session';

/** Closes the profile: password, optional deletion of the data, then an explicit confirmation. */
export function CloseProfileForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [deleteData, setDeleteData] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const form = useSubmit();
  const confirmRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = password
      ? []
      : [{ field: 'close-password', message: t('forms.requiredField', { label: t('account.closePassword') }) }];
    const ok = await form.run(errors, async () => undefined);
    if (ok) setConfirming(true);
  };

  const confirm = async () => {
    const ok = await form.run([], async () => {
      await apiPost('/api/account/close', { password, deleteData });
    });
    if (ok) {
      clearSession(); // the server has signed the session out
      queryClient.clear();
      navigate('/', { state: { flash: 'profileClosed' } });
    } else {
      setConfirming(false);
    }
  };

  return (
    <section aria-labelledby="close-title" className="panel panel--danger">
      <h2 id="close-title">{t('account.closeTitle')}</h2>
      <p>{t('account.closeText')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="close-title">
        <ErrorSummary errors={form.errors} />
        <TextField
          id="close-password"
          type="password"
          label={t('account.closePassword')}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setConfirming(false);
          }}
          error={form.errorFor('close-password')}
          autoComplete="current-password"
          maxLength={128}
          required
        />
        <CheckboxField
          id="close-delete-data"
          label={t('account.deleteData')}
          checked={deleteData}
          onChange={(e) => {
            setDeleteData(e.target.checked);
            setConfirming(false);
          }}
        />
        {!confirming && (
          <SubmitButton pending={form.pending} variant="danger">
            {t('account.close')}
          </SubmitButton>
        )}
      </form>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby="close-confirm-title">
          <h3 id="close-confirm-title" ref={confirmRef} tabIndex={-1}>
            {t('account.confirmTitle')}
          </h3>
          <p>{deleteData ? t('account.confirmTextDelete') : t('account.confirmText')}</p>
          <div className="button-group button-group--compact">
            <button type="button" className="button button--danger" onClick={confirm} aria-disabled={form.pending || undefined}>
              {t('account.confirmClose')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
