import type { PreventionItem, PreventionLevel, PreventionReason, PreventionStatus, PreventionType } from '../../contract/prevention.js';
import { addOffsetDays, civilFromDays, civilString, dayNumber, daysFromCivil, offsetText, parseCivil } from './dates.js';
import { foldDisease, matchesAlso, matchesFolded } from './diseases.js';
import type {
  AgeOffset,
  Calendars,
  CalendarSource,
  ChildExamCalendar,
  ComputeOptions,
  DentalCalendar,
  ItemMark,
  PreventionProfile,
  RecordedVaccination,
  ScreeningProgramDef,
  VaccineDoseDef,
  VaccineScheduleDef,
} from './types.js';

/**
 * The prevention engine (docs/prevention.md, "Engine"): pure, no I/O. Given a profile (birth date, sex, recorded
 * vaccinations, marks), the calendars and a civil date, it returns the items: child examinations, vaccination
 * doses, organised screening rounds, M'T dents check-ups and key-age check-ups, sorted by window start then code.
 *
 * Dates are handled as day numbers (days since 1970-01-01) and turned into strings only for the items returned.
 */

/** Child examinations are listed while the child is under this age (years). */
export const CHILD_EXAMS_UNTIL_YEARS = 17;
export const DEFAULT_HORIZON_MONTHS = 24;

interface FoldedVaccination {
  v: RecordedVaccination;
  day: number;
  diseases: Set<string>;
}

interface Ctx {
  birthDate: string;
  by: number;
  bm: number;
  bd: number;
  birth: number;
  asOf: number;
  horizonEnd: number;
  sex: PreventionProfile['sex'];
  marks: Map<string, ItemMark> | undefined;
  /** Code prefixes that have a mark ('vac:hpv', 'screen:breast', 'dental', 'checkup'...), for quick skips. */
  markedPrefixes: Set<string> | undefined;
  vaccinations: FoldedVaccination[];
  out: PreventionItem[];
}

interface Decision {
  status: PreventionStatus;
  doneOn?: string;
  evidence?: RecordedVaccination;
  mark?: ItemMark;
}

function at(ctx: Ctx, offset: AgeOffset): number {
  return addOffsetDays(ctx.by, ctx.bm, ctx.bd, offset);
}

function plusFrom(day: number, offset: AgeOffset): number {
  const [y, m, d] = civilFromDays(day);
  return addOffsetDays(y, m, d, offset);
}

/** When an item is due and what happens once its window is over (the inputs of `decide`). */
interface Timing {
  /** The window, day numbers, both included. */
  start: number;
  end: number;
  /** The last day a missed item may be caught up (shown and decisive only when not overdue forever). */
  catchUp?: number;
  /** A missed item stays overdue with no limit (a mandatory item; a vaccination kept overdue). */
  overdueForever: boolean;
  /** Listed whatever the horizon (child examinations: the timeline). */
  exemptFromHorizon?: boolean;
  /** The recorded vaccination that proves it. */
  evidence?: RecordedVaccination;
}

function markOf(ctx: Ctx, code: string): ItemMark | undefined {
  return ctx.marks?.get(code);
}

/**
 * The status of an item from its window, catch-up limit, mark and evidence; undefined when it is left out
 * (a recommended item past its catch-up and not marked, or a future one beyond the horizon).
 */
function decide(ctx: Ctx, mark: ItemMark | undefined, t: Timing): Decision | undefined {
  const evidence = t.evidence;
  if (evidence) return mark ? { status: 'done', doneOn: evidence.date, evidence, mark } : { status: 'done', doneOn: evidence.date, evidence };
  if (mark) {
    if (mark.mark === 'done') return { status: 'done', doneOn: mark.date ?? civilString(ctx.asOf), mark };
    if (mark.mark === 'not-done') return { status: 'not-done', mark };
  }
  const asOf = ctx.asOf;
  if (asOf < t.start) {
    if (!t.exemptFromHorizon && !mark && t.start > ctx.horizonEnd) return undefined;
    return mark ? { status: 'to-plan', mark } : { status: 'to-plan' };
  }
  if (asOf <= t.end) return mark ? { status: 'due', mark } : { status: 'due' };
  if (t.overdueForever || (t.catchUp !== undefined && asOf <= t.catchUp) || mark) return mark ? { status: 'overdue', mark } : { status: 'overdue' };
  return undefined;
}

