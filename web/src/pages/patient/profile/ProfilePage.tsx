import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { apiDelete, apiPost, apiPut, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { SubmitButton } from '../../../components/SubmitButton';
import { formatDate } from '../../../format';
import { useSubmit } from '../../../hooks/useSubmit';
import { BLOOD_GROUPS, CLOSABLE_SECTIONS, type BloodGroupCode, type ClosableSection, type ProfileOverview, type ProfileSettings } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { PROFILE_KEY, useOverview } from './profileApi';
import { sectionUrl } from './sections';
import './profile.css';

/**
 * /patient/profil, "Profil médical": one card per section with its count or its "non concerné(e)" date, the
 * blood group, the organ donation and the advance directives, what professionals see (and the two sections the
 * patient may close to them), and the summary PDF. Everything is the acting profile's.
 */
export function ProfilePage() {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const overview = useOverview();
  const { announce, statusMessage } = useAnnouncer();
  const data = overview.data;

  return (
    <>
      <PageHeading title={t('profile.title')} />
      <p>{t('profile.intro')}</p>
      {statusMessage}
      {overview.isPending ? (
        <Loading />
      ) : overview.isError ? (
        <QueryError error={overview.error} />
      ) : data ? (
        <div key={actingId}>
          <section aria-labelledby="pf-sections-title">
            <h2 id="pf-sections-title">{t('profile.overview.sectionsTitle')}</h2>
            <ul className="cards pf-cards">
              {data.sections.map((s) => (
                <li key={s.section} className="card pf-card">
                  <h3 className="pf-card__title">
                    <Link to={sectionUrl(s.section)}>{t(`profile.sections.${s.section}.title`)}</Link>
                  </h3>
                  <p className="meta">
                    {s.unconcerned
                      ? t('profile.unconcernedSince', { date: formatDate(s.unconcerned.declaredAt) })
                      : s.count > 0
                        ? t('profile.countEntries', { count: s.count })
                        : t('profile.nothing')}
                  </p>
                </li>
              ))}
              <li className="card pf-card">
                <h3 className="pf-card__title">
                  <Link to="/patient/mesures">{t('profile.overview.measures')}</Link>
                </h3>
              </li>
            </ul>
          </section>

          <BloodGroupBlock overview={data} announce={announce} />

          <section aria-labelledby="pf-wishes-title" className="panel">
            <h2 id="pf-wishes-title">{t('profile.overview.organDonation')}</h2>
            <p>{data.organDonation ? t('profile.overview.organDonationSet') : t('profile.overview.organDonationNone')}</p>
            <p>
              <Link to={`${sectionUrl('contacts')}#pf-od-title`}>{t('profile.overview.organDonationLink')}</Link>
            </p>
            <h2>{t('profile.overview.directives')}</h2>
            <p>
              {data.patient.minor
                ? t('profile.overview.directivesMinor')
                : data.advanceDirective
                  ? t('profile.overview.directivesSet')
                  : t('profile.overview.directivesNone')}
            </p>
            <p>
              <Link to="/patient/profil/directives">{t('profile.overview.directivesLink')}</Link>
            </p>
          </section>

          <SettingsBlock closed={data.closed} announce={announce} />

          <section aria-labelledby="pf-summary-title" className="panel">
            <h2 id="pf-summary-title">{t('profile.overview.summaryTitle')}</h2>
            <p>{t('profile.overview.summaryText')}</p>
            <p>
              <Link to="/patient/profil/synthese">{t('profile.overview.summaryLink')}</Link>
            </p>
          </section>
        </div>
      ) : null}
    </>
  );
}

type Announce = (text: string, ok?: boolean) => void;

/** The blood group's input, for the API's field `group` and its codes (blood-group.exists, blood-group.none). */
const bloodGroupInput = (field: string): string | undefined => (field === 'group' ? 'pf-blood-group' : undefined);
const bloodGroupCode = (code: string): string | undefined => (code.startsWith('blood-group') ? 'pf-blood-group' : undefined);

/** The blood group: recorded once (POST), then changed (PUT) or removed (DELETE). */
function BloodGroupBlock({ overview, announce }: { overview: ProfileOverview; announce: Announce }) {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const current = overview.bloodGroup;
  const [group, setGroup] = useState<string>(current ?? '');
  const [removing, setRemoving] = useState(false);
  const form = useSubmit(bloodGroupCode, bloodGroupInput);
  const label = (g: string) => t(`profile.enums.bloodGroup.${g}`);

  useEffect(() => setGroup(current ?? ''), [current]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: [PROFILE_KEY, actingId] });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors = group ? [] : [{ field: 'pf-blood-group', message: t('profile.bloodGroup.choose') }];
    const ok = await form.run(errors, async () => {
      if (current) await apiPut('/api/profile/blood-group', { group });
      else await apiPost('/api/profile/blood-group', { group });
    });
    if (ok) {
      await refresh();
      announce(t('profile.bloodGroup.saved', { group: label(group) }));
    }
  };

  const remove = async () => {
    if (removing) return;
    setRemoving(true);
    try {
      await apiDelete('/api/profile/blood-group');
      await refresh();
      announce(t('profile.bloodGroup.deleted'));
      window.setTimeout(() => document.getElementById('pf-blood-group')?.focus(), 50);
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setRemoving(false);
    }
  };

  return (
    <section aria-labelledby="pf-blood-title" className="panel">
      <h2 id="pf-blood-title">{t('profile.bloodGroup.title')}</h2>
      <p>
        {current ? <strong>{t('profile.bloodGroup.current', { group: label(current) })}</strong> : t('profile.bloodGroup.none')}
      </p>
      <form noValidate onSubmit={onSubmit} aria-labelledby="pf-blood-title">
        <ErrorSummary errors={form.errors} />
        <Field
          id="pf-blood-group"
          label={t('profile.bloodGroup.label')}
          error={form.errorFor('pf-blood-group')}
          control={(aria) => (
            <select id="pf-blood-group" {...aria} value={group} onChange={(e) => setGroup(e.target.value as BloodGroupCode)}>
              <option value="">{t('profile.choose')}</option>
              {BLOOD_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {label(g)}
                </option>
              ))}
            </select>
          )}
        />
        <div className="button-group button-group--compact">
          <SubmitButton pending={form.pending}>{current ? t('profile.bloodGroup.change') : t('profile.bloodGroup.add')}</SubmitButton>
          {current && (
            <button type="button" className="button button--secondary" aria-disabled={removing || undefined} onClick={() => void remove()}>
              {t('profile.bloodGroup.delete')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/**
 * "Ce que voient les professionnels": what the access policy opens to professionals, and two switches that
 * close "Mon histoire de santé" and "Entourage et volontés" to them (PUT /api/profile/settings).
 */
function SettingsBlock({ closed, announce }: { closed: ClosableSection[]; announce: Announce }) {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<ClosableSection | null>(null);

  const toggle = async (section: ClosableSection, close: boolean) => {
    if (pending) return;
    setPending(section);
    const next = close ? [...closed.filter((s) => s !== section), section] : closed.filter((s) => s !== section);
    try {
      const saved = await apiPut<ProfileSettings>('/api/profile/settings', { closed: next } satisfies ProfileSettings);
      queryClient.setQueryData<ProfileOverview>([PROFILE_KEY, actingId, 'overview'], (o) => (o ? { ...o, closed: saved?.closed ?? next } : o));
      await queryClient.invalidateQueries({ queryKey: [PROFILE_KEY, actingId] });
      const name = t(`profile.settings.names.${section}`);
      announce(t(close ? 'profile.settings.closed' : 'profile.settings.opened', { section: name }));
    } catch (error) {
      announce(errorMessage(error), false);
    } finally {
      setPending(null);
    }
  };

  return (
    <section aria-labelledby="pf-settings-title" className="panel">
      <h2 id="pf-settings-title">{t('profile.settings.title')}</h2>
      <p>{t('profile.settings.intro')}</p>
      <p>{t('profile.settings.never')}</p>
      <fieldset className="field">
        <legend>{t('profile.settings.legend')}</legend>
        {CLOSABLE_SECTIONS.map((s) => (
          <div key={s} className="field field--checkbox pf-switch">
            <div className="checkbox">
              <input
                id={`pf-close-${s}`}
                type="checkbox"
                role="switch"
                checked={closed.includes(s)}
                aria-describedby={`pf-close-${s}-hint`}
                aria-disabled={pending !== null || undefined}
                onChange={(e) => void toggle(s, e.target.checked)}
              />
              <label htmlFor={`pf-close-${s}`}>{t(`profile.settings.${s}`)}</label>
            </div>
            <p id={`pf-close-${s}-hint`} className="hint">
              {t(`profile.settings.${s}Hint`)}
            </p>
          </div>
        ))}
      </fieldset>
    </section>
  );
}
