import { writtenBy } from '../../fhir/written-by.js';
import { PROFILE_CATEGORY_SYSTEM } from '../../domain/access/profile.js';
import { bodyMassIndex } from '../../domain/measures/bmi.js';
import { MEASURES, round, VITAL_SIGNS, measureOfLoinc, type MeasureDef } from '../../domain/measures/catalogue.js';
import type { EntrySource, Measure, MeasureCode, MeasureTarget } from '../../domain/measures/types.js';
import { dateStart, measureOfObservation, quantityUnit, type CheckedMeasure } from '../../domain/measures/validate.js';
import { CARNET_CS, LOINC, UCUM } from '../../domain/profile/systems.js';

type Json = Record<string, unknown>;

/**
 * The measures as FHIR resources (docs/measures.md): an Observation following the mes-mesures profile of its
 * measure, the BMI computed from a weight and a height, and the targets as Goals. Pure mappings.
 */

/** The tag of the BMIs Carnet computes (one per day, replaced when a weight or height of that day changes). */
export const COMPUTED_TAG = { system: `${CARNET_CS}/measure-origin`, code: 'computed', display: 'Calculé par Carnet' } as const;
/** The category of the targets (Goal.category), as the profile's sections are told apart (docs/profile.md). */
export const TARGETS_CATEGORY = { system: PROFILE_CATEGORY_SYSTEM, code: 'targets' } as const;

const quantity = (def: MeasureDef, value: number) => {
  const u = def.units[0]!;
  return { value, unit: u.display, system: UCUM, code: u.ucum };
};

const coding = (def: MeasureDef) => ({ system: LOINC, code: def.loinc, display: def.display });

/** Who typed a measure on the patient side: the patient themself, or a person acting for them. */
export interface PatientAuthor {
  patientId: string;
  relation: string;
  name: string;
}

