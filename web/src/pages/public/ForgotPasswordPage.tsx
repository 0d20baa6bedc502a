import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../api';
import { startSignIn } from '../../auth';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { PasswordField } from '../../components/PasswordField';
import { StepHeading } from '../../components/StepHeading';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import { isStrongPassword } from '../../validation';

type Step = { name: 'request' } | { name: 'reset'; login: string } | { name: 'done' };

/** /mot-de-passe-oublie: a code by e-mail, then a new password. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ name: 'request' });
  return (
    <>
      <PageHeading title={t('forgot.title')} />
      {step.name === 'request' && <RequestForm onDone={(login) => setStep({ name: 'reset', login })} />}
      {step.name === 'reset' && <ResetForm login={step.login} onDone={() => setStep({ name: 'done' })} />}
      {step.name === 'done' && (
        <section className="panel panel--success">
          <StepHeading title={t('forgot.doneTitle')} focusOnMount />
          <p>{t('forgot.doneText')}</p>
          <button type="button" className="button button--primary" onClick={() => void startSignIn()}>
            {t('common.signIn')}
          </button>
        </section>
      )}
    </>
  );
}

function RequestForm({ onDone }: { onDone: (login: string) => void }) {
  const { t } = useTranslation();
  const [login, setLogin] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = login.trim()
      ? []
      : [{ field: 'forgot-login', message: t('forms.requiredField', { label: t('fields.login') }) }];
    const ok = await form.run(errors, async () => {
      await apiPost('/api/password/forgot', { login: login.trim() });
    });
    if (ok) onDone(login.trim());
  };

  return (
    <section>
      <h2>{t('forgot.requestTitle')}</h2>
      <p>{t('forgot.intro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="forgot-login"
          label={t('fields.login')}
          value={login}
          onChange={(e) => setLogin(e.target.value)}
          error={form.errorFor('forgot-login')}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
        />
        <SubmitButton pending={form.pending}>{t('forgot.requestSubmit')}</SubmitButton>
      </form>
    </section>
  );
}

function ResetForm({ login, onDone }: { login: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [otp, setOtp] = useState('');
  const [password, setPassword] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!otp.trim()) errors.push({ field: 'forgot-otp', message: t('validation.otp') });
    if (!isStrongPassword(password)) errors.push({ field: 'forgot-password', message: t('validation.password') });
    const ok = await form.run(errors, async () => {
      await apiPost('/api/password/reset', { login, otp: otp.trim(), password });
    });
    if (ok) onDone();
  };

  return (
    <section>
      <StepHeading title={t('forgot.resetTitle')} focusOnMount />
      <p className="alert alert--info">{t('forgot.sent')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="forgot-otp"
          label={t('fields.otp')}
          hint={t('fields.otpHint')}
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={form.errorFor('forgot-otp')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={12}
          required
        />
        <PasswordField
          id="forgot-password"
          label={t('forgot.newPassword')}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={form.errorFor('forgot-password')}
          maxLength={128}
          required
        />
        <SubmitButton pending={form.pending}>{t('forgot.resetSubmit')}</SubmitButton>
      </form>
    </section>
  );
}
