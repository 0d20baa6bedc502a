import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertValid } from '../../fhir/validate.js';
import { appError } from '../../../test/support/errors.js';
import { fromAppointment, patientOf, periodOf, sourceOf, toAppointment, WEB_APP_SOURCE } from './fhir.js';
import { WRITTEN_BY_SYSTEM } from '../../fhir/written-by.js';
import { parseAgendaInput, parseInstant, parseReminderMinutes } from './validate.js';
import { reminderDueAt, reminderType } from './reminders.js';
import { APPOINTMENT_STATUSES, type AgendaInput } from './types.js';

const base = { kind: 'appointment', title: 'Cardiologue', start: '2030-03-01T09:30:00+01:00' };

describe('parseAgendaInput', () => {
  it('normalises the instants to UTC and defaults the status to booked', () => {
    const input = parseAgendaInput({ ...base, end: '2030-03-01T10:00:00+01:00', title: '  Cardiologue ', comment: ' ' });
    expect(input).toEqual({ kind: 'appointment', title: 'Cardiologue', start: '2030-03-01T08:30:00Z', end: '2030-03-01T09:00:00Z', status: 'booked' });
  });

  it.each([
    [{ ...base, kind: 'visit' }, 'kind'],
    [{ ...base, title: '' }, 'title'],
    [{ ...base, title: 'x'.repeat(201) }, 'title'],
    [{ ...base, title: 'a\nb' }, 'title'],
    [{ ...base, start: '2030-03-01' }, 'start'],
    [{ ...base, start: '2030-03-01T09:30:00' }, 'start'],
    [{ ...base, start: '2030-02-30T09:30:00Z' }, 'start'],
    [{ ...base, start: '2030-03-01T25:30:00Z' }, 'start'],
    [{ ...base, start: 1234 }, 'start'],
    [{ ...base, end: 'tomorrow' }, 'end'],
    [{ ...base, status: 'done' }, 'status'],
    [{ ...base, with: { type: 'DOCTOR', name: 'Dr Durand' } }, 'with.type'],
    [{ ...base, with: { type: 'PRACTITIONER', name: '' } }, 'with.name'],
    [{ ...base, with: { type: 'PRACTITIONER', name: 'Dr Durand', id: 'a/b' } }, 'with.id'],
    [{ ...base, with: 'Dr Durand' }, 'with'],
    [{ ...base, kind: 'reminder', with: { type: 'PRACTITIONER', name: 'Dr Durand' } }, 'with'],
    [{ ...base, kind: 'reminder', end: '2030-03-01T10:00:00Z' }, 'end'],
    [{ ...base, comment: 'x'.repeat(2001) }, 'comment'],
  ])('refuses %j naming %s', (body, field) => {
    const err = appError(() => parseAgendaInput(body));
    expect(err.status).toBe(400);
    expect(err.code).toBe('agenda.invalid');
    expect(err.issues[0]!.expression).toEqual([field]);
  });

  it('refuses an end that is not after the start (422, field end)', () => {
    const err = appError(() => parseAgendaInput({ ...base, end: '2030-03-01T09:30:00+01:00' }));
    expect([err.status, err.code, err.issues[0]!.expression]).toEqual([422, 'agenda.end-before-start', ['end']]);
  });

  it('counts the title in characters, not UTF-16 units', () => {
    expect(parseAgendaInput({ ...base, title: '🩺'.repeat(200) }).title).toHaveLength(400);
  });

  it('reads the reminder delay between 0 and two weeks', () => {
    expect(parseReminderMinutes(0)).toBe(0);
    expect(parseReminderMinutes(20160)).toBe(20160);
    for (const bad of [-1, 20161, 1.5, '60', null]) expect(appError(() => parseReminderMinutes(bad)).issues[0]!.expression).toEqual(['reminderMinutes']);
  });

  it('parses any instant it formats (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2150-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        expect(parseInstant(d.toISOString())?.getTime()).toBe(d.getTime());
      }),
    );
  });
});

