import { isOfAge } from '../../domain/ins/age.js';
import { BMI_PAIRING_WINDOW, pairFor } from '../../domain/measures/bmi.js';
import { catalogue, isMeasureCode, loincCodesOf, MEASURES } from '../../domain/measures/catalogue.js';
import { LOINC } from '../../domain/profile/systems.js';
import { CHILD_MAX_MONTHS, defaultReference, growthChart } from '../../domain/measures/growth/chart.js';
import { ageInMonths } from '../../domain/measures/growth/lms.js';
import {
  GROWTH_MEASURES,
  MEASURE_CODES,
  type Dashboard,
  type GrowthChart,
  type GrowthMeasure,
  type Measure,
  type MeasureCode,
  type MeasureDefinition,
  type MeasureSeries,
  type MeasureTarget,
} from '../../domain/measures/types.js';
import { checkMeasureInput, dateStart, measureOfObservation } from '../../domain/measures/validate.js';
import { AppError, badRequest, notFound } from '../../errors.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations, RequestContext } from '../../repo/index.js';
import { searchAll } from '../fhir/search-all.js';
import type { ProfileDeps } from '../profile/deps.js';
import { bmiObservation, goalResource, isComputed, measureObservation, measureTime, measureView, targetCodeOf, targetView, TARGETS_CATEGORY, type PatientAuthor } from './fhir.js';
import { growthReferences } from './references.js';

type Json = Record<string, unknown>;
type Deps = Pick<ProfileDeps, 'repo' | 'db' | 'fhirBase' | 'clock'>;

/**
 * The patient's measures (issue 8, docs/measures.md): recording (with the BMI), series, targets, the dashboard
 * and children's growth charts. Every FHIR read and write goes through the repository, as the acting person.
 */

export const DEFAULT_DASHBOARD: readonly MeasureCode[] = ['WEIGHT', 'BLOOD_PRESSURE', 'GLUCOSE', 'HEART_RATE'];

export function measureCatalogue(): { measures: MeasureDefinition[] } {
  return { measures: catalogue() };
}

const codeParam = (codes: MeasureCode[]) => codes.flatMap(loincCodesOf).map((c) => `${LOINC}|${c}`).join(',');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The measures of these codes in a record (values in the default unit), oldest first. */
async function measuresOf(deps: Deps, ops: FhirOperations, patientId: string, codes: MeasureCode[], range: { from?: string; to?: string } = {}): Promise<(Measure & { resource: Json })[]> {
  const params: [string, string][] = [
    ['patient', patientId],
    ['code', codeParam(codes)],
  ];
  if (range.from) params.push(['date', `ge${range.from}`]);
  if (range.to) params.push(['date', `le${range.to}`]);
  const found = await searchAll(ops, deps.fhirBase, 'Observation', params);
  const out: (Measure & { resource: Json; at: number })[] = [];
  for (const f of found) {
    const view = measureView(f.id, f.resource);
    if (view && codes.includes(view.code)) out.push({ ...view, resource: f.resource, at: dateStart(view.date) ?? 0 });
  }
  out.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  return out.map(({ at: _at, ...m }) => m);
}

const strip = ({ resource: _r, ...m }: Measure & { resource: Json }): Measure => m;

/** The patient's Patient resource: birth date and sex. */
async function patientOf(ops: FhirOperations, patientId: string): Promise<{ birthDate?: string; gender?: string }> {
  const p = JSON.parse((await ops.read('Patient', patientId)).content!) as Json;
  return { ...(typeof p.birthDate === 'string' ? { birthDate: p.birthDate } : {}), ...(typeof p.gender === 'string' ? { gender: p.gender } : {}) };
}

// ---- recording --------------------------------------------------------------------------------------------

/**
 * Records a measure entered on the patient side (POST /api/profile/measures). A weight or a height also records
 * the BMI when the other is known: for an adult the closest within a year, for a child the closest within a
 * month (the same day first). One unit of work: the measure and its BMI are stored together or not at all.
 */
export async function recordMeasure(deps: Deps, ctx: RequestContext, author: PatientAuthor, body: Json): Promise<Measure> {
  const checked = checkMeasureInput(body, deps.clock.now());
  return deps.repo.run(ctx, async (ops) => {
    const written = await ops.create(measureObservation(checked, author));
    const resource = JSON.parse(written.version.content!) as Json;
    if (checked.def.code === 'WEIGHT' || checked.def.code === 'HEIGHT') await recordBmi(deps, ops, author.patientId, written.version.id, resource);
    return measureView(written.version.id, resource)!;
  });
}

