import type { RuleProblem } from '../profile/rules.js';

type Json = Record<string, unknown>;

/**
 * The problems of an Observation that is a measure (a code of the measure catalogue): unknown unit,
 * implausible value, date in the future. Other Observations pass. Owned by the measures work (issue 8).
 */
export function measureProblems(_resource: Json, _now: Date): RuleProblem[] {
  return [];
}
