import { AppError, type Issue } from '../../errors.js';
import type { RuleProblem } from '../profile/rules.js';
import { LOINC, UCUM } from '../profile/systems.js';
import { isMeasureCode, MEASURES, measureOfLoinc, round, toDefaultUnit, unitByText, unitByUcum, type ComponentDef, type MeasureDef, type UnitDef } from './catalogue.js';

type Json = Record<string, unknown>;

/**
 * The rules of a measure, the same on every path (docs/measures.md): the unit must be one the catalogue
 * accepts for the measure, the value (converted to the default unit) must lie in the measure's plausible
 * range, and the date must not be in the future. Pure.
 */

/** How far ahead of the clock an instant may be (clocks of phones and scales drift). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/**
 * A date without a time ("2026-11-23", "2026-11", "2026") is read as starting at midnight UTC; it is in the
 * future only when it starts after the same moment in the most advanced time zone (UTC+14), so that a person
 * recording "today" just after midnight in France (still yesterday in UTC) is not refused.
 */
const DATE_ONLY_TOLERANCE_MS = 14 * 3_600_000;

const DATE_ONLY = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** When a FHIR date or dateTime starts (ms since the epoch), or undefined when it is not one. */
export function dateStart(value: string): number | undefined {
  if (DATE_ONLY.test(value)) {
    const [y, m = '01', d = '01'] = value.split('-');
    const t = Date.UTC(Number(y), Number(m) - 1, Number(d));
    const back = new Date(t);
    if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(m) - 1 || back.getUTCDate() !== Number(d)) return undefined;
    return t;
  }
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  // Date.parse takes 2025-02-30T10:00Z for the 2nd of March: the day must exist in its month
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Whether a FHIR date or dateTime lies in the future of `now` (beyond the tolerances above). */
export function isFuture(value: string, now: Date): boolean {
  const start = dateStart(value);
  if (start === undefined) return false;
  const tolerance = DATE_ONLY.test(value) ? DATE_ONLY_TOLERANCE_MS : FUTURE_TOLERANCE_MS;
  return start > now.getTime() + tolerance;
}

/** The unit of a Quantity: by its UCUM code when it has one, by its text otherwise. */
export function quantityUnit(def: MeasureDef, q: Json): { unit: UnitDef | undefined; by: 'code' | 'unit' | 'none' } {
  const system = q.system;
  if (typeof q.code === 'string' && q.code !== '' && (system === undefined || system === UCUM)) return { unit: unitByUcum(def, q.code), by: 'code' };
  if (typeof q.unit === 'string' && q.unit.trim() !== '') return { unit: unitByText(def, q.unit), by: 'unit' };
  return { unit: undefined, by: 'none' };
}

const fmt = (v: number) => String(round(v, 3));

function rangeMessage(label: string, value: number, u: UnitDef, def: MeasureDef, range: { min: number; max: number }): string {
  const base = def.units[0]!;
  const shown = u === base ? `${fmt(value)} ${base.display}` : `${fmt(value)} ${u.display} (${fmt(u.toDefault(value))} ${base.display})`;
  return `${label}: ${shown} is not plausible (from ${range.min} to ${range.max} ${base.display})`;
}

function unitMessage(def: MeasureDef, given: string | undefined): string {
  const accepted = def.units.map((u) => u.ucum).join(', ');
  return given ? `${given} is not a unit of ${def.label.toLowerCase()} (accepted: ${accepted})` : `The unit of ${def.label.toLowerCase()} is missing (accepted: ${accepted})`;
}

/** The value's problem, in its measure's plausible range (after conversion to the default unit). */
function outOfRange(value: number, u: UnitDef, range: { min: number; max: number }): boolean {
  const v = u.toDefault(value);
  // compared with a little slack for conversions (150 lb is 68.04 kg, whatever the last digit)
  const slack = 1e-9 * Math.max(1, Math.abs(v));
  return !Number.isFinite(v) || v < range.min - slack || v > range.max + slack;
}

/** The component definition (systolic, diastolic) a component's code names, if any. */
function componentOf(def: MeasureDef, component: Json): ComponentDef | undefined {
  const codings = (((component.code as Json | undefined)?.coding ?? []) as Json[]).filter((c) => c.system === LOINC);
  return def.components?.find((d) => codings.some((c) => c.code === d.loinc));
}

