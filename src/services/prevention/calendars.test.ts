import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CalendarFileError, calendars, defaultCalendarDir, loadCalendars } from './calendars.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the shipped calendars to break. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'carnet-calendars-'));
  dirs.push(dir);
  cpSync(defaultCalendarDir(), dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (json: Record<string, unknown> & { [k: string]: any }) => void): void {
  const json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  change(json);
  writeFileSync(join(dir, file), JSON.stringify(json));
}

function refusal(dir: string): CalendarFileError {
  try {
    loadCalendars(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(CalendarFileError);
    return e as CalendarFileError;
  }
  throw new Error('the calendars were accepted');
}

describe('the calendar loader', () => {
  it('loads the shipped files', () => {
    const c = loadCalendars();
    expect(c.childExams.map((x) => [x.id, x.appliesToBornFrom, x.exams.length])).toEqual([
      ['child-exams-2019', '1900-01-01', 20],
      ['child-exams-2025', '2025-01-01', 20],
    ]);
    expect(c.dental.map((x) => x.id)).toEqual(['dental-2019', 'dental-2025']);
    expect(c.dental[1].ages).toHaveLength(22);
    expect(c.dental.map((x) => x.item)).toEqual([
      { id: 'mt-dents', title: "M'T dents : examen bucco-dentaire de {age} ans" },
      { id: 'mt-dents', title: "M'T dents : examen bucco-dentaire de {age} ans" },
    ]);
    // no sentinel ages: a catch-up without limit is said so
    for (const s of c.vaccination.schedules) expect(s.catchUpUntil?.years ?? 0, s.id).toBeLessThan(100);
    expect(c.vaccination.schedules.filter((s) => s.keepOverdue).map((s) => s.id)).toEqual(['mmr', 'pneumococcal-adult', 'zoster', 'rsv-adult']);
    expect(c.vaccination.id).toBe('vaccination-2025');
    expect(c.screening.programs.map((p) => p.id)).toEqual(['breast', 'colorectal', 'cervical']);
    expect(c.keyAge.checkups.map((k) => k.questionnaire)).toEqual([
      'urn:carnet:questionnaire:key-age-18-25',
      'urn:carnet:questionnaire:key-age-45-50',
      'urn:carnet:questionnaire:key-age-60-65',
      'urn:carnet:questionnaire:key-age-70-75',
    ]);
    // _meta stays in the files, not in the calendars
    expect('_meta' in c.vaccination).toBe(false);
    expect(calendars()).toBe(calendars());
  });

  it('cites its sources in every file', () => {
    for (const file of ['child-exams-2019.json', 'child-exams-2025.json', 'vaccination-calendar-2025.json', 'screening-programs.json', 'dental-2019.json', 'dental-2025.json', 'key-age-checkups.json']) {
      const meta = JSON.parse(readFileSync(join(defaultCalendarDir(), file), 'utf8'))._meta;
      expect(meta.source, file).toBeTruthy();
      expect(meta.sources.length, file).toBeGreaterThan(0);
      expect(meta.confidence, file).toBeTruthy();
    }
  });

  it('refuses a file that is not JSON, with its name', () => {
    const dir = copy();
    writeFileSync(join(dir, 'screening-programs.json'), '{ "programs": [');
    const e = refusal(dir);
    expect(e.file).toBe('screening-programs.json');
    expect(e.message).toContain('screening-programs.json');
  });

  it('refuses a bad shape, naming the file and the field', () => {
    const dir = copy();
    edit(dir, 'vaccination-calendar-2025.json', (j) => {
      j.schedules[1].level = 'compulsory';
    });
    const e = refusal(dir);
    expect(e.message).toContain('vaccination-calendar-2025.json');
    expect(e.message).toContain('schedules.1.level');
  });

  it('refuses an empty window, an unknown field, a duplicate id and an impossible date', () => {
    let dir = copy();
    edit(dir, 'child-exams-2025.json', (j) => {
      j.exams[10].until = { months: 16 };
    });
    expect(refusal(dir).message).toMatch(/child-exams-2025\.json.*exam-12.*empty/);

    dir = copy();
    edit(dir, 'key-age-checkups.json', (j) => {
      j.checkups[0].questionaire = 'typo';
    });
    expect(refusal(dir).file).toBe('key-age-checkups.json');

    dir = copy();
    edit(dir, 'child-exams-2019.json', (j) => {
      j.exams[1].id = 'exam-01';
    });
    expect(refusal(dir).message).toMatch(/child-exams-2019\.json.*exam-01 appears twice/);

    dir = copy();
    edit(dir, 'dental-2025.json', (j) => {
      j.appliesFrom = '2025-02-30';
    });
    expect(refusal(dir).message).toMatch(/dental-2025\.json.*appliesFrom/);

    dir = copy();
    edit(dir, 'vaccination-calendar-2025.json', (j) => {
      delete j._meta;
    });
    expect(refusal(dir).message).toMatch(/vaccination-calendar-2025\.json.*_meta/);
  });

  it('refuses the vaccination fields used the wrong way, and a dental title without its age', () => {
    const schedule = (j: any, id: string) => j.schedules.find((x: any) => x.id === id);
    const cases: [string, (j: any) => void, RegExp][] = [
      ['keepOverdue with a catch-up limit', (j) => (schedule(j, 'mmr').catchUpUntil = { years: 120 }), /\(mmr\): keepOverdue .* excludes catchUpUntil/],
      ['keepOverdue on a seasonal schedule', (j) => (schedule(j, 'influenza').keepOverdue = true), /\(influenza\): keepOverdue does not apply/],
      ['keepOverdue that is not a boolean', (j) => (schedule(j, 'zoster').keepOverdue = 'yes'), /keepOverdue/],
      ['mandatorySince on a recommended schedule', (j) => (schedule(j, 'rotavirus').mandatorySince = '2025-01-01'), /\(rotavirus\): mandatorySince needs the level mandatory/],
      ['an impossible mandatorySince', (j) => (schedule(j, 'menb-infant').mandatorySince = '2025-02-30'), /mandatorySince/],
      ['an alsoMatch that matches nothing', (j) => (schedule(j, 'menacwy-infant').doses[0].alsoMatch = { givenBefore: '2025-01-01' }), /\(menacwy-infant\) doses\[0\]: alsoMatch needs diseases or atc/],
      ['a bad ATC code in alsoMatch', (j) => (schedule(j, 'menacwy-infant').doses[0].alsoMatch.atc = ['j07']), /alsoMatch\.atc/],
      ['a skipped dose followed by one after it', (j) => (schedule(j, 'hpv').doses[0].skipIfNoneBefore = { years: 15 }), /\(hpv\) doses\[0\]: a dose that may be skipped/],
      ['a repeat accepted a whole interval early', (j) => (schedule(j, 'dtp-65y-then-10y').repeat.acceptYearsBefore = 10), /repeat\.acceptYearsBefore must be below everyYears/],
    ];
    for (const [what, change, message] of cases) {
      const dir = copy();
      edit(dir, 'vaccination-calendar-2025.json', change);
      const e = refusal(dir);
      expect(e.file, what).toBe('vaccination-calendar-2025.json');
      expect(e.message, what).toMatch(message);
    }
    const dir = copy();
    edit(dir, 'dental-2025.json', (j) => {
      j.item.title = "M'T dents";
    });
    expect(refusal(dir).message).toMatch(/dental-2025\.json.*item\.title.*\{age\}/);
    const noItem = copy();
    edit(noItem, 'dental-2019.json', (j) => {
      delete j.item;
    });
    expect(refusal(noItem).message).toMatch(/dental-2019\.json.*item/);
  });

  it('refuses a missing file', () => {
    const dir = copy();
    rmSync(join(dir, 'key-age-checkups.json'));
    expect(refusal(dir).file).toBe('key-age-checkups.json');
  });

  it('uses the latest vaccination calendar edition', () => {
    const dir = copy();
    edit(dir, 'vaccination-calendar-2025.json', () => undefined);
    const next = JSON.parse(readFileSync(join(dir, 'vaccination-calendar-2025.json'), 'utf8'));
    next.id = 'vaccination-2026';
    next.version = '2026';
    writeFileSync(join(dir, 'vaccination-calendar-2026.json'), JSON.stringify(next));
    expect(loadCalendars(dir).vaccination.id).toBe('vaccination-2026');
  });
});
