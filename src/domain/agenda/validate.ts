import { AppError, badRequest } from '../../errors.js';
import { AGENDA_KINDS, AGENDA_LIMITS, APPOINTMENT_STATUSES, WITH_TYPES, type AgendaInput, type AppointmentStatus } from './types.js';

/**
 * The agenda's input checks (src/contract/profile.ts AgendaInput). Pure: every error names the field
 * (`with.name`, `end`...) and carries a stable code, so that nothing half-checked reaches the store.
 */

type Json = Record<string, unknown>;

/** 400 agenda.invalid naming the field. */
export const invalid = (field: string, msg: string): AppError => badRequest(`${field}: ${msg}`, [field]).withCode('agenda.invalid');

/** An ISO 8601 instant with a time and an offset (Z or ±hh:mm); seconds and fractions optional. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** C0 controls and DEL: never in a one-line text; multi-line texts keep tabs and line breaks. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A lone UTF-16 surrogate: not a character, cannot be stored or sent as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The instant a string names, or undefined when it is not an ISO instant with a time and an offset. */
export function parseInstant(value: string): Date | undefined {
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The FHIR instant Carnet stores: UTC, to the second (milliseconds only when given). */
export function fhirInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

const length = (s: string) => [...s].length;

function text(field: string, value: unknown, max: number, opts: { required?: boolean; multiline?: boolean } = {}): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (opts.required) throw invalid(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(field, 'must be a text');
  const v = value.trim();
  if (length(v) > max) throw invalid(field, `is at most ${max} characters`);
  if ((opts.multiline ? CONTROL_BUT_LINES : CONTROL).test(v)) throw invalid(field, opts.multiline ? 'holds a control character' : 'is one line, with no control character');
  if (LONE_SURROGATE.test(v)) throw invalid(field, 'holds an invalid character');
  return v;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw invalid(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** An id of the directory (Practitioner or HealthcareService): a FHIR id. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * Checks an AgendaInput and returns it normalised (texts trimmed, instants in UTC); throws 400 agenda.invalid
 * naming the field, or 422 agenda.end-before-start (field `end`). Unknown members are ignored (a client may
 * send back a whole AgendaEntry).
 */
export function parseAgendaInput(input: unknown): AgendaInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw badRequest('The body must be a JSON object').withCode('request.invalid');
  const body = input as Json;
  const kind = oneOf('kind', body.kind, AGENDA_KINDS);
  const title = text('title', body.title, AGENDA_LIMITS.title, { required: true })!;
  if (typeof body.start !== 'string') throw invalid('start', 'is required: an ISO instant with a time and an offset (2025-03-01T09:30:00+01:00)');
  const start = parseInstant(body.start);
  if (!start) throw invalid('start', `"${body.start.slice(0, 40)}" is not an ISO instant with a time and an offset (2025-03-01T09:30:00+01:00)`);
  let end: Date | undefined;
  if (body.end !== undefined && body.end !== null && body.end !== '') {
    if (kind === 'reminder') throw invalid('end', 'a reminder has no end');
    if (typeof body.end !== 'string' || !(end = parseInstant(body.end))) {
      throw invalid('end', `"${String(body.end).slice(0, 40)}" is not an ISO instant with a time and an offset`);
    }
    if (end.getTime() <= start.getTime()) {
      throw new AppError(422, 'business-rule', 'end: the end must come after the start', ['end']).withCode('agenda.end-before-start');
    }
  }
  let withWhom: AgendaInput['with'];
  if (body.with !== undefined && body.with !== null) {
    if (kind === 'reminder') throw invalid('with', 'a reminder is with no one: only appointments name a professional or an establishment');
    if (typeof body.with !== 'object' || Array.isArray(body.with)) throw invalid('with', 'must be an object { type, name, id?, specialty? }');
    const w = body.with as Json;
    const type = oneOf('with.type', w.type, WITH_TYPES);
    const name = text('with.name', w.name, AGENDA_LIMITS.name, { required: true })!;
    const id = text('with.id', w.id, AGENDA_LIMITS.id);
    if (id !== undefined && !FHIR_ID.test(id)) throw invalid('with.id', 'is an id of the directory (letters, digits, - and .)');
    const specialty = text('with.specialty', w.specialty, AGENDA_LIMITS.specialty);
    withWhom = { type, name, ...(id ? { id } : {}), ...(specialty ? { specialty } : {}) };
  }
  const address = text('address', body.address, AGENDA_LIMITS.address, { multiline: true });
  const comment = text('comment', body.comment, AGENDA_LIMITS.comment, { multiline: true });
  const status: AppointmentStatus = body.status === undefined || body.status === null ? 'booked' : oneOf('status', body.status, APPOINTMENT_STATUSES);
  return {
    kind,
    title,
    start: fhirInstant(start),
    ...(end ? { end: fhirInstant(end) } : {}),
    ...(withWhom ? { with: withWhom } : {}),
    ...(address ? { address } : {}),
    ...(comment ? { comment } : {}),
    status,
  };
}

/** The reminder delay of the settings (0..20160 minutes, whole). */
export function parseReminderMinutes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > AGENDA_LIMITS.reminderMinutesMax) {
    throw invalid('reminderMinutes', `is a whole number of minutes from 0 to ${AGENDA_LIMITS.reminderMinutesMax}`);
  }
  return value;
}

/** The label of a calendar link (optional, one line). */
export function parseFeedLabel(value: unknown): string {
  return text('label', value, AGENDA_LIMITS.feedLabel) ?? '';
}
