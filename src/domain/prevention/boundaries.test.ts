import { describe, expect, it } from 'vitest';
import { loadCalendars } from '../../services/prevention/calendars.js';
import { computePrevention } from './engine.js';
import type { PreventionProfile } from './types.js';

/**
 * Every calendar item at its boundaries: the day before its window (to-plan), the first and the last day (due),
 * the day after (overdue, or absent for a recommended item without catch-up), and the last day of a catch-up.
 * The expectations are written by hand from the official calendars (ages in the legal wording) and the dates are
 * computed by an independent oracle (Date.UTC), not from the engine's data or arithmetic: a wrong data file or a
 * wrong date computation fails here.
 */

const cals = loadCalendars();

/** Age offsets, as the calendars word them. */
interface Age {
  years?: number;
  months?: number;
  days?: number;
}
const d = (days: number): Age => ({ days });
const m = (months: number): Age => ({ months });
const y = (years: number): Age => ({ years });

/** birth + age, by Date.UTC: years and months first (a month end clamps), then days. */
function oracle(date: string, o: Age): string {
  const [yy, mm, dd] = date.split('-').map(Number);
  const first = new Date(Date.UTC(yy + (o.years ?? 0), mm - 1 + (o.months ?? 0), 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(dd, lastDay) + (o.days ?? 0));
  return first.toISOString().slice(0, 10);
}
const shift = (date: string, days: number) => oracle(date, { days });

function statusOf(profile: Partial<PreventionProfile> & { birthDate: string }, asOf: string, code: string): string {
  const items = computePrevention({ sex: 'F', vaccinations: [], marks: [], ...profile }, cals, asOf);
  const found = items.filter((i) => i.code === code);
  expect(found.length, `${code} listed more than once`).toBeLessThanOrEqual(1);
  return found[0]?.status ?? 'absent';
}

interface Row {
  code: string;
  /** The wording of the calendar, for the test's name. */
  law: string;
  /** The window: from (included) to until (excluded), as ages. */
  from: Age;
  until: Age;
  /** After the window: overdue (mandatory, or until catchUpUntil), or absent. */
  after: 'overdue' | 'absent';
  /** The age until which a recommended item may be caught up (excluded): overdue on the day before, absent on it. */
  catchUpUntil?: Age;
  sex?: 'M' | 'F';
}

function checkRow(row: Row, birthDate: string): void {
  const start = oracle(birthDate, row.from);
  const end = shift(oracle(birthDate, row.until), -1);
  const sex = row.sex ?? 'F';
  const before = shift(start, -1);
  if (before >= birthDate) expect(statusOf({ birthDate, sex }, before, row.code), `${row.code} on ${before}, the day before ${start}`).toBe('to-plan');
  expect(statusOf({ birthDate, sex }, start, row.code), `${row.code} on its first day ${start}`).toBe('due');
  expect(statusOf({ birthDate, sex }, end, row.code), `${row.code} on its last day ${end}`).toBe('due');
  expect(statusOf({ birthDate, sex }, shift(end, 1), row.code), `${row.code} on ${shift(end, 1)}, the day after ${end}`).toBe(row.after);
  if (row.catchUpUntil) {
    const last = shift(oracle(birthDate, row.catchUpUntil), -1);
    expect(statusOf({ birthDate, sex }, last, row.code), `${row.code} on the last day of catch-up ${last}`).toBe('overdue');
    expect(statusOf({ birthDate, sex }, shift(last, 1), row.code), `${row.code} after its catch-up`).toBe('absent');
  }
}

// ---- child examinations: CSP R2132-1 (décret 2019-137), and its version in force on 2025-01-01

const EXAMS_SHARED_START: Row[] = [
  { code: 'exam-01', law: 'dans les huit jours qui suivent la naissance (CS8)', from: d(0), until: d(9), after: 'overdue' },
  { code: 'exam-02', law: 'au cours de la deuxième semaine', from: d(7), until: d(14), after: 'overdue' },
];
const EXAM_03: Row = { code: 'exam-03', law: 'avant la fin du premier mois', from: d(14), until: m(1), after: 'overdue' };
const EXAMS_MONTHS: Row[] = [2, 3, 4, 5, 6].map((n) => ({
  code: `exam-0${n + 2}`,
  law: `au cours du ${n}e mois`,
  from: m(n - 1),
  until: m(n),
  after: 'overdue' as const,
}));
const EXAMS_MIDDLE: Row[] = [
  { code: 'exam-09', law: 'au cours du 9e mois (CS9)', from: m(8), until: m(9), after: 'overdue' },
  { code: 'exam-10', law: 'au cours du 12e mois', from: m(11), until: m(12), after: 'overdue' },
  { code: 'exam-11', law: 'au cours du 13e mois', from: m(12), until: m(13), after: 'overdue' },
  { code: 'exam-12', law: 'entre 16 et 18 mois', from: m(16), until: m(19), after: 'overdue' },
  { code: 'exam-13', law: 'au cours du 24e ou du 25e mois (CS24)', from: m(23), until: m(25), after: 'overdue' },
  { code: 'exam-14', law: 'au cours de la 3e année', from: y(2), until: y(3), after: 'overdue' },
  { code: 'exam-15', law: 'au cours de la 4e année', from: y(3), until: y(4), after: 'overdue' },
  { code: 'exam-16', law: 'au cours de la 5e année', from: y(4), until: y(5), after: 'overdue' },
  { code: 'exam-17', law: 'au cours de la 6e année', from: y(5), until: y(6), after: 'overdue' },
];
const EXAM_7Y: Row = { code: 'exam-07y', law: 'au cours de la 7e année (2025)', from: y(6), until: y(7), after: 'overdue' };
const EXAMS_LATE: Row[] = [
  { code: 'exam-18', law: 'entre 8 et 9 ans', from: y(8), until: y(10), after: 'overdue' },
  { code: 'exam-19', law: 'entre 11 et 13 ans', from: y(11), until: y(14), after: 'overdue' },
  // the 15-16 exam closes the day before 17, when child examinations are no longer listed
  { code: 'exam-20', law: 'entre 15 et 16 ans', from: y(15), until: y(17), after: 'absent' },
];
const EXAMS_2019 = [...EXAMS_SHARED_START, EXAM_03, ...EXAMS_MONTHS, ...EXAMS_MIDDLE, ...EXAMS_LATE];
const EXAMS_2025 = [...EXAMS_SHARED_START, ...EXAMS_MONTHS, ...EXAMS_MIDDLE, EXAM_7Y, ...EXAMS_LATE];

describe('child examinations at their boundaries', () => {
  it('has 20 examinations in each calendar', () => {
    expect(EXAMS_2019).toHaveLength(20);
    expect(EXAMS_2025).toHaveLength(20);
  });
  for (const birthDate of ['2019-05-15', '2024-01-31', '2024-12-31']) {
    it.each(EXAMS_2019.map((r) => [r.code, r.law, r] as const))(`2019 calendar, born ${birthDate}: %s (%s)`, (_c, _l, row) => checkRow(row, birthDate));
  }
  for (const birthDate of ['2025-01-01', '2025-05-15', '2025-10-31']) {
    it.each(EXAMS_2025.map((r) => [r.code, r.law, r] as const))(`2025 calendar, born ${birthDate}: %s (%s)`, (_c, _l, row) => checkRow(row, birthDate));
  }
  it('has exam-03 only in the 2019 calendar, exam-07y only in the 2025 one', () => {
    expect(statusOf({ birthDate: '2024-12-31' }, '2025-01-20', 'exam-03')).toBe('due');
    expect(statusOf({ birthDate: '2025-01-01' }, '2025-01-20', 'exam-03')).toBe('absent');
    expect(statusOf({ birthDate: '2024-12-31' }, '2031-06-01', 'exam-07y')).toBe('absent');
    expect(statusOf({ birthDate: '2025-01-01' }, '2031-06-01', 'exam-07y')).toBe('due');
  });
});

// ---- vaccinations with a fixed window: the 2025 calendar

const HEXAVALENT: Row[] = [
  { code: 'vac:dtcap-hib-hepb-primary:1', law: '2 mois', from: m(2), until: m(3), after: 'overdue' },
  { code: 'vac:dtcap-hib-hepb-primary:2', law: '4 mois', from: m(4), until: m(5), after: 'overdue' },
  { code: 'vac:dtcap-hib-hepb-primary:3', law: 'rappel 11 mois', from: m(11), until: m(12), after: 'overdue' },
];
const PNEUMO_INFANT: Row[] = [
  { code: 'vac:pneumococcal-infant:1', law: '2 mois', from: m(2), until: m(3), after: 'overdue' },
  { code: 'vac:pneumococcal-infant:2', law: '4 mois', from: m(4), until: m(5), after: 'overdue' },
  { code: 'vac:pneumococcal-infant:3', law: 'rappel 11 mois', from: m(11), until: m(12), after: 'overdue' },
];
const MMR: Row[] = [
  { code: 'vac:mmr:1', law: 'ROR 12 mois', from: m(12), until: m(13), after: 'overdue' },
  { code: 'vac:mmr:2', law: 'ROR entre 16 et 18 mois', from: m(16), until: m(19), after: 'overdue' },
];
const MEN_2025: Row[] = [
  { code: 'vac:menb-infant:1', law: 'MenB 3 mois', from: m(3), until: m(4), after: 'overdue' },
  { code: 'vac:menb-infant:2', law: 'MenB 5 mois', from: m(5), until: m(6), after: 'overdue' },
  { code: 'vac:menb-infant:3', law: 'MenB rappel 12 mois', from: m(12), until: m(13), after: 'overdue' },
  { code: 'vac:menacwy-infant:1', law: 'MenACWY 6 mois', from: m(6), until: m(7), after: 'overdue' },
  { code: 'vac:menacwy-infant:2', law: 'MenACWY rappel 12 mois', from: m(12), until: m(13), after: 'overdue' },
];
const MENC_2018: Row[] = [
  { code: 'vac:menc-infant:1', law: 'MenC 5 mois', from: m(5), until: m(6), after: 'overdue' },
  { code: 'vac:menc-infant:2', law: 'MenC rappel 12 mois', from: m(12), until: m(13), after: 'overdue' },
];
const INFANT_RECOMMENDED: Row[] = [
  { code: 'vac:rotavirus:1', law: 'rotavirus 2 mois, avant 24 semaines', from: m(2), until: m(3), after: 'overdue', catchUpUntil: d(168) },
  { code: 'vac:rotavirus:2', law: 'rotavirus 3 mois, avant 24 semaines', from: m(3), until: m(4), after: 'overdue', catchUpUntil: d(168) },
  { code: 'vac:rsv-infant:1', law: 'nirsévimab à la naissance ou avant la 1re saison', from: d(0), until: m(1), after: 'overdue', catchUpUntil: m(12) },
];
// the diphtheria-tetanus-polio boosters are caught up until a year before the next booster's age: from then a
// dose counts for the next booster (a booster is never overdue on a day a dose would count for the next one)
const CHILD_TEEN: Row[] = [
  { code: 'vac:dtcap-6y:1', law: 'DTCaP 6 ans', from: y(6), until: y(7), after: 'overdue', catchUpUntil: y(10) },
  { code: 'vac:dtcap-11-13y:1', law: 'dTcaP entre 11 et 13 ans', from: y(11), until: y(14), after: 'overdue', catchUpUntil: y(24) },
  { code: 'vac:hpv:1', law: 'HPV entre 11 et 14 ans, rattrapage jusqu’à 26 ans', from: y(11), until: y(15), after: 'overdue', catchUpUntil: y(27) },
  { code: 'vac:menacwy-adolescent:1', law: 'MenACWY entre 11 et 14 ans, rattrapage 15-24 ans', from: y(11), until: y(15), after: 'overdue', catchUpUntil: y(25) },
];
const ADULT: Row[] = [
  { code: 'vac:dtcap-25y:1', law: 'dTcaP 25 ans', from: y(25), until: y(26), after: 'overdue', catchUpUntil: y(44) },
  { code: 'vac:dtp-45y:1', law: 'dTP 45 ans', from: y(45), until: y(46), after: 'overdue', catchUpUntil: y(64) },
  { code: 'vac:dtp-65y-then-10y:1', law: 'dTP 65 ans', from: y(65), until: y(66), after: 'overdue', catchUpUntil: y(74) },
  { code: 'vac:dtp-65y-then-10y:r75', law: 'dTP 75 ans', from: y(75), until: y(76), after: 'overdue', catchUpUntil: y(84) },
  { code: 'vac:dtp-65y-then-10y:r85', law: 'dTP 85 ans', from: y(85), until: y(86), after: 'overdue', catchUpUntil: y(94) },
  { code: 'vac:dtp-65y-then-10y:r95', law: 'dTP 95 ans', from: y(95), until: y(96), after: 'overdue', catchUpUntil: y(104) },
  { code: 'vac:pneumococcal-adult:1', law: 'pneumocoque à partir de 65 ans', from: y(65), until: y(66), after: 'overdue' },
  { code: 'vac:zoster:1', law: 'zona à partir de 65 ans', from: y(65), until: y(66), after: 'overdue' },
  { code: 'vac:rsv-adult:1', law: 'VRS à partir de 75 ans', from: y(75), until: y(76), after: 'overdue' },
];

describe('vaccination doses at their boundaries', () => {
  for (const birthDate of ['2018-01-01', '2021-08-31']) {
    it.each([...HEXAVALENT, ...PNEUMO_INFANT, ...MMR, ...MENC_2018].map((r) => [r.code, r.law, r] as const))(
      `mandatory since 2018, born ${birthDate}: %s (%s)`,
      (_c, _l, row) => checkRow(row, birthDate),
    );
  }
  for (const birthDate of ['2023-01-01', '2026-02-20']) {
    it.each([...HEXAVALENT, ...MEN_2025, ...INFANT_RECOMMENDED].map((r) => [r.code, r.law, r] as const))(`born ${birthDate}: %s (%s)`, (_c, _l, row) =>
      checkRow(row, birthDate),
    );
  }
  it.each([...CHILD_TEEN, ...ADULT].map((r) => [r.code, r.law, r] as const))('born 1930-03-31 or 2001-07-31: %s (%s)', (_c, _l, row) => {
    checkRow(row, '1930-03-31');
    checkRow(row, '2001-07-31');
  });

  it('makes MenB and MenACWY mandatory from those born in 2023 (for the doses due from 2025), MenC for those born 2018-2022', () => {
    // born 2023-01-01: the 3-month MenB dose fell in 2023, before the obligation: recommended (see mandatorySince below)
    expect(computePrevention({ birthDate: '2023-01-01', sex: 'M', vaccinations: [], marks: [] }, cals, '2023-05-01').find((i) => i.code === 'vac:menb-infant:1')?.level).toBe('recommended');
    expect(computePrevention({ birthDate: '2024-10-01', sex: 'M', vaccinations: [], marks: [] }, cals, '2025-02-01').find((i) => i.code === 'vac:menb-infant:1')?.level).toBe('mandatory');
    const born2022 = computePrevention({ birthDate: '2022-12-31', sex: 'M', vaccinations: [], marks: [] }, cals, '2023-04-01');
    expect(born2022.find((i) => i.code === 'vac:menb-infant:1')?.level).toBe('recommended');
    expect(born2022.find((i) => i.code === 'vac:menc-infant:1')?.level).toBe('mandatory');
    expect(statusOf({ birthDate: '2023-01-01' }, '2023-07-01', 'vac:menc-infant:1')).toBe('absent');
    expect(statusOf({ birthDate: '2017-12-31' }, '2018-07-01', 'vac:menc-infant:1')).toBe('absent');
    const born2017 = computePrevention({ birthDate: '2017-12-31', sex: 'M', vaccinations: [], marks: [] }, cals, '2018-03-01');
    expect(born2017.find((i) => i.code === 'vac:dtcap-hib-hepb-primary:1')?.level).toBe('recommended');
  });

  it('lists the current or the next influenza season, never a past one', () => {
    const old = '1950-06-01';
    expect(statusOf({ birthDate: old }, '2026-10-14', 'vac:influenza:2026')).toBe('to-plan');
    expect(statusOf({ birthDate: old }, '2026-10-15', 'vac:influenza:2026')).toBe('due');
    expect(statusOf({ birthDate: old }, '2027-01-31', 'vac:influenza:2026')).toBe('due');
    expect(statusOf({ birthDate: old }, '2027-02-01', 'vac:influenza:2026')).toBe('absent');
    expect(statusOf({ birthDate: old }, '2027-02-01', 'vac:influenza:2027')).toBe('to-plan');
    expect(statusOf({ birthDate: old }, '2027-01-31', 'vac:covid19:2026')).toBe('due');
    // from the 65th birthday: born 1961-12-01 turns 65 during the 2026 season
    const items = computePrevention({ birthDate: '1961-12-01', sex: 'F', vaccinations: [], marks: [] }, cals, '2026-11-23');
    expect(items.find((i) => i.code === 'vac:influenza:2026')?.window).toEqual({ start: '2026-12-01', end: '2027-01-31' });
    expect(statusOf({ birthDate: '1962-03-01' }, '2026-11-23', 'vac:influenza:2026')).toBe('absent');
    expect(statusOf({ birthDate: '1962-03-01' }, '2026-11-23', 'vac:influenza:2027')).toBe('to-plan');
  });
});

// ---- organised screenings: the first round of each programme (arrêté du 29 septembre 2006 modifié)

describe('screening first rounds at their boundaries', () => {
  const rows: { program: string; sex: 'F' | 'M'; law: string; from: number; every: number }[] = [
    { program: 'breast', sex: 'F', law: 'femmes de 50 à 74 ans, tous les 2 ans', from: 50, every: 2 },
    { program: 'colorectal', sex: 'F', law: 'femmes et hommes de 50 à 74 ans, tous les 2 ans', from: 50, every: 2 },
    { program: 'colorectal', sex: 'M', law: 'femmes et hommes de 50 à 74 ans, tous les 2 ans', from: 50, every: 2 },
    { program: 'cervical', sex: 'F', law: 'cytologie à 25 ans, puis 1 an après', from: 25, every: 1 },
  ];
  for (const birthDate of ['1976-02-29', '1980-10-31']) {
    it.each(rows.map((r) => [r.program, r.sex, r.law, r] as const))(`born ${birthDate}: %s %s (%s)`, (_p, _s, _l, r) => {
      const start = oracle(birthDate, y(r.from));
      const next = oracle(start, y(r.every));
      const end = shift(next, -1);
      const code = `screen:${r.program}:${start}`;
      const profile = { birthDate, sex: r.sex };
      expect(statusOf(profile, shift(start, -1), code)).toBe('to-plan');
      expect(statusOf(profile, start, code)).toBe('due');
      expect(statusOf(profile, end, code)).toBe('due');
      expect(statusOf(profile, next, code)).toBe('absent');
      expect(statusOf(profile, next, `screen:${r.program}:${next}`)).toBe('due');
    });
  }
  it('offers breast and cervical screening to women only', () => {
    const man = computePrevention({ birthDate: '1970-01-01', sex: 'M', vaccinations: [], marks: [] }, cals, '2026-11-23');
    expect(man.filter((i) => i.ref === 'breast' || i.ref === 'cervical')).toEqual([]);
  });
  it('stops opening rounds after 74 (breast) and 65 (cervical)', () => {
    const woman = (asOf: string) => computePrevention({ birthDate: '1950-06-15', sex: 'F', vaccinations: [], marks: [] }, cals, asOf);
    // rounds at 50, 52, ... 74: the one opened at 74 runs until 76
    expect(woman('2025-06-15').find((i) => i.ref === 'breast')?.code).toBe('screen:breast:2024-06-15');
    expect(woman('2026-06-14').find((i) => i.ref === 'breast')?.status).toBe('due');
    expect(woman('2026-06-15').filter((i) => i.ref === 'breast')).toEqual([]);
  });
});

// ---- M'T dents: every 3 years before 2025-04-01, every year from 3 to 24 since

describe("M'T dents at its boundaries", () => {
  const rows: { code: string; birthDate: string; law: string; age: number }[] = [
    { code: 'dental:3', birthDate: '2010-05-15', law: '3 ans (tous les 3 ans)', age: 3 },
    { code: 'dental:9', birthDate: '2010-05-15', law: '9 ans (tous les 3 ans)', age: 9 },
    { code: 'dental:24', birthDate: '1995-08-31', law: '24 ans (tous les 3 ans)', age: 24 },
    { code: 'dental:5', birthDate: '2020-05-15', law: '5 ans (tous les ans)', age: 5 },
    { code: 'dental:17', birthDate: '2008-04-01', law: '17 ans (tous les ans, dès le 1er avril 2025)', age: 17 },
    { code: 'dental:24', birthDate: '2002-01-31', law: '24 ans (tous les ans)', age: 24 },
  ];
  it.each(rows.map((r) => [r.code, r.birthDate, r.law, r] as const))('%s born %s (%s)', (_c, _b, _l, r) => {
    checkRow({ code: r.code, law: r.law, from: y(r.age), until: y(r.age + 1), after: 'absent' }, r.birthDate);
  });
  it('has no yearly check-up before 2025-04-01', () => {
    expect(statusOf({ birthDate: '2010-05-15' }, '2014-06-01', 'dental:4')).toBe('absent');
    expect(statusOf({ birthDate: '2008-03-31' }, '2025-04-01', 'dental:17')).toBe('absent');
    expect(statusOf({ birthDate: '2008-04-01' }, '2025-04-01', 'dental:17')).toBe('due');
    expect(statusOf({ birthDate: '2000-01-01' }, '2025-01-01', 'dental:25')).toBe('absent');
  });
});

// ---- key-age check-ups: 18-25, 45-50, 60-65, 70-75

describe('key-age check-ups at their boundaries', () => {
  const rows: Row[] = [
    { code: 'checkup:18-25', law: 'entre 18 et 25 ans', from: y(18), until: y(26), after: 'absent' },
    { code: 'checkup:45-50', law: 'entre 45 et 50 ans', from: y(45), until: y(51), after: 'absent' },
    { code: 'checkup:60-65', law: 'entre 60 et 65 ans', from: y(60), until: y(66), after: 'absent' },
    { code: 'checkup:70-75', law: 'entre 70 et 75 ans', from: y(70), until: y(76), after: 'absent' },
  ];
  for (const birthDate of ['1960-02-29', '1999-12-31']) {
    it.each(rows.map((r) => [r.code, r.law, r] as const))(`born ${birthDate}: %s (%s)`, (_c, _l, row) => checkRow(row, birthDate));
  }
});

// ---- MenB and MenACWY: mandatory for those born from 2023-01-01, for the doses due from 2025-01-01 (décret 2024-694)

describe('MenB and MenACWY: the obligation applies to doses whose window ends on or after 2025-01-01', () => {
  const itemOf = (birthDate: string, asOf: string, code: string) =>
    computePrevention({ birthDate, sex: 'M', vaccinations: [], marks: [] }, cals, asOf).find((i) => i.code === code);
  const codes = (i: { reasons: { code: string }[] } | undefined) => (i?.reasons ?? []).map((r) => r.code);

  it('the 12-month MenB dose: ended 2024-12-31, recommended until the 5th birthday; ending 2025-01-01, mandatory for good', () => {
    const before = itemOf('2023-12-01', '2025-06-01', 'vac:menb-infant:3');
    expect(before).toMatchObject({ level: 'recommended', status: 'overdue', window: { start: '2024-12-01', end: '2024-12-31' }, catchUpUntil: '2028-11-30' });
    expect(before?.reasons).toContainEqual({ code: 'due-before-obligation', params: { date: '2025-01-01' } });
    expect(codes(before)).not.toContain('mandatory-born-from');
    expect(statusOf({ birthDate: '2023-12-01' }, '2028-11-30', 'vac:menb-infant:3')).toBe('overdue');
    expect(statusOf({ birthDate: '2023-12-01' }, '2028-12-01', 'vac:menb-infant:3')).toBe('absent');

    const after = itemOf('2023-12-02', '2025-06-01', 'vac:menb-infant:3');
    expect(after).toMatchObject({ level: 'mandatory', status: 'overdue', window: { start: '2024-12-02', end: '2025-01-01' } });
    expect(after?.catchUpUntil).toBeUndefined();
    expect(after?.reasons).toContainEqual({ code: 'mandatory-born-from', params: { date: '2023-01-01' } });
    expect(codes(after)).not.toContain('due-before-obligation');
    expect(statusOf({ birthDate: '2023-12-02' }, '2035-01-01', 'vac:menb-infant:3')).toBe('overdue');
  });

  it('the first MenB dose (3 months) and the MenACWY one (6 months) at the same boundary', () => {
    expect(itemOf('2024-09-01', '2025-02-01', 'vac:menb-infant:1')).toMatchObject({ level: 'recommended', window: { end: '2024-12-31' } });
    expect(itemOf('2024-09-02', '2025-02-01', 'vac:menb-infant:1')).toMatchObject({ level: 'mandatory', window: { end: '2025-01-01' } });
    expect(itemOf('2024-06-01', '2025-02-01', 'vac:menacwy-infant:1')).toMatchObject({ level: 'recommended', window: { end: '2024-12-31' } });
    expect(itemOf('2024-06-02', '2025-02-01', 'vac:menacwy-infant:1')).toMatchObject({ level: 'mandatory', window: { end: '2025-01-01' } });
  });

  it('a child born in 2023 before December: every infant MenB and MenACWY dose fell before 2025, all recommended, gone at 5', () => {
    const items = computePrevention({ birthDate: '2023-05-01', sex: 'F', vaccinations: [], marks: [] }, cals, '2026-11-23').filter((i) => /^vac:men(b|acwy)-infant:/.test(i.code));
    expect(items.map((i) => [i.code, i.level, i.status])).toEqual([
      ['vac:menb-infant:1', 'recommended', 'overdue'],
      ['vac:menb-infant:2', 'recommended', 'overdue'],
      // unvaccinated at 12 months: one MenACWY dose, the 12-month one (the 6-month one is no longer needed)
      ['vac:menacwy-infant:2', 'recommended', 'overdue'],
      ['vac:menb-infant:3', 'recommended', 'overdue'],
    ]);
    for (const i of items) expect(i.catchUpUntil).toBe('2028-04-30');
    expect(statusOf({ birthDate: '2023-05-01' }, '2028-05-01', 'vac:menb-infant:1')).toBe('absent');
  });
});

// ---- MMR (born since 1980), pneumococcus, zoster (65+), RSV (75+): no limit to the catch-up

describe('vaccinations caught up at any age (keepOverdue)', () => {
  it.each([
    ['vac:mmr:1', '1988-03-14', m(13)],
    ['vac:mmr:2', '1988-03-14', m(19)],
    ['vac:pneumococcal-adult:1', '1950-06-15', y(66)],
    ['vac:zoster:1', '1950-06-15', y(66)],
    ['vac:rsv-adult:1', '1940-06-15', y(76)],
  ] as const)('%s (born %s) stays overdue, with no catch-up date', (code, birthDate, until) => {
    const after = oracle(birthDate, until);
    for (const asOf of [after, oracle(birthDate, y(100))]) {
      const item = computePrevention({ birthDate, sex: 'F', vaccinations: [], marks: [] }, cals, asOf).find((i) => i.code === code);
      expect(item, `${code} on ${asOf}`).toMatchObject({ status: 'overdue', level: 'recommended' });
      expect(item?.catchUpUntil).toBeUndefined();
      expect(item?.reasons.map((r) => r.code)).toContain('catch-up-now');
      expect(item?.reasons.map((r) => r.code)).not.toContain('catch-up-until');
    }
  });
  it('gives no catch-up-now to a dose still due, nor MMR to those born before 1980', () => {
    const due = computePrevention({ birthDate: '1960-06-15', sex: 'F', vaccinations: [], marks: [] }, cals, '2025-07-01').find((i) => i.code === 'vac:zoster:1');
    expect(due?.status).toBe('due');
    expect(due?.reasons.map((r) => r.code)).not.toContain('catch-up-now');
    expect(statusOf({ birthDate: '1979-12-31' }, '2026-11-23', 'vac:mmr:1')).toBe('absent');
  });
});
