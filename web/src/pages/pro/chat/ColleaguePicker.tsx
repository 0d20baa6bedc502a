import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../api';
import { StatusMessage } from '../../../components/StatusMessage';
import { TextField } from '../../../components/TextField';
import type { ChatMember, DirectoryItem } from './types';

/** "Dr Claire Durand", as the server names members. */
export const directoryName = (item: Pick<DirectoryItem, 'civility' | 'given' | 'family'>): string =>
  [item.civility, item.given, item.family].filter(Boolean).join(' ');

/**
 * Choosing colleagues from the national directory (GET /api/directory?name=…): a search by name, the results
 * with an "Ajouter" button each, and the chosen ones with a "Retirer" button. It lives inside the caller's
 * form: its search button is not a submit button, and Enter in its field searches.
 */
export function ColleaguePicker({
  idPrefix,
  selected,
  onChange,
  exclude,
  error,
}: {
  idPrefix: string;
  selected: ChatMember[];
  onChange: (next: ChatMember[]) => void;
  /** Practitioner ids never offered (oneself, the room's members). */
  exclude: readonly string[];
  error?: string;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [results, setResults] = useState<ChatMember[] | null>(null);
  const [details, setDetails] = useState<Map<string, string>>(new Map());
  const [searchError, setSearchError] = useState<string | undefined>();
  const [status, setStatus] = useState('');

  const search = async () => {
    if (name.trim().length < 2) {
      setSearchError(t('chat.picker.nameRequired'));
      return;
    }
    setSearchError(undefined);
    try {
      const page = await api<{ items: DirectoryItem[] }>(`/api/directory?${new URLSearchParams({ name: name.trim(), pageSize: '20' }).toString()}`, { acting: false });
      const seen = new Map<string, ChatMember>();
      const info = new Map<string, string>();
      for (const item of page.items ?? []) {
        if (exclude.includes(item.practitionerId) || seen.has(item.practitionerId)) continue;
        seen.set(item.practitionerId, { practitionerId: item.practitionerId, name: directoryName(item) });
        info.set(item.practitionerId, [item.professionLabel, item.skillLabel, item.city].filter(Boolean).join(' · '));
      }
      setResults([...seen.values()]);
      setDetails(info);
      setStatus(t('chat.picker.results', { count: seen.size }));
    } catch (err) {
      setSearchError(errorMessage(err));
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void search();
    }
  };

  const isSelected = (id: string) => selected.some((m) => m.practitionerId === id);

  return (
    <fieldset className="subform">
      <legend>{t('chat.picker.legend')}</legend>
      <TextField
        id={`${idPrefix}-search`}
        label={t('chat.picker.search')}
        hint={t('chat.picker.searchHint')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={onKeyDown}
        error={searchError ?? error}
        autoComplete="off"
        maxLength={100}
      />
      <button type="button" className="button button--secondary" onClick={() => void search()}>
        {t('chat.picker.searchSubmit')}
      </button>
      <StatusMessage>{status}</StatusMessage>
      {results && results.length > 0 && (
        <>
          <h3 id={`${idPrefix}-results-title`}>{t('chat.picker.resultsTitle')}</h3>
          <ul className="plain-list" aria-labelledby={`${idPrefix}-results-title`}>
            {results.map((m) => (
              <li key={m.practitionerId} className="card card--row">
                <span>
                  <strong>{m.name}</strong>
                  {details.get(m.practitionerId) && <span className="meta"> {details.get(m.practitionerId)}</span>}
                </span>
                {isSelected(m.practitionerId) ? (
                  <span className="meta">{t('chat.picker.alreadySelected')}</span>
                ) : (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => {
                      onChange([...selected, m]);
                      setStatus(t('chat.picker.added', { name: m.name }));
                    }}
                  >
                    {t('chat.picker.add', { name: m.name })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3 id={`${idPrefix}-selected-title`}>{t('chat.picker.selected')}</h3>
      {selected.length === 0 ? (
        <p className="meta">{t('chat.picker.noneSelected')}</p>
      ) : (
        <ul className="plain-list" aria-labelledby={`${idPrefix}-selected-title`}>
          {selected.map((m) => (
            <li key={m.practitionerId} className="card card--row">
              <strong>{m.name}</strong>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  onChange(selected.filter((s) => s.practitionerId !== m.practitionerId));
                  setStatus(t('chat.picker.removed', { name: m.name }));
                }}
              >
                {t('chat.picker.remove', { name: m.name })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
