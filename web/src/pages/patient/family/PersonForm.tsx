import { useQueryClient, type QueryKey } from '@tanstack/react-query';
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

/** The labels of the identity fields; each form names them its own way. */
export interface PersonLabels {
  nir: string;
  nirHint?: string;
  familyName: string;
  givenName: string;
}

export interface PersonFormProps {
  /** The id of the block (for a disclosure button's aria-controls). */
  id?: string;
  /** Prefix of the ids of the title and of the fields. */
  idPrefix: string;
  title: string;
  titleLevel: 'h3' | 'h4';
  intro: string;
  labels: PersonLabels;
  submitLabel: string;
  sentMessage: string;
  /** Where the person (NIR, family name, given name, birth date) is posted. */
  endpoint: string;
  /** The queries to refresh once the invitation is sent. */
  invalidates: QueryKey;
}

/** An invitation sent to a person found by NIR, family name, given name and birth date. */
export function PersonForm({
  id,
  idPrefix,
  title,
  titleLevel: Title,
  intro,
  labels,
  submitLabel,
  sentMessage,
  endpoint,
  invalidates,
}: PersonFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [nir, setNir] = useState('');
  const [familyName, setFamilyName] = useState('');
  const [givenName, setGivenName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit();
  const f = (name: string) => `${idPrefix}-${name}`;
  const titleId = f('title');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    const errors: FieldError[] = [];
    if (!isNir(nir)) errors.push({ field: f('nir'), message: t('validation.nir') });
    if (!familyName.trim())
      errors.push({ field: f('family'), message: t('forms.requiredField', { label: labels.familyName }) });
    if (!givenName.trim())
      errors.push({ field: f('given'), message: t('forms.requiredField', { label: labels.givenName }) });
    if (!isDate(birthDate)) errors.push({ field: f('birth'), message: t('validation.date') });
    const ok = await form.run(errors, async () => {
      await apiPost(endpoint, {
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
      await queryClient.invalidateQueries({ queryKey: invalidates });
    }
  };

  return (
    <div id={id} className="subform">
      <Title id={titleId}>{title}</Title>
      <p>{intro}</p>
      <form noValidate onSubmit={onSubmit} aria-labelledby={titleId}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id={f('nir')}
          label={labels.nir}
          hint={labels.nirHint}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor(f('nir'))}
          autoComplete="off"
          maxLength={21}
          required
        />
        <TextField
          id={f('family')}
          label={labels.familyName}
          value={familyName}
          onChange={(e) => setFamilyName(e.target.value)}
          error={form.errorFor(f('family'))}
          autoComplete="off"
          maxLength={100}
          required
        />
        <TextField
          id={f('given')}
          label={labels.givenName}
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
        <SubmitButton pending={form.pending}>{submitLabel}</SubmitButton>
      </form>
      <StatusMessage>{sent && <span className="text-success">{sentMessage}</span>}</StatusMessage>
    </div>
  );
}
