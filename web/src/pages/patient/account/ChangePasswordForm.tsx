import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PasswordField } from '../../../components/PasswordField';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isStrongPassword } from '../../../validation';

export function ChangePasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const errors: FieldError[] = [];
    if (!current)
      errors.push({ field: 'account-current-password', message: t('forms.requiredField', { label: t('account.currentPassword') }) });
    if (!isStrongPassword(password)) errors.push({ field: 'account-new-password', message: t('validation.password') });
    const ok = await form.run(errors, async () => {
      await apiPost('/api/account/password', { current, password });
    });
    if (ok) {
      setDone(true);
      setCurrent('');
      setPassword('');
    }
  };

  return (
    <section aria-labelledby="password-title" className="panel">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="password-title">
        <ErrorSummary errors={form.errors} />
        <TextField
          id="account-current-password"
          type="password"
          label={t('account.currentPassword')}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={form.errorFor('account-current-password')}
          autoComplete="current-password"
          maxLength={128}
          required
        />
        <PasswordField
          id="account-new-password"
          label={t('account.newPassword')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errorFor('account-new-password')}
          maxLength={128}
          required
        />
        <SubmitButton pending={form.pending}>{t('account.changePassword')}</SubmitButton>
      </form>
      <StatusMessage>{done && <span className="text-success">{t('account.passwordChanged')}</span>}</StatusMessage>
    </section>
  );
}
