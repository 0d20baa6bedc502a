import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiPost } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { StatusMessage } from '../../components/StatusMessage';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import { isDate, isNir, normaliseNir } from '../../validation';

/** /activation?nouveau-code: asks for a new code provisoire; the answer never says whether the NIR exists. */
export function ResendCodePage() {
  const { t } = useTranslation();
  const [nir, setNir] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: 'resend-nir', message: t('validation.nir') });
    if (!isDate(birthDate)) errors.push({ field: 'resend-birth-date', message: t('validation.date') });
    const ok = await form.run(errors, async () => {
      await apiPost('/api/codes/resend', { nir: normaliseNir(nir), birthDate });
    });
    if (ok) setSent(true);
  };

  return (
    <>
      <PageHeading title={t('resend.title')} />
      <p>{t('resend.intro')}</p>
      <form noValidate onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="resend-nir"
          label={t('fields.nir')}
          hint={t('fields.nirHint')}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor('resend-nir')}
          autoComplete="off"
          maxLength={21}
          required
        />
        <TextField
          id="resend-birth-date"
          type="date"
          label={t('fields.birthDate')}
          value={birthDate}
          onChange={(e) => setBirthDate(e.target.value)}
          error={form.errorFor('resend-birth-date')}
          autoComplete="bday"
          required
        />
        <SubmitButton pending={form.pending}>{t('resend.submit')}</SubmitButton>
      </form>
      <StatusMessage>{sent && <span className="text-success">{t('resend.sent')}</span>}</StatusMessage>
      <p>
        <Link to="/activation">{t('resend.backToActivation')}</Link>
      </p>
    </>
  );
}
