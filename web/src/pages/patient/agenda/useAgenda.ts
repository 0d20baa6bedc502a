import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { apiGet } from '../../../api';
import { useActing } from '../../../acting';
import type { AgendaEntry, AgendaFeed } from '../../../profile-types';
import { addToCivil, parisParts } from '../../../time';

/** Every query of the agenda starts with this key, then the acting profile. */
export const AGENDA_KEY = 'agenda';

export function useAgendaRange(from: string, to: string) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [AGENDA_KEY, actingId, 'range', from, to],
    queryFn: ({ signal }) => apiGet<{ entries: AgendaEntry[] }>(`/api/agenda?${new URLSearchParams({ from, to })}`, signal),
    placeholderData: (previous) => previous,
  });
}

export function useAgendaList(when: 'future' | 'past') {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [AGENDA_KEY, actingId, 'list', when],
    queryFn: ({ signal }) => apiGet<{ entries: AgendaEntry[] }>(`/api/agenda?when=${when}`, signal),
  });
}

export function useAgendaSettings() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [AGENDA_KEY, actingId, 'settings'],
    queryFn: ({ signal }) => apiGet<{ reminderMinutes: number }>('/api/agenda/settings', signal),
  });
}

export function useFeeds() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [AGENDA_KEY, actingId, 'feeds'],
    queryFn: ({ signal }) => apiGet<{ feeds: AgendaFeed[] }>('/api/agenda/feeds', signal),
  });
}

/** The days shown by a month grid (Monday first): from the Monday on or before the 1st to the Sunday on or after the last day. */
export function monthGrid(month: string): { from: string; to: string; days: string[] } {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const weekday = (new Date(Date.UTC(y!, m! - 1, 1)).getUTCDay() + 6) % 7; // Monday 0
  const last = addToCivil(addToCivil(first, { months: 1 }), { days: -1 });
  const lastWeekday = (new Date(`${last}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addToCivil(first, { days: -weekday });
  const to = addToCivil(last, { days: 6 - lastWeekday });
  const days: string[] = [];
  for (let d = from; d <= to; d = addToCivil(d, { days: 1 })) days.push(d);
  return { from, to, days };
}

/** The Paris day of an entry (YYYY-MM-DD). */
export const dayOf = (entry: Pick<AgendaEntry, 'start'>): string => parisParts(entry.start).date;

const longDay = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const monthName = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const timeOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

/** "jeudi 12 mars 2026" for a civil date. */
export const formatLongDay = (date: string): string => longDay.format(new Date(`${date}T12:00:00Z`));
/** "mars 2026" for a YYYY-MM month. */
export const formatMonth = (month: string): string => monthName.format(new Date(`${month}-15T12:00:00Z`));
/** "14:30" in Paris. */
export const formatTime = (iso: string): string => timeOnly.format(new Date(iso));

/** "Ajouté par Doctolib" for an app's entry; nothing for the patient's own. */
export function entrySourceLabel(t: TFunction, entry: AgendaEntry): string | null {
  if (entry.source.kind === 'app') return t('agenda.entry.addedByApp', { name: entry.source.name ?? t('agenda.entry.anApp') });
  if (entry.source.kind === 'professional') return t('agenda.entry.addedByPro', { name: entry.source.name ?? '' });
  return null;
}
