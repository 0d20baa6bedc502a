import { TERMINOLOGY } from '../profile/systems.js';
import type { MeasureCode, MeasureDefinition } from './types.js';

/**
 * The measure catalogue (issue 8, docs/measures.md): one entry per measure of the "Mes mesures" API, with the
 * LOINC code and the UCUM unit its mes-mesures profile fixes (../shared/data/mes-mesures, StructureDefinition-
 * MESObservation*.json), the units Carnet accepts and converts, and the plausible range of values. Pure.
 *
 * `aliases` are other LOINC codes that mean the same measure in data Carnet receives (Synthea, the R4 examples,
 * connected apps that use the international vital-signs profile): they are read as this measure and checked
 * by the same rules.
 */

export const MES_PROFILE_BASE = 'https://fhir.monespacesante.fr/ref/mesure/StructureDefinition';
export const VITAL_SIGNS = { system: TERMINOLOGY.observationCategory, code: 'vital-signs', display: 'Signes vitaux' } as const;

/** One accepted unit: its UCUM code, how people write it, and the conversion to the measure's default unit. */
export interface UnitDef {
  /** The UCUM code (valueQuantity.code). */
  ucum: string;
  /** What is shown (valueQuantity.unit). */
  display: string;
  /** Other spellings found in valueQuantity.unit (compared case-sensitively, then lower-cased). */
  spellings: string[];
  /** value in this unit → value in the default unit. */
  toDefault: (v: number) => number;
  /** value in the default unit → value in this unit. */
  fromDefault: (v: number) => number;
}

export interface ComponentDef {
  key: 'systolic' | 'diastolic';
  label: string;
  loinc: string;
  min: number;
  max: number;
}

export interface MeasureDef {
  code: MeasureCode;
  loinc: string;
  display: string;
  aliases: string[];
  /** The mes-mesures profile (meta.profile). */
  profile: string;
  label: string;
  /** The first is the default (the one the profile fixes). */
  units: UnitDef[];
  min: number;
  max: number;
  decimals: number;
  computed: boolean;
  components?: ComponentDef[];
}

const same = (v: number) => v;
const unit = (ucum: string, display: string, spellings: string[] = [], factor = 1): UnitDef => ({
  ucum,
  display,
  spellings,
  toDefault: factor === 1 ? same : (v) => v * factor,
  fromDefault: factor === 1 ? same : (v) => v / factor,
});

const LB = 0.45359237;
const INCH = 2.54;
/** Glucose molar mass (g/mol): 1 mmol/L = 0.18016 g/L. */
const GLUCOSE_G_PER_MMOL = 0.18016;

const KG = unit('kg', 'kg', ['kilogram', 'kilograms', 'kilogramme', 'kilogrammes', 'kgs']);
const CM = unit('cm', 'cm', ['centimeter', 'centimeters', 'centimètre', 'centimètres']);
const MMHG = unit('mm[Hg]', 'mmHg', ['mmHg', 'mm Hg', 'mm[hg]', 'millimeter of mercury']);
const CMHG = unit('cm[Hg]', 'cmHg', ['cmHg', 'cm Hg'], 10);
const length = (extra: UnitDef[] = []) => [CM, unit('m', 'm', ['meter', 'meters', 'mètre', 'mètres'], 100), unit('mm', 'mm', ['millimeter', 'millimètre'], 0.1), unit('[in_i]', 'in', ['in', 'inch', 'inches', '[in_us]'], INCH), ...extra];