interface Base {
  code: string;
  type: PreventionType;
  ref: string;
  title: string;
  level: PreventionLevel;
  start: number;
  end: number;
  catchUp?: number;
}

function emit(ctx: Ctx, d: Decision, b: Base, reasons: PreventionReason[], extra?: Partial<PreventionItem>): PreventionItem {
  const item: PreventionItem = {
    code: b.code,
    type: b.type,
    ref: b.ref,
    title: b.title,
    level: b.level,
    window: { start: civilString(b.start), end: civilString(b.end) },
    status: d.status,
    reasons,
  };
  if (b.catchUp !== undefined) {
    item.catchUpUntil = civilString(b.catchUp);
    if (d.status === 'overdue') reasons.push({ code: 'catch-up-until', params: { date: item.catchUpUntil } });
  }
  if (d.doneOn !== undefined) item.doneOn = d.doneOn;
  if (d.mark?.mark === 'planned') item.planned = d.mark.date ? { on: d.mark.date } : {};
  if (d.evidence) {
    item.evidence = 'vaccination';
    item.immunizationId = d.evidence.id;
    reasons.push({ code: 'vaccination-recorded', params: { date: d.evidence.date } });
  }
  if (d.mark) reasons.push({ code: 'marked', params: { mark: d.mark.mark } });
  if (extra) Object.assign(item, extra);
  ctx.out.push(item);
  return item;
}

const calendarReason = (c: CalendarSource): PreventionReason => ({ code: 'calendar', params: { id: c.id, version: c.version } });

const ageWindow = (from: AgeOffset, to?: AgeOffset): PreventionReason => ({
  code: 'age-window',
  params: to ? { from: offsetText(from), to: offsetText(to) } : { from: offsetText(from) },
});

function hasMarkWithPrefix(ctx: Ctx, prefix: string): boolean {
  return ctx.markedPrefixes !== undefined && ctx.markedPrefixes.has(prefix);
}

// ---------------------------------------------------------------- child examinations

/** The child-examination calendar of a birth date: the latest whose appliesToBornFrom is on or before it (else the oldest). */
export function childExamCalendarFor(calendars: ChildExamCalendar[], birthDate: string): ChildExamCalendar | undefined {
  let best: ChildExamCalendar | undefined;
  let oldest: ChildExamCalendar | undefined;
  for (const c of calendars) {
    if (!oldest || c.appliesToBornFrom < oldest.appliesToBornFrom) oldest = c;
    if (c.appliesToBornFrom <= birthDate && (!best || c.appliesToBornFrom > best.appliesToBornFrom)) best = c;
  }
  return best ?? oldest;
}

function childExams(ctx: Ctx, calendars: ChildExamCalendar[]): void {
  if (ctx.asOf >= at(ctx, { years: CHILD_EXAMS_UNTIL_YEARS })) return;
  const cal = childExamCalendarFor(calendars, ctx.birthDate);
  if (!cal) return;
  for (const exam of cal.exams) {
    const start = at(ctx, exam.from);
    const end = at(ctx, exam.until) - 1;
    const d = decide(ctx, markOf(ctx, exam.id), { start, end, overdueForever: true, exemptFromHorizon: true });
    if (!d) continue;
    emit(
      ctx,
      d,
      { code: exam.id, type: 'child-exam', ref: exam.id, title: exam.title, level: 'mandatory', start, end },
      [ageWindow(exam.from, exam.until), calendarReason(cal)],
      exam.certificate ? { certificate: exam.certificate } : undefined,
    );
  }
}

