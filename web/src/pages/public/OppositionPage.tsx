import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { RESEND_CODE_PATH } from '../../paths';
import { apiPost } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { StepHeading } from '../../components/StepHeading';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { formatDateTime } from '../../format';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import { isNir, normaliseCode, normaliseNir } from '../../validation';

interface Objection {
  reference: string;
  objectedAt: string;
  proofUrl: string;
}

export function OppositionPage() {
  const { t } = useTranslation();
  const [nir, setNir] = useState('');
  const [code, setCode] = useState('');
  const [done, setDone] = useState<Objection | null>(null);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: 'opposition-nir', message: t('validation.nir') });
    if (!normaliseCode(code)) errors.push({ field: 'opposition-code', message: t('validation.code') });
    await form.run(errors, async () => {
      setDone(await apiPost<Objection>('/api/optout/objection', { nir: normaliseNir(nir), code: normaliseCode(code) }));
    });
  };

  return (
    <>
      <PageHeading title={t('opposition.title')} />
      {done ? (
        <section className="panel panel--success" aria-labelledby="opposition-done">
          <StepHeading id="opposition-done" title={t('opposition.doneTitle')} focusOnMount />
          <p>{t('opposition.doneText')}</p>
          <p>
            <strong>{t('opposition.reference', { reference: done.reference })}</strong>
          </p>
          <p>{t('opposition.objectedAt', { date: formatDateTime(done.objectedAt) })}</p>
          <p>
            <a className="button button--secondary" href={done.proofUrl} download>
              {t('opposition.proof')}
            </a>
          </p>
        </section>
      ) : (
        <>
          <p>{t('opposition.intro')}</p>
          <form noValidate onSubmit={onSubmit}>
            <ErrorSummary errors={form.errors} />
            <TextField
              id="opposition-nir"
              label={t('fields.nir')}
              hint={t('fields.nirHint')}
              value={nir}
              onChange={(e) => setNir(e.target.value)}
              error={form.errorFor('opposition-nir')}
              autoComplete="off"
              inputMode="text"
              maxLength={21}
              required
            />
            <TextField
              id="opposition-code"
              label={t('fields.code')}
              hint={t('fields.codeHint')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              error={form.errorFor('opposition-code')}
              autoComplete="one-time-code"
              maxLength={20}
              required
            />
            <SubmitButton pending={form.pending}>{t('opposition.submit')}</SubmitButton>
          </form>
          <p>
            {t('opposition.noCode')} <Link to={RESEND_CODE_PATH}>{t('opposition.resendLink')}</Link>
          </p>
        </>
      )}
    </>
  );
}
