/** The agenda's shapes of the application API (mirrors src/contract/profile.ts, "agenda"). */

export const APPOINTMENT_STATUSES = ['booked', 'proposed', 'pending', 'arrived', 'fulfilled', 'cancelled', 'noshow', 'entered-in-error', 'checked-in', 'waitlist'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const AGENDA_KINDS = ['appointment', 'reminder'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

export const WITH_TYPES = ['PRACTITIONER', 'HEALTHCARE_SERVICE'] as const;
export type WithType = (typeof WITH_TYPES)[number];

export interface EntrySource {
  kind: 'patient' | 'professional' | 'app';
  name?: string;
}

export interface AgendaInput {
  kind: AgendaKind;
  title: string;
  start: string;
  end?: string;
  with?: { type: WithType; name: string; id?: string; specialty?: string };
  address?: string;
  comment?: string;
  status?: AppointmentStatus;
}

export interface AgendaEntry extends AgendaInput {
  id: string;
  status: AppointmentStatus;
  source: EntrySource;
  editable: boolean;
}

export interface AgendaFeed {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

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
