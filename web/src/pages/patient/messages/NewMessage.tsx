import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { formatDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { Party, PharmacySearch } from '../../../messaging-types';
import { ComposeForm, type ComposeOutcome } from './ComposeForm';
import { searchPharmacies, useContacts } from './useMessages';

type Option = Party & { detail?: string };

/**
 * "Nouveau message": the patient writes to a pharmacy they used in the last 12 months or a professional who
 * wrote to them (the suggestions), or to a pharmacy found in the directory; then subject, text, attachments.
 */
export function NewMessage({ onDone, onCancel }: { onDone: (o: ComposeOutcome) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const contacts = useContacts(true);
  const [found, setFound] = useState<PharmacySearch['items'] | null>(null);
  // the choice is a radio of one list: the same pharmacy may be both suggested and found
  const [choice, setChoice] = useState<{ group: string; address: string } | null>(null);
  const to = choice?.address ?? '';
  const [q, setQ] = useState('');
  const [city, setCity] = useState('');
  const search = useSubmit();

  const suggestions: Option[] = [
    ...(contacts.data?.pharmacies ?? []).map((p) => ({
      address: p.address,
      display: p.display,
      detail: [p.city, t('messaging.new.lastUsed', { date: formatDate(p.lastUsed) })].filter(Boolean).join(' · '),
    })),
    ...(contacts.data?.professionals ?? []).map((p) => ({ address: p.address, display: p.display, detail: t('messaging.new.wroteToYou') })),
  ];
  const results: Option[] = (found ?? []).map((p) => ({
    address: p.address,
    display: p.display,
    detail: [p.postalCode, p.city].filter(Boolean).join(' '),
  }));
  const recipient = [...suggestions, ...results].find((o) => o.address === to);

  const onSearch = async (event: FormEvent) => {
    event.preventDefault();
    if (search.pending) return;
    const errors: FieldError[] = [];
    if (q.trim().length < 2 && city.trim().length < 2) errors.push({ field: 'msg-new-q', message: t('messaging.new.searchTooShort') });
    await search.run(errors, async () => {
      const answer = await searchPharmacies(q.trim(), city.trim());
      setFound(answer.items ?? []);
      window.setTimeout(() => document.getElementById('msg-new-results-title')?.focus(), 0);
    });
  };

  const radio = (o: Option, group: string) => {
    const id = `msg-new-${group}-${o.address.replace(/[^a-z0-9]/gi, '-')}`;
    return (
      <li key={`${group}-${o.address}`} className="msg-choice">
        <input id={id} type="radio" name="msg-new-to" value={o.address} checked={choice?.group === group && choice.address === o.address} onChange={() => setChoice({ group, address: o.address })} />
        <label htmlFor={id}>
          <span className="msg-choice__name">{o.display || o.address}</span>
          <span className="meta msg-choice__detail">
            {o.address}
            {o.detail ? ` · ${o.detail}` : ''}
          </span>
        </label>
      </li>
    );
  };

  return (
    <section aria-labelledby="msg-new-title" className="panel msg-new">
      <h2 id="msg-new-title" tabIndex={-1}>
        {t('messaging.new.title')}
      </h2>
      <p>{t('messaging.new.intro')}</p>

      <fieldset className="msg-recipients">
        <legend>{t('messaging.new.suggestions')}</legend>
        {contacts.isPending ? (
          <Loading />
        ) : contacts.isError ? (
          <QueryError error={contacts.error} />
        ) : suggestions.length === 0 ? (
          <p className="hint">{t('messaging.new.noSuggestions')}</p>
        ) : (
          <ul className="plain-list">{suggestions.map((o) => radio(o, 'sugg'))}</ul>
        )}
      </fieldset>

      <div className="subform">
        <h3 id="msg-new-search-title">{t('messaging.new.searchTitle')}</h3>
        <form noValidate role="search" aria-labelledby="msg-new-search-title" onSubmit={onSearch}>
          <ErrorSummary errors={search.errors} />
          <div className="msg-search-fields">
            <TextField
              id="msg-new-q"
              label={t('messaging.new.searchName')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
              error={search.errorFor('msg-new-q')}
              maxLength={100}
              autoComplete="off"
            />
            <TextField id="msg-new-city" label={t('messaging.new.searchCity')} value={city} onChange={(e) => setCity(e.target.value)} maxLength={100} autoComplete="off" />
          </div>
          <SubmitButton pending={search.pending} variant="secondary">
            {t('messaging.new.searchSubmit')}
          </SubmitButton>
        </form>
        {found && (
          <fieldset className="msg-recipients">
            <legend id="msg-new-results-title" tabIndex={-1}>
              {t('messaging.new.results', { count: results.length })}
            </legend>
            {results.length === 0 ? <p className="hint">{t('messaging.new.noResults')}</p> : <ul className="plain-list">{results.map((o) => radio(o, 'found'))}</ul>}
          </fieldset>
        )}
      </div>

      {recipient ? (
        <div className="msg-new__compose">
          <h3 id="msg-new-compose-title">{t('messaging.new.composeTitle', { name: recipient.display || recipient.address })}</h3>
          <ComposeForm
            key={recipient.address}
            idPrefix="msg-new"
            headingId="msg-new-compose-title"
            mode={{ kind: 'new', to: { address: recipient.address, display: recipient.display } }}
            onDone={onDone}
            onCancel={onCancel}
          />
        </div>
      ) : (
        <>
          <p className="hint">{t('messaging.new.chooseFirst')}</p>
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </>
      )}
    </section>
  );
}
