import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import type { AgendaEntry } from '../../../profile-types';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { addToCivil, todayInParis } from '../../../time';
import { AgendaPreventionMonth, AgendaPreventionUpcoming, PreventionChip, usePreventionByDay } from '../prevention/AgendaPrevention';
import { dayOf, entrySourceLabel, formatLongDay, formatMonth, formatTime, monthGrid, useAgendaList, useAgendaRange } from './useAgenda';

/** What a view asks the page to do with an entry. */
export interface EntryActions {
  onEdit: (entry: AgendaEntry, opener: string) => void;
  onDelete: (entry: AgendaEntry) => Promise<boolean>;
  onAdd: (date: string, opener: string) => void;
  pending: boolean;
}

/** Whether the screen is phone-sized (the month becomes a list of days). */
export function useNarrow(query = '(max-width: 47.99em)'): boolean {
  const [narrow, setNarrow] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const change = () => setNarrow(list.matches);
    change();
    list.addEventListener('change', change);
    return () => list.removeEventListener('change', change);
  }, [query]);
  return narrow;
}

/** One appointment or reminder: when, with whom, where, its status and source; edit and delete when it is the patient's. */
export function EntryItem({ entry, place, actions, headingLevel: H = 'h3', showDate = true }: { entry: AgendaEntry; place: string; actions: EntryActions; headingLevel?: 'h3' | 'h4'; showDate?: boolean }) {
  const { t } = useTranslation();
  const titleId = useId();
  const [confirming, setConfirming] = useState(false);
  const source = entrySourceLabel(t, entry);
  const editId = `agenda-edit-${place}-${entry.id}`;
  const deleteId = `agenda-delete-${place}-${entry.id}`;
  const when = `${showDate ? `${formatLongDay(dayOf(entry))}, ` : ''}${formatTime(entry.start)}${entry.end ? ` – ${formatTime(entry.end)}` : ''}`;
  return (
    <li>
      <article className={`agenda-entry agenda-entry--${entry.kind}${entry.status === 'cancelled' ? ' agenda-entry--cancelled' : ''}`} aria-labelledby={titleId}>
        <H id={titleId} className="agenda-entry__title">
          {entry.title}
        </H>
        <p className="agenda-entry__when">
          <span className="agenda-entry__kind">{t(`agenda.kinds.${entry.kind}`)}</span> <time dateTime={entry.start}>{when}</time>
        </p>
        {entry.with && (
          <p>
            {t(entry.with.type === 'PRACTITIONER' ? 'agenda.entry.withPractitioner' : 'agenda.entry.withEstablishment', { name: entry.with.name })}
            {entry.with.specialty ? ` (${entry.with.specialty})` : ''}
          </p>
        )}
        {entry.address && <p>{t('agenda.entry.address', { address: entry.address })}</p>}
        {entry.kind === 'appointment' && <p>{t('agenda.entry.status', { status: t(`agenda.statuses.${entry.status}`) })}</p>}
        {entry.comment && <p className="agenda-entry__comment">{entry.comment}</p>}
        {source && (
          <p className="meta">
            {source}
            {!entry.editable && ` ${t('agenda.entry.readOnly')}`}
          </p>
        )}
        {entry.editable && (
          <div className="button-group button-group--compact">
            <button id={editId} type="button" className="button button--secondary button--small" onClick={() => actions.onEdit(entry, editId)}>
              {t('agenda.entry.edit')}
              <span className="visually-hidden"> : {entry.title}</span>
            </button>
            <button id={deleteId} type="button" className="button button--secondary button--small" aria-expanded={confirming} onClick={() => setConfirming(true)}>
              {t('agenda.entry.delete')}
              <span className="visually-hidden"> : {entry.title}</span>
            </button>
          </div>
        )}
        {confirming && (
          <ConfirmBox
            title={t('agenda.entry.confirmTitle', { title: entry.title })}
            confirmLabel={t('agenda.entry.confirm')}
            pending={actions.pending}
            onConfirm={() => {
              void actions.onDelete(entry).then((ok) => {
                if (!ok) setConfirming(false);
              });
            }}
            onCancel={() => {
              setConfirming(false);
              document.getElementById(deleteId)?.focus();
            }}
          >
            <p>{t('agenda.entry.confirmText')}</p>
          </ConfirmBox>
        )}
      </article>
    </li>
  );
}

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

