import { fromAppointment, periodOf } from './fhir.js';
import { icsCalendar, icsStatus, type IcsEvent } from './ical.js';

/**
 * The private calendar feed of a patient's agenda (docs/agenda.md): which entries, and what each VEVENT says.
 * Pure. The feed holds what the agenda shows: titles, places, who with, comments; entries entered in error
 * are left out, cancelled ones stay (STATUS:CANCELLED) so that subscribed calendars drop them.
 */

type Json = Record<string, unknown>;

/** From a year back to two years ahead. */
export function feedWindow(now: Date): { from: Date; to: Date } {
  const from = new Date(now);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const to = new Date(now);
  to.setUTCFullYear(to.getUTCFullYear() + 2);
  return { from, to };
}

export interface StoredAppointment {
  resource: Json;
  lastUpdated: string;
  versionId: number;
}

/** The VEVENT of an Appointment, or undefined when it has no place in a calendar. */
export function icsEventOf(a: StoredAppointment, opts: { host: string; alarmMinutes: number; now: Date }): IcsEvent | undefined {
  if (a.resource.status === 'entered-in-error') return undefined;
  const period = periodOf(a.resource);
  if (!period) return undefined;
  const entry = fromAppointment(a.resource);
  const details = [
    ...(entry.with ? [`Avec : ${entry.with.name}${entry.with.specialty ? ` (${entry.with.specialty})` : ''}`] : []),
    ...(entry.comment ? [entry.comment] : []),
    ...(entry.source.kind === 'app' ? [`Ajouté par ${entry.source.name ?? 'une application connectée'}`] : []),
  ];
  return {
    uid: `${entry.id}@${opts.host}`,
    start: period.start,
    end: period.end,
    summary: entry.title,
    ...(entry.address ? { location: entry.address } : {}),
    ...(details.length ? { description: details.join('\n') } : {}),
    status: icsStatus(entry.status),
    lastModified: new Date(a.lastUpdated),
    sequence: Math.max(0, a.versionId - 1),
    // an alarm only for what is still to come
    ...(period.start > opts.now && icsStatus(entry.status) !== 'CANCELLED' ? { alarmMinutes: opts.alarmMinutes } : {}),
  };
}

/** The feed's VCALENDAR: the entries in start order. */
export function agendaCalendar(appointments: StoredAppointment[], opts: { host: string; alarmMinutes: number; now: Date; name: string; version: string }): string {
  const events = appointments
    .map((a) => icsEventOf(a, opts))
    .filter((e): e is IcsEvent => e !== undefined)
    .sort((x, y) => x.start.getTime() - y.start.getTime() || x.uid.localeCompare(y.uid));
  return icsCalendar({ prodId: `-//Carnet//Agenda ${opts.version}//FR`, name: opts.name, stamp: opts.now, events });
}