// ---------------------------------------------------------------- vaccinations

/** The level of a schedule for a birth date: mandatory only for those born from `mandatoryForBornFrom`. */
export function scheduleLevel(s: VaccineScheduleDef, birthDate: string): PreventionLevel {
  return s.level === 'mandatory' && s.mandatoryForBornFrom !== undefined && birthDate < s.mandatoryForBornFrom ? 'recommended' : s.level;
}

/** Whether a schedule concerns a person (birth-date range and sex). */
export function scheduleApplies(s: VaccineScheduleDef, birthDate: string, sex: PreventionProfile['sex']): boolean {
  if (s.bornFrom !== undefined && birthDate < s.bornFrom) return false;
  if (s.bornBefore !== undefined && birthDate >= s.bornBefore) return false;
  if (s.sex !== undefined && s.sex !== sex) return false;
  return true;
}

/** The recorded vaccinations matching a schedule given in [from, until), by date, not already used. */
function accepted(ctx: Ctx, s: VaccineScheduleDef, from: number, until: number, used: Set<FoldedVaccination>): FoldedVaccination[] {
  const out: FoldedVaccination[] = [];
  for (const fv of ctx.vaccinations) {
    if (fv.day < from || fv.day >= until || used.has(fv)) continue;
    if (matchesFolded(s, fv.diseases, fv.v.atc)) out.push(fv);
  }
  return out;
}

/** Whether a recorded vaccination counts for a dose: the schedule's match, or the dose's own `alsoMatch`. */
function countsFor(s: VaccineScheduleDef, dose: VaccineDoseDef, fv: FoldedVaccination): boolean {
  return matchesFolded(s, fv.diseases, fv.v.atc) || (dose.alsoMatch !== undefined && matchesAlso(dose.alsoMatch, fv.diseases, fv.v.atc, fv.v.date));
}

/** A dose of a schedule, as vaccinationItem emits it. */
interface DoseItem {
  code: string;
  label: string;
  dose: { number: number; of: number };
  start: number;
  end: number;
  /** The last day of the catch-up (shown on a dose that is not mandatory). */
  catchUp?: number;
  evidence?: FoldedVaccination;
  /** The dose's own reasons (built only when the item is listed). */
  reasons: () => PreventionReason[];
}

/**
 * The level of one dose: the schedule's for the person, but recommended when the obligation came into force
 * (`mandatorySince`) after the dose's window had ended.
 */
function doseLevel(s: VaccineScheduleDef, level: PreventionLevel, end: number): PreventionLevel {
  return level === 'mandatory' && s.mandatorySince !== undefined && end < dayNumber(s.mandatorySince) ? 'recommended' : level;
}

function vaccinationItem(ctx: Ctx, cal: CalendarSource, s: VaccineScheduleDef, scheduleLevelOf: PreventionLevel, x: DoseItem): Decision | undefined {
  const level = doseLevel(s, scheduleLevelOf, x.end);
  const mandatory = level === 'mandatory';
  // a missed mandatory dose stays overdue whatever the limit: the limit is not shown then
  const catchUp = mandatory ? undefined : x.catchUp;
  const d = decide(ctx, markOf(ctx, x.code), {
    start: x.start,
    end: x.end,
    ...(catchUp !== undefined ? { catchUp } : {}),
    overdueForever: mandatory || s.keepOverdue === true,
    ...(x.evidence ? { evidence: x.evidence.v } : {}),
  });
  if (!d) return undefined;
  const rs = x.reasons();
  if (mandatory && s.mandatoryForBornFrom) rs.push({ code: 'mandatory-born-from', params: { date: s.mandatoryForBornFrom } });
  if (!mandatory && scheduleLevelOf === 'mandatory' && s.mandatorySince) rs.push({ code: 'due-before-obligation', params: { date: s.mandatorySince } });
  if (s.sex) rs.push({ code: 'sex', params: { sex: s.sex } });
  if (d.status !== 'done' && d.status !== 'to-plan') rs.push({ code: 'missing-dose', params: { number: x.dose.number, of: x.dose.of } });
  if (d.status === 'overdue' && s.keepOverdue) rs.push({ code: 'catch-up-now' });
  rs.push(calendarReason(cal));
  emit(ctx, d, { code: x.code, type: 'vaccination', ref: s.id, title: s.title, level, start: x.start, end: x.end, ...(catchUp !== undefined ? { catchUp } : {}) }, rs, {
    dose: x.dose,
    doseLabel: x.label,
    diseases: s.diseases,
  });
  return d;
}