/** The measure an Observation records: a LOINC coding of the catalogue, if it has one. */
export function measureOfObservation(resource: Json): MeasureDef | undefined {
  const codings = ((resource.code as Json | undefined)?.coding ?? []) as Json[];
  for (const c of codings) {
    if (c.system !== LOINC || typeof c.code !== 'string') continue;
    const def = measureOfLoinc(c.code);
    if (def) return def;
  }
  return undefined;
}

/**
 * The problems of an Observation that is a measure (a LOINC code of the measure catalogue): unknown unit,
 * implausible value, date in the future. Other Observations pass. Called by the repository on every create and
 * update (src/domain/profile/rules.ts), whoever writes: the web app's API, a connected app through /fhir, an
 * import.
 */
export function measureProblems(resource: Json, now: Date): RuleProblem[] {
  if (resource.resourceType !== 'Observation') return [];
  const def = measureOfObservation(resource);
  if (!def) return [];
  const problems: RuleProblem[] = [];
  for (const key of ['effectiveDateTime', 'effectiveInstant'] as const) {
    const when = resource[key];
    if (typeof when === 'string' && dateStart(when) === undefined) {
      problems.push({ expression: `Observation.${key}`, message: `The date of the measure (${when}) does not exist`, code: 'measures.date-invalid' });
    } else if (typeof when === 'string' && isFuture(when, now)) {
      problems.push({ expression: `Observation.${key}`, message: `The date of the measure (${when}) is in the future`, code: 'measures.future' });
    }
  }
  const q = resource.valueQuantity as Json | undefined;
  if (q && typeof q === 'object') problems.push(...quantityProblems(def, q, 'Observation.valueQuantity', def.label, def));
  const components = Array.isArray(resource.component) ? (resource.component as Json[]) : [];
  const values: Partial<Record<'systolic' | 'diastolic', number>> = {};
  components.forEach((component, i) => {
    const c = component && typeof component === 'object' ? componentOf(def, component) : undefined;
    const cq = c ? (component.valueQuantity as Json | undefined) : undefined;
    if (!c || !cq || typeof cq !== 'object') return;
    const path = `Observation.component[${i}].valueQuantity`;
    const found = quantityProblems(def, cq, path, `${def.label} (${c.label.toLowerCase()})`, c);
    problems.push(...found);
    const u = quantityUnit(def, cq).unit;
    if (found.length === 0 && u && typeof cq.value === 'number') values[c.key] = u.toDefault(cq.value);
  });
  if (values.systolic !== undefined && values.diastolic !== undefined && values.diastolic >= values.systolic) {
    const i = components.findIndex((c) => componentOf(def, c)?.key === 'diastolic');
    problems.push({ expression: `Observation.component[${i}].valueQuantity.value`, message: `The diastolic pressure (${fmt(values.diastolic)}) must be lower than the systolic (${fmt(values.systolic)})`, code: 'measures.implausible' });
  }
  return problems;
}

function quantityProblems(def: MeasureDef, q: Json, path: string, label: string, range: { min: number; max: number }): RuleProblem[] {
  const { unit, by } = quantityUnit(def, q);
  const hasValue = typeof q.value === 'number';
  if (!unit) {
    // a quantity without a value nor a unit says nothing to check (a data-absent reason...)
    if (!hasValue && by === 'none') return [];
    const given = by === 'code' ? (q.code as string) : by === 'unit' ? (q.unit as string) : undefined;
    return [{ expression: `${path}.${by === 'code' ? 'code' : 'unit'}`, message: unitMessage(def, given), code: 'measures.unit' }];
  }
  if (hasValue && outOfRange(q.value as number, unit, range)) {
    return [{ expression: `${path}.value`, message: rangeMessage(label, q.value as number, unit, def, range), code: 'measures.implausible' }];
  }
  return [];
}

// ---- the application API's input --------------------------------------------------------------------------

/** A measure as the API received it, checked: the values in the measure's default unit. */
export interface CheckedMeasure {
  def: MeasureDef;
  /** The unit the patient gave. */
  given: UnitDef;
  value?: number;
  systolic?: number;
  diastolic?: number;
  /** YYYY-MM-DD, or an instant as given. */
  date: string;
}

