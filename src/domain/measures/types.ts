/**
 * The shapes of the measures in the application API: the contract's (src/contract/profile.ts, "measures"),
 * re-exported, and what the server alone needs beside them.
 */
import type { GrowthChart, GrowthMeasure } from '../../contract/profile.js';

export { MEASURE_CODES } from '../../contract/profile.js';
export type { Dashboard, EntrySource, GrowthChart, GrowthMeasure, Measure, MeasureCode, MeasureDefinition, MeasureInput, MeasureSeries, MeasureTarget } from '../../contract/profile.js';

export const GROWTH_MEASURES: readonly GrowthMeasure[] = ['weight', 'height', 'head-circumference', 'bmi'];

/** One reference line of a growth chart. */
export type GrowthCurve = GrowthChart['curves'][number];
