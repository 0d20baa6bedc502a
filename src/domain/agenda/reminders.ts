import type { AgendaKind, AppointmentStatus } from './types.js';

/**
 * When the patient is reminded of an entry (docs/agenda.md). Pure. An entry is reminded once, its delay
 * (profile_settings.reminder_minutes) before it starts; never when it is cancelled, entered in error, over
 * (fulfilled, noshow) or already started. A reminder whose due time has passed but whose entry is still to
 * come (an appointment booked for tomorrow with a delay of two days) is due at once.
 */

/** The statuses for which no reminder is ever sent. */
export const SILENT_STATUSES: ReadonlySet<AppointmentStatus> = new Set(['cancelled', 'entered-in-error', 'noshow', 'fulfilled']);

export function remindable(status: string, start: Date, now: Date): boolean {
  return !SILENT_STATUSES.has(status as AppointmentStatus) && start.getTime() > now.getTime();
}

/** When the reminder of an entry is due, or null when none is to be sent. */
export function reminderDueAt(status: string, start: Date, reminderMinutes: number, now: Date): Date | null {
  if (!remindable(status, start, now)) return null;
  return new Date(start.getTime() - reminderMinutes * 60_000);
}

/** The notification type of an entry's reminder: RAPPEL_RDV_USAGER for an appointment, RAPPEL_AGENDA for a reminder. */
export function reminderType(kind: AgendaKind): 'appointment-reminder' | 'agenda-reminder' {
  return kind === 'appointment' ? 'appointment-reminder' : 'agenda-reminder';
}
