import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { apiDelete, apiPut, errorMessage, isStatus } from '../../../api';
import { useActing } from '../../../acting';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDate } from '../../../format';
import type { Habit, ListSection, SectionViews, Vaccination } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { EntryForm } from './EntryForm';
import { formatIsoDay, formatPartial, useFieldLabel } from './labels';
import { OrganDonationBlock } from './OrganDonationBlock';
import { entryPath, PROFILE_KEY, sectionPath, useDocumentChoices, useLinkable, useSection } from './profileApi';
import { entryTitle, isUnconcernable, SECTION_SPECS, sectionOfSlug, type SectionSpec } from './sections';
import './profile.css';

/**
 * /patient/profil/:section: one list section of the medical profile (maladies, traitements, allergies,
 * hospitalisations, antécédents familiaux, handicaps, vaccinations, habitudes de vie, entourage), driven by the
 * section's form description (sections.ts): the entries, adding, changing and deleting them, and "non
 * concerné(e)" where the section allows it. The "Entourage et volontés" page also holds the organ-donation
 * position. Everything is the acting profile's.
 */
export function SectionPage() {
  const { t } = useTranslation();
  const { section: slug } = useParams();
  const { actingId } = useActing();
  const section = sectionOfSlug(slug);

  if (!section) {
    return (
      <>
        <PageHeading title={t('profile.title')} />
        <p className="alert alert--error">{t('profile.notFound')}</p>
        <p>
          <Link to="/patient/profil">{t('profile.back')}</Link>
        </p>
      </>
    );
  }
  return <SectionContent key={`${actingId}-${section}`} spec={SECTION_SPECS[section]} />;
}

type Entry = SectionViews[ListSection];

function SectionContent({ spec }: { spec: SectionSpec }) {
  const { t } = useTranslation();
  const section = spec.section;
  const queryClient = useQueryClient();
  const { actingId } = useActing();
  const list = useSection(section);
  const { announce, statusMessage } = useAnnouncer();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sectionTitle = t(`profile.sections.${section}.title`);
  const topic = (v: string) => t(`profile.enums.habitTopic.${v}`);

  const refresh = () => queryClient.invalidateQueries({ queryKey: [PROFILE_KEY, actingId] });
  const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 50);

  const entries = (list.data?.entries ?? []) as Entry[];
  const unconcerned = list.data?.unconcerned ?? null;

  const afterSave = async (saved: Entry, title: string, added: boolean) => {
    setAdding(false);
    setEditing(null);
    await refresh();
    announce(t(added ? 'profile.done.added' : 'profile.done.saved', { title }));
    focusLater(`entry-${saved.id}-title`);
  };

  const remove = async (entry: Entry) => {
    if (busy) return;
    setBusy(true);
    const title = entryTitle(section, entry, topic);
    try {
      await apiDelete(entryPath(section, entry.id));
      setDeleting(null);
      announce(t('profile.done.deleted', { title }));
    } catch (error) {
      // already gone: the list is refreshed below
      if (isStatus(error, 404)) setDeleting(null);
      announce(errorMessage(error), false);
    } finally {
      setBusy(false);
      await refresh();
      focusLater('pf-list-title');
    }
  };

  const setUnconcerned = async (on: boolean) => {
    if (busy) return;
    setBusy(true);
    try {
      if (on) await apiPut(`${sectionPath(section)}/unconcerned`, {});
      else await apiDelete(`${sectionPath(section)}/unconcerned`);
      announce(t(on ? 'profile.done.unconcerned' : 'profile.done.concerned', { section: sectionTitle }));
      await refresh();
      focusLater(on ? 'pf-unconcerned-withdraw' : 'pf-unconcerned-declare');
    } catch (error) {
      announce(errorMessage(error), false);
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={sectionTitle} />
      <p>
        <Link to="/patient/profil">{t('profile.back')}</Link>
      </p>
      <p>{t(`profile.sections.${section}.intro`)}</p>
      {statusMessage}

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <QueryError error={list.error} />
      ) : (
        <>
          {isUnconcernable(section) && (unconcerned || entries.length === 0) && (
            <section className="pf-unconcerned" aria-labelledby="pf-unconcerned-title">
              <h2 id="pf-unconcerned-title" className="visually-hidden">
                {t('profile.unconcerned.legend')}
              </h2>
              {unconcerned ? (
                <>
                  <p className="pf-unconcerned__state">{t('profile.unconcerned.declared', { date: formatDate(unconcerned.declaredAt) })}</p>
                  <button
                    id="pf-unconcerned-withdraw"
                    type="button"
                    className="button button--secondary button--small"
                    aria-disabled={busy || undefined}
                    onClick={() => void setUnconcerned(false)}
                  >
                    {t('profile.unconcerned.withdraw')}
                  </button>
                </>
              ) : (
                <>
                  <p className="hint" id="pf-unconcerned-hint">
                    {t('profile.unconcerned.declareHint')}
                  </p>
                  <button
                    id="pf-unconcerned-declare"
                    type="button"
                    className="button button--secondary"
                    aria-describedby="pf-unconcerned-hint"
                    aria-disabled={busy || undefined}
                    onClick={() => void setUnconcerned(true)}
                  >
                    {t('profile.unconcerned.declare')}
                  </button>
                </>
              )}
            </section>
          )}

          {adding ? (
            <div className="panel">
              <EntryForm
                spec={spec}
                formId="pf-add"
                onSaved={(saved, title) => void afterSave(saved, title, true)}
                onCancel={() => {
                  setAdding(false);
                  focusLater('pf-add-open');
                }}
              />
            </div>
          ) : (
            <p>
              <button
                id="pf-add-open"
                type="button"
                className="button button--primary"
                onClick={() => {
                  setEditing(null);
                  setAdding(true);
                }}
              >
                {t(`profile.sections.${section}.add`)}
              </button>
            </p>
          )}

          <section aria-labelledby="pf-list-title" className="panel">
            <h2 id="pf-list-title" tabIndex={-1}>
              {t('profile.list.title')}
            </h2>
            {entries.length === 0 ? (
              <p>{t(`profile.sections.${section}.empty`)}</p>
            ) : (
              <>
                <p className="meta">{t('profile.list.count', { count: entries.length })}</p>
                <EntryList
                  spec={spec}
                  entries={entries}
                  editing={editing}
                  deleting={deleting}
                  busy={busy}
                  onEdit={(id) => {
                    setAdding(false);
                    setDeleting(null);
                    setEditing(id);
                  }}
                  onCancelEdit={(id) => {
                    setEditing(null);
                    focusLater(`entry-${id}-edit`);
                  }}
                  onSaved={(saved, title) => void afterSave(saved, title, false)}
                  onAskDelete={(id) => {
                    setEditing(null);
                    setDeleting(id);
                  }}
                  onCancelDelete={(id) => {
                    setDeleting(null);
                    focusLater(`entry-${id}-delete`);
                  }}
                  onDelete={(entry) => void remove(entry)}
                />
              </>
            )}
          </section>
        </>
      )}

      {section === 'contacts' && <OrganDonationBlock announce={announce} />}
    </>
  );
}

