import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ActivationStepHeading } from './ActivationProgress';

/** Step 3: the one-time code sent to the e-mail address. */
export function EmailStep({
  activationId,
  otpSentTo,
  onDone,
}: {
  activationId: string;
  otpSentTo: string;
  onDone: (login: string) => void;
}) {
  const { t } = useTranslation();
  const [otp, setOtp] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = otp.trim() ? [] : [{ field: 'activation-otp', message: t('validation.otp') }];
    let login = '';
    const ok = await form.run(errors, async () => {
      const answer = await apiPost<{ login: string }>(
        `/api/activation/${encodeURIComponent(activationId)}/verify`,
        { otp: otp.trim() },
      );
      login = answer?.login ?? '';
    });
    if (ok) onDone(login);
  };

  return (
    <section>
      <ActivationStepHeading step={3} title={t('activation.steps.email')} />
      <p>{t('activation.otpSent', { email: otpSentTo })}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="activation-otp"
          label={t('fields.otp')}
          hint={t('fields.otpHint')}
          value={otp}
          onChange={(e) => setOtp(e.target.value)}
          error={form.errorFor('activation-otp')}
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={12}
          required
        />
        <SubmitButton pending={form.pending}>{t('activation.verify')}</SubmitButton>
      </form>
    </section>
  );
}
