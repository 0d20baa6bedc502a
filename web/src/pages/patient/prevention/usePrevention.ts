import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { apiDelete, apiGet, apiPut } from '../../../api';
import { useActing } from '../../../acting';
import { formatCivilDate } from '../../../format';
import type {
  PreventionItem,
  PreventionMarkInput,
  PreventionReason,
  PreventionStatus,
  PreventionView,
  VaccinationCalendarView,
} from '../../../prevention-types';

/** Every query of prevention starts with this key, then the acting profile (refetched on a switch). */
export const PREVENTION_KEY = 'prevention';

/** GET /api/prevention: the acting profile's items (the prevention page and the agenda share it). */
export function usePreventionView() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PREVENTION_KEY, actingId, 'view'],
    queryFn: ({ signal }) => apiGet<PreventionView>('/api/prevention', signal),
  });
}

/** GET /api/prevention/vaccinations: the calendar set against the recorded vaccinations. */
export function useVaccinationCalendar() {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [PREVENTION_KEY, actingId, 'vaccinations'],
    queryFn: ({ signal }) => apiGet<VaccinationCalendarView>('/api/prevention/vaccinations', signal),
  });
}

/**
 * Marks an item (PUT) or removes its mark (DELETE): the answer is the updated view, put in the cache at once;
 * the other prevention queries (the vaccination calendar) are refetched.
 */
export function useMarkItem() {
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const apply = useCallback(
    async (view: PreventionView) => {
      queryClient.setQueryData([PREVENTION_KEY, actingId, 'view'], view);
      await queryClient.invalidateQueries({ queryKey: [PREVENTION_KEY, actingId, 'vaccinations'] });
    },
    [queryClient, actingId],
  );
  const mark = useCallback(
    async (code: string, input: PreventionMarkInput) => apply(await apiPut<PreventionView>(`/api/prevention/items/${encodeURIComponent(code)}`, input)),
    [apply],
  );
  const unmark = useCallback(async (code: string) => apply(await apiDelete<PreventionView>(`/api/prevention/items/${encodeURIComponent(code)}`)), [apply]);
  return { mark, unmark };
}

/** An element id built from an item code ('vac:dtp-45y:1' → 'vac-dtp-45y-1'), for anchors and focus. */
export const domId = (code: string): string => code.replace(/[^A-Za-z0-9_-]+/g, '-');

/** Whether the person has marked the item (so that the mark can be removed). */
export function isMarked(item: PreventionItem): boolean {
  return (
    Boolean(item.planned) ||
    item.status === 'not-done' ||
    (item.status === 'done' && item.evidence !== 'vaccination') ||
    item.reasons.some((r) => r.code === 'marked')
  );
}

/** Items still to act on: to come, due or overdue (not done, not declined). */
export const isOpen = (status: PreventionStatus): boolean => status === 'due' || status === 'overdue' || status === 'to-plan';

const dayMonth = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long' });

/** "du 20 octobre au 19 novembre 2026", "du 20 décembre 2026 au 19 janvier 2027", "le 3 mars 2026". */
export function formatWindow(t: TFunction, window: { start: string; end: string }): string {
  if (window.start === window.end) return t('prevention.item.windowDay', { date: formatCivilDate(window.start) });
  const sameYear = window.start.slice(0, 4) === window.end.slice(0, 4);
  const start = sameYear ? dayMonth.format(new Date(`${window.start}T12:00:00Z`)) : formatCivilDate(window.start);
  return t('prevention.item.windowFromTo', { start, end: formatCivilDate(window.end) });
}

const CIVIL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/;

/** An age given as an ISO 8601 duration ('P1Y6M', 'P8D') in words: "1 an et 6 mois", "8 jours"; as is otherwise. */
export function ageText(t: TFunction, value: string): string {
  const m = DURATION.exec(value);
  if (!m || value === 'P') return value;
  const parts = [
    m[1] && Number(m[1]) > 0 ? t('prevention.ages.years', { count: Number(m[1]) }) : '',
    m[2] && Number(m[2]) > 0 ? t('prevention.ages.months', { count: Number(m[2]) }) : '',
    m[3] && Number(m[3]) > 0 ? t('prevention.ages.days', { count: Number(m[3]) }) : '',
  ].filter(Boolean);
  return parts.length === 0 ? t('prevention.ages.birth') : parts.join(t('prevention.ages.and'));
}

/** The calendars an item may cite (the view's), to name them in the "calendar" reason. */
export type CalendarNames = { id: string; title: string; version: string }[];

/**
 * A reason's text (prevention.reasons.<code>), its parameters made readable (dates in French, ages in words,
 * a calendar by its title); '' for a code without a text.
 */
export function reasonText(t: TFunction, reason: PreventionReason, calendars: CalendarNames = []): string {
  const raw = reason.params ?? {};
  const params: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(raw)) {
    params[key] = typeof value === 'string' && CIVIL_DATE.test(value) ? formatCivilDate(value) : typeof value === 'string' && DURATION.test(value) ? ageText(t, value) : value;
  }
  let key = reason.code;
  if (reason.code === 'age-window') {
    if (raw.from === 'P0D' && raw.to !== undefined) key = 'age-window-birth';
    else if (raw.to === undefined) key = 'age-window-from';
  }
  if (reason.code === 'sex' && typeof raw.sex === 'string') params.sex = t(`prevention.sexes.${raw.sex}`, { defaultValue: raw.sex });
  if (reason.code === 'marked' && typeof raw.mark === 'string') params.mark = t(`prevention.markNames.${raw.mark}`, { defaultValue: raw.mark });
  if (reason.code === 'every-years' && raw.years !== undefined) params.count = Number(raw.years);
  if (reason.code === 'catch-up-doses' && raw.doses !== undefined) params.count = Number(raw.doses);
  if (reason.code === 'calendar') params.title = calendars.find((c) => c.id === raw.id)?.title ?? String(raw.id ?? '');
  return t(`prevention.reasons.${key}`, { ...params, defaultValue: '' });
}

/** The status as words, with the planned date when the person marked it planned. */
export function statusText(t: TFunction, item: PreventionItem): string {
  const status = t(`prevention.statuses.${item.status}`);
  if (item.planned && isOpen(item.status)) {
    return `${status} · ${item.planned.on ? t('prevention.item.plannedOn', { date: formatCivilDate(item.planned.on) }) : t('prevention.item.planned')}`;
  }
  return status;
}

/** The key-age band of a check-up ('18-25'), from its code (checkup:18-25) or its questionnaire's URL. */
export function checkupBand(item: PreventionItem): string | undefined {
  const fromCode = /^checkup:(\d+-\d+)$/.exec(item.code)?.[1];
  return fromCode ?? /key-age-(\d+-\d+)$/.exec(item.questionnaire ?? '')?.[1];
}

/** The item the "next" block shows: the view's next, else the first one still to come. */
export function nextItem(view: PreventionView): { item: PreventionItem; upcoming: boolean } | undefined {
  const next = view.next ? view.items.find((i) => i.code === view.next) : undefined;
  if (next) return { item: next, upcoming: false };
  const first = view.items.find((i) => i.status === 'to-plan');
  return first ? { item: first, upcoming: true } : undefined;
}
