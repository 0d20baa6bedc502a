import { writtenBy } from '../../fhir/written-by.js';
import { CARNET_CS, CARNET_EXT } from '../profile/systems.js';
import { fhirInstant, parseInstant } from './validate.js';
import { APPOINTMENT_STATUSES, type AgendaEntry, type AgendaInput, type AgendaKind, type AppointmentStatus, type EntrySource, type WithType } from './types.js';

/**
 * The agenda as FHIR R4 Appointments (docs/agenda.md). Pure.
 *
 * - kind: `serviceCategory` coded in Carnet's system `agenda-entry` (appointment | reminder); an Appointment
 *   without it (a connected app's) is an appointment.
 * - start/end: R4 wants an end with a start (app-3). A reminder, or an appointment given without an end, gets
 *   end = start + 30 min, `minutesDuration` 30 and the extension `agenda-end-unknown` = true, so that the end
 *   is not shown back as if the patient had given it.
 * - participants: the patient (required, accepted); for an appointment, the professional or establishment as
 *   the actor's display, typed (Reference.type Practitioner | HealthcareService) and a reference when an id of
 *   the directory was given.
 * - title = `description`, comment = `comment`, specialty = `specialty[0].text`, address = extension
 *   `agenda-address`.
 * - author: `meta.source` = urn:carnet:web-app and the extension `agenda-author` (code patient, display the
 *   name of who typed it) for what the web app writes. Anything else was written by a connected app through
 *   /fhir: shown with source.kind 'app' (its name from the extension's display, or meta.source) and read-only.
 */

type Json = Record<string, unknown>;

export const AGENDA_KIND_SYSTEM = `${CARNET_CS}/agenda-entry`;
export const AGENDA_AUTHOR_SYSTEM = `${CARNET_CS}/agenda-author`;
export const EXT_AUTHOR = `${CARNET_EXT}/agenda-author`;
export const EXT_ADDRESS = `${CARNET_EXT}/agenda-address`;
export const EXT_END_UNKNOWN = `${CARNET_EXT}/agenda-end-unknown`;
/** meta.source of what Carnet's web app writes. */
export const WEB_APP_SOURCE = 'urn:carnet:web-app';
/** The length given to an entry without an end. */
export const DEFAULT_DURATION_MINUTES = 30;

const KIND_DISPLAY: Record<AgendaKind, string> = { appointment: 'Rendez-vous', reminder: 'Rappel' };

/** Who writes through the web app: the patient side, with the name of who typed it. */
export interface Author {
  name: string;
}

/** The Appointment of an entry, for the patient's record. `id` is kept when given (an update). */
export function toAppointment(input: AgendaInput, patientId: string, author: Author, id?: string): Json {
  const start = new Date(input.start);
  const end = input.end ? new Date(input.end) : new Date(start.getTime() + DEFAULT_DURATION_MINUTES * 60_000);
  const extension: Json[] = [
    { url: EXT_AUTHOR, valueCoding: { system: AGENDA_AUTHOR_SYSTEM, code: 'patient', display: author.name } },
    ...(input.address ? [{ url: EXT_ADDRESS, valueString: input.address }] : []),
    ...(input.end ? [] : [{ url: EXT_END_UNKNOWN, valueBoolean: true }]),
  ];
  const participant: Json[] = [{ actor: { reference: `Patient/${patientId}` }, required: 'required', status: 'accepted' }];
  const w = input.kind === 'appointment' ? input.with : undefined;
  if (w) {
    const type = w.type === 'PRACTITIONER' ? 'Practitioner' : 'HealthcareService';
    participant.push({ actor: { ...(w.id ? { reference: `${type}/${w.id}` } : {}), type, display: w.name }, required: 'required', status: 'accepted' });
  }
  return {
    resourceType: 'Appointment',
    ...(id ? { id } : {}),
    meta: { source: WEB_APP_SOURCE },
    extension,
    status: input.status ?? 'booked',
    serviceCategory: [{ coding: [{ system: AGENDA_KIND_SYSTEM, code: input.kind, display: KIND_DISPLAY[input.kind] }] }],
    ...(w?.specialty ? { specialty: [{ text: w.specialty }] } : {}),
    description: input.title,
    start: fhirInstant(start),
    end: fhirInstant(end),
    ...(input.end ? {} : { minutesDuration: DEFAULT_DURATION_MINUTES }),
    ...(input.comment ? { comment: input.comment } : {}),
    participant,
  };
}

const ext = (r: Json, url: string): Json | undefined => ((r.extension as Json[] | undefined) ?? []).find((e) => e.url === url);

/** The record an Appointment belongs to: its first Patient participant. */
export function patientOf(appointment: Json): string | undefined {
  for (const p of (appointment.participant as Json[] | undefined) ?? []) {
    const ref = (p.actor as Json | undefined)?.reference;
    const m = typeof ref === 'string' ? /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
    if (m) return m[1];
  }
  return undefined;
}

/** Whether an entry is an appointment or a free reminder. */
export function kindOf(appointment: Json): AgendaKind {
  for (const c of (appointment.serviceCategory as Json[] | undefined) ?? []) {
    for (const coding of (c.coding as Json[] | undefined) ?? []) {
      if (coding.system === AGENDA_KIND_SYSTEM && (coding.code === 'appointment' || coding.code === 'reminder')) return coding.code;
    }
  }
  return 'appointment';
}