/** The Observation of a measure entered on the patient side (values already in the default unit). */
export function measureObservation(m: CheckedMeasure, author: PatientAuthor): Json {
  const def = m.def;
  const base: Json = {
    resourceType: 'Observation',
    meta: { profile: [def.profile] },
    status: 'final',
    category: [{ coding: [{ ...VITAL_SIGNS }] }],
    code: { coding: [coding(def)], text: def.label },
    subject: { reference: `Patient/${author.patientId}` },
    effectiveDateTime: m.date,
    // the patient side: the patient, or the person acting for them (named)
    performer: [author.relation === 'self' ? { reference: `Patient/${author.patientId}`, display: author.name } : { display: author.name }],
  };
  if (def.components) {
    const [sys, dia] = def.components;
    base.component = [
      { code: { coding: [{ system: LOINC, code: sys!.loinc, display: 'Systolic blood pressure' }] }, valueQuantity: quantity(def, m.systolic!) },
      { code: { coding: [{ system: LOINC, code: dia!.loinc, display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(def, m.diastolic!) },
    ];
  } else base.valueQuantity = quantity(def, m.value!);
  return base;
}

/** The BMI Observation computed from a weight and a height (derivedFrom both); undefined if it is not plausible. */
export function bmiObservation(patientId: string, date: string, weight: { id: string; kg: number }, height: { id: string; cm: number }): Json | undefined {
  const def = MEASURES.BODY_MASS_INDEX;
  const bmi = bodyMassIndex(weight.kg, height.cm);
  if (bmi === undefined || bmi < def.min || bmi > def.max) return undefined;
  return {
    resourceType: 'Observation',
    meta: { profile: [def.profile], tag: [{ ...COMPUTED_TAG }] },
    status: 'final',
    category: [{ coding: [{ ...VITAL_SIGNS }] }],
    code: { coding: [coding(def)], text: def.label },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: date,
    valueQuantity: quantity(def, bmi),
    derivedFrom: [{ reference: `Observation/${weight.id}` }, { reference: `Observation/${height.id}` }],
  };
}

export function isComputed(resource: Json): boolean {
  const tags = ((resource.meta as Json | undefined)?.tag ?? []) as Json[];
  return tags.some((t) => t.system === COMPUTED_TAG.system && t.code === COMPUTED_TAG.code);
}

/** The date a measure is about (effective[x], else issued), as written. */
export function measureDate(resource: Json): string | undefined {
  const period = resource.effectivePeriod as Json | undefined;
  const d = resource.effectiveDateTime ?? resource.effectiveInstant ?? period?.start ?? resource.issued;
  return typeof d === 'string' ? d : undefined;
}

/** When a measure was taken (ms), for ordering and pairing. */
export function measureTime(resource: Json): number | undefined {
  const d = measureDate(resource);
  return d === undefined ? undefined : dateStart(d);
}

const refOf = (r: unknown): string => (r && typeof r === 'object' && typeof (r as Json).reference === 'string' ? ((r as Json).reference as string) : '');
const displayOf = (r: unknown): string | undefined => (r && typeof r === 'object' && typeof (r as Json).display === 'string' ? ((r as Json).display as string) : undefined);

/**
 * Who entered a measure: a connected app (meta.source, a Device or an Organization as performer, or a device),
 * a professional (a Practitioner or PractitionerRole as performer), or the patient side.
 */
export function sourceOf(resource: Json): EntrySource {
  const performers = Array.isArray(resource.performer) ? (resource.performer as unknown[]) : [];
  const metaSource = (resource.meta as Json | undefined)?.source;
  const appPerformer = performers.find((p) => /^(Device|Organization)\//.test(refOf(p)));
  const device = resource.device;
  // who wrote it as the repository recorded it (fhir/written-by.ts): an app is an app whatever it says, and
  // the patient side is never shown as a professional or an app because of a performer it chose
  const writer = writtenBy(resource);
  if (writer === 'patient') {
    const name = performers.map(displayOf).find((n) => n !== undefined);
    return { kind: 'patient', ...(name ? { name } : {}) };
  }
  if (writer === 'app' || appPerformer || (typeof metaSource === 'string' && metaSource !== '') || refOf(device) !== '') {
    const name = displayOf(appPerformer) ?? displayOf(device) ?? (typeof metaSource === 'string' && metaSource !== '' ? metaSource : undefined);
    return { kind: 'app', ...(name ? { name } : {}) };
  }
  const pro = performers.find((p) => /^(Practitioner|PractitionerRole)\//.test(refOf(p)));
  if (pro) {
    const name = displayOf(pro);
    return { kind: 'professional', ...(name ? { name } : {}) };
  }
  const name = performers.map(displayOf).find((n) => n !== undefined);
  return { kind: 'patient', ...(name ? { name } : {}) };
}

const UNUSABLE = new Set(['entered-in-error', 'cancelled']);

/** A value in the measure's default unit, kept with one more decimal than shown. */
function inDefault(def: MeasureDef, q: unknown): number | undefined {
  if (!q || typeof q !== 'object' || typeof (q as Json).value !== 'number') return undefined;
  const u = quantityUnit(def, q as Json).unit;
  if (!u) return undefined;
  return round(u.toDefault((q as Json).value as number), def.decimals + 1);
}

/** The application API's view of a measure Observation (values in the default unit), or undefined if it has no usable value. */
export function measureView(id: string, resource: Json): Measure | undefined {
  const def = measureOfObservation(resource);
  const date = measureDate(resource);
  if (!def || !date || UNUSABLE.has(resource.status as string)) return undefined;
  const base = { id, code: def.code, unit: def.units[0]!.ucum, date, source: sourceOf(resource) };
  if (def.components) {
    const components = Array.isArray(resource.component) ? (resource.component as Json[]) : [];
    const value = (loinc: string) => {
      const c = components.find((x) => (((x.code as Json | undefined)?.coding ?? []) as Json[]).some((k) => k.system === LOINC && k.code === loinc));
      return c ? inDefault(def, c.valueQuantity) : undefined;
    };
    const systolic = value(def.components[0]!.loinc);
    const diastolic = value(def.components[1]!.loinc);
    if (systolic === undefined || diastolic === undefined) return undefined;
    return { ...base, systolic, diastolic };
  }
  const value = inDefault(def, resource.valueQuantity);
  return value === undefined ? undefined : { ...base, value };
}

// ---- targets ----------------------------------------------------------------------------------------------

/** The LOINC code a target is recorded against: the measure's, or for the blood pressure the systolic's. */
export function targetLoinc(code: MeasureCode): string {
  const def = MEASURES[code];
  return def.components ? def.components[0]!.loinc : def.loinc;
}

/** The measure a Goal is the target of (target.measure), if it is one. */
export function targetCodeOf(goal: Json): MeasureCode | undefined {
  const targets = Array.isArray(goal.target) ? (goal.target as Json[]) : [];
  for (const t of targets) {
    for (const c of (((t.measure as Json | undefined)?.coding ?? []) as Json[])) {
      if (c.system !== LOINC || typeof c.code !== 'string') continue;
      if (c.code === MEASURES.BLOOD_PRESSURE.components![0]!.loinc) return 'BLOOD_PRESSURE';
      const def = measureOfLoinc(c.code);
      if (def) return def.code;
    }
  }
  return undefined;
}

export function goalResource(patientId: string, target: MeasureTarget, id?: string): Json {
  const def = MEASURES[target.code];
  const loinc = targetLoinc(target.code);
  const q = (value: number) => quantity(def, value);
  return {
    resourceType: 'Goal',
    ...(id ? { id } : {}),
    lifecycleStatus: 'active',
    category: [{ coding: [{ ...TARGETS_CATEGORY }] }],
    description: { text: `Objectif : ${def.label.toLowerCase()}${def.components ? ' (systolique)' : ''}` },
    subject: { reference: `Patient/${patientId}` },
    target: [
      {
        measure: { coding: [{ system: LOINC, code: loinc, display: def.components ? 'Systolic blood pressure' : def.display }] },
        detailRange: { ...(target.low !== undefined ? { low: q(target.low) } : {}), ...(target.high !== undefined ? { high: q(target.high) } : {}) },
      },
    ],
  };
}

export function targetView(goal: Json): MeasureTarget | undefined {
  const code = targetCodeOf(goal);
  if (!code || goal.lifecycleStatus === 'cancelled' || goal.lifecycleStatus === 'entered-in-error') return undefined;
  const def = MEASURES[code];
  const range = ((goal.target as Json[])[0]?.detailRange ?? {}) as Json;
  const low = inDefault(def, range.low);
  const high = inDefault(def, range.high);
  return { code, ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}) };
}
