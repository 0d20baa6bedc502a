import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet, isStatus } from '../../api';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageHeading } from '../../components/PageHeading';
import { Loading, QueryError } from '../../components/QueryState';
import { SubmitButton } from '../../components/SubmitButton';
import { TextField } from '../../components/TextField';
import { useSubmit, type FieldError } from '../../hooks/useSubmit';
import type { Insured } from '../../types';
import { isNir, normaliseNir } from '../../validation';
import { InsuredActions } from './InsuredActions';
import { InsuredDetails } from './InsuredDetails';

/** /admin/personnes: finds an insured person by NIR; administrative data, history and actions. */
export function PersonsPage() {
  const { t } = useTranslation();
  const [nir, setNir] = useState('');
  const [searched, setSearched] = useState<string | null>(null);
  const form = useSubmit();
  const person = useQuery({
    queryKey: ['admin', 'insured', searched],
    queryFn: ({ signal }) => apiGet<Insured>(`/api/admin/insured?nir=${encodeURIComponent(searched!)}`, signal),
    enabled: searched !== null,
    retry: false,
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = isNir(nir) ? [] : [{ field: 'person-nir', message: t('validation.nir') }];
    const ok = await form.run(errors, async () => undefined);
    if (ok) {
      const value = normaliseNir(nir);
      if (value === searched) void person.refetch();
      setSearched(value);
    }
  };

  return (
    <>
      <PageHeading title={t('admin.personsTitle')} />
      <form noValidate onSubmit={onSubmit} role="search" aria-label={t('admin.personsTitle')}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="person-nir"
          label={t('fields.nir')}
          value={nir}
          onChange={(e) => setNir(e.target.value)}
          error={form.errorFor('person-nir')}
          autoComplete="off"
          maxLength={21}
          required
        />
        <SubmitButton pending={person.isFetching}>{t('admin.searchSubmit')}</SubmitButton>
      </form>
      {searched !== null &&
        (person.isPending ? (
          <Loading />
        ) : person.isError ? (
          isStatus(person.error, 404) ? (
            <p className="alert alert--info" role="alert">
              {t('admin.notFound')}
            </p>
          ) : (
            <QueryError error={person.error} />
          )
        ) : (
          <>
            <InsuredDetails insured={person.data} />
            <InsuredActions insured={person.data} />
          </>
        ))}
    </>
  );
}