/** Computes and records (or replaces) the BMI of the day of this weight or height, if the other is known. */
async function recordBmi(deps: Deps, ops: FhirOperations, patientId: string, id: string, resource: Json): Promise<void> {
  const def = measureOfObservation(resource)!;
  const at = measureTime(resource)!;
  const { birthDate } = await patientOf(ops, patientId);
  const adult = !birthDate || isOfAge(birthDate, new Date(at));
  const window = adult ? BMI_PAIRING_WINDOW.adult : BMI_PAIRING_WINDOW.child;
  const otherCode: MeasureCode = def.code === 'WEIGHT' ? 'HEIGHT' : 'WEIGHT';
  const others = (await measuresOf(deps, ops, patientId, [otherCode], { from: day(at - window - 86_400_000), to: day(at + window + 86_400_000) }))
    .filter((m) => m.value !== undefined)
    .map((m) => ({ ...m, at: dateStart(m.date)! }));
  const other = pairFor(at, others, window);
  if (!other) return;
  const self = measureView(id, resource)!;
  const weight = def.code === 'WEIGHT' ? { id, kg: self.value! } : { id: other.id, kg: other.value! };
  const height = def.code === 'HEIGHT' ? { id, cm: self.value! } : { id: other.id, cm: other.value! };
  const bmi = bmiObservation(patientId, self.date, weight, height);
  if (!bmi) return;
  // one computed BMI per day: the one of this day is replaced
  const today = (await measuresOf(deps, ops, patientId, ['BODY_MASS_INDEX'], { from: day(at), to: day(at) })).find((m) => isComputed(m.resource) && day(dateStart(m.date)!) === day(at));
  if (today) await ops.update({ ...bmi, id: today.id });
  else await ops.create(bmi);
}

// ---- series and deletion ----------------------------------------------------------------------------------

function codeOf(v: unknown): MeasureCode {
  if (v === undefined || v === '') throw badRequest('code is required (a measure of the catalogue)', ['code']).withCode('request.invalid');
  if (!isMeasureCode(v)) throw new AppError(422, 'business-rule', `code: ${String(v)} is not a measure of the catalogue`, ['code']).withCode('measures.code');
  return v;
}

function dayParam(v: unknown, name: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || dateStart(v) === undefined) throw badRequest(`${name} is a day, YYYY-MM-DD`, [name]).withCode('request.invalid');
  return v;
}

/** GET /api/profile/measures?code=&from=&to= */
export async function measureSeries(deps: Deps, ctx: RequestContext, patientId: string, query: Json): Promise<MeasureSeries> {
  const code = codeOf(query.code);
  const from = dayParam(query.from, 'from');
  const to = dayParam(query.to, 'to');
  return deps.repo.run(
    ctx,
    async (ops) => {
      const measures = (await measuresOf(deps, ops, patientId, [code], { ...(from ? { from } : {}), ...(to ? { to } : {}) })).map(strip);
      const targets = await targetsOf(deps, ops, patientId);
      return { code, measures, target: targets.get(code)?.target ?? null };
    },
    { readOnly: true },
  );
}

/** DELETE /api/profile/measures/:id: the measure, and the BMIs Carnet computed from it. */
export async function deleteMeasure(deps: Deps, ctx: RequestContext, patientId: string, id: string): Promise<void> {
  await deps.repo.run(ctx, async (ops) => {
    const missing = () => notFound(`id: no measure ${id} in this profile`).withCode('measures.not-found');
    let version;
    try {
      version = await ops.read('Observation', id);
    } catch (err) {
      if (err instanceof AppError && (err.status === 403 || err.status === 404 || err.status === 410)) throw missing();
      throw err;
    }
    const resource = JSON.parse(version.content!) as Json;
    const def = measureOfObservation(resource);
    if (version.patientId !== patientId || !def) throw missing();
    await ops.delete('Observation', id);
    if (def.code !== 'WEIGHT' && def.code !== 'HEIGHT') return;
    const at = measureTime(resource);
    if (at === undefined) return;
    const bmis = await measuresOf(deps, ops, patientId, ['BODY_MASS_INDEX'], { from: day(at - 86_400_000), to: day(at + 86_400_000) });
    for (const b of bmis) {
      const derived = ((b.resource.derivedFrom ?? []) as Json[]).some((r) => r.reference === `Observation/${id}`);
      if (derived && isComputed(b.resource)) await ops.delete('Observation', b.id);
    }
  });
}

