import type { GrowthChart, GrowthMeasure } from '../types.js';
import { ageInMonths } from './lms.js';
import { UNITS, type GrowthReference, type Sex } from './references.js';

/** Age of majority: growth charts are for minors. */
export const CHILD_MAX_MONTHS = 18 * 12;

/**
 * The reference a chart uses when none is asked: for the BMI, the IOTF cut-offs (the French carnet de santé
 * shows them) from 2 years, where they start; otherwise the first reference that covers the measure.
 */
export function defaultReference(refs: readonly GrowthReference[], measure: GrowthMeasure, ageMonths: number): GrowthReference | undefined {
  const covering = refs.filter((r) => r.measures.includes(measure));
  if (measure === 'bmi' && ageMonths >= 24) {
    const iotf = covering.find((r) => r.id === 'iotf');
    if (iotf) return iotf;
  }
  return covering.find((r) => r.id !== 'iotf') ?? covering[0];
}

/**
 * Up to which age the curves are drawn: at least 3 years, and a year beyond the child's age (rounded up to a
 * whole year), so that the child's points sit inside the chart with room to grow.
 */
export function chartEndMonths(ageNowMonths: number): number {
  return Math.min(CHILD_MAX_MONTHS, Math.max(36, Math.ceil(ageNowMonths / 12) * 12 + 12));
}

export interface ChartInput {
  measure: GrowthMeasure;
  sex: Sex;
  birthDate: string;
  now: Date;
  /** The child's measures in the chart's unit, with their dates (YYYY-MM-DD or instants). */
  measures: { value: number; date: string }[];
  reference: GrowthReference | undefined;
  /** Every reference Carnet has (the chart lists the others that cover the measure). */
  all: readonly GrowthReference[];
}

/** When no reference covers the measure, the chart still shows the child's measures, and says so. */
export const NO_REFERENCE = { id: 'none', name: 'Aucune courbe de référence', citation: 'Aucune courbe de référence n’est installée pour cette mesure.' };

/** The chart of one measure of a child (GET /api/profile/growth). Pure. */
export function growthChart(input: ChartInput): GrowthChart {
  const { measure, sex, birthDate, reference } = input;
  const ageNow = ageInMonths(birthDate, input.now);
  const end = chartEndMonths(ageNow);
  const curves = reference?.curves(measure, sex);
  const points = input.measures
    .map((m) => ({ ageMonths: Math.round(ageInMonths(birthDate, m.date) * 100) / 100, value: m.value, date: m.date }))
    .filter((p) => p.ageMonths >= -0.01 && p.ageMonths <= CHILD_MAX_MONTHS)
    .sort((a, b) => a.ageMonths - b.ageMonths || a.date.localeCompare(b.date));
  const lastPoint = points.length > 0 ? points[points.length - 1]!.ageMonths : 0;
  return {
    measure,
    sex,
    birthDate,
    unit: curves?.unit ?? UNITS[measure],
    reference: reference && curves ? { id: reference.id, name: reference.name, citation: reference.citation } : NO_REFERENCE,
    references: input.all.filter((r) => r.measures.includes(measure) && r.id !== reference?.id).map((r) => ({ id: r.id, name: r.name })),
    points,
    curves: curves ? curves.lines(0, Math.max(end, Math.min(CHILD_MAX_MONTHS, Math.ceil(lastPoint)))) : [],
  };
}