interface FieldProblem {
  field: string;
  code: string;
  message: string;
  status: 400 | 422;
}

function fail(found: FieldProblem[]): never {
  // the message names its field first ("value: 900 kg is not plausible..."), as problem+json's title shows
  const problems = found.map((p) => (p.message.startsWith(p.field) ? p : { ...p, message: `${p.field}: ${p.message}` }));
  const [first, ...rest] = problems;
  const issue = (p: FieldProblem): Issue => ({ severity: 'error', code: p.status === 400 ? 'invalid' : 'business-rule', diagnostics: p.message, expression: [p.field] });
  throw new AppError(first!.status, first!.status === 400 ? 'invalid' : 'business-rule', first!.message, [first!.field], rest.map(issue)).withCode(first!.code);
}

/** Whether an API date is a real date (YYYY-MM-DD) or an ISO instant with its zone. */
export function isApiDate(v: unknown): v is string {
  return typeof v === 'string' && (/^\d{4}-\d{2}-\d{2}$/.test(v) || DATE_TIME.test(v)) && dateStart(v) !== undefined;
}

/**
 * Checks a measure sent to POST /api/profile/measures (MeasureInput): every error names its field (code,
 * value, systolic, diastolic, unit, date). Throws, or returns the measure in its default unit.
 */
export function checkMeasureInput(body: Json, now: Date): CheckedMeasure {
  const code = body.code;
  if (code === undefined || code === null || code === '') fail([{ field: 'code', code: 'request.invalid', message: 'code is required (a measure of the catalogue)', status: 400 }]);
  if (!isMeasureCode(code)) fail([{ field: 'code', code: 'measures.code', message: `${String(code)} is not a measure of the catalogue`, status: 422 }]);
  const def = MEASURES[code];
  if (def.computed) fail([{ field: 'code', code: 'measures.computed', message: `${def.label} is computed by Carnet from the weight and the height: it is not entered`, status: 422 }]);
  const problems: FieldProblem[] = [];
  const date = body.date;
  if (!isApiDate(date)) problems.push({ field: 'date', code: 'request.invalid', message: 'date is a day (YYYY-MM-DD) or an instant with its time zone', status: 400 });
  else if (isFuture(date, now)) problems.push({ field: 'date', code: 'measures.future', message: `The date of the measure (${date}) is in the future`, status: 422 });
  let given: UnitDef | undefined;
  if (typeof body.unit !== 'string' || body.unit.trim() === '') problems.push({ field: 'unit', code: 'measures.unit', message: unitMessage(def, undefined), status: 422 });
  else {
    given = unitByUcum(def, body.unit) ?? unitByText(def, body.unit);
    if (!given) problems.push({ field: 'unit', code: 'measures.unit', message: unitMessage(def, body.unit), status: 422 });
  }
  const numbers = (def.components ?? [{ key: 'value' as const, label: def.label, min: def.min, max: def.max }]).map((c) => {
    const v = body[c.key];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push({ field: c.key, code: 'request.invalid', message: `${c.key} is required: a number`, status: 400 });
      return undefined;
    }
    if (given && outOfRange(v, given, c)) problems.push({ field: c.key, code: 'measures.implausible', message: rangeMessage(c.label, v, given, def, c), status: 422 });
    return given ? toDefaultUnit(def, given, v) : undefined;
  });
  if (def.components && numbers[0] !== undefined && numbers[1] !== undefined && numbers[1] >= numbers[0] && problems.length === 0) {
    problems.push({ field: 'diastolic', code: 'measures.implausible', message: `The diastolic pressure must be lower than the systolic`, status: 422 });
  }
  if (problems.length > 0) {
    // type errors first (400), then the rules (422)
    fail([...problems.filter((p) => p.status === 400), ...problems.filter((p) => p.status === 422)]);
  }
  const out: CheckedMeasure = { def, given: given!, date: date as string };
  if (def.components) {
    out.systolic = numbers[0]!;
    out.diastolic = numbers[1]!;
  } else out.value = numbers[0]!;
  return out;
}
