import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PreventionItem } from '../../../prevention-types';
import { addToCivil, todayInParis } from '../../../time';
import { domId, formatWindow, isOpen, statusText, usePreventionView } from './usePrevention';
import './prevention.css';

/**
 * The acting profile's prevention items in the agenda (src/pages/patient/agenda): a block next to the
 * appointments, in the list view (due, overdue, and what opens in the next three months) and in the month view
 * (what is open during the month; overdue ones in the current month), plus chips on the days of the month grid
 * (the planned date, else the day the window opens). Each item links to it on the prevention page.
 */

const UPCOMING_MONTHS = 3;

/** Where an item is on the prevention page. */
export const preventionLink = (item: PreventionItem): string => `/patient/prevention#list-${domId(item.code)}`;

/** The day an open item shows on in the month grid: its planned date, else the day its window opens. */
const dayOfItem = (item: PreventionItem): string => item.planned?.on ?? item.window.start;

/** The open items to show from `from` to `to` (civil dates, both included), in window order. */
function itemsBetween(items: PreventionItem[], from: string, to: string, withOverdue: boolean): PreventionItem[] {
  return items.filter(
    (i) =>
      isOpen(i.status) &&
      ((withOverdue && i.status === 'overdue') || (i.window.start <= to && i.window.end >= from) || (i.planned?.on !== undefined && i.planned.on >= from && i.planned.on <= to)),
  );
}

/** The list view: what is due or overdue now, and what opens in the next three months. */
export function AgendaPreventionUpcoming({ headingLevel = 'h2' }: { headingLevel?: 'h2' | 'h3' }) {
  const today = todayInParis();
  const view = usePreventionView();
  const items = view.data ? itemsBetween(view.data.items, today, addToCivil(today, { months: UPCOMING_MONTHS }), true) : [];
  return <PreventionBlock items={items} pending={view.isPending} failed={view.isError} introKey="prevention.agenda.intro" headingLevel={headingLevel} />;
}

/** The month view: what is open during the month (and, in the current month, what is overdue). */
export function AgendaPreventionMonth({ month }: { month: string }) {
  const today = todayInParis();
  const view = usePreventionView();
  const first = `${month}-01`;
  const last = addToCivil(addToCivil(first, { months: 1 }), { days: -1 });
  const items = view.data ? itemsBetween(view.data.items, first, last, today.startsWith(month)) : [];
  return <PreventionBlock items={items} pending={view.isPending} failed={view.isError} introKey="prevention.agenda.monthIntro" headingLevel="h3" />;
}

/** The open items by the day they show on in the month grid (from, to: the grid's first and last days). */
export function usePreventionByDay(from: string, to: string): Map<string, PreventionItem[]> {
  const view = usePreventionView();
  const byDay = new Map<string, PreventionItem[]>();
  for (const item of view.data?.items ?? []) {
    const day = dayOfItem(item);
    if (isOpen(item.status) && day >= from && day <= to) byDay.set(day, [...(byDay.get(day) ?? []), item]);
  }
  return byDay;
}

/** A chip of the month grid: "Prévention : Examen du 9e mois", a link to the item. */
export function PreventionChip({ item }: { item: PreventionItem }) {
  const { t } = useTranslation();
  return (
    <li className="agenda-chip agenda-chip--prevention">
      <Link to={preventionLink(item)}>
        <span className="agenda-chip__time">{t('prevention.agenda.kind')}</span> {item.title}
      </Link>
    </li>
  );
}

function PreventionBlock({
  items,
  pending,
  failed,
  introKey,
  headingLevel: H,
}: {
  items: PreventionItem[];
  pending: boolean;
  failed: boolean;
  introKey: string;
  headingLevel: 'h2' | 'h3';
}) {
  const { t } = useTranslation();
  // the agenda stays usable while prevention loads or fails: nothing while loading, a short line on failure
  if (pending) return null;
  return (
    <section aria-labelledby="agenda-prevention-title" className="agenda-prevention">
      <H id="agenda-prevention-title">{t('prevention.agenda.title')}</H>
      {failed ? (
        <p>{t('prevention.agenda.error')}</p>
      ) : items.length === 0 ? (
        <p>{t('prevention.agenda.none')}</p>
      ) : (
        <>
          <p>{t(introKey)}</p>
          <ul>
            {items.map((item) => (
              <li key={item.code}>
                <Link to={preventionLink(item)}>{item.title}</Link>
                {' – '}
                {t('prevention.agenda.window', { status: statusText(t, item), window: formatWindow(t, item.window) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to="/patient/prevention">{t('prevention.agenda.seeAll')}</Link>
      </p>
    </section>
  );
}