/** Who wrote the entry: the patient side through the web app, or a connected app (named when it says so). */
export function sourceOf(appointment: Json): EntrySource {
  const author = ext(appointment, EXT_AUTHOR)?.valueCoding as Json | undefined;
  const meta = (appointment.meta as Json | undefined) ?? {};
  const display = typeof author?.display === 'string' && author.display !== '' ? author.display : undefined;
  // what a connected app wrote (fhir/written-by.ts: its token, not what it says) is an app's, whatever it claims
  const byApp = writtenBy(appointment) === 'app';
  if (!byApp && author?.system === AGENDA_AUTHOR_SYSTEM && author.code === 'patient' && meta.source === WEB_APP_SOURCE) {
    return { kind: 'patient', ...(display ? { name: display } : {}) };
  }
  const name = (byApp ? undefined : display) ?? appName(meta.source);
  return { kind: 'app', ...(name ? { name } : {}) };
}

/** A connected app's name from meta.source: the host of a URL, or the text as it is. */
function appName(source: unknown): string | undefined {
  if (typeof source !== 'string' || source === '' || source === WEB_APP_SOURCE) return undefined;
  try {
    const url = new URL(source);
    if (url.hostname) return url.hostname;
  } catch {
    // not a URL: the source as written
  }
  return source.split('#')[0]!.slice(0, 200);
}

function statusOf(appointment: Json): AppointmentStatus {
  const s = appointment.status;
  return typeof s === 'string' && (APPOINTMENT_STATUSES as readonly string[]).includes(s) ? (s as AppointmentStatus) : 'booked';
}

function withOf(appointment: Json): AgendaInput['with'] {
  for (const p of (appointment.participant as Json[] | undefined) ?? []) {
    const actor = p.actor as Json | undefined;
    if (!actor) continue;
    const ref = typeof actor.reference === 'string' ? actor.reference : undefined;
    const refType = ref ? /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
    const type = (refType?.[1] ?? (typeof actor.type === 'string' ? actor.type : undefined)) as string | undefined;
    if (type === 'Patient' || type === 'RelatedPerson' || type === 'Device') continue;
    const name = typeof actor.display === 'string' && actor.display !== '' ? actor.display : undefined;
    if (!name) continue;
    const withType: WithType = type === 'Practitioner' || type === 'PractitionerRole' ? 'PRACTITIONER' : 'HEALTHCARE_SERVICE';
    const specialty = (appointment.specialty as Json[] | undefined)?.[0];
    const specialtyText = specialty ? (typeof specialty.text === 'string' ? specialty.text : ((specialty.coding as Json[] | undefined)?.[0]?.display as string | undefined)) : undefined;
    return {
      type: withType,
      name,
      ...(refType && (refType[1] === 'Practitioner' || refType[1] === 'HealthcareService') ? { id: refType[2]! } : {}),
      ...(specialtyText ? { specialty: specialtyText } : {}),
    };
  }
  return undefined;
}

function titleOf(appointment: Json): string {
  if (typeof appointment.description === 'string' && appointment.description.trim() !== '') return appointment.description.trim();
  for (const key of ['appointmentType', 'serviceType', 'reasonCode']) {
    const v = appointment[key];
    const cc = (Array.isArray(v) ? v[0] : v) as Json | undefined;
    const label = cc ? (typeof cc.text === 'string' ? cc.text : ((cc.coding as Json[] | undefined)?.[0]?.display as string | undefined)) : undefined;
    if (label) return label;
  }
  return 'Rendez-vous';
}

/** The agenda entry of an Appointment; an entry written by a connected app is not editable. */
export function fromAppointment(appointment: Json): AgendaEntry {
  const kind = kindOf(appointment);
  const source = sourceOf(appointment);
  const start = typeof appointment.start === 'string' ? parseInstant(appointment.start) : undefined;
  const end = typeof appointment.end === 'string' && ext(appointment, EXT_END_UNKNOWN)?.valueBoolean !== true ? parseInstant(appointment.end) : undefined;
  const address = ext(appointment, EXT_ADDRESS)?.valueString;
  const w = kind === 'appointment' ? withOf(appointment) : undefined;
  return {
    id: String(appointment.id),
    kind,
    title: titleOf(appointment),
    start: start ? fhirInstant(start) : typeof appointment.start === 'string' ? appointment.start : '',
    ...(end ? { end: fhirInstant(end) } : {}),
    ...(w ? { with: w } : {}),
    ...(typeof address === 'string' && address !== '' ? { address } : {}),
    ...(typeof appointment.comment === 'string' && appointment.comment !== '' ? { comment: appointment.comment } : {}),
    status: statusOf(appointment),
    source,
    editable: source.kind !== 'app',
  };
}

/** When the entry starts and ends (end = start + 30 min when the Appointment has none). */
export function periodOf(appointment: Json): { start: Date; end: Date } | undefined {
  const start = typeof appointment.start === 'string' ? parseInstant(appointment.start) : undefined;
  if (!start) return undefined;
  const end = typeof appointment.end === 'string' ? parseInstant(appointment.end) : undefined;
  return { start, end: end && end > start ? end : new Date(start.getTime() + DEFAULT_DURATION_MINUTES * 60_000) };
}
