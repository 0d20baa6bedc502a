import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { addOffsetDays, isCivilDate } from '../../domain/prevention/dates.js';
import { packagePath } from '../../package-root.js';
import type {
  AgeOffset,
  Calendars,
  ChildExamCalendar,
  DentalCalendar,
  KeyAgeCalendar,
  ScreeningCalendar,
  VaccinationCalendar,
} from '../../domain/prevention/types.js';

/**
 * The prevention calendars shipped in data/prevention (docs/prevention.md, "Calendars"): one JSON file per
 * calendar and version, each with its `_meta` (title, version, inForce, legal source, source URLs, confidence,
 * notes) and the content typed in src/domain/prevention/types.ts. Every file is checked when loaded; a bad one is
 * refused with its name. Files: child-exams-*.json (each a version, chosen by birth date), dental-*.json (each a
 * version, chosen by the check-up's date), vaccination-calendar-*.json (the latest edition by name is used),
 * screening-programs.json, key-age-checkups.json. Other files (README.md, questionnaires/) are not read.
 */

export function defaultCalendarDir(): string {
  return packagePath('data', 'prevention');
}

// ---------------------------------------------------------------- schemas

const civilDate = z.string().refine(isCivilDate, 'must be a date YYYY-MM-DD');
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be MM-DD');
const count = z.number().int().min(0).max(1200);
const offset = z.strictObject({ years: count.optional(), months: count.optional(), days: z.number().int().min(0).max(40000).optional() });
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower case letters, digits and dashes');
const text = z.string().min(1);
const ageYears = z.strictObject({ min: count, max: count }).refine((a) => a.min <= a.max, 'min must not exceed max');

const meta = z.object({
  title: text,
  version: text,
  inForce: civilDate,
  source: text,
  sources: z.array(text).min(1),
  confidence: text,
  notes: z.array(text),
});

const calendarSource = { _meta: meta, id, title: text, version: text, source: text };

const childExamCalendar = z.strictObject({
  ...calendarSource,
  appliesToBornFrom: civilDate,
  exams: z
    .array(
      z.strictObject({
        id,
        title: text,
        from: offset,
        until: offset,
        certificate: z.enum(['CS8', 'CS9', 'CS24']).optional(),
      }),
    )
    .min(1),
});

const atcCode = z.string().regex(/^[A-Z][0-9A-Z]*$/, 'must be an ATC code or prefix');

const dose = z.strictObject({
  label: text,
  from: offset.optional(),
  until: offset.optional(),
  afterPrevious: z.strictObject({ minMonths: count, maxMonths: count }).optional(),
  alsoMatch: z.strictObject({ diseases: z.array(text).optional(), atc: z.array(atcCode).optional(), givenBefore: civilDate.optional() }).optional(),
  skipIfNoneBefore: offset.optional(),
});

const schedule = z.strictObject({
  id,
  title: text,
  level: z.enum(['mandatory', 'recommended']),
  mandatoryForBornFrom: civilDate.optional(),
  mandatorySince: civilDate.optional(),
  bornFrom: civilDate.optional(),
  bornBefore: civilDate.optional(),
  sex: z.enum(['F', 'M']).optional(),
  diseases: z.array(text).min(1),
  match: z.strictObject({ diseases: z.array(text), atc: z.array(atcCode).optional() }),
  acceptFrom: offset.optional(),
  acceptUntil: offset.optional(),
  doses: z.array(dose),
  catchUpUntil: offset.optional(),
  keepOverdue: z.boolean().optional(),
  repeat: z.strictObject({ everyYears: count.min(1), fromAge: offset, untilAge: offset, label: text.optional(), acceptYearsBefore: count.optional() }).optional(),
  seasonal: z.strictObject({ fromAge: offset, start: monthDay, end: monthDay, label: text.optional() }).optional(),
  catchUpDoses: z.strictObject({ fromAge: offset, doses: count.min(1) }).optional(),
  sources: z.array(text),
});

const vaccinationCalendar = z.strictObject({ ...calendarSource, schedules: z.array(schedule).min(1) });

const screeningCalendar = z.strictObject({
  ...calendarSource,
  programs: z.array(
    z.strictObject({
      id,
      title: text,
      sex: z.enum(['F', 'M']).optional(),
      ageYears,
      rules: z
        .array(
          z.strictObject({
            ageYears,
            test: text,
            intervalsYears: z.array(count.min(1)).min(1),
            afterPreviousRuleYears: count.optional(),
          }),
        )
        .min(1),
      sources: z.array(text),
    }),
  ),
});

