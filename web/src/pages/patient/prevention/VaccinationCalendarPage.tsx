import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { profileName, useActing } from '../../../acting';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatCivilDate } from '../../../format';
import { useHashFocus } from '../../../hooks/useHashFocus';
import type { VaccinationCalendarRow, VaccinationCalendarView } from '../../../prevention-types';
import { domId, formatWindow, useVaccinationCalendar } from './usePrevention';
import './prevention.css';

type Dose = VaccinationCalendarRow['doses'][number];

const isMissing = (dose: Dose): boolean => dose.status === 'due' || dose.status === 'overdue';

/**
 * /patient/prevention/vaccinations: the vaccination calendar set against the recorded vaccinations. What is
 * missing first (due or overdue doses); then one card per schedule (vaccine and diseases, level) with its doses
 * (window, status, the recorded vaccination that counts); the recorded vaccinations that count for no dose;
 * the calendar's source. Cards rather than a wide table, so that it reads on a phone.
 */
export function VaccinationCalendarPage() {
  const { t } = useTranslation();
  const { profile, isSelf } = useActing();
  const { data, isPending, isError, error } = useVaccinationCalendar();
  // a link of "Ce qui manque" (#vaccine-dtp-45y) focuses its schedule's heading
  useHashFocus(Boolean(data));

  return (
    <>
      <PageHeading title={t('prevention.vaccinations.title')} />
      <p>{isSelf || !profile ? t('prevention.vaccinations.introSelf') : t('prevention.vaccinations.intro', { name: profileName(profile) })}</p>
      <ul className="plain-list prevention-links">
        <li>
          <Link to="/patient/prevention">{t('prevention.vaccinations.back')}</Link>
        </li>
        <li>
          <Link to="/patient/profil/vaccinations">{t('prevention.vaccinations.add')}</Link>
        </li>
      </ul>
      {isPending ? <Loading /> : isError ? <QueryError error={error} /> : <Calendar view={data} />}
    </>
  );
}

function Calendar({ view }: { view: VaccinationCalendarView }) {
  const { t } = useTranslation();
  const missing = view.rows.flatMap((row) => row.doses.filter(isMissing).map((dose) => ({ row, dose })));
  return (
    <>
      <section aria-labelledby="vaccinations-missing-title" className="panel prevention-next">
        <h2 id="vaccinations-missing-title">{t('prevention.vaccinations.missing.title')}</h2>
        {missing.length === 0 ? (
          <p>{t('prevention.vaccinations.missing.none')}</p>
        ) : (
          <>
            <p>{t('prevention.vaccinations.missing.intro', { count: missing.length })}</p>
            <ul>
              {missing.map(({ row, dose }) => (
                <li key={dose.code}>
                  <a href={`#vaccine-${domId(row.ref)}`}>
                    {t('prevention.vaccinations.missing.item', { schedule: row.title, dose: dose.label, status: t(`prevention.statuses.${dose.status}`) })}
                  </a>{' '}
                  <span className="meta">{formatWindow(t, dose.window)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section aria-labelledby="vaccinations-schedules-title">
        <h2 id="vaccinations-schedules-title">{t('prevention.vaccinations.schedules.title')}</h2>
        {view.rows.length === 0 ? (
          <p>{t('prevention.vaccinations.schedules.empty')}</p>
        ) : (
          <ul className="vaccination-schedules">
            {view.rows.map((row) => (
              <ScheduleCard key={row.ref} row={row} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="vaccinations-unmatched-title">
        <h2 id="vaccinations-unmatched-title">{t('prevention.vaccinations.unmatched.title')}</h2>
        {view.unmatched.length === 0 ? (
          <p>{t('prevention.vaccinations.unmatched.none')}</p>
        ) : (
          <>
            <p>{t('prevention.vaccinations.unmatched.intro')}</p>
            <ul>
              {view.unmatched.map((u) => (
                <li key={u.immunizationId}>{t('prevention.vaccinations.unmatched.item', { label: u.label, date: formatCivilDate(u.date) })}</li>
              ))}
            </ul>
          </>
        )}
      </section>

      <p className="meta">
        {t('prevention.vaccinations.source', { title: view.calendar.title, version: view.calendar.version })}
        {view.calendar.source && ` ${view.calendar.source}`}
      </p>
    </>
  );
}

/** One schedule: its title, level and diseases, then each dose with its window, status and the vaccination that counts. */
function ScheduleCard({ row }: { row: VaccinationCalendarRow }) {
  const { t } = useTranslation();
  const id = `vaccine-${domId(row.ref)}`;
  return (
    <li id={id} className="vaccination-schedule">
      <h3 id={`${id}-title`} tabIndex={-1}>
        {row.title}
      </h3>
      <p>
        <span className={`prevention-level prevention-level--${row.level}`}>{t(`prevention.levels.${row.level}`)}</span>
      </p>
      {row.diseases.length > 0 && <p>{t('prevention.vaccinations.schedules.diseases', { diseases: row.diseases.join(', ') })}</p>}
      <ul className="vaccination-doses" aria-label={t('prevention.vaccinations.schedules.dosesCaption', { title: row.title })}>
        {row.doses.map((dose) => (
          <li key={dose.code} className="vaccination-dose">
            <p>
              <span className="vaccination-dose__label">{dose.label}</span>{' '}
              <span className={`prevention-status prevention-status--${dose.status}`}>{t(`prevention.statuses.${dose.status}`)}</span>
            </p>
            <p>{t('prevention.item.window', { window: formatWindow(t, dose.window) })}</p>
            {dose.status === 'done' && dose.doneOn && (
              <p>
                {dose.immunizationId
                  ? t('prevention.vaccinations.schedules.doneRecorded', { date: formatCivilDate(dose.doneOn) })
                  : t('prevention.vaccinations.schedules.doneMarked', { date: formatCivilDate(dose.doneOn) })}
              </p>
            )}
          </li>
        ))}
      </ul>
    </li>
  );
}