// ---- targets ----------------------------------------------------------------------------------------------

async function targetsOf(deps: Deps, ops: FhirOperations, patientId: string): Promise<Map<MeasureCode, { id: string; target: MeasureTarget }>> {
  const goals = await searchAll(ops, deps.fhirBase, 'Goal', [['patient', patientId]]);
  const out = new Map<MeasureCode, { id: string; target: MeasureTarget }>();
  for (const g of goals) {
    const target = targetView(g.resource);
    if (target && !out.has(target.code)) out.set(target.code, { id: g.id, target });
  }
  return out;
}

function targetBound(body: Json, name: 'low' | 'high', range: { min: number; max: number }): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`${name} is a number`, [name]).withCode('request.invalid');
  if (v < range.min || v > range.max) throw new AppError(422, 'business-rule', `${name}: ${v} is not plausible (from ${range.min} to ${range.max})`, [name]).withCode('measures.implausible');
  return v;
}

/** PUT /api/profile/measures/targets/:code { low?, high? }: one target per measure (a Goal), created or replaced. */
export async function putTarget(deps: Deps, ctx: RequestContext, patientId: string, codeParamValue: string, body: Json): Promise<MeasureTarget> {
  const code = codeOf(codeParamValue);
  const def = MEASURES[code];
  const range = def.components ? def.components[0]! : def;
  const low = targetBound(body, 'low', range);
  const high = targetBound(body, 'high', range);
  if (low === undefined && high === undefined) throw badRequest('low, high: a target has a low or a high value, or both', ['low', 'high']).withCode('request.invalid');
  if (low !== undefined && high !== undefined && low > high) throw new AppError(422, 'business-rule', `low: ${low} is above high (${high})`, ['low']).withCode('measures.target-range');
  const target: MeasureTarget = { code, ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
  return deps.repo.run(ctx, async (ops) => {
    const existing = (await targetsOf(deps, ops, patientId)).get(code);
    const goal = goalResource(patientId, target, existing?.id);
    const written = existing ? await ops.update(goal) : await ops.create(goal);
    return targetView(JSON.parse(written.version.content!) as Json)!;
  });
}

/** DELETE /api/profile/measures/targets/:code */
export async function deleteTarget(deps: Deps, ctx: RequestContext, patientId: string, codeParamValue: string): Promise<void> {
  const code = codeOf(codeParamValue);
  await deps.repo.run(ctx, async (ops) => {
    const goals = await searchAll(ops, deps.fhirBase, 'Goal', [['patient', patientId]]);
    for (const g of goals) if (targetCodeOf(g.resource) === code) await ops.delete('Goal', g.id);
  });
}

// ---- dashboard --------------------------------------------------------------------------------------------

async function dashboardCodes(deps: Deps, patientId: string): Promise<MeasureCode[]> {
  const { rows } = await deps.db.query<{ dashboard: string[] | null }>('SELECT dashboard FROM profile_settings WHERE patient_id = $1', [patientId]);
  const codes = rows[0]?.dashboard;
  return codes ? codes.filter(isMeasureCode) : [...DEFAULT_DASHBOARD];
}

/** GET /api/profile/measures/dashboard: the chosen tiles with their last measure and target. */
export async function dashboard(deps: Deps, ctx: RequestContext, patientId: string): Promise<Dashboard> {
  const codes = await dashboardCodes(deps, patientId);
  return deps.repo.run(
    ctx,
    async (ops) => {
      const targets = await targetsOf(deps, ops, patientId);
      const tiles: Dashboard['tiles'] = [];
      for (const code of codes) {
        const last = await lastMeasure(deps, ops, patientId, code);
        tiles.push({ code, last, target: targets.get(code)?.target ?? null });
      }
      return { tiles };
    },
    { readOnly: true },
  );
}

/** The latest usable measure of a code (a few are read, in case the latest has no value), within the caller's unit of work. */
export async function lastMeasure(deps: Pick<Deps, 'fhirBase'>, ops: FhirOperations, patientId: string, code: MeasureCode): Promise<Measure | null> {
  const q = new URLSearchParams({ patient: patientId, code: codeParam([code]), _sort: '-date', _count: '20' });
  const result = await ops.search('Observation', parseSearch('Observation', q, { defaultCount: 20, maxCount: 20, strict: true, fhirBase: deps.fhirBase }));
  const views = result.versions.map((v) => (v.content ? measureView(v.id, JSON.parse(v.content) as Json) : undefined)).filter((m): m is Measure => m !== undefined && m.code === code);
  views.sort((a, b) => (dateStart(b.date) ?? 0) - (dateStart(a.date) ?? 0));
  return views[0] ?? null;
}

/** PUT /api/profile/measures/dashboard { codes } */
export async function putDashboard(deps: Deps, ctx: RequestContext, patientId: string, body: Json): Promise<Dashboard> {
  const codes = body.codes;
  if (!Array.isArray(codes) || codes.length > MEASURE_CODES.length) throw badRequest(`codes is a list of at most ${MEASURE_CODES.length} measures`, ['codes']).withCode('request.invalid');
  const unknown = codes.find((c) => !isMeasureCode(c));
  if (unknown !== undefined) throw new AppError(422, 'business-rule', `codes: ${String(unknown)} is not a measure of the catalogue`, ['codes']).withCode('measures.code');
  if (new Set(codes).size !== codes.length) throw badRequest('codes names each measure once', ['codes']).withCode('request.invalid');
  await deps.db.query(
    `INSERT INTO profile_settings (patient_id, dashboard, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (patient_id) DO UPDATE SET dashboard = EXCLUDED.dashboard, updated_at = EXCLUDED.updated_at`,
    [patientId, codes as string[], deps.clock.now()],
  );
  return dashboard(deps, ctx, patientId);
}

// ---- growth charts ----------------------------------------------------------------------------------------

const GROWTH_CODES: Record<GrowthMeasure, MeasureCode> = { weight: 'WEIGHT', height: 'HEIGHT', 'head-circumference': 'HEAD_CIRCUMFERENCE', bmi: 'BODY_MASS_INDEX' };

/** GET /api/profile/growth?measure=&source=: a child's measures against the reference curves. */
export async function growth(deps: Deps, ctx: RequestContext, patientId: string, query: Json): Promise<GrowthChart> {
  const measure = query.measure;
  if (typeof measure !== 'string' || !(GROWTH_MEASURES as readonly string[]).includes(measure)) {
    throw badRequest(`measure is one of ${GROWTH_MEASURES.join(', ')}`, ['measure']).withCode('request.invalid');
  }
  const m = measure as GrowthMeasure;
  const refs = growthReferences();
  const asked = query.source;
  if (asked !== undefined && asked !== '' && !refs.some((r) => r.id === asked && r.measures.includes(m))) {
    throw new AppError(422, 'business-rule', `source: ${String(asked)} is not a reference for ${m} (${refs.filter((r) => r.measures.includes(m)).map((r) => r.id).join(', ') || 'none'})`, ['source']).withCode('growth.reference');
  }
  const now = deps.clock.now();
  return deps.repo.run(
    ctx,
    async (ops) => {
      const { birthDate, gender } = await patientOf(ops, patientId);
      if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new AppError(422, 'business-rule', 'birthDate: the growth curves need the full birth date of the child', ['birthDate']).withCode('growth.birth-date');
      const ageNow = ageInMonths(birthDate, now);
      if (ageNow >= CHILD_MAX_MONTHS) throw new AppError(422, 'business-rule', 'birthDate: the growth curves are for children (under 18)', ['birthDate']).withCode('growth.not-a-child');
      if (gender !== 'male' && gender !== 'female') throw new AppError(422, 'business-rule', 'sex: the growth curves are by sex, and the profile gives none', ['sex']).withCode('growth.sex');
      const reference = typeof asked === 'string' && asked !== '' ? refs.find((r) => r.id === asked) : defaultReference(refs, m, ageNow);
      const measures = await measuresOf(deps, ops, patientId, [GROWTH_CODES[m]]);
      return growthChart({ measure: m, sex: gender, birthDate, now, measures: measures.map((x) => ({ value: x.value!, date: x.date })), reference, all: refs });
    },
    { readOnly: true },
  );
}
