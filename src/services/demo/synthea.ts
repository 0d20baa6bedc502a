import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { validationIssues } from '../../fhir/validate.js';
import { packageRoot } from '../../package-root.js';
import { measureOfLoinc } from '../../domain/measures/catalogue.js';
import { LOINC } from '../../domain/profile/systems.js';

/**
 * Demo data from Synthea: picks about fifty realistic clinical resources out of one Synthea patient bundle
 * (FHIR R4 transaction Bundle, urn:uuid references) and re-attaches them to a Carnet patient and practitioner.
 * Codes (SNOMED, LOINC, CVX, RxNorm) are kept as they are; only a few common codes get a French `text`.
 */

export interface SyntheaTarget {
  /** Carnet Patient id the resources are about */
  patientId: string;
  /** e.g. 'Practitioner/<id>' and its display name, used as performer/recorder/asserter where the resource has one */
  practitionerRef: string;
  practitionerDisplay: string;
  /** how many resources to return at most (default 50) */
  limit?: number;
  /** shift every date/dateTime/instant/period so that the newest clinical date lands on this day (YYYY-MM-DD); optional */
  newestDate?: string;
  /**
   * leave out the body measures (weight, height, BMI, head circumference: the growth charts' measures), e.g. for a
   * child whose growth curves are seeded on their own and whose sample is off the curves
   */
  withoutBodyMeasures?: boolean;
}

const BODY_MEASURES = new Set(['WEIGHT', 'HEIGHT', 'BODY_MASS_INDEX', 'HEAD_CIRCUMFERENCE']);

/** Whether an Observation records a body measure of the measure catalogue (by its LOINC code or an alias). */
function isBodyMeasure(r: Json): boolean {
  if (r.resourceType !== 'Observation') return false;
  const codings = isObject(r.code) && Array.isArray(r.code.coding) ? (r.code.coding as unknown[]) : [];
  return codings.some((c) => isObject(c) && c.system === LOINC && typeof c.code === 'string' && BODY_MEASURES.has(measureOfLoinc(c.code)?.code ?? ''));
}

type Json = Record<string, unknown>;

const OBSERVATION_CATEGORIES = new Set(['vital-signs', 'laboratory', 'survey', 'procedure', 'social-history']);
const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);
const PATIENT_KEYS = new Set(['subject', 'patient']);
const PRACTITIONER_KEYS = new Set(['performer', 'recorder', 'asserter', 'requester', 'informationSource']);
const US_EXTENSION = /us-core|\/fhir\/us\/|synthea|mitre\.org/i;
/** A full date, optionally with a time and zone: the strings the date shift moves. */
const DATE = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;

/** French labels for the most frequent Synthea codes (the codings themselves are unchanged). */
const FRENCH_TEXT: Record<string, string> = {
  'http://loinc.org|8302-2': 'Taille',
  'http://loinc.org|29463-7': 'Poids',
  'http://loinc.org|39156-5': 'Indice de masse corporelle (IMC)',
  'http://loinc.org|55284-4': 'Pression artérielle',
  'http://loinc.org|8480-6': 'Pression artérielle systolique',
  'http://loinc.org|8462-4': 'Pression artérielle diastolique',
  'http://loinc.org|72514-3': 'Intensité de la douleur (0-10)',
  'http://loinc.org|8331-1': 'Température buccale',
  'http://loinc.org|72166-2': 'Statut tabagique',
  'http://loinc.org|2093-3': 'Cholestérol total',
  'http://loinc.org|2571-8': 'Triglycérides',
  'http://loinc.org|18262-6': 'Cholestérol LDL',
  'http://loinc.org|2085-9': 'Cholestérol HDL',
  'http://loinc.org|718-7': 'Hémoglobine',
  'http://loinc.org|4548-4': 'Hémoglobine glyquée (HbA1c)',
  'http://loinc.org|2339-0': 'Glycémie',
  'http://loinc.org|38483-4': 'Créatinine',
  'http://loinc.org|33914-3': 'Débit de filtration glomérulaire estimé',
  'http://hl7.org/fhir/sid/cvx|140': 'Grippe saisonnière (vaccin injectable)',
  'http://hl7.org/fhir/sid/cvx|113': 'Diphtérie-tétanos (rappel adulte)',
  'http://hl7.org/fhir/sid/cvx|115': 'Diphtérie-tétanos-coqueluche (dTca)',
};

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function firstCoding(concept: unknown): Json | undefined {
  const coding = isObject(concept) && Array.isArray(concept.coding) ? concept.coding[0] : undefined;
  return isObject(coding) ? coding : undefined;
}

