import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PreventionItem } from '../../contract/prevention.js';
import { loadCalendars } from '../../services/prevention/calendars.js';
import { addDays, addOffset, civilString, dayNumber } from './dates.js';
import { foldDisease, vaccinationMatches } from './diseases.js';
import { computePrevention } from './engine.js';
import type { ItemMark, PreventionProfile, RecordedVaccination } from './types.js';

const cals = loadCalendars();
const ASOF = '2026-11-23';

const HEXA = ['diphtérie', 'tétanos', 'coqueluche', 'poliomyélite', 'infections à Haemophilus influenzae b', 'hépatite B'];

function compute(p: Partial<PreventionProfile> & { birthDate: string }, asOf = ASOF, horizonMonths?: number): PreventionItem[] {
  return computePrevention({ sex: 'F', vaccinations: [], marks: [], ...p }, cals, asOf, horizonMonths === undefined ? undefined : { horizonMonths });
}
const byCode = (items: PreventionItem[]) => new Map(items.map((i) => [i.code, i]));

// ---------------------------------------------------------------- arbitraries

const dayOf = (s: string) => dayNumber(s);
const date = (from: string, to: string) => fc.integer({ min: dayOf(from), max: dayOf(to) }).map(civilString);
const sex = fc.constantFrom<'M' | 'F' | 'I'>('M', 'F', 'I');
const diseasesArb = fc.subarray(
  [...HEXA, 'infections à pneumocoque', 'infections à méningocoque B', 'infections à méningocoques A, C, W et Y', 'rougeole', 'oreillons', 'rubéole', 'grippe', 'zona', 'infections à papillomavirus humains (HPV)'],
  { minLength: 1 },
);

/** A profile with a birth date, an asOf after it, random vaccinations after birth and random marks. */
const scenario = fc
  .record({
    birth: date('1920-01-01', '2026-11-23'),
    age: fc.integer({ min: 0, max: 100 * 366 }),
    sex,
    vaccs: fc.array(fc.record({ after: fc.integer({ min: 0, max: 90 * 366 }), diseases: diseasesArb }), { maxLength: 8 }),
    markSeeds: fc.array(fc.record({ pick: fc.nat(), mark: fc.constantFrom<ItemMark['mark']>('planned', 'done', 'not-done'), back: fc.nat({ max: 3000 }) }), { maxLength: 5 }),
  })
  .map(({ birth, age, sex: s, vaccs, markSeeds }) => {
    const asOf = addDays(birth, age);
    const vaccinations: RecordedVaccination[] = vaccs
      .map((v, i) => ({ id: `imm-${i}`, date: addDays(birth, Math.min(v.after, age)), diseases: v.diseases }))
      .filter((v) => v.date <= asOf);
    // marks on codes the engine gives for this profile (as the API only accepts those)
    const codes = computePrevention({ birthDate: birth, sex: s, vaccinations: [], marks: [] }, cals, asOf).map((i) => i.code);
    const marks: ItemMark[] = [];
    for (const m of markSeeds) {
      if (codes.length === 0) break;
      const code = codes[m.pick % codes.length];
      if (marks.some((x) => x.code === code)) continue;
      const d = addDays(asOf, -m.back);
      marks.push({ code, mark: m.mark, ...(m.mark === 'done' ? { date: d < birth ? birth : d } : {}) });
    }
    return { profile: { birthDate: birth, sex: s, vaccinations, marks } as PreventionProfile, asOf };
  });

// ---------------------------------------------------------------- properties

