import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { profileName, useActing } from '../../../acting';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { useHashFocus } from '../../../hooks/useHashFocus';
import { PREVENTION_TYPES, type PreventionItem, type PreventionType, type PreventionView } from '../../../prevention-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { cardTitleId, PreventionItemCard } from './PreventionItemCard';
import { domId, nextItem, usePreventionView, type CalendarNames } from './usePrevention';
import './prevention.css';

const NEXT_TITLE = 'prevention-next-title';

/** Moves the focus once React has rendered the updated list (to the next block when the item left the list). */
const focusLater = (id: string) => window.setTimeout(() => (document.getElementById(id) ?? document.getElementById(NEXT_TITLE))?.focus(), 0);

/**
 * /patient/prevention: the acting profile's prevention items (a child's through the profile switcher). The
 * first thing to do is highlighted; then each type (child examinations, vaccinations, screenings, M'T dents,
 * key-age check-up) is a timeline in window order, each item with its status in words and the actions to
 * mark it; a filter shows one type; the sources of the calendars close the page.
 */
export function PreventionPage() {
  const { t } = useTranslation();
  const { profile, isSelf } = useActing();
  const view = usePreventionView();
  const { announce, statusMessage } = useAnnouncer();
  const [params, setParams] = useSearchParams();
  const typeParam = params.get('type');
  const filter = (PREVENTION_TYPES as readonly string[]).includes(typeParam ?? '') ? (typeParam as PreventionType) : null;

  // a link to one item (the agenda's: /patient/prevention#list-exam-09) focuses it once the list is there
  useHashFocus(Boolean(view.data));

  const setFilter = (type: PreventionType | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (type) next.set('type', type);
        else next.delete('type');
        return next;
      },
      { replace: true },
    );

  /** After a mark from a place: say what happened, then focus where the person was (the item, or the next block). */
  const onMarked = (place: 'next' | 'list', code: string) => (text: string, ok: boolean) => {
    announce(text, ok);
    if (ok) focusLater(place === 'next' ? NEXT_TITLE : cardTitleId(place, code));
  };

  return (
    <>
      <PageHeading title={t('prevention.title')} />
      <p>{isSelf || !profile ? t('prevention.introSelf') : t('prevention.intro', { name: profileName(profile) })}</p>
      {statusMessage}
      <p className="prevention-links">
        <Link to="/patient/prevention/vaccinations">{t('prevention.links.vaccinations')}</Link>
      </p>

      {view.isPending ? (
        <Loading />
      ) : view.isError ? (
        <QueryError error={view.error} />
      ) : view.data.items.length === 0 ? (
        <p>{t('prevention.empty')}</p>
      ) : (
        <>
          <NextBlock view={view.data} onMarked={onMarked} />
          <TypeFilter types={typesOf(view.data.items)} filter={filter} onFilter={setFilter} />
          {typesOf(view.data.items)
            .filter((type) => !filter || filter === type)
            .map((type) => (
              <TypeSection
                key={type}
                type={type}
                items={view.data.items.filter((i) => i.type === type)}
                calendars={view.data.calendars}
                asOf={view.data.asOf}
                onMarked={onMarked}
              />
            ))}
          <Sources view={view.data} />
        </>
      )}
    </>
  );
}

/** The types present in the items, in the contract's order. */
const typesOf = (items: PreventionItem[]): PreventionType[] => PREVENTION_TYPES.filter((type) => items.some((i) => i.type === type));

type MarkedFrom = (place: 'next' | 'list', code: string) => (text: string, ok: boolean) => void;

/** "À faire en priorité": the view's next item; when nothing is due, "Prochaine étape": the first one to come. */
function NextBlock({ view, onMarked }: { view: PreventionView; onMarked: MarkedFrom }) {
  const { t } = useTranslation();
  const next = nextItem(view);
  return (
    <section aria-labelledby={NEXT_TITLE} className="panel prevention-next">
      <h2 id={NEXT_TITLE} tabIndex={-1}>
        {next?.upcoming ? t('prevention.next.upcomingTitle') : t('prevention.next.title')}
      </h2>
      {!next ? (
        <p>{t('prevention.next.nothing')}</p>
      ) : (
        <>
          {next.upcoming && <p>{t('prevention.next.upcomingIntro')}</p>}
          <PreventionItemCard key={next.item.code} item={next.item} place="next" calendars={view.calendars} asOf={view.asOf} onMarked={onMarked('next', next.item.code)} />
        </>
      )}
    </section>
  );
}

/** "Afficher : Tout, Examens de l'enfant, Vaccinations…" (pressed buttons; the choice is kept in the address). */
function TypeFilter({ types, filter, onFilter }: { types: PreventionType[]; filter: PreventionType | null; onFilter: (type: PreventionType | null) => void }) {
  const { t } = useTranslation();
  if (types.length < 2) return null;
  return (
    <div role="group" aria-label={t('prevention.filter.label')} className="button-group button-group--compact prevention-filter">
      <button type="button" className="button button--secondary button--small" aria-pressed={filter === null} onClick={() => onFilter(null)}>
        {t('prevention.filter.all')}
      </button>
      {types.map((type) => (
        <button key={type} type="button" className="button button--secondary button--small" aria-pressed={filter === type} onClick={() => onFilter(type)}>
          {t(`prevention.types.${type}`)}
        </button>
      ))}
    </div>
  );
}

/** One type: its counts by status, then its items as a timeline (window order, as the API sends them). */
function TypeSection({
  type,
  items,
  calendars,
  asOf,
  onMarked,
}: {
  type: PreventionType;
  items: PreventionItem[];
  calendars: CalendarNames;
  asOf: string;
  onMarked: MarkedFrom;
}) {
  const { t } = useTranslation();
  const titleId = `prevention-type-${type}`;
  const count = (status: PreventionItem['status']) => items.filter((i) => i.status === status).length;
  const counts = [
    ['overdue', 'prevention.summary.overdue'],
    ['due', 'prevention.summary.due'],
    ['to-plan', 'prevention.summary.toPlan'],
    ['done', 'prevention.summary.done'],
  ] as const;
  const summary = counts
    .map(([status, key]) => [count(status), key] as const)
    .filter(([n]) => n > 0)
    .map(([n, key]) => t(key, { count: n }))
    .join(' · ');
  return (
    <section aria-labelledby={titleId} className="prevention-type">
      <h2 id={titleId}>{t(`prevention.types.${type}`)}</h2>
      <p>{t(`prevention.typeIntros.${type}`)}</p>
      {summary && <p className="meta">{summary}</p>}
      <ol className="prevention-timeline">
        {items.map((item) => (
          <li key={item.code} id={`list-${domId(item.code)}`} className={`prevention-timeline__step prevention-timeline__step--${item.status}`}>
            <PreventionItemCard
              item={item}
              place="list"
              calendars={calendars}
              asOf={asOf}
              duplicate={items.some((o) => o !== item && o.title === item.title)}
              onMarked={onMarked('list', item.code)}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The calendars the items come from: title, version and source. */
function Sources({ view }: { view: PreventionView }) {
  const { t } = useTranslation();
  if (view.calendars.length === 0) return null;
  return (
    <section aria-labelledby="prevention-sources-title" className="prevention-sources">
      <h2 id="prevention-sources-title">{t('prevention.sources.title')}</h2>
      <ul>
        {view.calendars.map((c) => (
          <li key={c.id}>
            {t('prevention.sources.item', { title: c.title, version: c.version })}
            {c.source && <span className="meta"> ({c.source})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