/** "system|code" of the resource's main code, used to keep one resource per code. */
function codeKey(r: Json): string {
  const c = firstCoding(r.code ?? r.vaccineCode ?? r.medicationCodeableConcept);
  return c ? `${String(c.system)}|${String(c.code)}` : `${String(r.resourceType)}:uncoded`;
}

/** The date a resource is about, for "most recent first" ordering ('' when none). */
function clinicalDate(r: Json): string {
  const period = (p: unknown) => (isObject(p) && typeof p.start === 'string' ? p.start : undefined);
  const d =
    r.effectiveDateTime ?? period(r.effectivePeriod) ?? r.occurrenceDateTime ?? r.performedDateTime ??
    period(r.performedPeriod) ?? r.onsetDateTime ?? r.authoredOn ?? r.recordedDate ?? r.issued;
  return typeof d === 'string' ? d : '';
}

function statusCode(concept: unknown): string | undefined {
  const c = firstCoding(concept);
  return typeof c?.code === 'string' ? c.code : undefined;
}

/** Newest first, then bundle order: a total, deterministic order. */
function newestFirst(items: { r: Json; index: number }[]): { r: Json; index: number }[] {
  return [...items].sort((a, b) => clinicalDate(b.r).localeCompare(clinicalDate(a.r)) || a.index - b.index);
}

/** Keeps the first (newest) item of each code. */
function onePerCode<T extends { r: Json }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((it) => !seen.has(codeKey(it.r)) && seen.add(codeKey(it.r)));
}

/**
 * All usable source resources, most wanted first: allergies, active then past conditions, medications,
 * latest immunizations and procedures (one per code, each capped), then observations by depth of history
 * (the latest of every code, then the one before...), then whatever is left, newest first.
 */
function rank(entries: { r: Json; index: number }[], limit: number): { r: Json; index: number }[] {
  const ofType = (type: string) => newestFirst(entries.filter((e) => e.r.resourceType === type));
  const cap = (share: number) => Math.max(1, Math.ceil(limit * share));

  const conditions = onePerCode(ofType('Condition'));
  const isActive = (r: Json) => !r.abatementDateTime && ACTIVE_CLINICAL.has(statusCode(r.clinicalStatus) ?? 'active');
  const meds = onePerCode(ofType('MedicationRequest'));
  const observations = ofType('Observation').filter((e) => {
    const cats = (Array.isArray(e.r.category) ? e.r.category : []).map(statusCode);
    return cats.some((c) => c !== undefined && OBSERVATION_CATEGORIES.has(c));
  });
  const depth = new Map<string, number>();
  const byHistoryDepth = observations
    .map((e) => {
      const d = depth.get(codeKey(e.r)) ?? 0;
      depth.set(codeKey(e.r), d + 1);
      return { ...e, d };
    })
    .sort((a, b) => a.d - b.d || clinicalDate(b.r).localeCompare(clinicalDate(a.r)) || a.index - b.index);

  const ranked = [
    ...ofType('AllergyIntolerance').slice(0, cap(0.16)),
    ...[...conditions.filter((e) => isActive(e.r)), ...conditions.filter((e) => !isActive(e.r))].slice(0, cap(0.2)),
    ...[...meds.filter((e) => e.r.status === 'active'), ...meds.filter((e) => e.r.status !== 'active')].slice(0, cap(0.12)),
    ...onePerCode(ofType('Immunization')).slice(0, cap(0.16)),
    ...onePerCode(ofType('Procedure')).slice(0, cap(0.1)),
    ...byHistoryDepth,
  ];
  const taken = new Set(ranked.map((e) => e.index));
  const rest = newestFirst(entries.filter((e) => e.r.resourceType !== 'Observation' && !taken.has(e.index)));
  return [...ranked, ...rest];
}

