import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiPost, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { DirectoryItem } from '../../../types';
import { professionalName } from './labels';
import {
  PROFESSIONALS_KEY,
  useDirectoryOptions,
  useDirectorySearch,
  useProfessionals,
  type DirectoryCriteria,
} from './useProfessionals';

/** "Ajouter un professionnel": the directory search (name, profession, specialty, city), paged, with an add button. */
export function DirectorySearch() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [profession, setProfession] = useState('');
  const [specialty, setSpecialty] = useState('');
  const [city, setCity] = useState('');
  const [criteria, setCriteria] = useState<DirectoryCriteria | null>(null);
  const [page, setPage] = useState(1);
  const form = useSubmit();
  const options = useDirectoryOptions();
  const results = useDirectorySearch(criteria, page);
  const resultsTitle = useRef<HTMLHeadingElement>(null);

  const specialties = (options.data?.specialties ?? []).filter(
    (s) => !profession || !s.professionCode || s.professionCode === profession,
  );

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    const trimmedName = name.trim();
    if (trimmedName.length === 1) errors.push({ field: 'directory-name', message: t('professionals.search.nameTooShort') });
    else if (!trimmedName && !city.trim())
      errors.push({ field: 'directory-name', message: t('professionals.search.needCriteria') });
    const ok = await form.run(errors, async () => undefined);
    if (ok) {
      setCriteria({ name: trimmedName, profession, specialty, city: city.trim() });
      setPage(1);
    }
  };

  const goTo = (next: number) => {
    setPage(next);
    window.setTimeout(() => resultsTitle.current?.focus(), 0);
  };

  return (
    <section aria-labelledby="directory-title" className="panel">
      <h2 id="directory-title">{t('professionals.search.title')}</h2>
      <p>{t('professionals.search.intro')}</p>
      <form noValidate onSubmit={onSubmit} role="search" aria-labelledby="directory-title">
        <ErrorSummary errors={form.errors} />
        <TextField
          id="directory-name"
          label={t('professionals.search.name')}
          hint={t('professionals.search.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={form.errorFor('directory-name')}
          autoComplete="off"
          maxLength={100}
        />
        <Field
          id="directory-profession"
          label={t('professionals.search.profession')}
          hint={options.isError ? t('professionals.search.optionsUnavailable') : undefined}
          control={(aria) => (
            <select
              id="directory-profession"
              {...aria}
              value={profession}
              onChange={(e) => {
                setProfession(e.target.value);
                setSpecialty('');
              }}
            >
              <option value="">{t('professionals.search.anyProfession')}</option>
              {(options.data?.professions ?? []).map((o) => (
                <option key={o.code} value={o.code}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          id="directory-specialty"
          label={t('professionals.search.specialty')}
          control={(aria) => (
            <select id="directory-specialty" {...aria} value={specialty} onChange={(e) => setSpecialty(e.target.value)}>
              <option value="">{t('professionals.search.anySpecialty')}</option>
              {specialties.map((o) => (
                <option key={`${o.professionCode ?? ''}-${o.code}`} value={o.code}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
        />
        <TextField
          id="directory-city"
          label={t('professionals.search.city')}
          hint={t('professionals.search.cityHint')}
          value={city}
          onChange={(e) => setCity(e.target.value)}
          autoComplete="off"
          maxLength={100}
        />
        <SubmitButton pending={results.isFetching}>{t('professionals.search.submit')}</SubmitButton>
      </form>

      <StatusMessage>
        {criteria !== null && results.isSuccess && !results.isPlaceholderData && (
          <>
            {t('professionals.search.results', { count: results.data.items.length, page: results.data.page ?? page })}
            {results.data.hasMore && <> {t('professionals.search.moreResults')}</>}
          </>
        )}
      </StatusMessage>

      {criteria !== null && (
        <div>
          <h3 id="directory-results-title" ref={resultsTitle} tabIndex={-1}>
            {t('professionals.search.resultsTitle')}
          </h3>
          {results.isPending ? (
            <Loading />
          ) : results.isError ? (
            <QueryError error={results.error} />
          ) : results.data.items.length === 0 ? (
            <p>{t('professionals.search.results', { count: 0, page })}</p>
          ) : (
            <>
              <DirectoryResults items={results.data.items} />
              <nav aria-label={t('professionals.search.pagination')} className="button-group button-group--compact">
                {page > 1 && (
                  <button type="button" className="button button--secondary button--small" onClick={() => goTo(page - 1)}>
                    {t('professionals.search.previous')}
                  </button>
                )}
                <span className="meta">{t('professionals.search.pageNumber', { page })}</span>
                {results.data.hasMore && (
                  <button type="button" className="button button--secondary button--small" onClick={() => goTo(page + 1)}>
                    {t('professionals.search.next')}
                  </button>
                )}
              </nav>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** The practice situations found, each with its structure and an add button (or "already in your list"). */
function DirectoryResults({ items }: { items: DirectoryItem[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const professionals = useProfessionals();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [adding, setAdding] = useState<string | null>(null);
  const inList = new Set((professionals.data ?? []).filter((p) => p.inList).map((p) => p.practitionerId));

  const add = async (item: DirectoryItem) => {
    if (adding) return;
    const name = professionalName(t, item);
    setAdding(item.roleId);
    setStatus(null);
    try {
      await apiPost('/api/professionals', { practitionerId: item.practitionerId });
      setStatus({ ok: true, text: t('professionals.done.added', { name }) });
    } catch (error) {
      setStatus({ ok: false, text: errorMessage(error) });
    }
    await queryClient.invalidateQueries({ queryKey: [PROFESSIONALS_KEY] });
    setAdding(null);
    document.getElementById(`directory-item-${item.roleId}`)?.focus();
  };

  return (
    <>
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      <ul className="plain-list" aria-labelledby="directory-results-title">
        {items.map((item) => {
          const name = professionalName(t, item);
          const place = [item.postalCode, item.city].filter(Boolean).join(' ');
          return (
            <li key={item.roleId} className="card">
              <h4 id={`directory-item-${item.roleId}`} tabIndex={-1}>
                {name}
              </h4>
              <p>{[item.professionLabel ?? item.professionCode, item.skillLabel].filter(Boolean).join(' · ')}</p>
              {(item.organizationName || place) && (
                <p className="meta">
                  {[item.organizationName, ...(item.addressLines ?? []), place].filter(Boolean).join(', ')}
                </p>
              )}
              {item.phone && <p className="meta">{t('professionals.search.phone', { phone: item.phone })}</p>}
              {inList.has(item.practitionerId) ? (
                <p>
                  <strong>{t('professionals.search.inList')}</strong>
                </p>
              ) : (
                <button
                  type="button"
                  className="button button--primary button--small"
                  aria-disabled={adding !== null || undefined}
                  onClick={() => void add(item)}
                >
                  {t('professionals.search.add')}
                  <span className="visually-hidden"> : {name}</span>
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
