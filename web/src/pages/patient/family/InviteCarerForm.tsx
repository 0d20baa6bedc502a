import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isDate, isNir, normaliseNir } from '../../../validation';

/** Invites a carer found by INS, birth name, first given name and birth date. */
export function InviteCarerForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [nir, setNir] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: 'carer-ins', message: t('validation.nir') });
    if (!familyName.trim())
      errors.push({ field: 'carer-family', message: t('forms.requiredField', { label: t('family.birthName') }) });
    if (!givenName.trim())
      errors.push({ field: 'carer-given', message: t('forms.requiredField', { label: t('family.firstGivenName') }) });
    if (!isDate(birthDate)) errors.push({ field: 'carer-birth', message: t('validation.date') });
    const ok = await form.run(errors, async () => {
      await apiPost('/api/delegations/carers', {
        nir: normaliseNir(nir),
        familyName: familyName.trim(),
        givenName: givenName.trim(),
        birthDate,
      });
    });
    if (ok) {
      setSent(true);
      setNir('');
      setFamilyName('');
      setGivenName('');
      setBirthDate('');
      await queryClient.invalidateQueries({ queryKey: ['delegations'] });
    }
  };

  return (
    <div className="subform">
      <h3 id="invite-carer-title">{t('family.inviteCarerTitle')}</h3>
      <p>{t('family.inviteCarerIntro')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="invite-carer-title">
        <ErrorSummary errors={form.errors} />
        <TextField
          id="carer-ins"
          label={t('family.ins')}
          hint={t('family.insHint')}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor('carer-ins')}
          autoComplete="off"
          maxLength={21}
          required
        />
        <TextField
          id="carer-family"
          label={t('family.birthName')}
          value={familyName}
          onChange={(e) => setFamilyName(e.target.value)}
          error={form.errorFor('carer-family')}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id="carer-given"
          label={t('family.firstGivenName')}
          value={givenName}
          onChange={(e) => setGivenName(e.target.value)}
          error={form.errorFor('carer-given')}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id="carer-birth"
          type="date"
          label={t('fields.birthDate')}
          value={birthDate}
          onChange={(e) => setBirthDate(e.target.value)}
          error={form.errorFor('carer-birth')}
          autoComplete="off"
          required
        />
        <SubmitButton pending={form.pending}>{t('family.sendCarer')}</SubmitButton>
      </form>
      <StatusMessage>{sent && <span className="text-success">{t('family.carerSent')}</span>}</StatusMessage>
    </div>
  );
}
