import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TableScroller } from '../../../components/TableScroller';
import { TextField } from '../../../components/TextField';
import { formatDateTime, isoOrUndefined } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { professionalName } from '../professionals/labels';
import { useProfessionals } from '../professionals/useProfessionals';
import { historyAction, historyActor, historyBasis, historyTarget } from './labels';
import type { HistoryItem } from './types';
import { useAccessHistory, type HistoryFilters } from './useDocuments';
import './documents.css';

/** True while the media query matches (the table on wide screens, a list on a phone). */
function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/**
 * /patient/historique, "Historique des accès" (R1111-43): every action on the record, newest first — when,
 * who, what, which document, on what basis — emergency accesses and refused attempts marked; filters by
 * period and professional; 50 lines at a time ("Voir plus").
 */
export function AccessHistoryPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<HistoryFilters>({});
  const history = useAccessHistory(filters);
  const wide = useMediaQuery('(min-width: 48em)');
  const firstNew = useRef<number | null>(null);
  const [moreStatus, setMoreStatus] = useState<string | null>(null);

  const items = history.data?.pages.flatMap((p) => p.items) ?? [];

  // after "Voir plus", the focus goes to the first line loaded
  useEffect(() => {
    if (firstNew.current !== null && !history.isFetchingNextPage) {
      document.getElementById(`history-item-${firstNew.current}`)?.focus();
      firstNew.current = null;
    }
  }, [history.isFetchingNextPage, items.length]);

  const loadMore = async () => {
    if (history.isFetchingNextPage) return;
    const before = items.length;
    firstNew.current = before;
    setMoreStatus(null);
    const result = await history.fetchNextPage();
    const after = result.data?.pages.flatMap((p) => p.items).length ?? before;
    setMoreStatus(t('dmp.history.moreLoaded', { count: after - before }));
  };

  return (
    <>
      <PageHeading title={t('dmp.history.title')} />
      <p>{t('dmp.history.intro')}</p>
      <HistoryFiltersForm
        onApply={(f) => {
          setMoreStatus(null);
          setFilters(f);
        }}
      />
      <section aria-labelledby="history-list-title" className="panel">
        <h2 id="history-list-title">{t('dmp.history.listTitle')}</h2>
        {history.isPending ? (
          <Loading />
        ) : history.isError ? (
          <QueryError error={history.error} />
        ) : items.length === 0 ? (
          <p>{t('dmp.history.empty')}</p>
        ) : (
          <>
            {wide ? <HistoryTable items={items} /> : <HistoryList items={items} />}
            {history.hasNextPage && (
              <button
                type="button"
                className="button button--secondary"
                aria-disabled={history.isFetchingNextPage || undefined}
                onClick={() => void loadMore()}
              >
                {history.isFetchingNextPage ? t('common.loading') : t('dmp.history.more')}
              </button>
            )}
          </>
        )}
        <StatusMessage>{moreStatus}</StatusMessage>
      </section>
    </>
  );
}

function HistoryFiltersForm({ onApply }: { onApply: (f: HistoryFilters) => void }) {
  const { t } = useTranslation();
  const professionals = useProfessionals();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [professional, setProfessional] = useState('');
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (from && to && from > to) errors.push({ field: 'history-to', message: t('dmp.filters.badPeriod') });
    if (await form.run(errors, async () => undefined)) {
      onApply({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(professional ? { professional } : {}) });
    }
  };

  return (
    <section aria-labelledby="history-filters-title" className="panel">
      <h2 id="history-filters-title">{t('dmp.filters.title')}</h2>
      <form noValidate role="search" aria-labelledby="history-filters-title" onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <div className="doc-period">
          <TextField id="history-from" type="date" label={t('dmp.filters.from')} value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField
            id="history-to"
            type="date"
            label={t('dmp.filters.to')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            error={form.errorFor('history-to')}
          />
        </div>
        <Field
          id="history-professional"
          label={t('dmp.history.professional')}
          hint={professionals.isError ? t('dmp.history.professionalsUnavailable') : undefined}
          control={(aria) => (
            <select id="history-professional" {...aria} value={professional} onChange={(e) => setProfessional(e.target.value)}>
              <option value="">{t('dmp.history.anyone')}</option>
              {(professionals.data ?? []).map((p) => (
                <option key={p.practitionerId} value={p.practitionerId}>
                  {professionalName(t, p)}
                </option>
              ))}
            </select>
          )}
        />
        <div className="button-group button-group--compact">
          <SubmitButton pending={false}>{t('dmp.filters.apply')}</SubmitButton>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setFrom('');
              setTo('');
              setProfessional('');
              form.reset();
              onApply({});
            }}
          >
            {t('dmp.filters.clear')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The marks of a line: emergency access, refused attempt. */
function Marks({ item }: { item: HistoryItem }) {
  const { t } = useTranslation();
  return (
    <>
      {item.emergency && <span className="badge badge--danger">{t('dmp.history.emergency')}</span>}
      {item.outcome === 'refused' && <span className="badge badge--refused">{t('dmp.history.refused')}</span>}
    </>
  );
}

function Actor({ item }: { item: HistoryItem }) {
  const { t } = useTranslation();
  const actor = historyActor(t, item);
  return (
    <>
      {actor.name ? (
        <>
          {actor.name} <span className="meta">({actor.kind})</span>
        </>
      ) : (
        actor.kind
      )}
    </>
  );
}

function HistoryTable({ items }: { items: HistoryItem[] }) {
  const { t } = useTranslation();
  const caption = t('dmp.history.caption');
  return (
    <TableScroller label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dmp.history.columns.at')}</th>
            <th scope="col">{t('dmp.history.columns.who')}</th>
            <th scope="col">{t('dmp.history.columns.what')}</th>
            <th scope="col">{t('dmp.history.columns.document')}</th>
            <th scope="col">{t('dmp.history.columns.basis')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item, i) => (
            <tr key={`${item.at}-${i}`} className={item.emergency ? 'history--emergency' : undefined}>
              <td id={`history-item-${i}`} tabIndex={-1}>
                <time dateTime={isoOrUndefined(item.at)}>{formatDateTime(item.at)}</time>
              </td>
              <td>
                <Actor item={item} />
              </td>
              <td>
                {historyAction(t, item)} <Marks item={item} />
              </td>
              <td>{historyTarget(t, item)}</td>
              <td>{historyBasis(t, item)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
}

/** On a phone: one card per line, the same facts as a description list. */
function HistoryList({ items }: { items: HistoryItem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list" aria-label={t('dmp.history.caption')}>
      {items.map((item, i) => {
        const basis = historyBasis(t, item);
        return (
          <li key={`${item.at}-${i}`} className={item.emergency ? 'card history--emergency' : 'card'}>
            <p className="history__when" id={`history-item-${i}`} tabIndex={-1}>
              <time dateTime={isoOrUndefined(item.at)}>{formatDateTime(item.at)}</time> <Marks item={item} />
            </p>
            <dl className="details">
              <dt>{t('dmp.history.columns.who')}</dt>
              <dd>
                <Actor item={item} />
              </dd>
              <dt>{t('dmp.history.columns.what')}</dt>
              <dd>{historyAction(t, item)}</dd>
              <dt>{t('dmp.history.columns.document')}</dt>
              <dd>{historyTarget(t, item)}</dd>
              {basis && (
                <>
                  <dt>{t('dmp.history.columns.basis')}</dt>
                  <dd>{basis}</dd>
                </>
              )}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
