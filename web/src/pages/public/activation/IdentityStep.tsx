import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RESEND_CODE_PATH } from '../../../paths';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isNir, isVitaleSerial, normaliseCode, normaliseDigits, normaliseNir } from '../../../validation';
import { ActivationStepHeading } from './ActivationProgress';

export interface StartedActivation {
  activationId: string;
  givenName: string;
  familyName: string;
  expiresAt?: string;
}

/** Step 1: NIR, carte Vitale serial number and code provisoire. */
export function IdentityStep({ onDone }: { onDone: (activation: StartedActivation) => void }) {
  const { t } = useTranslation();
  const [nir, setNir] = useState('');
  const [serial, setSerial] = useState('');
  const [code, setCode] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: 'activation-nir', message: t('validation.nir') });
    if (!isVitaleSerial(serial)) errors.push({ field: 'activation-serial', message: t('validation.vitaleSerial') });
    if (!normaliseCode(code)) errors.push({ field: 'activation-code', message: t('validation.code') });
    let started: StartedActivation | undefined;
    const ok = await form.run(errors, async () => {
      started = await apiPost<StartedActivation>('/api/activation/start', {
        nir: normaliseNir(nir),
        vitaleSerial: normaliseDigits(serial),
        code: normaliseCode(code),
      });
    });
    if (ok && started) onDone(started);
  };

  return (
    <section>
      <ActivationStepHeading step={1} title={t('activation.steps.identity')} />
      <p>{t('activation.identityIntro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="activation-nir"
          label={t('fields.nir')}
          hint={t('fields.nirHint')}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor('activation-nir')}
          autoComplete="off"
          maxLength={21}
          required
        />
        <TextField
          id="activation-serial"
          label={t('fields.vitaleSerial')}
          hint={t('fields.vitaleSerialHint')}
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          error={form.errorFor('activation-serial')}
          autoComplete="off"
          inputMode="numeric"
          maxLength={16}
          required
        />
        <TextField
          id="activation-code"
          label={t('fields.code')}
          hint={t('fields.codeHint')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={form.errorFor('activation-code')}
          autoComplete="one-time-code"
          maxLength={20}
          required
        />
        <SubmitButton pending={form.pending}>{t('common.continue')}</SubmitButton>
      </form>
      <p>
        {t('activation.noCode')} <Link to={RESEND_CODE_PATH}>{t('activation.resendLink')}</Link>
      </p>
    </section>
  );
}