/**
 * The month: a calendar grid (a list of the days with entries on a phone), previous / next month, today; the
 * prevention items open during the month above it, and as chips on their days in the grid.
 */
export function MonthView({ month, onMonth, actions }: { month: string; onMonth: (month: string) => void; actions: EntryActions }) {
  const { t } = useTranslation();
  const narrow = useNarrow();
  const grid = monthGrid(month);
  const range = useAgendaRange(grid.from, grid.to);
  const prevention = usePreventionByDay(grid.from, grid.to);
  const today = todayInParis();
  const [selected, setSelected] = useState<string | null>(null);
  const entries = [...(range.data?.entries ?? [])].sort((a, b) => a.start.localeCompare(b.start));
  const byDay = new Map<string, AgendaEntry[]>();
  for (const e of entries) byDay.set(dayOf(e), [...(byDay.get(dayOf(e)) ?? []), e]);
  const inMonth = (d: string) => d.startsWith(month);
  const shift = (months: number) => onMonth(addToCivil(`${month}-01`, { months }).slice(0, 7));
  const day = selected && inMonth(selected) ? selected : null;

  const weeks: string[][] = [];
  for (let i = 0; i < grid.days.length; i += 7) weeks.push(grid.days.slice(i, i + 7));

  return (
    <section aria-labelledby="agenda-month-title" className="agenda-month">
      <div className="agenda-toolbar">
        <h2 id="agenda-month-title" tabIndex={-1} className="agenda-month__title">
          {formatMonth(month)}
        </h2>
        <div className="button-group button-group--compact">
          <button type="button" className="button button--secondary button--small" onClick={() => shift(-1)}>
            <span aria-hidden="true">‹ </span>
            {t('agenda.month.previous')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => onMonth(today.slice(0, 7))} aria-disabled={month === today.slice(0, 7) || undefined}>
            {t('agenda.month.today')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => shift(1)}>
            {t('agenda.month.next')}
            <span aria-hidden="true"> ›</span>
          </button>
        </div>
      </div>
      <AgendaPreventionMonth month={month} />
      {range.isPending ? (
        <Loading />
      ) : range.isError ? (
        <QueryError error={range.error} />
      ) : narrow ? (
        <DayList days={grid.days.filter((d) => inMonth(d) && byDay.has(d))} byDay={byDay} today={today} actions={actions} month={month} />
      ) : (
        <>
          <div className="agenda-grid-wrapper">
            <table className="agenda-grid">
              <caption className="visually-hidden">{t('agenda.month.caption', { month: formatMonth(month) })}</caption>
              <thead>
                <tr>
                  {WEEKDAYS.map((w) => (
                    <th key={w} scope="col">
                      <abbr title={w}>{w.slice(0, 3)}.</abbr>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {weeks.map((week) => (
                  <tr key={week[0]}>
                    {week.map((d) => {
                      const list = byDay.get(d) ?? [];
                      const chips = prevention.get(d) ?? [];
                      const dayLabel = formatLongDay(d);
                      const addId = `agenda-add-${d}`;
                      return (
                        <td
                          key={d}
                          className={['agenda-day', inMonth(d) ? '' : 'agenda-day--other', d === today ? 'agenda-day--today' : '', d === day ? 'agenda-day--selected' : ''].filter(Boolean).join(' ')}
                          aria-current={d === today ? 'date' : undefined}
                        >
                          <div className="agenda-day__head">
                            <button
                              type="button"
                              className="agenda-day__number"
                              aria-pressed={d === day}
                              aria-label={`${dayLabel}${d === today ? `, ${t('agenda.month.todayMark')}` : ''}, ${t('agenda.month.entryCount', { count: list.length })}`}
                              onClick={() => {
                                if (!inMonth(d)) onMonth(d.slice(0, 7));
                                setSelected(d);
                              }}
                            >
                              {Number(d.slice(8))}
                            </button>
                            <button id={addId} type="button" className="agenda-day__add" aria-label={t('agenda.month.addOn', { day: dayLabel })} onClick={() => actions.onAdd(d, addId)}>
                              +
                            </button>
                          </div>
                          {list.length + chips.length > 0 && (
                            <ul className="agenda-day__entries">
                              {list.map((e) => (
                                <li key={e.id} className={`agenda-chip agenda-chip--${e.kind}`}>
                                  <span className="agenda-chip__time">{formatTime(e.start)}</span> {e.title}
                                </li>
                              ))}
                              {chips.map((item) => (
                                <PreventionChip key={item.code} item={item} />
                              ))}
                            </ul>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {day ? (
            <section aria-labelledby="agenda-day-title" className="agenda-day-detail">
              <h3 id="agenda-day-title">{formatLongDay(day)}</h3>
              {(byDay.get(day) ?? []).length === 0 ? (
                <p>{t('agenda.month.nothingThatDay')}</p>
              ) : (
                <ul className="plain-list">
                  {(byDay.get(day) ?? []).map((e) => (
                    <EntryItem key={e.id} entry={e} place="day" actions={actions} headingLevel="h4" showDate={false} />
                  ))}
                </ul>
              )}
            </section>
          ) : (
            <p className="hint">{t('agenda.month.chooseDay')}</p>
          )}
          {entries.filter((e) => inMonth(dayOf(e))).length === 0 && <p>{t('agenda.month.empty', { month: formatMonth(month) })}</p>}
        </>
      )}
    </section>
  );
}

/** On a phone: the month's days that have entries, each with its entries. */
function DayList({ days, byDay, today, actions, month }: { days: string[]; byDay: Map<string, AgendaEntry[]>; today: string; actions: EntryActions; month: string }) {
  const { t } = useTranslation();
  if (days.length === 0) return <p>{t('agenda.month.empty', { month: formatMonth(month) })}</p>;
  return (
    <ul className="plain-list agenda-days">
      {days.map((d) => (
        <li key={d} className={d === today ? 'agenda-days__day agenda-days__day--today' : 'agenda-days__day'}>
          <h3>
            {formatLongDay(d)}
            {d === today && <span className="badge agenda-today-badge">{t('agenda.month.todayMark')}</span>}
          </h3>
          <ul className="plain-list">
            {(byDay.get(d) ?? []).map((e) => (
              <EntryItem key={e.id} entry={e} place="phone" actions={actions} headingLevel="h4" showDate={false} />
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** The list view: the prevention items to do, what is to come (soonest first) and what is past (latest first). */
export function ListView({ actions }: { actions: EntryActions }) {
  const { t } = useTranslation();
  const future = useAgendaList('future');
  const past = useAgendaList('past');
  const block = (id: string, title: string, q: typeof future, order: 1 | -1, empty: string) => (
    <section aria-labelledby={id} className="agenda-list">
      <h2 id={id} tabIndex={-1}>
        {title}
      </h2>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : q.data.entries.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ul className="plain-list">
          {[...q.data.entries]
            .sort((a, b) => order * a.start.localeCompare(b.start))
            .map((e) => (
              <EntryItem key={e.id} entry={e} place={id} actions={actions} />
            ))}
        </ul>
      )}
    </section>
  );
  return (
    <>
      <AgendaPreventionUpcoming />
      {block('agenda-future', t('agenda.list.future'), future, 1, t('agenda.list.futureEmpty'))}
      {block('agenda-past', t('agenda.list.past'), past, -1, t('agenda.list.pastEmpty'))}
    </>
  );
}