describe('Appointment mapping', () => {
  const author = { name: 'Camille Martin' };

  it('maps an appointment with a professional of the directory, and back', () => {
    const input = parseAgendaInput({
      ...base,
      end: '2030-03-01T10:00:00+01:00',
      with: { type: 'PRACTITIONER', name: 'Dr Durand', id: '810000000001', specialty: 'Cardiologie' },
      address: '12 rue des Lilas, 75011 Paris',
      comment: 'Apporter l’ECG',
      status: 'proposed',
    });
    const r = toAppointment(input, 'p1', author, 'a1');
    expect(() => assertValid(r)).not.toThrow();
    expect(r).toMatchObject({
      status: 'proposed',
      description: 'Cardiologue',
      start: '2030-03-01T08:30:00Z',
      end: '2030-03-01T09:00:00Z',
      meta: { source: WEB_APP_SOURCE },
      participant: [
        { actor: { reference: 'Patient/p1' }, required: 'required', status: 'accepted' },
        { actor: { reference: 'Practitioner/810000000001', type: 'Practitioner', display: 'Dr Durand' } },
      ],
    });
    expect(r.minutesDuration).toBeUndefined();
    expect(patientOf(r)).toBe('p1');
    expect(fromAppointment(r)).toEqual({ id: 'a1', ...input, source: { kind: 'patient', name: 'Camille Martin' }, editable: true });
  });

  it('gives a reminder (or an appointment without an end) 30 minutes, and does not show that end back', () => {
    const input = parseAgendaInput({ kind: 'reminder', title: 'Prendre la tension', start: '2030-01-01T08:00:00Z' });
    const r = toAppointment(input, 'p1', author, 'r1');
    expect(() => assertValid(r)).not.toThrow();
    expect([r.end, r.minutesDuration]).toEqual(['2030-01-01T08:30:00Z', 30]);
    expect(periodOf(r)!.end.toISOString()).toBe('2030-01-01T08:30:00.000Z');
    const back = fromAppointment(r);
    expect(back.end).toBeUndefined();
    expect(back.kind).toBe('reminder');
    expect(back.with).toBeUndefined();
  });

  it('an establishment without id is a typed display only', () => {
    const r = toAppointment(parseAgendaInput({ ...base, with: { type: 'HEALTHCARE_SERVICE', name: 'Centre hospitalier Paris-Est — Imagerie' } }), 'p1', author);
    expect(() => assertValid({ ...r, id: 'x' })).not.toThrow();
    expect((r.participant as unknown[])[1]).toMatchObject({ actor: { type: 'HealthcareService', display: 'Centre hospitalier Paris-Est — Imagerie' } });
    expect(fromAppointment({ ...r, id: 'x' }).with).toEqual({ type: 'HEALTHCARE_SERVICE', name: 'Centre hospitalier Paris-Est — Imagerie' });
  });

  it('every status maps to a valid Appointment and back (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...APPOINTMENT_STATUSES), fc.constantFrom('appointment', 'reminder'), fc.boolean(), (status, kind, withEnd) => {
        const input: AgendaInput = { kind: kind as AgendaInput['kind'], title: 'T', start: '2031-05-05T10:00:00Z', ...(withEnd && kind === 'appointment' ? { end: '2031-05-05T11:00:00Z' } : {}), status };
        const r = { ...toAppointment(input, 'p1', author), id: 'z' };
        assertValid(r);
        expect(fromAppointment(r)).toMatchObject({ ...input, status });
      }),
      { numRuns: 40 },
    );
  });

  it("shows a connected app's Appointment with its source, read-only", () => {
    const app = {
      resourceType: 'Appointment',
      id: 'b1',
      meta: { source: 'https://rdv.example.org/booking' },
      status: 'booked',
      appointmentType: { text: 'Consultation' },
      start: '2030-04-02T14:00:00Z',
      end: '2030-04-02T14:20:00Z',
      participant: [
        { actor: { reference: 'Patient/p1' }, status: 'accepted' },
        { actor: { reference: 'PractitionerRole/9', display: 'Dr Petit' }, status: 'accepted' },
      ],
    };
    expect(fromAppointment(app)).toEqual({
      id: 'b1',
      kind: 'appointment',
      title: 'Consultation',
      start: '2030-04-02T14:00:00Z',
      end: '2030-04-02T14:20:00Z',
      with: { type: 'PRACTITIONER', name: 'Dr Petit' },
      status: 'booked',
      source: { kind: 'app', name: 'rdv.example.org' },
      editable: false,
    });
    // a copy of the web app's marker without the web app's meta.source is still an app's
    const forged = { ...toAppointment(parseAgendaInput(base), 'p1', author, 'f'), meta: { source: 'https://other.example' } };
    expect(fromAppointment(forged).source).toEqual({ kind: 'app', name: 'Camille Martin' });
  });
});

describe('reminders', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const start = new Date('2030-01-03T10:00:00Z');

  it('is due the delay before the start', () => {
    expect(reminderDueAt('booked', start, 1440, now)?.toISOString()).toBe('2030-01-02T10:00:00.000Z');
    expect(reminderDueAt('proposed', start, 0, now)?.toISOString()).toBe(start.toISOString());
  });

  it('is never due for a cancelled, erroneous, finished or past entry', () => {
    for (const s of ['cancelled', 'entered-in-error', 'noshow', 'fulfilled']) expect(reminderDueAt(s, start, 60, now)).toBeNull();
    expect(reminderDueAt('booked', new Date('2029-12-31T23:00:00Z'), 60, now)).toBeNull();
  });

  it('names RAPPEL_RDV_USAGER and RAPPEL_AGENDA by their Carnet types', () => {
    expect([reminderType('appointment'), reminderType('reminder')]).toEqual(['appointment-reminder', 'agenda-reminder']);
  });
});

describe('who wrote an entry', () => {
  it('a connected app that dresses its Appointment as the web app’s is still shown as an app, read-only', () => {
    const input: AgendaInput = { kind: 'appointment', title: 'Dentiste', start: '2026-12-01T09:00:00Z' };
    const asWebApp = toAppointment(input, 'p1', { name: 'Camille Martin' });
    expect(sourceOf(asWebApp).kind).toBe('patient');
    const meta = asWebApp.meta as Record<string, unknown>;
    const byApp = { ...asWebApp, meta: { ...meta, tag: [{ system: WRITTEN_BY_SYSTEM, code: 'app' }] } };
    expect(sourceOf(byApp)).toEqual({ kind: 'app' });
  });
});