const dentalCalendar = z.strictObject({
  ...calendarSource,
  appliesFrom: civilDate,
  item: z.strictObject({ id, title: text.refine((t) => t.includes('{age}'), 'must hold {age}') }),
  ages: z.array(count).min(1),
});

const keyAgeCalendar = z.strictObject({
  ...calendarSource,
  checkups: z.array(z.strictObject({ id: z.string().regex(/^\d+-\d+$/, 'must be <min>-<max>'), title: text, ageYears, questionnaire: text })).min(1),
});

// ---------------------------------------------------------------- checks beyond the shape

/** Birth dates that exercise month ends and leap days: a window must be non-empty for each. */
const PROBE_BIRTHS: [number, number, number][] = [
  [2000, 1, 31],
  [2000, 2, 29],
  [2001, 12, 31],
  [2023, 3, 15],
];

function windowProblem(from: AgeOffset, until: AgeOffset): string | undefined {
  for (const [y, m, d] of PROBE_BIRTHS) {
    if (addOffsetDays(y, m, d, until) <= addOffsetDays(y, m, d, from)) return 'the window is empty (until must come after from)';
  }
  return undefined;
}

function uniqueIds(ids: string[], what: string): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const i of ids) {
    if (seen.has(i)) problems.push(`${what}: the id ${i} appears twice`);
    seen.add(i);
  }
  return problems;
}

function checkChildExams(c: ChildExamCalendar): string[] {
  const problems = uniqueIds(
    c.exams.map((e) => e.id),
    'exams',
  );
  c.exams.forEach((e, i) => {
    const p = windowProblem(e.from, e.until);
    if (p) problems.push(`exams[${i}] (${e.id}): ${p}`);
  });
  return problems;
}

function checkVaccination(c: VaccinationCalendar): string[] {
  const problems = uniqueIds(
    c.schedules.map((s) => s.id),
    'schedules',
  );
  c.schedules.forEach((s, i) => {
    const at = `schedules[${i}] (${s.id})`;
    if (s.seasonal && s.doses.length > 0) problems.push(`${at}: a seasonal schedule has no doses`);
    if (!s.seasonal && s.doses.length === 0) problems.push(`${at}: needs doses (or seasonal)`);
    if (s.match.diseases.length === 0 && !s.match.atc?.length) problems.push(`${at}: match needs diseases or atc`);
    if (s.bornFrom && s.bornBefore && s.bornFrom >= s.bornBefore) problems.push(`${at}: bornFrom must come before bornBefore`);
    if (s.keepOverdue && s.catchUpUntil) problems.push(`${at}: keepOverdue (no catch-up limit) excludes catchUpUntil`);
    if (s.keepOverdue && (s.seasonal || s.repeat)) problems.push(`${at}: keepOverdue does not apply to a seasonal or repeated schedule`);
    if (s.mandatorySince && s.level !== 'mandatory') problems.push(`${at}: mandatorySince needs the level mandatory`);
    if (s.repeat?.acceptYearsBefore !== undefined && s.repeat.acceptYearsBefore >= s.repeat.everyYears) problems.push(`${at}: repeat.acceptYearsBefore must be below everyYears`);
    s.doses.forEach((d, j) => {
      if (d.alsoMatch && !d.alsoMatch.diseases?.length && !d.alsoMatch.atc?.length) problems.push(`${at} doses[${j}]: alsoMatch needs diseases or atc`);
      if (d.skipIfNoneBefore && s.doses[j + 1]?.afterPrevious) problems.push(`${at} doses[${j}]: a dose that may be skipped cannot be followed by a dose after it (afterPrevious)`);
      if (d.afterPrevious) {
        if (j === 0) problems.push(`${at} doses[${j}]: the first dose cannot come after a previous one`);
        if (d.from || d.until) problems.push(`${at} doses[${j}]: afterPrevious excludes from and until`);
        if (d.afterPrevious.maxMonths < d.afterPrevious.minMonths) problems.push(`${at} doses[${j}]: maxMonths must not be below minMonths`);
      } else if (!d.from || !d.until) problems.push(`${at} doses[${j}]: needs from and until (or afterPrevious)`);
      else {
        const p = windowProblem(d.from, d.until);
        if (p) problems.push(`${at} doses[${j}]: ${p}`);
      }
    });
    if (s.repeat && (s.repeat.fromAge.years === undefined || s.repeat.untilAge.years === undefined || s.repeat.fromAge.months || s.repeat.fromAge.days)) {
      problems.push(`${at}: repeat ages must be whole years`);
    }
  });
  return problems;
}

