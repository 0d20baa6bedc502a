import type { PreventionItem, PreventionLevel, PreventionMark } from '../../contract/prevention.js';

/**
 * The prevention engine's inputs (docs/prevention.md). The engine is pure: it is given the profile, the
 * calendars (versioned data files in data/prevention, loaded by src/services/prevention/calendars.ts) and a
 * date, and returns the items. Ages are in months from birth unless named otherwise; dates are civil dates
 * (YYYY-MM-DD), windows include both ends.
 */

/** A recorded vaccination (an Immunization of the record, completed). */
export interface RecordedVaccination {
  id: string;
  /** The civil date it was given. */
  date: string;
  /** The diseases it protects against (protocolApplied.targetDisease, as in data/reference/vaccines.json). */
  diseases: string[];
  /** The ATC code of the vaccine, when known. */
  atc?: string;
}

export interface ItemMark {
  code: string;
  mark: PreventionMark;
  date?: string;
}

export interface PreventionProfile {
  birthDate: string;
  sex: 'M' | 'F' | 'I';
  vaccinations: RecordedVaccination[];
  marks: ItemMark[];
}

/** Where a calendar comes from: shown with the items, cited in the data file. */
export interface CalendarSource {
  id: string;
  title: string;
  /** The calendar's version: the date it came into force, or its edition year. */
  version: string;
  /** The legal text or publication, and URLs. */
  source: string;
}

/** An age or window bound: months and days from birth (e.g. { months: 16 }, { days: 8 }, { years: 8 }). */
export interface AgeOffset {
  years?: number;
  months?: number;
  days?: number;
}

// ---- child examinations (CSP R2132-1) ----

export interface ChildExamDef {
  /** Stable id: 'exam-01' ... ; an exam kept from one calendar to the next keeps its id. */
  id: string;
  title: string;
  /** The window: from `from` after birth to the day before `until` after birth. */
  from: AgeOffset;
  until: AgeOffset;
  certificate?: 'CS8' | 'CS9' | 'CS24';
}

export interface ChildExamCalendar extends CalendarSource {
  /** Applies to children born on or after this date (until the next calendar's date). */
  appliesToBornFrom: string;
  exams: ChildExamDef[];
}

// ---- vaccinations ----

export interface VaccineDoseDef {
  label: string;
  /** The window the dose is due in (from, until: the day before). For a dose after the previous one, see after. */
  from?: AgeOffset;
  until?: AgeOffset;
  /** A dose due a time after the previous dose was done: [min, max] months after it. */
  afterPrevious?: { minMonths: number; maxMonths: number };
  /**
   * Other vaccinations that also count for this dose (not for the others): every disease of `diseases`
   * covered, or an ATC code starting with one of `atc`, given before `givenBefore` (e.g. a MenC vaccine given
   * before 2025 counts as the first MenACWY dose: a MenC schedule begun before 2025 is completed with ACWY).
   */
  alsoMatch?: { diseases?: string[]; atc?: string[]; givenBefore?: string };
  /**
   * When no vaccination counting for the schedule was given before this age, this dose is no longer needed
   * (the catch-up takes fewer doses: a child unvaccinated at 12 months takes one MenACWY dose): from that age
   * it is left out, unless marked, and the vaccinations given later count for the following doses.
   */
  skipIfNoneBefore?: AgeOffset;
}

