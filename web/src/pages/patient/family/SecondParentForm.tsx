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
import type { Child } from '../../../types';
import { isDate, isNir, normaliseNir } from '../../../validation';

/** Invites the child's second legal representative (who must have an active profile). */
export function SecondParentForm({
  id,
  child,
  childName,
}: {
  id: string;
  child: Child;
  childName: string;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [nir, setNir] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit();
  const f = (name: string) => `${id}-${name}`;
  const titleId = `${id}-title`;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: f('nir'), message: t('validation.nir') });
    if (!familyName.trim())
      errors.push({ field: f('family'), message: t('forms.requiredField', { label: t('family.familyName') }) });
    if (!givenName.trim())
      errors.push({ field: f('given'), message: t('forms.requiredField', { label: t('family.givenName') }) });
    if (!isDate(birthDate)) errors.push({ field: f('birth'), message: t('validation.date') });
    const ok = await form.run(errors, async () => {
      await apiPost(`/api/family/${encodeURIComponent(child.patientId)}/second-parent`, {
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
      await queryClient.invalidateQueries({ queryKey: ['family'] });
    }
  };

  return (
    <div id={id} className="subform">
      <h4 id={titleId}>{t('family.inviteSecondParentFor', { name: childName })}</h4>
      <p>{t('family.secondParentIntro')}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id={f('nir')}
          label={t('fields.nir')}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor(f('nir'))}
          autoComplete="off"
          maxLength={21}
          required
        />
        <TextField
          id={f('family')}
          label={t('family.familyName')}
          value={familyName}
          onChange={(e) => setFamilyName(e.target.value)}
          error={form.errorFor(f('family'))}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id={f('given')}
          label={t('family.givenName')}
          value={givenName}
          onChange={(e) => setGivenName(e.target.value)}
          error={form.errorFor(f('given'))}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id={f('birth')}
          type="date"
          label={t('fields.birthDate')}
          value={birthDate}
          onChange={(e) => setBirthDate(e.target.value)}
          error={form.errorFor(f('birth'))}
          autoComplete="off"
          required
        />
        <SubmitButton pending={form.pending}>{t('family.sendSecondParent')}</SubmitButton>
      </form>
      <StatusMessage>{sent && <span className="text-success">{t('family.secondParentSent')}</span>}</StatusMessage>
    </div>
  );
}