describe('engine properties', () => {
  it('never opens a window before birth, and every window is a real interval', () => {
    fc.assert(
      fc.property(scenario, ({ profile, asOf }) => {
        for (const i of computePrevention(profile, cals, asOf)) {
          expect(i.window.start >= profile.birthDate, `${i.code} starts ${i.window.start} before ${profile.birthDate}`).toBe(true);
          expect(i.window.start <= i.window.end, i.code).toBe(true);
          expect(i.reasons.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives each item one status: done items have doneOn, others none; codes are unique; sorted by window then code', () => {
    fc.assert(
      fc.property(scenario, ({ profile, asOf }) => {
        const items = computePrevention(profile, cals, asOf);
        expect(new Set(items.map((i) => i.code)).size).toBe(items.length);
        for (const i of items) {
          if (i.status === 'done') expect(i.doneOn, i.code).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          else expect(i.doneOn, i.code).toBeUndefined();
          if (i.status === 'due') expect(i.window.start <= asOf && asOf <= i.window.end).toBe(true);
          if (i.status === 'to-plan') expect(asOf < i.window.start).toBe(true);
          if (i.status === 'overdue') expect(asOf > i.window.end).toBe(true);
          if (i.evidence) expect(i.status).toBe('done');
        }
        for (let k = 1; k < items.length; k++) {
          const a = items[k - 1];
          const b = items[k];
          expect(a.window.start < b.window.start || (a.window.start === b.window.start && a.code < b.code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists every mandatory child examination exactly once during childhood (the calendar of the birth date)', () => {
    const ids2019 = ['exam-01', 'exam-02', 'exam-03', 'exam-04', 'exam-05', 'exam-06', 'exam-07', 'exam-08', 'exam-09', 'exam-10', 'exam-11', 'exam-12', 'exam-13', 'exam-14', 'exam-15', 'exam-16', 'exam-17', 'exam-18', 'exam-19', 'exam-20'];
    const ids2025 = ids2019.filter((i) => i !== 'exam-03').concat('exam-07y');
    fc.assert(
      fc.property(date('2009-01-01', '2040-12-31'), fc.integer({ min: 0, max: 17 * 366 }), sex, (birth, age, s) => {
        const asOf = addDays(birth, age);
        fc.pre(asOf < addOffset(birth, { years: 17 }));
        const exams = compute({ birthDate: birth, sex: s }, asOf).filter((i) => i.type === 'child-exam');
        const expected = birth < '2025-01-01' ? ids2019 : ids2025;
        expect(exams.map((e) => e.code).sort()).toEqual([...expected].sort());
        for (const e of exams) expect(e.level).toBe('mandatory');
      }),
      { numRuns: 300 },
    );
    expect(compute({ birthDate: '2009-11-23' }).filter((i) => i.type === 'child-exam')).toEqual([]);
  });

  it('moves the next screening round when one is marked done', () => {
    fc.assert(
      fc.property(date('1952-12-01', '1976-11-23'), fc.nat({ max: 2000 }), (birth, back) => {
        const before = compute({ birthDate: birth });
        const round = before.find((i) => i.ref === 'breast' && i.status === 'due');
        fc.pre(round !== undefined);
        const doneOn = addDays(ASOF, -back) < round!.window.start ? round!.window.start : addDays(ASOF, -back);
        const after = compute({ birthDate: birth, marks: [{ code: round!.code, mark: 'done', date: doneOn }] }, ASOF, 1200);
        const breast = after.filter((i) => i.ref === 'breast');
        const done = breast.find((i) => i.code === round!.code);
        expect(done).toMatchObject({ status: 'done', doneOn });
        const next = breast[breast.indexOf(done!) + 1];
        const expectedStart = addOffset(doneOn, { years: 2 });
        if (expectedStart < addOffset(birth, { years: 75 })) {
          expect(next?.code).toBe(`screen:breast:${expectedStart}`);
          expect(next?.reasons).toContainEqual({ code: 'after-last-done', params: { date: doneOn } });
        } else expect(next).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic, whatever the order of the recorded vaccinations and marks', () => {
    fc.assert(
      fc.property(scenario, ({ profile, asOf }) => {
        const a = computePrevention(profile, cals, asOf);
        const b = computePrevention({ ...profile, vaccinations: [...profile.vaccinations].reverse(), marks: [...profile.marks].reverse() }, cals, asOf);
        expect(b).toEqual(a);
        expect(computePrevention(profile, cals, asOf)).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves out items beyond the horizon, except child examinations', () => {
    const items = compute({ birthDate: '2026-02-20' }, ASOF, 3);
    const horizon = addOffset(ASOF, { months: 3 });
    for (const i of items) if (i.type !== 'child-exam') expect(i.window.start <= horizon, i.code).toBe(true);
    expect(items.filter((i) => i.type === 'child-exam')).toHaveLength(20);
  });
});

// ---------------------------------------------------------------- helpers

describe('helpers', () => {
  it('folds disease labels', () => {
    expect(foldDisease('Hépatite  B')).toBe('hepatite b');
    expect(foldDisease('Infections à méningocoques A, C, W et Y')).toBe('infections a meningocoques a, c, w et y');
  });
  it('matches a vaccination by every disease of the schedule, or by ATC code', () => {
    const hexa = cals.vaccination.schedules.find((s) => s.id === 'dtcap-hib-hepb-primary')!;
    const dtp45 = cals.vaccination.schedules.find((s) => s.id === 'dtp-45y')!;
    expect(vaccinationMatches(hexa, { id: 'a', date: '2026-04-20', diseases: HEXA.map((x) => x.toUpperCase()) })).toBe(true);
    expect(vaccinationMatches(hexa, { id: 'a', date: '2026-04-20', diseases: ['diphtérie', 'tétanos', 'poliomyélite'] })).toBe(false);
    expect(vaccinationMatches(hexa, { id: 'a', date: '2026-04-20', diseases: [], atc: 'J07CA09' })).toBe(true);
    expect(vaccinationMatches(dtp45, { id: 'a', date: '2026-04-20', diseases: ['diphtérie', 'tétanos', 'coqueluche', 'poliomyélite'] })).toBe(true);
    expect(vaccinationMatches(dtp45, { id: 'a', date: '2026-04-20', diseases: ['Diphterie', 'Tetanos', 'Poliomyelite'] })).toBe(true);
  });
});

// ---------------------------------------------------------------- scenarios (asOf 2026-11-23)

describe('scenarios on 2026-11-23', () => {
  it('a 52-year-old woman with nothing recorded: breast and colorectal due, dTP 45 overdue, a cervical HPV round', () => {
    const items = byCode(compute({ birthDate: '1974-05-10', sex: 'F' }));
    expect(items.get('screen:breast:2026-05-10')).toMatchObject({ status: 'due', window: { start: '2026-05-10', end: '2028-05-09' }, level: 'recommended' });
    expect(items.get('screen:colorectal:2026-05-10')).toMatchObject({ status: 'due', window: { start: '2026-05-10', end: '2028-05-09' } });
    const dtp = items.get('vac:dtp-45y:1');
    expect(dtp).toMatchObject({ status: 'overdue', window: { start: '2019-05-10', end: '2020-05-09' }, catchUpUntil: '2038-05-09', level: 'recommended' });
    // caught up until the day before 64, when a dTP would count for the 65-year booster
    expect(dtp?.reasons).toContainEqual({ code: 'catch-up-until', params: { date: '2038-05-09' } });
    expect(dtp?.reasons).toContainEqual({ code: 'missing-dose', params: { number: 1, of: 1 } });
    // cervical: 25 (1999), 26, 29, then HPV at 30 (2004), 35, 40, 45, 50 (2024-05-10) until 55
    expect(items.get('screen:cervical:2024-05-10')).toMatchObject({ status: 'due', window: { start: '2024-05-10', end: '2029-05-09' } });
    expect(items.get('screen:cervical:2024-05-10')?.title).toMatch(/HPV/);
    expect([...items.values()].filter((i) => i.status === 'overdue').map((i) => i.code)).toEqual(['vac:dtp-45y:1']);
    expect([...items.values()].filter((i) => i.type === 'child-exam' || i.type === 'dental')).toEqual([]);
  });

  it('a baby born 2026-02-20: the 9th-month exam (2026-10-20 to 2026-11-19) is overdue, the 12th-month one to plan', () => {
    const items = byCode(compute({ birthDate: '2026-02-20', sex: 'M' }));
    expect(items.get('exam-09')).toMatchObject({ status: 'overdue', window: { start: '2026-10-20', end: '2026-11-19' }, certificate: 'CS9', level: 'mandatory' });
    expect(items.get('exam-10')).toMatchObject({ status: 'to-plan', window: { start: '2027-01-20', end: '2027-02-19' } });
    expect(items.get('exam-01')).toMatchObject({ status: 'overdue', window: { start: '2026-02-20', end: '2026-02-28' }, certificate: 'CS8' });
    expect(items.get('exam-13')).toMatchObject({ window: { start: '2028-01-20', end: '2028-03-19' }, certificate: 'CS24' });
    expect(items.has('exam-03')).toBe(false);
    expect(items.get('exam-07y')).toMatchObject({ status: 'to-plan', window: { start: '2032-02-20', end: '2033-02-19' } });
    expect(items.get('vac:menb-infant:1')).toMatchObject({ status: 'overdue', level: 'mandatory' });
    expect(items.get('vac:menb-infant:1')?.reasons).toContainEqual({ code: 'mandatory-born-from', params: { date: '2023-01-01' } });
  });

  it('the same baby with the hexavalent vaccine recorded at 2 and 4 months: doses 1 and 2 done on those dates', () => {
    const vaccinations: RecordedVaccination[] = [
      { id: 'imm-2', date: '2026-06-24', diseases: HEXA },
      { id: 'imm-1', date: '2026-04-22', diseases: [], atc: 'J07CA09' },
    ];
    const items = byCode(compute({ birthDate: '2026-02-20', sex: 'M', vaccinations }));
    expect(items.get('vac:dtcap-hib-hepb-primary:1')).toMatchObject({
      status: 'done',
      doneOn: '2026-04-22',
      evidence: 'vaccination',
      immunizationId: 'imm-1',
      ref: 'dtcap-hib-hepb-primary',
      dose: { number: 1, of: 3 },
      doseLabel: '1re dose (2 mois)',
      diseases: HEXA,
    });
    expect(items.get('vac:dtcap-hib-hepb-primary:1')?.reasons).toContainEqual({ code: 'vaccination-recorded', params: { date: '2026-04-22' } });
    expect(items.get('vac:dtcap-hib-hepb-primary:2')).toMatchObject({ status: 'done', doneOn: '2026-06-24', immunizationId: 'imm-2', dose: { number: 2, of: 3 } });
    expect(items.get('vac:dtcap-hib-hepb-primary:3')).toMatchObject({ status: 'to-plan', window: { start: '2027-01-20', end: '2027-02-19' } });
    // the hexavalent vaccine does not count for the pneumococcal doses
    expect(items.get('vac:pneumococcal-infant:1')?.status).toBe('overdue');
  });

  it('a mark done, not-done or planned sets the status; a vaccination record wins over a mark', () => {
    const items = byCode(
      compute({
        birthDate: '2026-02-20',
        marks: [
          { code: 'exam-09', mark: 'done', date: '2026-11-02' },
          { code: 'exam-10', mark: 'planned', date: '2027-01-25' },
          { code: 'vac:rotavirus:1', mark: 'not-done' },
          { code: 'vac:dtcap-hib-hepb-primary:1', mark: 'not-done' },
        ],
        vaccinations: [{ id: 'x', date: '2026-04-22', diseases: HEXA }],
      }),
    );
    expect(items.get('exam-09')).toMatchObject({ status: 'done', doneOn: '2026-11-02' });
    expect(items.get('exam-09')?.reasons).toContainEqual({ code: 'marked', params: { mark: 'done' } });
    expect(items.get('exam-10')).toMatchObject({ status: 'to-plan', planned: { on: '2027-01-25' } });
    expect(items.get('vac:rotavirus:1')?.status).toBe('not-done');
    expect(items.get('vac:dtcap-hib-hepb-primary:1')).toMatchObject({ status: 'done', doneOn: '2026-04-22' });
  });

  it('a 20-year-old: the 18-25 key-age check-up is due, with its questionnaire', () => {
    const items = byCode(compute({ birthDate: '2006-03-01', sex: 'M' }));
    expect(items.get('checkup:18-25')).toMatchObject({
      status: 'due',
      type: 'key-age-checkup',
      window: { start: '2024-03-01', end: '2032-02-29' },
      questionnaire: 'urn:carnet:questionnaire:key-age-18-25',
    });
    expect(items.get('dental:20')).toMatchObject({ status: 'due', window: { start: '2026-03-01', end: '2027-02-28' } });
    expect(items.get('vac:hpv:1')?.status).toBe('overdue');
    expect(items.get('vac:hpv:1')?.reasons).toContainEqual({ code: 'catch-up-doses', params: { doses: 3, from: 'P15Y' } });
  });

  it('Léo, born 2018-06-02: the 8-9 years exam is due, the 6-year booster overdue, M’T dents at 8', () => {
    const items = byCode(compute({ birthDate: '2018-06-02', sex: 'M' }));
    expect(items.get('exam-18')).toMatchObject({ status: 'due', window: { start: '2026-06-02', end: '2028-06-01' } });
    expect(items.get('exam-17')?.status).toBe('overdue');
    expect(items.get('exam-19')?.status).toBe('to-plan');
    expect(items.has('exam-07y')).toBe(false);
    expect(items.get('vac:dtcap-6y:1')).toMatchObject({ status: 'overdue', catchUpUntil: '2028-06-01' });
    expect(items.get('vac:menc-infant:2')).toMatchObject({ status: 'overdue', level: 'mandatory' });
    expect(items.has('vac:menb-infant:1')).toBe(false);
    expect(items.get('dental:8')).toMatchObject({ status: 'due', window: { start: '2026-06-02', end: '2027-06-01' } });
    expect(items.has('dental:6')).toBe(false);
  });

  it('Jade, born 2021-09-20: the 6th-year exam is due, MenB/ACWY catch-up over at 5, the 6-year booster to plan', () => {
    const items = byCode(compute({ birthDate: '2021-09-20', sex: 'F' }));
    expect(items.get('exam-16')).toMatchObject({ status: 'overdue', window: { start: '2025-09-20', end: '2026-09-19' } });
    expect(items.get('exam-17')).toMatchObject({ status: 'due', window: { start: '2026-09-20', end: '2027-09-19' } });
    expect(items.get('dental:5')).toMatchObject({ status: 'due', window: { start: '2026-09-20', end: '2027-09-19' } });
    expect(items.get('vac:dtcap-6y:1')).toMatchObject({ status: 'to-plan', window: { start: '2027-09-20', end: '2028-09-19' } });
    expect(items.has('vac:menb-infant:1')).toBe(false);
    expect(items.has('vac:menacwy-infant:1')).toBe(false);
    expect(items.get('vac:mmr:2')).toMatchObject({ status: 'overdue', level: 'mandatory' });
    expect(items.has('dental:3')).toBe(false);
  });

  it('Louis, born 1957-11-05: colorectal, influenza and Covid-19 due, the 65 booster overdue', () => {
    const items = byCode(compute({ birthDate: '1957-11-05', sex: 'M' }));
    expect(items.get('screen:colorectal:2025-11-05')?.status).toBe('due');
    expect(items.get('vac:influenza:2026')).toMatchObject({ status: 'due', window: { start: '2026-10-15', end: '2027-01-31' }, doseLabel: 'campagne 2026-2027' });
    expect(items.get('vac:covid19:2026')?.status).toBe('due');
    expect(items.get('vac:dtp-65y-then-10y:1')).toMatchObject({ status: 'overdue', catchUpUntil: '2031-11-04' });
    // no age limit to the pneumococcal catch-up: no date, the reason catch-up-now
    const pneumo = items.get('vac:pneumococcal-adult:1');
    expect(pneumo).toMatchObject({ status: 'overdue', level: 'recommended' });
    expect(pneumo?.catchUpUntil).toBeUndefined();
    expect(pneumo?.reasons.map((r) => r.code)).toContain('catch-up-now');
    expect(pneumo?.reasons.map((r) => r.code)).not.toContain('catch-up-until');
    // a flu vaccine in October counts for the season
    const vaccinated = byCode(compute({ birthDate: '1957-11-05', sex: 'M', vaccinations: [{ id: 'f', date: '2026-10-20', diseases: ['Grippe'] }] }));
    expect(vaccinated.get('vac:influenza:2026')).toMatchObject({ status: 'done', doneOn: '2026-10-20', immunizationId: 'f' });
  });

  it('hands cervical screening from cytology to the HPV test at 30, or 3 years after the last cytology done', () => {
    // born 2000-03-10: cytology at 25 (2025-03-10), 26 (2026-03-10), 29 (2029-03-10, window until the day before 30)
    const none = byCode(compute({ birthDate: '2000-03-10' }, '2029-06-01'));
    expect(none.get('screen:cervical:2029-03-10')).toMatchObject({ status: 'due', window: { start: '2029-03-10', end: '2030-03-09' } });
    expect(none.get('screen:cervical:2029-03-10')?.title).toMatch(/cytolog/);
    expect(none.get('screen:cervical:2030-03-10')?.title).toMatch(/HPV/);
    expect(none.get('screen:cervical:2030-03-10')?.window).toEqual({ start: '2030-03-10', end: '2035-03-09' });
    // the 29-year cytology done on 2029-09-01: the HPV test 3 years later, not at 30
    const done = byCode(compute({ birthDate: '2000-03-10', marks: [{ code: 'screen:cervical:2029-03-10', mark: 'done', date: '2029-09-01' }] }, '2029-10-01', 120));
    expect(done.get('screen:cervical:2029-03-10')).toMatchObject({ status: 'done', doneOn: '2029-09-01' });
    expect(done.has('screen:cervical:2030-03-10')).toBe(false);
    expect(done.get('screen:cervical:2032-09-01')).toMatchObject({ status: 'to-plan', window: { start: '2032-09-01', end: '2037-08-31' } });
    // the first cytology done on 2025-05-01: the second one a year later
    const first = byCode(compute({ birthDate: '2000-03-10', marks: [{ code: 'screen:cervical:2025-03-10', mark: 'done', date: '2025-05-01' }] }, '2026-01-10'));
    expect(first.get('screen:cervical:2026-05-01')).toMatchObject({ status: 'to-plan', window: { start: '2026-05-01', end: '2029-04-30' } });
  });

  it('places the second HPV dose 5 to 13 months after the first one done', () => {
    const items = byCode(compute({ birthDate: '2014-01-10', vaccinations: [{ id: 'h1', date: '2026-03-15', diseases: ['infections à papillomavirus humains (HPV)'] }] }));
    expect(items.get('vac:hpv:1')).toMatchObject({ status: 'done', doneOn: '2026-03-15' });
    expect(items.get('vac:hpv:2')).toMatchObject({ status: 'due', window: { start: '2026-08-15', end: '2027-04-15' } });
  });

  it('lets a recorded vaccination count for one dose only, by date, within the schedule’s ages', () => {
    // a dTcaP at 25 and another at 46: the first counts for 25, the second for 45, none for the 6-year booster
    const vaccinations: RecordedVaccination[] = [
      { id: 'a', date: '1999-06-01', diseases: ['diphtérie', 'tétanos', 'coqueluche', 'poliomyélite'] },
      { id: 'b', date: '2020-06-01', diseases: ['diphtérie', 'tétanos', 'coqueluche', 'poliomyélite'] },
    ];
    const items = byCode(compute({ birthDate: '1974-05-10', vaccinations }, ASOF, 1200));
    expect(items.get('vac:dtcap-25y:1')).toMatchObject({ status: 'done', immunizationId: 'a' });
    expect(items.get('vac:dtp-45y:1')).toMatchObject({ status: 'done', immunizationId: 'b' });
    expect(items.get('vac:dtp-65y-then-10y:1')?.status).toBe('to-plan');
  });

  it('counts a booster given in the year before the next booster’s age for the next one', () => {
    // born 1957-11-05, a dTP at 64 (2022-06-01): the 65-year booster, not a late 45-year one
    const vaccinations: RecordedVaccination[] = [{ id: 'r', date: '2022-06-01', diseases: ['diphtérie', 'tétanos', 'poliomyélite'] }];
    const items = byCode(compute({ birthDate: '1957-11-05', vaccinations }));
    expect(items.get('vac:dtp-65y-then-10y:1')).toMatchObject({ status: 'done', immunizationId: 'r' });
    expect(items.has('vac:dtp-45y:1')).toBe(false);
  });

  it('Camille, born 1988-03-14: without her childhood MMR doses, a catch-up with no limit; with them, done', () => {
    const missing = byCode(compute({ birthDate: '1988-03-14', sex: 'F' }));
    expect(missing.get('vac:mmr:1')).toMatchObject({ status: 'overdue', level: 'recommended', window: { start: '1989-03-14', end: '1989-04-13' } });
    expect(missing.get('vac:mmr:1')?.catchUpUntil).toBeUndefined();
    expect(missing.get('vac:mmr:1')?.reasons).toContainEqual({ code: 'catch-up-now' });
    const mmr = ['rougeole', 'oreillons', 'rubéole'];
    const vaccinations: RecordedVaccination[] = [
      { id: 'ror-1', date: '1989-03-20', diseases: mmr },
      { id: 'ror-2', date: '1999-05-17', diseases: [], atc: 'J07BD52' },
    ];
    const done = byCode(compute({ birthDate: '1988-03-14', sex: 'F', vaccinations }));
    expect(done.get('vac:mmr:1')).toMatchObject({ status: 'done', immunizationId: 'ror-1' });
    expect(done.get('vac:mmr:2')).toMatchObject({ status: 'done', immunizationId: 'ror-2' });
  });

  it('keeps the second zoster dose overdue after the first, with no limit', () => {
    const items = byCode(compute({ birthDate: '1957-11-05', sex: 'M', vaccinations: [{ id: 'z1', date: '2024-05-14', diseases: ['zona'] }] }));
    expect(items.get('vac:zoster:1')).toMatchObject({ status: 'done', immunizationId: 'z1' });
    expect(items.get('vac:zoster:2')).toMatchObject({ status: 'overdue', window: { start: '2024-07-14', end: '2024-11-14' } });
    expect(items.get('vac:zoster:2')?.reasons).toContainEqual({ code: 'catch-up-now' });
  });

  it('counts a dTcaP at 24 for the 25-year booster: the 11-13 one is not overdue at 24 any more', () => {
    const birthDate = '2000-06-15';
    const tdap = ['diphtérie', 'tétanos', 'coqueluche', 'poliomyélite'];
    expect(byCode(compute({ birthDate }, '2024-06-14')).get('vac:dtcap-11-13y:1')?.status).toBe('overdue');
    expect(byCode(compute({ birthDate }, '2024-06-15')).has('vac:dtcap-11-13y:1')).toBe(false);
    const items = byCode(compute({ birthDate, vaccinations: [{ id: 'at24', date: '2024-08-01', diseases: tdap }] }, '2024-09-01'));
    expect(items.get('vac:dtcap-25y:1')).toMatchObject({ status: 'done', immunizationId: 'at24' });
    expect(items.has('vac:dtcap-11-13y:1')).toBe(false);
  });

  it('counts a dTP in the year before 75 or 85 for that booster, each caught up until a year before the next', () => {
    const dtp = ['diphtérie', 'tétanos', 'poliomyélite'];
    // born 1950-04-01: a dTP at 74 is the 75-year booster, not a late 65-year one
    const at74 = byCode(compute({ birthDate: '1950-04-01', vaccinations: [{ id: 'r', date: '2024-10-01', diseases: dtp }] }));
    expect(at74.get('vac:dtp-65y-then-10y:r75')).toMatchObject({ status: 'done', immunizationId: 'r' });
    expect(at74.has('vac:dtp-65y-then-10y:1')).toBe(false);
    // born 1940-04-01: a dTP at 84 is the 85-year booster
    const at84 = byCode(compute({ birthDate: '1940-04-01', vaccinations: [{ id: 's', date: '2024-06-01', diseases: dtp }] }));
    expect(at84.get('vac:dtp-65y-then-10y:r85')).toMatchObject({ status: 'done', immunizationId: 's' });
    expect(at84.has('vac:dtp-65y-then-10y:r75')).toBe(false);
    // the 75-year booster missed: overdue until the day before 84
    const missed = byCode(compute({ birthDate: '1943-04-01' }));
    expect(missed.get('vac:dtp-65y-then-10y:r75')).toMatchObject({ status: 'overdue', catchUpUntil: '2027-03-31' });
  });

  it('counts a MenC vaccine given before 2025 as the first MenACWY dose; one unvaccinated at 12 months takes one dose', () => {
    const birthDate = '2024-03-10';
    const menc: RecordedVaccination = { id: 'menc', date: '2024-08-12', diseases: ['Infections à méningocoque C'] };
    const acwy: RecordedVaccination = { id: 'acwy', date: '2025-03-15', diseases: ['infections à méningocoques A, C, W et Y'] };
    const completed = byCode(compute({ birthDate, vaccinations: [menc, acwy] }));
    expect(completed.get('vac:menacwy-infant:1')).toMatchObject({ status: 'done', immunizationId: 'menc', level: 'recommended' });
    expect(completed.get('vac:menacwy-infant:2')).toMatchObject({ status: 'done', immunizationId: 'acwy', level: 'mandatory' });
    // by its ATC code alone too
    const byAtc = byCode(compute({ birthDate, vaccinations: [{ id: 'atc', date: '2024-08-12', diseases: [], atc: 'J07AH07' }] }, '2024-12-01'));
    expect(byAtc.get('vac:menacwy-infant:1')).toMatchObject({ status: 'done', immunizationId: 'atc' });
    // a MenC vaccine given from 2025 does not count (born 2024-08-10: the 6-month dose from 2025-02-10)
    const late = byCode(compute({ birthDate: '2024-08-10', vaccinations: [{ id: 'late', date: '2025-01-15', diseases: ['infections à méningocoque C'] }] }, '2025-06-01'));
    expect(late.get('vac:menacwy-infant:1')).toMatchObject({ status: 'overdue', level: 'mandatory' });
    expect(late.get('vac:menacwy-infant:1')?.immunizationId).toBeUndefined();
    // nothing at 8 months: the 6-month dose is overdue (recommended: its window ended in 2024)
    const at8 = byCode(compute({ birthDate }, '2024-11-15'));
    expect(at8.get('vac:menacwy-infant:1')).toMatchObject({ status: 'overdue', level: 'recommended', catchUpUntil: '2029-03-09' });
    // nothing at 12 months: one dose, the 12-month one, mandatory (its window ends after 2025-01-01)
    const unvaccinated = byCode(compute({ birthDate }));
    expect(unvaccinated.has('vac:menacwy-infant:1')).toBe(false);
    expect(unvaccinated.get('vac:menacwy-infant:2')).toMatchObject({ status: 'overdue', level: 'mandatory' });
    expect(unvaccinated.get('vac:menacwy-infant:2')?.reasons).toContainEqual({ code: 'catch-up-doses', params: { doses: 1, from: 'P12M' } });
    // that one dose, given late, completes it
    const caughtUp = byCode(compute({ birthDate, vaccinations: [{ id: 'late-acwy', date: '2026-10-01', diseases: [], atc: 'J07AH08' }] }));
    expect(caughtUp.has('vac:menacwy-infant:1')).toBe(false);
    expect(caughtUp.get('vac:menacwy-infant:2')).toMatchObject({ status: 'done', immunizationId: 'late-acwy' });
    // started at 6 months: the booster is still due, without the one-dose catch-up reason
    const started = byCode(compute({ birthDate, vaccinations: [{ id: 'six', date: '2024-09-15', diseases: [], atc: 'J07AH08' }] }));
    expect(started.get('vac:menacwy-infant:1')).toMatchObject({ status: 'done', immunizationId: 'six' });
    expect(started.get('vac:menacwy-infant:2')?.status).toBe('overdue');
    expect(started.get('vac:menacwy-infant:2')?.reasons.map((r) => r.code)).not.toContain('catch-up-doses');
    // a mark keeps the skipped dose listed
    const marked = byCode(compute({ birthDate, marks: [{ code: 'vac:menacwy-infant:1', mark: 'planned' }] }));
    expect(marked.get('vac:menacwy-infant:1')).toMatchObject({ status: 'overdue', planned: {} });
  });

  it("gives M'T dents items the programme's ref and the data file's title", () => {
    const items = byCode(compute({ birthDate: '2018-06-02', sex: 'M' }));
    expect(items.get('dental:8')).toMatchObject({ ref: 'mt-dents', title: "M'T dents : examen bucco-dentaire de 8 ans", type: 'dental' });
  });

  it('orphans a planned mark on a later screening round when an earlier round is marked done (the round moves, its code with it)', () => {
    const birthDate = '1974-05-10';
    const planned: ItemMark = { code: 'screen:breast:2028-05-10', mark: 'planned', date: '2028-05-15' };
    const before = byCode(compute({ birthDate, marks: [planned] }));
    expect(before.get('screen:breast:2028-05-10')).toMatchObject({ status: 'to-plan', planned: { on: '2028-05-15' } });
    // the open round done on 2026-11-20: the next one opens on 2028-11-20; the mark on 2028-05-10 matches no item
    const after = compute({ birthDate, marks: [planned, { code: 'screen:breast:2026-05-10', mark: 'done', date: '2026-11-20' }] });
    const breast = after.filter((i) => i.ref === 'breast');
    expect(breast.map((i) => [i.code, i.status])).toEqual([
      ['screen:breast:2026-05-10', 'done'],
      ['screen:breast:2028-11-20', 'to-plan'],
    ]);
    expect(breast[1].planned).toBeUndefined();
  });
});