/** Rewrites references (patient, practitioner, or removed) and drops US-specific extensions, recursively. */
function rewrite(value: unknown, key: string, parentKey: string, target: SyntheaTarget): unknown {
  if (Array.isArray(value)) {
    let items = value.map((v) => rewrite(v, key, parentKey, target)).filter((v) => v !== undefined);
    // Several performers may all have become the target practitioner: keep one.
    if (PRACTITIONER_KEYS.has(key)) items = items.filter((v, i) => items.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);
    return items.length > 0 ? items : undefined;
  }
  if (!isObject(value)) return value;
  if (typeof value.reference === 'string') {
    if (PATIENT_KEYS.has(key)) return { reference: `Patient/${target.patientId}` };
    if (PRACTITIONER_KEYS.has(key) || (key === 'actor' && parentKey === 'performer')) return practitioner(target);
    return undefined;
  }
  if ((key === 'extension' || key === 'modifierExtension') && typeof value.url === 'string' && US_EXTENSION.test(value.url)) {
    return undefined;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const rewritten = rewrite(v, k, key, target);
    if (rewritten !== undefined) out[k] = rewritten;
  }
  // An element left without content (e.g. a performer whose actor was removed) is removed too.
  return Object.keys(out).length > 0 ? out : undefined;
}

function practitioner(target: SyntheaTarget): Json {
  return { reference: target.practitionerRef, display: target.practitionerDisplay };
}

/** The codes of the Conditions a resource gives as reasons (reasonReference cannot be carried over). */
function reasonCodes(r: Json, byRef: Map<string, Json>): Json[] {
  const refs = Array.isArray(r.reasonReference) ? r.reasonReference : [];
  const fromRefs = refs
    .map((ref) => (isObject(ref) && typeof ref.reference === 'string' ? byRef.get(ref.reference) : undefined))
    .filter((c): c is Json => c?.resourceType === 'Condition' && isObject(c.code))
    .map((c) => c.code as Json);
  return [...(Array.isArray(r.reasonCode) ? (r.reasonCode as Json[]) : []), ...fromRefs];
}

function toMedicationStatement(req: Json, byRef: Map<string, Json>): Json {
  const active = req.status === 'active';
  const med = isObject(req.medicationReference) ? byRef.get(String(req.medicationReference.reference)) : undefined;
  const authoredOn = typeof req.authoredOn === 'string' ? req.authoredOn : undefined;
  return {
    resourceType: 'MedicationStatement',
    status: active ? 'active' : 'completed',
    medicationCodeableConcept: req.medicationCodeableConcept ?? med?.code,
    subject: req.subject,
    ...(authoredOn ? (active ? { effectivePeriod: { start: authoredOn } } : { effectiveDateTime: authoredOn }) : {}),
    informationSource: req.requester,
    dosage: req.dosageInstruction,
  };
}

/** Rounds Synthea's 15-digit measurements to what a device or a lab would report. */
function roundQuantity(q: unknown): void {
  if (!isObject(q) || typeof q.value !== 'number') return;
  const decimals = q.code === '{score}' ? 0 : Math.abs(q.value) >= 10 ? 1 : 2;
  q.value = Number(q.value.toFixed(decimals));
}

/** Who recorded or performed it: the target practitioner stands in for Synthea's encounter practitioner. */
function attribute(r: Json, target: SyntheaTarget): void {
  const who = practitioner(target);
  switch (r.resourceType) {
    case 'Observation':
      r.performer ??= [who];
      break;
    case 'Condition':
    case 'AllergyIntolerance':
      r.recorder ??= who;
      break;
    case 'Immunization':
    case 'Procedure':
      r.performer ??= [{ actor: who }];
      break;
    case 'MedicationStatement':
      r.informationSource ??= who;
      break;
  }
}

function frenchText(concept: unknown): void {
  const c = firstCoding(concept);
  const text = c && FRENCH_TEXT[`${String(c.system)}|${String(c.code)}`];
  if (text && isObject(concept)) concept.text = text;
}