export const MEASURES: Record<MeasureCode, MeasureDef> = {
  WEIGHT: {
    code: 'WEIGHT', loinc: '29463-7', display: 'Body weight', aliases: ['3141-9'], profile: `${MES_PROFILE_BASE}/mes-observation-bodyweight`, label: 'Poids',
    units: [KG, unit('g', 'g', ['gram', 'grams', 'gramme', 'grammes'], 0.001), unit('[lb_av]', 'lb', ['lb', 'lbs', 'pound', 'pounds', 'livre', 'livres'], LB)],
    min: 0.3, max: 400, decimals: 1, computed: false,
  },
  HEIGHT: {
    code: 'HEIGHT', loinc: '8302-2', display: 'Body height', aliases: ['8306-3', '8308-9'], profile: `${MES_PROFILE_BASE}/mes-observation-bodyheight`, label: 'Taille',
    units: length([unit('[ft_i]', 'ft', ['ft', 'foot', 'feet'], 12 * INCH)]),
    min: 20, max: 260, decimals: 1, computed: false,
  },
  BODY_MASS_INDEX: {
    code: 'BODY_MASS_INDEX', loinc: '39156-5', display: 'Body mass index (BMI) [Ratio]', aliases: [], profile: `${MES_PROFILE_BASE}/mes-observation-bmi`, label: 'Indice de masse corporelle (IMC)',
    units: [unit('kg/m2', 'kg/m²', ['kg/m²', 'kg/m^2', 'kg.m-2'])],
    min: 5, max: 150, decimals: 1, computed: true,
  },
  WAIST_CIRCUMFERENCE: {
    code: 'WAIST_CIRCUMFERENCE', loinc: '8280-0', display: 'Waist Circumference at umbilicus by Tape measure', aliases: [], profile: `${MES_PROFILE_BASE}/mes-observation-waistcircumference`, label: 'Tour de taille',
    units: length(), min: 20, max: 300, decimals: 1, computed: false,
  },
  HEAD_CIRCUMFERENCE: {
    code: 'HEAD_CIRCUMFERENCE', loinc: '8287-5', display: 'Head Circumference by Tape measure', aliases: ['9843-4'], profile: `${MES_PROFILE_BASE}/mes-observation-headcircumference`, label: 'Périmètre crânien',
    units: length(), min: 15, max: 80, decimals: 1, computed: false,
  },
  BODY_TEMPERATURE: {
    code: 'BODY_TEMPERATURE', loinc: '8310-5', display: 'Body temperature', aliases: ['8331-1', '8332-9', '8333-7', '8328-7'], profile: `${MES_PROFILE_BASE}/mes-observation-bodytemperature`, label: 'Température',
    units: [
      unit('Cel', '°C', ['°C', 'C', 'degC', 'degrees C', 'celsius', 'Celsius']),
      { ucum: '[degF]', display: '°F', spellings: ['°F', 'F', 'degF', 'degrees F', 'fahrenheit', 'Fahrenheit'], toDefault: (v) => ((v - 32) * 5) / 9, fromDefault: (v) => (v * 9) / 5 + 32 },
    ],
    min: 25, max: 45, decimals: 1, computed: false,
  },
  BLOOD_PRESSURE: {
    code: 'BLOOD_PRESSURE', loinc: '85354-9', display: 'Blood pressure panel with all children optional', aliases: ['55284-4', '35094-2'], profile: `${MES_PROFILE_BASE}/mes-observation-bp`, label: 'Tension artérielle',
    units: [MMHG, CMHG],
    min: 20, max: 300, decimals: 0, computed: false,
    components: [
      { key: 'systolic', label: 'Systolique', loinc: '8480-6', min: 40, max: 300 },
      { key: 'diastolic', label: 'Diastolique', loinc: '8462-4', min: 20, max: 200 },
    ],
  },
  HEART_RATE: {
    code: 'HEART_RATE', loinc: '8867-4', display: 'Heart rate', aliases: [], profile: `${MES_PROFILE_BASE}/mes-observation-heartrate`, label: 'Fréquence cardiaque',
    units: [unit('/min', 'bpm', ['bpm', 'beats/minute', 'beats/min', '{beats}/min', '{beat}/min', 'per minute', '1/min', 'min-1'])],
    min: 20, max: 300, decimals: 0, computed: false,
  },
  GLUCOSE: {
    code: 'GLUCOSE', loinc: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', aliases: ['2339-0', '41653-7', '15074-8', '14749-6', '2341-6', '14743-9'],
    profile: `${MES_PROFILE_BASE}/mes-observation-glucose`, label: 'Glycémie',
    units: [
      unit('g/L', 'g/L', ['g/l']),
      unit('mmol/L', 'mmol/L', ['mmol/l'], GLUCOSE_G_PER_MMOL),
      unit('mg/dL', 'mg/dL', ['mg/dl'], 0.01),
    ],
    min: 0.1, max: 10, decimals: 2, computed: false,
  },
  PAIN_SEVERITY: {
    code: 'PAIN_SEVERITY', loinc: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', aliases: [], profile: `${MES_PROFILE_BASE}/mes-observation-painseverity`, label: 'Intensité de la douleur',
    units: [unit('1', '/10', ['Level', 'level', '{score}', '{Score}', 'score', '/10'])],
    min: 0, max: 10, decimals: 0, computed: false,
  },
  STEPS_BY_DAY: {
    code: 'STEPS_BY_DAY', loinc: '41950-7', display: 'Number of steps in 24 hour Measured', aliases: [], profile: `${MES_PROFILE_BASE}/mes-observation-stepsbyday`, label: 'Nombre de pas par jour',
    units: [unit('1/(24.h)', 'pas/jour', ['steps/day', 'pas/jour', '/d', '{steps}/d', '{steps}/(24.h)', '/(24.h)', '1/d'])],
    min: 0, max: 150_000, decimals: 0, computed: false,
  },
};