function schedule(ctx: Ctx, cal: CalendarSource, s: VaccineScheduleDef): void {
  const level = scheduleLevel(s, ctx.birthDate);
  const catchUp = s.catchUpUntil ? at(ctx, s.catchUpUntil) - 1 : undefined;
  const repeatCount = s.repeat ? repeatAges(s.repeat).length : 0;
  const total = s.doses.length + repeatCount;
  // quick skip: a recommended schedule whose every window and catch-up are over, with nothing recorded or marked
  if (level === 'recommended' && !s.repeat && !s.keepOverdue && ctx.vaccinations.length === 0 && !hasMarkWithPrefix(ctx, `vac:${s.id}`)) {
    const last = s.doses[s.doses.length - 1];
    const lastEnd = catchUp ?? (last?.until ? at(ctx, last.until) - 1 : undefined);
    if (lastEnd !== undefined && lastEnd < ctx.asOf && !s.doses.some((x) => x.afterPrevious)) return;
  }
  const firstFrom = s.doses[0]?.from;
  const acceptYearsBefore = s.repeat?.acceptYearsBefore ?? 0;
  const acceptFrom = s.acceptFrom ? at(ctx, s.acceptFrom) : firstFrom ? at(ctx, firstFrom) : ctx.birth;
  const acceptUntil = s.acceptUntil
    ? at(ctx, s.acceptUntil)
    : s.catchUpUntil
      ? at(ctx, s.catchUpUntil)
      : s.repeat
        ? at(ctx, { years: (s.repeat.fromAge.years ?? 0) - acceptYearsBefore })
        : Number.POSITIVE_INFINITY;
  const used = new Set<FoldedVaccination>();
  // the recorded vaccinations given at an accepted age, by date: each dose takes the first that counts for it
  const candidates = ctx.vaccinations.length ? ctx.vaccinations.filter((fv) => fv.day >= acceptFrom && fv.day < acceptUntil) : [];
  let prevStart = 0;
  let prevEnd = 0;
  let prevDone: string | undefined;
  const catchUpFrom = s.catchUpDoses ? at(ctx, s.catchUpDoses.fromAge) : undefined;
  // the catch-up with another number of doses concerns those who had no dose before its age
  const startedBeforeCatchUp = catchUpFrom !== undefined && candidates.some((fv) => fv.day < catchUpFrom && matchesFolded(s, fv.diseases, fv.v.atc));
  for (let i = 0; i < s.doses.length; i++) {
    const dose = s.doses[i];
    const number = i + 1;
    const code = `vac:${s.id}:${number}`;
    if (dose.skipIfNoneBefore && !markOf(ctx, code)) {
      const limit = at(ctx, dose.skipIfNoneBefore);
      if (ctx.asOf >= limit && !candidates.some((fv) => fv.day < limit && !used.has(fv) && countsFor(s, dose, fv))) continue;
    }
    let start: number;
    let end: number;
    const afterDone = dose.afterPrevious && prevDone !== undefined ? prevDone : undefined;
    if (dose.afterPrevious) {
      if (afterDone !== undefined) {
        const base = dayNumber(afterDone);
        start = plusFrom(base, { months: dose.afterPrevious.minMonths });
        end = plusFrom(base, { months: dose.afterPrevious.maxMonths });
      } else {
        start = plusFrom(prevStart, { months: dose.afterPrevious.minMonths });
        end = plusFrom(prevEnd, { months: dose.afterPrevious.maxMonths });
      }
    } else {
      start = at(ctx, dose.from ?? {});
      end = at(ctx, dose.until ?? { years: 1000 }) - 1;
    }
    const proof = candidates.find((fv) => !used.has(fv) && countsFor(s, dose, fv));
    if (proof) used.add(proof);
    const d = vaccinationItem(ctx, cal, s, level, {
      code,
      label: dose.label,
      dose: { number, of: total },
      start,
      end,
      ...(catchUp !== undefined ? { catchUp } : {}),
      ...(proof ? { evidence: proof } : {}),
      reasons: () => {
        const rs: PreventionReason[] = [];
        if (dose.afterPrevious) {
          rs.push({ code: 'after-previous-dose', params: { minMonths: dose.afterPrevious.minMonths, maxMonths: dose.afterPrevious.maxMonths } });
          if (afterDone !== undefined) rs.push({ code: 'after-last-done', params: { date: afterDone } });
        } else if (dose.from) rs.push(ageWindow(dose.from, dose.until));
        if (s.catchUpDoses && catchUpFrom !== undefined && ctx.asOf >= catchUpFrom && !proof && !startedBeforeCatchUp) {
          rs.push({ code: 'catch-up-doses', params: { doses: s.catchUpDoses.doses, from: offsetText(s.catchUpDoses.fromAge) } });
        }
        return rs;
      },
    });
    prevStart = start;
    prevEnd = end;
    prevDone = proof ? proof.v.date : d?.status === 'done' ? d.doneOn : undefined;
  }
  if (s.repeat) {
    const ages = repeatAges(s.repeat);
    for (let k = 0; k < ages.length; k++) {
      const age = ages[k];
      const start = at(ctx, { years: age });
      if (start > ctx.horizonEnd && !ctx.marks) break;
      // accepted from `acceptYearsBefore` before its age until the next booster's acceptance begins
      const from = at(ctx, { years: age - acceptYearsBefore });
      const next = at(ctx, { years: age + s.repeat.everyYears - acceptYearsBefore });
      const end = at(ctx, { years: age + 1 }) - 1;
      const proof = ctx.vaccinations.length ? accepted(ctx, s, from, next, used)[0] : undefined;
      if (proof) used.add(proof);
      const label = (s.repeat.label ?? 'rappel à {age} ans').replace('{age}', String(age));
      vaccinationItem(ctx, cal, s, level, {
        code: `vac:${s.id}:r${age}`,
        label,
        dose: { number: s.doses.length + k + 1, of: total },
        start,
        end,
        catchUp: next - 1,
        ...(proof ? { evidence: proof } : {}),
        reasons: () => [ageWindow({ years: age }, { years: age + 1 }), { code: 'every-years', params: { years: s.repeat!.everyYears } }],
      });
    }
  }
}