/** One Synthea resource as a Carnet resource (not yet validated). */
function convert(source: Json, byRef: Map<string, Json>, target: SyntheaTarget): Json {
  const base = source.resourceType === 'MedicationRequest' ? toMedicationStatement(source, byRef) : { ...source };
  const reasons = reasonCodes(source, byRef);
  delete base.id;
  delete base.text;
  delete base.meta;
  delete base.contained;
  delete base.reasonReference;
  if (reasons.length > 0 && base.resourceType !== 'AllergyIntolerance') base.reasonCode = reasons;
  const r = rewrite(structuredClone(base), '', '', target) as Json;
  attribute(r, target);
  roundQuantity(r.valueQuantity);
  for (const comp of Array.isArray(r.component) ? r.component : []) {
    if (isObject(comp)) {
      roundQuantity(comp.valueQuantity);
      frenchText(comp.code);
    }
  }
  frenchText(r.code);
  frenchText(r.vaccineCode);
  return r;
}

/** The resource if valid FHIR R4; a MedicationStatement whose dosage is the only problem loses its dosage. */
function validOrUndefined(r: Json): Json | undefined {
  if (validationIssues(r).length === 0) return r;
  if (r.dosage !== undefined) {
    const { dosage: _dosage, ...withoutDosage } = r;
    if (validationIssues(withoutDosage).length === 0) return withoutDosage;
  }
  return undefined;
}

function collectDates(value: unknown, into: string[]): void {
  if (typeof value === 'string' && DATE.test(value)) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectDates(v, into));
  else if (isObject(value)) Object.values(value).forEach((v) => collectDates(v, into));
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Moves the calendar day of every date by `days`, keeping time and zone, hence the order of dates. */
function shiftDates(value: unknown, days: number): unknown {
  if (typeof value === 'string') {
    const m = DATE.exec(value);
    return m ? addDays(m[1], days) + (m[2] ?? '') : value;
  }
  if (Array.isArray(value)) return value.map((v) => shiftDates(v, days));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftDates(v, days)]));
  return value;
}

/** Picks a realistic mix of clinical resources from one Synthea bundle and rewrites them for Carnet. Pure: no I/O. */
export function clinicalFromSynthea(bundle: unknown, target: SyntheaTarget): Record<string, unknown>[] {
  const limit = target.limit ?? 50;
  if (target.newestDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(target.newestDate)) {
    throw new Error(`newestDate must be YYYY-MM-DD, got '${target.newestDate}'`);
  }
  const byRef = new Map<string, Json>();
  const entries: { r: Json; index: number }[] = [];
  const rawEntries = isObject(bundle) && Array.isArray(bundle.entry) ? bundle.entry : [];
  rawEntries.forEach((entry, index) => {
    const r = isObject(entry) && isObject(entry.resource) ? entry.resource : undefined;
    if (!r) return;
    if (typeof entry.fullUrl === 'string') byRef.set(entry.fullUrl, r);
    if (typeof r.id === 'string') byRef.set(`${String(r.resourceType)}/${r.id}`, r);
    entries.push({ r, index });
  });
  const wanted = new Set(['Observation', 'Condition', 'Immunization', 'Procedure', 'AllergyIntolerance', 'MedicationRequest']);

  const result: Json[] = [];
  const usable = entries.filter((e) => wanted.has(String(e.r.resourceType)) && !(target.withoutBodyMeasures && isBodyMeasure(e.r)));
  for (const { r } of rank(usable, limit)) {
    if (result.length >= limit) break;
    const valid = validOrUndefined(convert(r, byRef, target));
    if (valid) result.push(valid);
  }
  if (target.newestDate === undefined || result.length === 0) return result;

  const dates: string[] = [];
  collectDates(result, dates);
  if (dates.length === 0) return result;
  const newest = dates.map((d) => d.slice(0, 10)).sort().at(-1)!;
  const days = Math.round((Date.parse(target.newestDate) - Date.parse(newest)) / DAY_MS);
  return result.map((r) => shiftDates(r, days) as Json);
}

/** Reads and returns the parsed Synthea patient bundles (the files that hold a Patient), sorted by file name; the folder defaults to ../shared/data/synthea relative to the package root (src/package-root.ts). */
export function loadSyntheaBundles(dir?: string): { file: string; bundle: unknown }[] {
  const folder = dir ?? resolve(packageRoot(), '../shared/data/synthea');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, bundle: JSON.parse(readFileSync(join(folder, file), 'utf8')) as unknown }))
    .filter(({ bundle }) => {
      const entries = isObject(bundle) && Array.isArray(bundle.entry) ? bundle.entry : [];
      return entries.some((e) => isObject(e) && isObject(e.resource) && e.resource.resourceType === 'Patient');
    });
}
