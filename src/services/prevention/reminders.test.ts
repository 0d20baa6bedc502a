import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PreventionItem, PreventionStatus } from '../../contract/prevention.js';
import { addDays } from '../../domain/prevention/dates.js';
import { recordedVaccination } from './profile-input.js';
import { addCounts, candidatesOf, newSince, reminderNotification, reminderPeriod, remindableOn } from './reminders.js';

/** The pure rules of the prevention reminder job (docs/prevention.md, "Reminders"). */

const item = (start: string, end: string, status: PreventionStatus = 'to-plan', code = 'exam-12'): PreventionItem => ({
  code,
  type: 'child-exam',
  ref: code,
  title: 'Examen entre 16 et 18 mois',
  level: 'mandatory',
  window: { start, end },
  status,
  reasons: [{ code: 'age-window' }],
});

describe('the reminder period', () => {
  it('opens a week before the window and lasts 30 days into it, or to its end', () => {
    expect(reminderPeriod(item('2026-12-01', '2027-02-28'))).toEqual({ from: '2026-11-24', until: '2026-12-31' });
    expect(reminderPeriod(item('2026-12-01', '2026-12-10'))).toEqual({ from: '2026-11-24', until: '2026-12-10' });
  });

  it('is remindable inside the period only, and never when done or not done', () => {
    const i = item('2026-12-01', '2027-02-28');
    expect(remindableOn(i, '2026-11-23')).toBe(false);
    expect(remindableOn(i, '2026-11-24')).toBe(true);
    expect(remindableOn({ ...i, status: 'due' }, '2026-12-31')).toBe(true);
    expect(remindableOn({ ...i, status: 'due' }, '2027-01-01')).toBe(false);
    expect(remindableOn({ ...i, status: 'done' }, '2026-11-26')).toBe(false);
    expect(remindableOn({ ...i, status: 'not-done' }, '2026-11-26')).toBe(false);
    // an overdue item has its window behind it: out of the period
    expect(remindableOn(item('2026-10-01', '2026-10-31', 'overdue'), '2026-11-23')).toBe(false);
  });

  it('a window of a single day is remindable from a week before to that day', () => {
    const i = item('2026-12-01', '2026-12-01');
    expect(remindableOn(i, '2026-11-24')).toBe(true);
    expect(remindableOn(i, '2026-12-01')).toBe(true);
    expect(remindableOn(i, '2026-12-02')).toBe(false);
  });
});

describe('what a run looks at', () => {
  it('an item whose period began after the last finished run, everything on a first run or a changed profile', () => {
    const i = item('2026-12-01', '2027-02-28'); // period from 2026-11-24
    expect(newSince(i, undefined, false)).toBe(true);
    expect(newSince(i, '2026-11-23', false)).toBe(true);
    expect(newSince(i, '2026-11-24', false)).toBe(false);
    expect(newSince(i, '2026-11-24', true)).toBe(true);
    expect(candidatesOf([i, item('2026-11-30', '2026-12-30', 'to-plan', 'vac:mmr:2')], '2026-11-24', '2026-11-23', false).map((c) => c.code)).toEqual(['exam-12']);
  });

  // the job runs on some days (finished runs), skipping others: each item is looked at exactly once when a run
  // falls in its period, never otherwise
  it('over any days the job runs, an item is a candidate on one run at most, and on one when a run falls in its period', () => {
    const base = '2026-01-01';
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 260 }), { minLength: 1, maxLength: 60 }),
        (startOffset, length, runOffsets) => {
          const i = item(addDays(base, startOffset), addDays(base, startOffset + length));
          const days = [...runOffsets].sort((a, b) => a - b).map((d) => addDays(base, d));
          let count = 0;
          days.forEach((day, k) => {
            if (candidatesOf([i], day, k === 0 ? undefined : days[k - 1], false).length > 0) count++;
          });
          const period = reminderPeriod(i);
          const anyRunInPeriod = days.some((d) => d >= period.from && d <= period.until);
          // a first run after the period began also looks at it: only when the first run is in the period
          expect(count).toBe(anyRunInPeriod ? 1 : 0);
        },
      ),
    );
  });
});

describe('the notification and the counts', () => {
  it('names the item and its window, nothing more', () => {
    const i = { ...item('2026-12-01', '2027-02-28'), type: 'vaccination' as const, code: 'vac:mmr:2', title: 'Rougeole, oreillons, rubéole', diseases: ['rougeole'] };
    expect(reminderNotification('p1', i)).toEqual({
      patientId: 'p1',
      category: 'prevention',
      type: 'prevention-vaccination',
      params: { code: 'vac:mmr:2', title: 'Rougeole, oreillons, rubéole', windowStart: '2026-12-01', windowEnd: '2027-02-28' },
    });
  });

  it('adds counts by type', () => {
    expect(addCounts({ 'child-exam': 2 }, { 'child-exam': 1, vaccination: 3 })).toEqual({ 'child-exam': 3, vaccination: 3 });
    expect(addCounts({}, {})).toEqual({});
  });
});

describe('recorded vaccinations read by the job', () => {
  const immunization = (over: Record<string, unknown>) => ({
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: { coding: [{ system: 'http://www.whocc.no/atc', code: 'J07BD52' }], text: 'Priorix' },
    occurrenceDateTime: '2026-03-02',
    protocolApplied: [{ targetDisease: [{ text: 'rougeole' }, { text: 'oreillons' }, { text: 'rubéole' }], doseNumberPositiveInt: 1 }],
    ...over,
  });

  it('a completed one with a full date, with its diseases and ATC code', () => {
    expect(recordedVaccination('i1', immunization({}))).toEqual({ id: 'i1', date: '2026-03-02', diseases: ['rougeole', 'oreillons', 'rubéole'], atc: 'J07BD52' });
    expect(recordedVaccination('i2', immunization({ occurrenceDateTime: '2026-03-02T10:00:00+01:00', protocolApplied: undefined }))).toEqual({ id: 'i2', date: '2026-03-02', diseases: [], atc: 'J07BD52' });
  });

  it('not one that was not done, entered in error, or without a full date', () => {
    expect(recordedVaccination('i', immunization({ status: 'not-done' }))).toBeUndefined();
    expect(recordedVaccination('i', immunization({ status: 'entered-in-error' }))).toBeUndefined();
    expect(recordedVaccination('i', immunization({ occurrenceDateTime: '2026-03' }))).toBeUndefined();
    expect(recordedVaccination('i', immunization({ occurrenceDateTime: undefined }))).toBeUndefined();
  });
});