const repeatAgesCache = new WeakMap<object, number[]>();

function repeatAges(r: NonNullable<VaccineScheduleDef['repeat']>): number[] {
  let ages = repeatAgesCache.get(r);
  if (!ages) {
    ages = [];
    const from = r.fromAge.years ?? 0;
    const until = r.untilAge.years ?? 0;
    for (let a = from; a < until; a += r.everyYears) ages.push(a);
    repeatAgesCache.set(r, ages);
  }
  return ages;
}

function parseMonthDay(s: string): [number, number] {
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), (s.charCodeAt(3) - 48) * 10 + (s.charCodeAt(4) - 48)];
}

/** The seasonal campaign's window of the season starting in year y, as day numbers. */
function seasonWindow(seasonal: NonNullable<VaccineScheduleDef['seasonal']>, y: number): [number, number] {
  const [sm, sd] = parseMonthDay(seasonal.start);
  const [em, ed] = parseMonthDay(seasonal.end);
  const endYear = em < sm || (em === sm && ed < sd) ? y + 1 : y;
  return [daysFromCivil(y, sm, sd), daysFromCivil(endYear, em, ed)];
}

/**
 * A seasonal vaccination: the current season's campaign (when asOf is in it) or else the next one, from the
 * season in which the person reaches `fromAge`. A recorded vaccination from 1 September of the season's year to
 * 31 August of the next counts for it. No overdue: the season's item goes when the campaign ends.
 */
