import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { ME_KEY } from '../../../hooks/useMe';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isEmail } from '../../../validation';

/** A new e-mail address, confirmed with a one-time code sent to it. */
export function ChangeEmailForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [otpSentTo, setOtpSentTo] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useSubmit();

  const requestCode = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const errors: FieldError[] = isEmail(email) ? [] : [{ field: 'account-email', message: t('validation.email') }];
    if (!password) errors.push({ field: 'account-email-password', message: t('validation.currentPassword') });
    let sentTo = '';
    const ok = await form.run(errors, async () => {
      const answer = await apiPost<{ otpSentTo: string }>('/api/account/email', { email: email.trim(), password });
      setPassword('');
      sentTo = answer?.otpSentTo ?? email.trim();
    });
    if (ok) setOtpSentTo(sentTo);
  };

  const verify = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = otp.trim() ? [] : [{ field: 'account-email-otp', message: t('validation.otp') }];
    const ok = await form.run(errors, async () => {
      await apiPost('/api/account/email/verify', { otp: otp.trim() });
    });
    if (ok) {
      setDone(true);
      setOtpSentTo(null);
      setEmail('');
      setOtp('');
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    }
  };

  return (
    <>
      <h3 id="email-title">{t('account.emailTitle')}</h3>
      {otpSentTo === null ? (
        <form noValidate onSubmit={requestCode} aria-labelledby="email-title">
          <ErrorSummary errors={form.errors} />
          <TextField
            id="account-email"
            type="email"
            label={t('account.newEmail')}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={form.errorFor('account-email')}
            autoComplete="email"
            maxLength={254}
            required
          />
          <TextField
            id="account-email-password"
            type="password"
            label={t('account.currentPassword')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={form.errorFor('account-email-password')}
            autoComplete="current-password"
            required
          />
          <SubmitButton pending={form.pending} variant="secondary">
            {t('account.sendCode')}
          </SubmitButton>
        </form>
      ) : (
        <form noValidate onSubmit={verify} aria-labelledby="email-title">
          <ErrorSummary errors={form.errors} />
          <p>{t('account.otpSent', { email: otpSentTo })}</p>
          <TextField
            id="account-email-otp"
            label={t('fields.otp')}
            hint={t('fields.otpHint')}
            value={otp}
            onChange={(e) => setOtp(e.target.value)}
            error={form.errorFor('account-email-otp')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={12}
            required
            autoFocus
          />
          <SubmitButton pending={form.pending}>{t('account.verifyEmail')}</SubmitButton>
        </form>
      )}
      <StatusMessage>{done && <span className="text-success">{t('account.emailChanged')}</span>}</StatusMessage>
    </>
  );
}
