/**
 * The shapes of the measures in the application API: mirrors the "measures" part of src/contract/profile.ts,
 * which is the contract (the server does not import the web app's sources).
 */

export const MEASURE_CODES = [
  'WEIGHT',
  'HEIGHT',
  'BODY_MASS_INDEX',
  'WAIST_CIRCUMFERENCE',
  'HEAD_CIRCUMFERENCE',
  'BODY_TEMPERATURE',
  'BLOOD_PRESSURE',
  'HEART_RATE',
  'GLUCOSE',
  'PAIN_SEVERITY',
  'STEPS_BY_DAY',
] as const;
export type MeasureCode = (typeof MEASURE_CODES)[number];

export interface EntrySource {
  kind: 'patient' | 'professional' | 'app';
  name?: string;
}

export interface MeasureDefinition {
  code: MeasureCode;
  loinc: string;
  label: string;
  units: string[];
  min: number;
  max: number;
  decimals: number;
  computed: boolean;
  components?: { key: 'systolic' | 'diastolic'; label: string; loinc: string; min: number; max: number }[];
}

export interface MeasureInput {
  code: MeasureCode;
  value?: number;
  systolic?: number;
  diastolic?: number;
  unit: string;
  date: string;
}

export interface Measure {
  id: string;
  code: MeasureCode;
  value?: number;
  systolic?: number;
  diastolic?: number;
  unit: string;
  date: string;
  source: EntrySource;
}

export interface MeasureTarget {
  code: MeasureCode;
  low?: number;
  high?: number;
}

export interface MeasureSeries {
  code: MeasureCode;
  measures: Measure[];
  target: MeasureTarget | null;
}

export interface Dashboard {
  tiles: { code: MeasureCode; last: Measure | null; target: MeasureTarget | null }[];
}

export type GrowthMeasure = 'weight' | 'height' | 'head-circumference' | 'bmi';
export const GROWTH_MEASURES: readonly GrowthMeasure[] = ['weight', 'height', 'head-circumference', 'bmi'];

export interface GrowthCurve {
  key: string;
  label: string;
  emphasis: boolean;
  points: { ageMonths: number; value: number }[];
}

export interface GrowthChart {
  measure: GrowthMeasure;
  sex: 'male' | 'female';
  birthDate: string;
  unit: string;
  reference: { id: string; name: string; citation: string };
  references: { id: string; name: string }[];
  points: { ageMonths: number; value: number; date: string }[];
  curves: GrowthCurve[];
}