function seasonal(ctx: Ctx, cal: CalendarSource, s: VaccineScheduleDef): void {
  const sz = s.seasonal!;
  const eligible = at(ctx, sz.fromAge);
  if (eligible > ctx.horizonEnd && !ctx.marks) return;
  const [ay] = civilFromDays(ctx.asOf);
  let y = ay;
  let [start, end] = seasonWindow(sz, y);
  if (ctx.asOf < start) {
    const [ps, pe] = seasonWindow(sz, y - 1);
    if (ctx.asOf <= pe) {
      y -= 1;
      start = ps;
      end = pe;
    }
  }
  while (end < eligible) {
    y += 1;
    [start, end] = seasonWindow(sz, y);
  }
  if (start < eligible) start = eligible;
  const level = scheduleLevel(s, ctx.birthDate);
  let proof: FoldedVaccination | undefined;
  if (ctx.vaccinations.length) {
    proof = accepted(ctx, s, Math.max(daysFromCivil(y, 9, 1), eligible), daysFromCivil(y + 1, 9, 1), new Set())[0];
  }
  const season = `${y}-${y + 1}`;
  const label = (sz.label ?? 'campagne {season}').replace('{season}', season);
  vaccinationItem(ctx, cal, s, level, {
    code: `vac:${s.id}:${y}`,
    label,
    dose: { number: 1, of: 1 },
    start,
    end,
    ...(proof ? { evidence: proof } : {}),
    reasons: () => [ageWindow(sz.fromAge), { code: 'every-years', params: { years: 1 } }],
  });
}

function vaccinationItems(ctx: Ctx, calendars: Calendars): void {
  const cal = calendars.vaccination;
  for (const s of cal.schedules) {
    if (!scheduleApplies(s, ctx.birthDate, ctx.sex)) continue;
    if (s.seasonal) seasonal(ctx, cal, s);
    else schedule(ctx, cal, s);
  }
}

// ---------------------------------------------------------------- organised screenings

const longestGap = new WeakMap<ScreeningProgramDef, number>();

function longestGapYears(p: ScreeningProgramDef): number {
  let years = longestGap.get(p);
  if (years === undefined) {
    years = Math.max(...p.rules.flatMap((r) => [...r.intervalsYears, r.afterPreviousRuleYears ?? 0])) + 1;
    longestGap.set(p, years);
  }
  return years;
}