export interface VaccineScheduleDef {
  /** Stable id, as in the source calendar ('dtcap-hib-hepb-primary', 'menb-infant', 'dtp-45y'...). */
  id: string;
  title: string;
  level: PreventionLevel;
  /** The level for people born before `mandatoryForBornFrom` (recommended), when the obligation depends on it. */
  mandatoryForBornFrom?: string;
  /**
   * The day the obligation came into force: for someone the schedule is mandatory for, a dose whose window
   * ended before this day is recommended (caught up until `catchUpUntil`), not mandatory; a dose whose window
   * ends on or after it is mandatory (e.g. MenB and MenACWY, mandatory since 2025-01-01).
   */
  mandatorySince?: string;
  /** Only people born in [bornFrom, bornBefore) have this schedule. */
  bornFrom?: string;
  bornBefore?: string;
  sex?: 'F' | 'M';
  diseases: string[];
  /**
   * Which recorded vaccinations count: every disease of `diseases` covered, or an ATC code starting with one of
   * `atc`. Given at an age within [acceptFrom, acceptUntil) (defaults: the first dose's from, catchUpUntil).
   */
  match: { diseases: string[]; atc?: string[] };
  acceptFrom?: AgeOffset;
  acceptUntil?: AgeOffset;
  doses: VaccineDoseDef[];
  /** A missed dose may be caught up until this age; after it a recommended schedule is left out. */
  catchUpUntil?: AgeOffset;
  /**
   * A missed dose stays overdue with no age limit, recommended or not (MMR for anyone born since 1980, the
   * pneumococcal, zoster and RSV vaccinations of older adults): no `catchUpUntil` then, and the overdue item
   * has the reason `catch-up-now`.
   */
  keepOverdue?: boolean;
  /**
   * Repeats: a booster every `everyYears` from `fromAge` (whole years), while the age is below `untilAge` (e.g.
   * dTP 75, 85, 95); each is due the year after its birthday and may be caught up until the next one. `label`
   * names each booster, `{age}` standing for its age in years. `acceptYearsBefore` (default 0): a vaccination
   * given that many years before a booster's age counts for it, not for the previous one (the 75-year booster
   * accepts a dTP from 74 to 84; each booster's catch-up ends when the next one's acceptance begins).
   */
  repeat?: { everyYears: number; fromAge: AgeOffset; untilAge: AgeOffset; label?: string; acceptYearsBefore?: number };
  /**
   * A seasonal vaccination each year from `fromAge`: the campaign window (MM-DD, the end in the next year when
   * before the start). `label` names a season, `{season}` standing for e.g. 2026-2027.
   */
  seasonal?: { fromAge: AgeOffset; start: string; end: string; label?: string };
  /** A catch-up with another number of doses from an age (HPV: 3 doses from 15): given as a reason. */
  catchUpDoses?: { fromAge: AgeOffset; doses: number };
  sources: string[];
}

export interface VaccinationCalendar extends CalendarSource {
  schedules: VaccineScheduleDef[];
}

// ---- organised screenings, M'T dents, key-age check-ups ----

export interface ScreeningRoundRule {
  /** Ages (years, both included) the rule applies to: a round is started while the age is in it. */
  ageYears: { min: number; max: number };
  test: string;
  /**
   * The years between consecutive rounds of this rule: the k-th gap is intervalsYears[min(k, length) - 1] (so
   * [2] is every two years; cytology's [1, 3] is one year, then every three). A round starts that long after
   * the previous one was done, or after the previous round's start when it was not.
   */
  intervalsYears: number[];
  /** The first round of this rule comes this long after the last round done under the previous rule (not before min age). */
  afterPreviousRuleYears?: number;
}

export interface ScreeningProgramDef {
  id: string;
  title: string;
  sex?: 'F' | 'M';
  ageYears: { min: number; max: number };
  rules: ScreeningRoundRule[];
  sources: string[];
}

export interface ScreeningCalendar extends CalendarSource {
  programs: ScreeningProgramDef[];
}

export interface DentalCalendar extends CalendarSource {
  /** Applies to check-ups whose window starts on or after this date (until the next calendar's date). */
  appliesFrom: string;
  /**
   * The items' `ref` (the programme's id, 'mt-dents') and French title, `{age}` standing for the check-up's age
   * in years ("M'T dents : examen bucco-dentaire de {age} ans").
   */
  item: { id: string; title: string };
  /** The birthdays that open a check-up, each open for a year. */
  ages: number[];
}

export interface KeyAgeCheckupDef {
  id: string;
  title: string;
  ageYears: { min: number; max: number };
  /** The canonical URL of the questionnaire that prepares it. */
  questionnaire: string;
}

export interface KeyAgeCalendar extends CalendarSource {
  checkups: KeyAgeCheckupDef[];
}

/** Every calendar the engine needs; child exams and dental care come in versions. */
export interface Calendars {
  childExams: ChildExamCalendar[];
  vaccination: VaccinationCalendar;
  screening: ScreeningCalendar;
  dental: DentalCalendar[];
  keyAge: KeyAgeCalendar;
}

export interface ComputeOptions {
  /** Items whose window opens later than this many months after `asOf` are left out (child exams excepted). Default 24. */
  horizonMonths?: number;
}

export type { PreventionItem };
