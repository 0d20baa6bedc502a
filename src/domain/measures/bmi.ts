import { round } from './catalogue.js';

/**
 * The body mass index (BMI, LOINC 39156-5): weight (kg) divided by the square of the height (m), kept with two
 * decimals (shown with one). Undefined when either is not a positive number. Pure.
 */
export function bodyMassIndex(weightKg: number, heightCm: number): number | undefined {
  if (!(weightKg > 0) || !(heightCm > 0) || !Number.isFinite(weightKg) || !Number.isFinite(heightCm)) return undefined;
  const m = heightCm / 100;
  return round(weightKg / (m * m), 2);
}

/** How far apart the weight and the height of a BMI may be (ms): a year for an adult, a month for a child. */
export const BMI_PAIRING_WINDOW = { adult: 365 * 86_400_000, child: 31 * 86_400_000 } as const;

/**
 * Which measure of the other kind (a height for a weight, a weight for a height) the BMI of a measure taken at
 * `at` is computed with: the closest in time (the same day first) within the window, or none.
 */
export function pairFor<T extends { at: number }>(at: number, others: readonly T[], window: number): T | undefined {
  let best: T | undefined;
  for (const o of others) {
    const d = Math.abs(o.at - at);
    if (d > window) continue;
    if (!best || d < Math.abs(best.at - at) || (d === Math.abs(best.at - at) && o.at > best.at)) best = o;
  }
  return best;
}