function checkScreening(c: ScreeningCalendar): string[] {
  const problems = uniqueIds(
    c.programs.map((p) => p.id),
    'programs',
  );
  c.programs.forEach((p, i) => {
    p.rules.forEach((r, j) => {
      if (r.ageYears.min < p.ageYears.min || r.ageYears.max > p.ageYears.max) problems.push(`programs[${i}] (${p.id}) rules[${j}]: ages outside the programme's`);
      if (j > 0 && r.ageYears.min <= p.rules[j - 1].ageYears.max) problems.push(`programs[${i}] (${p.id}) rules[${j}]: must start after the previous rule`);
    });
  });
  return problems;
}

function checkDental(c: DentalCalendar): string[] {
  return [...new Set(c.ages)].length === c.ages.length ? [] : ['ages: an age appears twice'];
}

function checkKeyAge(c: KeyAgeCalendar): string[] {
  const problems = uniqueIds(
    c.checkups.map((k) => k.id),
    'checkups',
  );
  c.checkups.forEach((k, i) => {
    if (k.id !== `${k.ageYears.min}-${k.ageYears.max}`) problems.push(`checkups[${i}]: the id must be ${k.ageYears.min}-${k.ageYears.max}`);
  });
  return problems;
}

// ---------------------------------------------------------------- loading

/** A calendar file that cannot be used: the message names the file. */
export class CalendarFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Prevention calendar ${file} is invalid: ${problems.join('; ')}`);
    this.name = 'CalendarFileError';
  }
}

function parseFile<T>(dir: string, file: string, schema: z.ZodType<unknown>, check: (c: T) => string[]): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  } catch (e) {
    throw new CalendarFileError(file, [e instanceof Error ? e.message : String(e)]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new CalendarFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  const { _meta, ...content } = parsed.data as T & { _meta: unknown };
  void _meta;
  const problems = check(content as T);
  if (problems.length) throw new CalendarFileError(file, problems);
  return content as T;
}

/**
 * Reads and checks the calendars of a folder (default: data/prevention of the Carnet package). Throws a
 * CalendarFileError naming the file on a bad or missing one.
 */
export function loadCalendars(dir: string = defaultCalendarDir()): Calendars {
  if (!existsSync(dir)) throw new CalendarFileError(basename(dir), ['the folder does not exist']);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const named = (prefix: string) => files.filter((f) => f.startsWith(prefix));
  const one = (name: string) => {
    if (!files.includes(name)) throw new CalendarFileError(name, ['the file is missing']);
    return name;
  };
  const childFiles = named('child-exams-');
  if (childFiles.length === 0) throw new CalendarFileError('child-exams-*.json', ['no child-examination calendar']);
  const dentalFiles = named('dental-');
  if (dentalFiles.length === 0) throw new CalendarFileError('dental-*.json', ['no dental calendar']);
  const vaccinationFiles = named('vaccination-calendar-');
  if (vaccinationFiles.length === 0) throw new CalendarFileError('vaccination-calendar-*.json', ['no vaccination calendar']);
  const childExams = childFiles.map((f) => parseFile<ChildExamCalendar>(dir, f, childExamCalendar, checkChildExams));
  const dental = dentalFiles.map((f) => parseFile<DentalCalendar>(dir, f, dentalCalendar, checkDental));
  const vaccinations = vaccinationFiles.map((f) => parseFile<VaccinationCalendar>(dir, f, vaccinationCalendar, checkVaccination));
  const calendars: Calendars = {
    childExams,
    vaccination: vaccinations[vaccinations.length - 1],
    screening: parseFile<ScreeningCalendar>(dir, one('screening-programs.json'), screeningCalendar, checkScreening),
    dental,
    keyAge: parseFile<KeyAgeCalendar>(dir, one('key-age-checkups.json'), keyAgeCalendar, checkKeyAge),
  };
  const seen = new Map<string, string>();
  for (const c of [...childExams, ...dental]) {
    const key = 'appliesToBornFrom' in c ? `child:${c.appliesToBornFrom}` : `dental:${c.appliesFrom}`;
    if (seen.has(key)) throw new CalendarFileError(c.id, [`two versions start on the same date as ${seen.get(key)}`]);
    seen.set(key, c.id);
  }
  return calendars;
}

let cached: Calendars | undefined;

/** The shipped calendars, loaded and checked on first use. */
export function calendars(): Calendars {
  cached ??= loadCalendars();
  return cached;
}