function EntryList({
  spec,
  entries,
  editing,
  deleting,
  busy,
  onEdit,
  onCancelEdit,
  onSaved,
  onAskDelete,
  onCancelDelete,
  onDelete,
}: {
  spec: SectionSpec;
  entries: Entry[];
  editing: string | null;
  deleting: string | null;
  busy: boolean;
  onEdit: (id: string) => void;
  onCancelEdit: (id: string) => void;
  onSaved: (saved: Entry, title: string) => void;
  onAskDelete: (id: string) => void;
  onCancelDelete: (id: string) => void;
  onDelete: (entry: Entry) => void;
}) {
  const { t } = useTranslation();
  const section = spec.section;
  const labelOf = useFieldLabel(section);
  const topic = (v: string) => t(`profile.enums.habitTopic.${v}`);

  // the names of what entries link to
  const linksTo = new Set(spec.fields.flatMap((f) => (f.kind === 'links' ? [f.target] : [])));
  const reverse = section === 'diseases' || section === 'allergies';
  const diseases = useLinkable('diseases', linksTo.has('diseases'));
  const allergies = useLinkable('allergies', linksTo.has('allergies'));
  const treatments = useLinkable('treatments', reverse);
  const documents = useDocumentChoices(linksTo.has('documents'));
  const nameOf = (target: string, id: string): string => {
    if (target === 'documents') return documents.data?.documents.find((d) => d.id === id)?.title ?? t('profile.entry.unknownDocument');
    const pool = target === 'diseases' ? diseases.entries : target === 'allergies' ? allergies.entries : treatments.entries;
    return (pool.find((e) => e.id === id) as { name?: string } | undefined)?.name ?? '';
  };

  const details = (entry: Entry): { label: string; value: string }[] => {
    const e = entry as unknown as Record<string, unknown>;
    const rows: { label: string; value: string }[] = [];
    for (const f of spec.fields) {
      const v = e[f.key];
      let value = '';
      switch (f.kind) {
        case 'text':
        case 'textarea':
          // the title already says it
          if (typeof v === 'string' && !['name', 'firstName', 'lastName'].includes(f.key)) value = v;
          if (section === 'habits' && f.key === 'answer') value = typeof v === 'string' ? v : '';
          break;
        case 'select':
          if (typeof v === 'string' && !(section === 'habits' && f.key === 'topic')) value = t(`profile.enums.${f.enumName}.${v}`);
          break;
        case 'multi':
          if (Array.isArray(v)) value = (v as string[]).map((o) => t(`profile.enums.${f.enumName}.${o}`)).join(', ');
          break;
        case 'date':
          value = formatIsoDay(t, v as string | undefined);
          break;
        case 'partialDate':
          value = formatPartial(t, v as never);
          break;
        case 'duration': {
          const d = v as { value: number; unit: string } | undefined;
          if (d) value = t('profile.entry.durationValue', { value: d.value, unit: t(`profile.enums.durationUnit.${d.unit}`) });
          break;
        }
        case 'links':
          if (Array.isArray(v)) value = (v as string[]).map((id) => nameOf(f.target, id)).filter(Boolean).join(', ');
          break;
        default:
          break;
      }
      if (value) rows.push({ label: labelOf(f.key), value });
    }
    if (reverse) {
      const ids = (e.treatmentIds as string[] | undefined) ?? [];
      const names = ids.map((id) => nameOf('treatments', id)).filter(Boolean);
      if (names.length) rows.push({ label: t('profile.fields.linkedTreatments'), value: names.join(', ') });
    }
    if (section === 'vaccinations') {
      const vac = entry as Vaccination;
      if (vac.diseases?.length) rows.splice(0, 0, { label: t('profile.vaccine.legend'), value: t('profile.entry.diseases', { list: vac.diseases.join(', ') }) });
    }
    return rows;
  };

  return (
    <ul className="plain-list pf-entries">
      {entries.map((entry) => {
        const title = entryTitle(section, entry, topic);
        const titleId = `entry-${entry.id}-title`;
        const byPro = entry.source?.kind === 'professional' || (section === 'vaccinations' && (entry as Vaccination).authoredByPatient === false);
        if (editing === entry.id) {
          return (
            <li key={entry.id} className="pf-entry pf-entry--editing">
              <EntryForm spec={spec} formId={`pf-edit-${entry.id}`} entry={entry} onSaved={onSaved} onCancel={() => onCancelEdit(entry.id)} />
            </li>
          );
        }
        return (
          <li key={entry.id} className="pf-entry">
            <article aria-labelledby={titleId}>
              <h3 id={titleId} tabIndex={-1} className="pf-entry__title">
                {title}
              </h3>
              {byPro && <p className="pf-source">{t('profile.entry.byProfessional', { name: entry.source?.name ?? '' })}</p>}
              {entry.source?.kind === 'app' && <p className="pf-source">{t('profile.entry.byApp', { name: entry.source.name ?? '' })}</p>}
              {section === 'habits' && (entry as Habit).origin === 'QUIZ' && <p className="pf-source">{t('profile.entry.fromQuestionnaire')}</p>}
              {details(entry).length > 0 && (
                <dl className="pf-details">
                  {details(entry).map((row) => (
                    <div key={row.label} className="pf-details__row">
                      <dt>{row.label}</dt>
                      <dd>{row.value}</dd>
                    </div>
                  ))}
                </dl>
              )}
              {byPro ? (
                <p className="meta">{t('profile.entry.readOnly')}</p>
              ) : (
                <div className="button-group button-group--compact">
                  <button id={`entry-${entry.id}-edit`} type="button" className="button button--secondary button--small" aria-label={t('profile.actions.editLabel', { title })} onClick={() => onEdit(entry.id)}>
                    {t('profile.actions.edit')}
                  </button>
                  <button
                    id={`entry-${entry.id}-delete`}
                    type="button"
                    className="button button--danger button--small"
                    aria-label={t('profile.actions.deleteLabel', { title })}
                    aria-expanded={deleting === entry.id}
                    onClick={() => onAskDelete(entry.id)}
                  >
                    {t('profile.actions.delete')}
                  </button>
                </div>
              )}
              {deleting === entry.id && (
                <ConfirmBox
                  title={t('profile.confirmDelete.title', { title })}
                  confirmLabel={t('profile.confirmDelete.confirm')}
                  pending={busy}
                  onConfirm={() => onDelete(entry)}
                  onCancel={() => onCancelDelete(entry.id)}
                >
                  <p>{t('profile.confirmDelete.text')}</p>
                </ConfirmBox>
              )}
            </article>
          </li>
        );
      })}
    </ul>
  );
}

