/**
 * The agenda's shapes of the application API: the contract's (src/contract/profile.ts, "agenda"), re-exported,
 * and what the server alone needs beside them (the enums of the input's fields, the limits, the default delay).
 */
import type { AgendaInput } from '../../contract/profile.js';

export { APPOINTMENT_STATUSES } from '../../contract/profile.js';
export type { AgendaEntry, AgendaFeed, AgendaInput, AppointmentStatus, EntrySource } from '../../contract/profile.js';

export type AgendaKind = AgendaInput['kind'];
export const AGENDA_KINDS = ['appointment', 'reminder'] as const satisfies readonly AgendaKind[];

export type WithType = NonNullable<AgendaInput['with']>['type'];
export const WITH_TYPES = ['PRACTITIONER', 'HEALTHCARE_SERVICE'] as const satisfies readonly WithType[];

/** The limits of the fields (characters, counted as code points). */
export const AGENDA_LIMITS = {
  title: 200,
  name: 200,
  id: 64,
  specialty: 200,
  address: 500,
  comment: 2000,
  feedLabel: 100,
  /** The reminder delay, in minutes: up to two weeks. */
  reminderMinutesMax: 20_160,
} as const;

/** The reminder delay when the patient chose none (profile_settings.reminder_minutes' default): a day. */
export const DEFAULT_REMINDER_MINUTES = 1440;