function screeningProgram(ctx: Ctx, cal: CalendarSource, p: ScreeningProgramDef): void {
  if (p.sex !== undefined && p.sex !== ctx.sex) return;
  if (p.rules.length === 0) return;
  const programLimit = at(ctx, { years: p.ageYears.max + 1 });
  const marked = hasMarkWithPrefix(ctx, `screen:${p.id}`);
  const firstStart = at(ctx, { years: Math.max(p.ageYears.min, p.rules[0].ageYears.min) });
  // nothing to list once the last possible round's window is over (the longest gap after the age limit)
  if (!marked && (firstStart > ctx.horizonEnd || programLimit + 366 * longestGapYears(p) < ctx.asOf)) return;
  const ruleLimits = p.rules.map((r) => at(ctx, { years: r.ageYears.max + 1 }));
  const ruleMins = p.rules.map((r) => at(ctx, { years: r.ageYears.min }));
  let ri = 0;
  let k = 0;
  let lastDoneInRule: number | undefined;
  let s = firstStart;
  const years = (day: number, n: number) => plusFrom(day, { years: n });
  /** The next round's start after a round started (or done) at `base`, and whether it moves to the next rule. */
  const nextStart = (base: number, roundStart: number, lastDone: number | undefined): { n: number; switched: boolean; gap: number } => {
    const gaps = p.rules[ri].intervalsYears;
    const gap = gaps[Math.min(k + 1, gaps.length) - 1];
    let n = years(base, gap);
    if (n <= roundStart) n = roundStart + 1;
    if (n >= ruleLimits[ri] && ri + 1 < p.rules.length) {
      const next = p.rules[ri + 1];
      const min = ruleMins[ri + 1];
      let m = lastDone !== undefined && next.afterPreviousRuleYears !== undefined ? years(lastDone, next.afterPreviousRuleYears) : min;
      if (m < min) m = min;
      if (m <= roundStart) m = roundStart + 1;
      return { n: m, switched: true, gap };
    }
    return { n, switched: false, gap };
  };
  let afterDone: number | undefined;
  while (s < programLimit) {
    const rule = p.rules[ri];
    const code = marked ? `screen:${p.id}:${civilString(s)}` : undefined;
    const mark = code !== undefined ? ctx.marks!.get(code) : undefined;
    const doneOn = mark?.mark === 'done' ? (mark.date ? dayNumber(mark.date) : ctx.asOf) : undefined;
    const nominal = nextStart(s, s, lastDoneInRule);
    const actual = doneOn !== undefined ? nextStart(doneOn, s, doneOn) : nominal;
    const end = nominal.n - 1;
    // a past round neither done nor marked is left out: skip it without building anything
    if (mark !== undefined || end >= ctx.asOf) {
      const d = decide(ctx, mark, { start: s, end, overdueForever: false });
      if (d) {
        const rs: PreventionReason[] = [ageWindow({ years: rule.ageYears.min }, { years: rule.ageYears.max + 1 })];
        if (p.sex) rs.push({ code: 'sex', params: { sex: p.sex } });
        rs.push({ code: 'every-years', params: { years: nominal.gap } });
        if (afterDone !== undefined) rs.push({ code: 'after-last-done', params: { date: civilString(afterDone) } });
        rs.push(calendarReason(cal));
        const itemCode = code ?? `screen:${p.id}:${civilString(s)}`;
        emit(ctx, d, { code: itemCode, type: 'screening', ref: p.id, title: `${p.title} (${rule.test})`, level: 'recommended', start: s, end }, rs);
      }
    }
    if (s > ctx.asOf) break;
    afterDone = doneOn;
    if (doneOn !== undefined) lastDoneInRule = doneOn;
    if (actual.switched) {
      ri += 1;
      k = 0;
      lastDoneInRule = undefined;
    } else k += 1;
    s = actual.n;
  }
}

function screenings(ctx: Ctx, calendars: Calendars): void {
  for (const p of calendars.screening.programs) screeningProgram(ctx, calendars.screening, p);
}

// ---------------------------------------------------------------- M'T dents, key-age check-ups

/** The dental calendar in force on a date: the latest whose appliesFrom is on or before it (else the oldest). */
export function dentalCalendarFor(calendars: DentalCalendar[], date: string): DentalCalendar | undefined {
  let best: DentalCalendar | undefined;
  let oldest: DentalCalendar | undefined;
  for (const c of calendars) {
    if (!oldest || c.appliesFrom < oldest.appliesFrom) oldest = c;
    if (c.appliesFrom <= date && (!best || c.appliesFrom > best.appliesFrom)) best = c;
  }
  return best ?? oldest;
}

const dentalAgesCache = new WeakMap<DentalCalendar[], number[]>();