/** Every UCUM code also accepted (as an alias of another) for the same unit on input: "{score}" for pain... */
const UCUM_ALIASES: Partial<Record<MeasureCode, Record<string, string>>> = {
  PAIN_SEVERITY: { '{score}': '1', '{Score}': '1' },
  HEART_RATE: { '{beats}/min': '/min', '{beat}/min': '/min', '1/min': '/min' },
  STEPS_BY_DAY: { '/d': '1/(24.h)', '{steps}/d': '1/(24.h)', '1/d': '1/(24.h)', '/(24.h)': '1/(24.h)', '{steps}/(24.h)': '1/(24.h)' },
  HEIGHT: { '[in_us]': '[in_i]' },
};

const byLoinc = new Map<string, MeasureDef>();
for (const def of Object.values(MEASURES)) for (const code of [def.loinc, ...def.aliases]) byLoinc.set(code, def);

/** The measure a LOINC code records (its own code or an alias), if it is in the catalogue. */
export function measureOfLoinc(code: string): MeasureDef | undefined {
  return byLoinc.get(code);
}

/** The LOINC codes that record this measure, its own first. */
export function loincCodesOf(code: MeasureCode): string[] {
  const def = MEASURES[code];
  return [def.loinc, ...def.aliases.filter((a) => a !== def.loinc)];
}

export function isMeasureCode(v: unknown): v is MeasureCode {
  return typeof v === 'string' && Object.hasOwn(MEASURES, v);
}

/** The accepted unit given as a UCUM code, or undefined. */
export function unitByUcum(def: MeasureDef, ucum: string): UnitDef | undefined {
  const canonical = UCUM_ALIASES[def.code]?.[ucum] ?? ucum;
  return def.units.find((u) => u.ucum === canonical);
}

/** The accepted unit written as text (valueQuantity.unit, or what a person typed), or undefined. */
export function unitByText(def: MeasureDef, text: string): UnitDef | undefined {
  const t = text.trim();
  const exact = unitByUcum(def, t) ?? def.units.find((u) => u.display === t || u.spellings.includes(t));
  if (exact) return exact;
  const lower = t.toLowerCase();
  return def.units.find((u) => u.ucum.toLowerCase() === lower || u.display.toLowerCase() === lower || u.spellings.some((s) => s.toLowerCase() === lower));
}

/** Rounds to `decimals` places (half away from zero, without binary surprises such as 1.005 → 1). */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.sign(value) * Math.round(Math.abs(value) * f + Number.EPSILON * f) / f;
}

/** A value in the default unit of its measure, kept with one more decimal than shown. */
export function toDefaultUnit(def: MeasureDef, u: UnitDef, value: number): number {
  return u === def.units[0] ? value : round(u.toDefault(value), def.decimals + 1);
}

/** The catalogue as the API gives it (GET /api/profile/measures/catalogue). */
export function catalogue(): MeasureDefinition[] {
  return Object.values(MEASURES).map((d) => ({
    code: d.code,
    loinc: d.loinc,
    label: d.label,
    units: d.units.map((u) => u.ucum),
    min: d.min,
    max: d.max,
    decimals: d.decimals,
    computed: d.computed,
    ...(d.components ? { components: d.components.map((c) => ({ ...c })) } : {}),
  }));
}
