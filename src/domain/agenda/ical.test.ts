import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { agendaCalendar } from './feed.js';
import { escapeText, foldLine, icsCalendar, icsCleanText, icsStatus, type IcsEvent } from './ical.js';
import { parseAgendaInput } from './validate.js';
import { toAppointment } from './fhir.js';

const stamp = new Date('2030-01-01T12:00:00Z');
const event = (over: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'a1@carnet.example',
  start: new Date('2030-03-01T08:30:00Z'),
  end: new Date('2030-03-01T09:00:00Z'),
  summary: 'Cardiologue',
  status: 'CONFIRMED',
  ...over,
});

/** The lines of a calendar, checking that each ends with CRLF and is at most 75 octets. */
function physicalLines(ics: string): string[] {
  expect(ics.endsWith('\r\n')).toBe(true);
  const lines = ics.slice(0, -2).split('\r\n');
  for (const l of lines) {
    expect(l).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
  }
  return lines;
}

function parse(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  return { cal, events: cal.getAllSubcomponents('vevent') };
}

describe('iCalendar serialisation', () => {
  it('writes the calendar and event properties', () => {
    const ics = icsCalendar({ prodId: '-//Carnet//Agenda 1.0//FR', name: 'Agenda de Camille', stamp, events: [event({ location: '12 rue des Lilas, Paris', description: 'Avec : Dr Durand', alarmMinutes: 1440 })] });
    const lines = physicalLines(ics);
    expect(lines.slice(0, 6)).toEqual(['BEGIN:VCALENDAR', 'PRODID:-//Carnet//Agenda 1.0//FR', 'VERSION:2.0', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'X-WR-CALNAME:Agenda de Camille']);
    expect(lines).toContain('DTSTART:20300301T083000Z');
    expect(lines).toContain('LOCATION:12 rue des Lilas\\, Paris');
    expect(lines).toContain('TRIGGER:-PT1440M');
    const { cal, events } = parse(ics);
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH');
    const e = new ICAL.Event(events[0]!);
    expect([e.uid, e.summary, e.location, e.description]).toEqual(['a1@carnet.example', 'Cardiologue', '12 rue des Lilas, Paris', 'Avec : Dr Durand']);
    expect(e.startDate.toJSDate().toISOString()).toBe('2030-03-01T08:30:00.000Z');
    expect(e.endDate.toJSDate().toISOString()).toBe('2030-03-01T09:00:00.000Z');
    const alarm = events[0]!.getFirstSubcomponent('valarm')!;
    expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect((alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()).toBe(-1440 * 60);
  });

  it('puts no alarm on a cancelled event', () => {
    const ics = icsCalendar({ prodId: 'p', name: 'n', stamp, events: [event({ status: 'CANCELLED', alarmMinutes: 60 })] });
    expect(ics).not.toContain('VALARM');
    expect(ics).toContain('STATUS:CANCELLED');
  });

  it('maps the FHIR statuses', () => {
    expect(['booked', 'arrived', 'checked-in', 'fulfilled', 'noshow'].map(icsStatus)).toEqual(Array(5).fill('CONFIRMED'));
    expect(['proposed', 'pending', 'waitlist'].map(icsStatus)).toEqual(Array(3).fill('TENTATIVE'));
    expect(['cancelled', 'entered-in-error'].map(icsStatus)).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('escapes TEXT', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('folds at 75 octets without splitting a character', () => {
    const line = 'SUMMARY:' + 'é'.repeat(100) + '👩‍⚕️'.repeat(20);
    const folded = foldLine(line);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i === 0 ? l : l.slice(1))).join('')).toBe(line);
    expect(Buffer.from(folded).toString('utf8')).not.toContain('\ufffd');
  });

  it('any text round-trips through an independent parser (property)', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(',', ';', '\\', '\n', '\r\n', ':', '"', 'é', '🩺', '👩‍⚕️', ' ', 'a', '\t'), maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    fc.assert(
      fc.property(texts, texts, (summary, location) => {
        const ics = icsCalendar({ prodId: 'p', name: summary, stamp, events: [event({ summary, location: location || 'x', description: summary })] });
        physicalLines(ics);
        const { cal, events } = parse(ics);
        const e = new ICAL.Event(events[0]!);
        expect(e.summary).toBe(icsCleanText(summary));
        expect(e.location).toBe(icsCleanText(location || 'x'));
        // X-WR-CALNAME is an extension property: ical.js keeps its value as written (escaped, TEXT by default)
        expect(cal.getAllProperties('x-wr-calname')).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the agenda feed', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  const stored = (body: Record<string, unknown>, id: string, versionId = 1) => ({
    resource: { ...toAppointment(parseAgendaInput(body), 'p1', { name: 'Camille' }, id), meta: { source: 'urn:carnet:web-app', versionId: String(versionId) } },
    lastUpdated: '2029-12-01T10:00:00Z',
    versionId,
  });

  it('lists the entries in start order, with stable UIDs, leaving out those entered in error', () => {
    const ics = agendaCalendar(
      [
        stored({ kind: 'appointment', title: 'Deuxième', start: '2030-02-01T10:00:00Z', with: { type: 'PRACTITIONER', name: 'Dr Durand' } }, 'b', 3),
        stored({ kind: 'reminder', title: 'Premier', start: '2030-01-10T10:00:00Z' }, 'a'),
        stored({ kind: 'reminder', title: 'Erreur', start: '2030-01-11T10:00:00Z', status: 'entered-in-error' }, 'c'),
        stored({ kind: 'reminder', title: 'Passé', start: '2029-12-11T10:00:00Z' }, 'd'),
      ],
      { host: 'carnet.example', alarmMinutes: 90, now, name: 'Agenda', version: '1.0' },
    );
    const events = parse(ics).events.map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.summary])).toEqual([
      ['d@carnet.example', 'Passé'],
      ['a@carnet.example', 'Premier'],
      ['b@carnet.example', 'Deuxième'],
    ]);
    expect(events[2]!.description).toBe('Avec : Dr Durand');
    expect(events[2]!.sequence).toBe(2);
    // the past one has no alarm; the others have the patient's delay
    expect(parse(ics).events.map((v) => v.getFirstSubcomponent('valarm') !== null)).toEqual([false, true, true]);
  });
});