function dental(ctx: Ctx, calendars: DentalCalendar[]): void {
  let ages = dentalAgesCache.get(calendars);
  if (!ages) {
    ages = [...new Set(calendars.flatMap((c) => c.ages))].sort((a, b) => a - b);
    dentalAgesCache.set(calendars, ages);
  }
  if (ages.length === 0) return;
  const marked = hasMarkWithPrefix(ctx, 'dental');
  if (!marked && at(ctx, { years: ages[ages.length - 1] + 1 }) <= ctx.asOf) return;
  for (const age of ages) {
    const start = at(ctx, { years: age });
    if (!marked && start > ctx.horizonEnd) break;
    const startText = civilString(start);
    const cal = dentalCalendarFor(calendars, startText);
    if (!cal || !cal.ages.includes(age)) continue;
    const end = at(ctx, { years: age + 1 }) - 1;
    const code = `dental:${age}`;
    const d = decide(ctx, markOf(ctx, code), { start, end, overdueForever: false });
    if (!d) continue;
    emit(ctx, d, { code, type: 'dental', ref: cal.item.id, title: cal.item.title.replace('{age}', String(age)), level: 'recommended', start, end }, [
      ageWindow({ years: age }, { years: age + 1 }),
      calendarReason(cal),
    ]);
  }
}

function keyAge(ctx: Ctx, calendars: Calendars): void {
  const cal = calendars.keyAge;
  for (const c of cal.checkups) {
    const start = at(ctx, { years: c.ageYears.min });
    const end = at(ctx, { years: c.ageYears.max + 1 }) - 1;
    const code = `checkup:${c.id}`;
    const d = decide(ctx, markOf(ctx, code), { start, end, overdueForever: false });
    if (!d) continue;
    emit(ctx, d, { code, type: 'key-age-checkup', ref: c.id, title: c.title, level: 'recommended', start, end }, [ageWindow({ years: c.ageYears.min }, { years: c.ageYears.max + 1 }), calendarReason(cal)], {
      questionnaire: c.questionnaire,
    });
  }
}

// ---------------------------------------------------------------- entry point

function markPrefix(code: string): string {
  const i = code.indexOf(':');
  if (i < 0) return code;
  const j = code.indexOf(':', i + 1);
  return j < 0 ? code.slice(0, i) : code.slice(0, j);
}

/**
 * The prevention items of a profile on a date (docs/prevention.md): sorted by window start, then code.
 */
export function computePrevention(profile: PreventionProfile, calendars: Calendars, asOf: string, opts?: ComputeOptions): PreventionItem[] {
  const [by, bm, bd] = parseCivil(profile.birthDate);
  const asOfDay = dayNumber(asOf);
  const [ay, am, ad] = parseCivil(asOf);
  let marks: Map<string, ItemMark> | undefined;
  let markedPrefixes: Set<string> | undefined;
  if (profile.marks.length > 0) {
    marks = new Map();
    markedPrefixes = new Set();
    for (const m of profile.marks) {
      marks.set(m.code, m);
      markedPrefixes.add(markPrefix(m.code));
    }
  }
  const vaccinations: FoldedVaccination[] = [];
  for (const v of profile.vaccinations) vaccinations.push({ v, day: dayNumber(v.date), diseases: new Set(v.diseases.map(foldDisease)) });
  vaccinations.sort((a, b) => a.day - b.day || (a.v.id < b.v.id ? -1 : a.v.id > b.v.id ? 1 : 0));
  const ctx: Ctx = {
    birthDate: profile.birthDate,
    by,
    bm,
    bd,
    birth: daysFromCivil(by, bm, bd),
    asOf: asOfDay,
    horizonEnd: addOffsetDays(ay, am, ad, { months: opts?.horizonMonths ?? DEFAULT_HORIZON_MONTHS }),
    sex: profile.sex,
    marks,
    markedPrefixes,
    vaccinations,
    out: [],
  };
  childExams(ctx, calendars.childExams);
  vaccinationItems(ctx, calendars);
  screenings(ctx, calendars);
  dental(ctx, calendars.dental);
  keyAge(ctx, calendars);
  const out = ctx.out;
  out.sort((a, b) => (a.window.start < b.window.start ? -1 : a.window.start > b.window.start ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}
