import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { apiDelete, errorMessage } from '../../../api';
import { PageHeading } from '../../../components/PageHeading';
import type { AgendaEntry } from '../../../profile-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { todayInParis } from '../../../time';
import { AgendaForm, type AgendaEditing } from './AgendaForm';
import { FeedsBlock, ReminderSettings } from './AgendaSettings';
import { ListView, MonthView, type EntryActions } from './AgendaViews';
import { AGENDA_KEY, dayOf } from './useAgenda';
import './agenda.css';

/**
 * /patient/agenda: the acting profile's appointments and reminders, by month (a grid; a list of days on a
 * phone) or as lists (à venir, passés); adding, changing and deleting the patient's own entries (an app's are
 * shown with their source, read-only); the reminder delay; the private calendar links for a phone.
 */
export function AgendaPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const view = params.get('vue') === 'liste' ? 'list' : 'month';
  const monthParam = params.get('mois');
  const month = monthParam && /^\d{4}-(0[1-9]|1[0-2])$/.test(monthParam) ? monthParam : todayInParis().slice(0, 7);
  const { announce, statusMessage } = useAnnouncer();
  const [editing, setEditing] = useState<AgendaEditing | null>(null);
  const [pending, setPending] = useState(false);
  const opener = useRef<string | null>(null);

  const setView = (v: 'month' | 'list') =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (v === 'list') next.set('vue', 'liste');
      else next.delete('vue');
      return next;
    });
  const setMonth = (m: string) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('mois', m);
      return next;
    });

  const open = (e: AgendaEditing, from: string) => {
    opener.current = from;
    setEditing(e);
  };
  const close = () => {
    setEditing(null);
    const from = opener.current;
    window.setTimeout(() => (from ? document.getElementById(from) : null)?.focus(), 0);
  };

  const actions: EntryActions = {
    pending,
    onEdit: (entry, from) => open({ entry }, from),
    onAdd: (date, from) => open({ kind: 'appointment', date }, from),
    onDelete: async (entry: AgendaEntry) => {
      if (pending) return false;
      setPending(true);
      try {
        await apiDelete(`/api/agenda/${encodeURIComponent(entry.id)}`);
        announce(t('agenda.entry.deleted', { title: entry.title }));
        await queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
        document.getElementById(view === 'list' ? 'agenda-future' : 'agenda-month-title')?.focus();
        return true;
      } catch (error) {
        announce(errorMessage(error), false);
        return false;
      } finally {
        setPending(false);
      }
    },
  };

  return (
    <>
      <PageHeading title={t('agenda.title')} />
      <p>{t('agenda.intro')}</p>
      {statusMessage}

      <div className="agenda-bar">
        <div role="group" aria-label={t('agenda.views.label')} className="button-group button-group--compact">
          <button type="button" className="button button--secondary button--small" aria-pressed={view === 'month'} onClick={() => setView('month')}>
            {t('agenda.views.month')}
          </button>
          <button type="button" className="button button--secondary button--small" aria-pressed={view === 'list'} onClick={() => setView('list')}>
            {t('agenda.views.list')}
          </button>
        </div>
        <div className="button-group button-group--compact">
          <button id="agenda-new-appointment" type="button" className="button button--primary button--small" onClick={() => open({ kind: 'appointment' }, 'agenda-new-appointment')}>
            {t('agenda.actions.newAppointment')}
          </button>
          <button id="agenda-new-reminder" type="button" className="button button--secondary button--small" onClick={() => open({ kind: 'reminder' }, 'agenda-new-reminder')}>
            {t('agenda.actions.newReminder')}
          </button>
        </div>
      </div>

      {editing && (
        <AgendaForm
          key={'entry' in editing ? editing.entry.id : `new-${editing.kind}-${editing.date ?? ''}`}
          editing={editing}
          onCancel={close}
          onDone={(text, saved) => {
            announce(text);
            setEditing(null);
            if (view === 'month') {
              const m = dayOf(saved).slice(0, 7);
              if (m !== month) setMonth(m);
            }
            window.setTimeout(() => document.getElementById(view === 'list' ? 'agenda-future' : 'agenda-month-title')?.focus(), 0);
          }}
        />
      )}

      {view === 'month' ? <MonthView month={month} onMonth={setMonth} actions={actions} /> : <ListView actions={actions} />}

      <ReminderSettings announce={announce} />
      <FeedsBlock announce={announce} />
    </>
  );
}
