/**
 * The LMS method (Cole 1990) of the growth references: at a given age, a measurement's distribution is
 * described by its Box-Cox power L, median M and coefficient of variation S. Pure.
 */

export interface Lms {
  L: number;
  M: number;
  S: number;
}

/** One row of an LMS table. */
export interface LmsRow extends Lms {
  ageMonths: number;
}

/** The value at a z-score: M(1 + L·S·z)^(1/L), or M·exp(S·z) when L = 0. */
export function valueAtZ({ L, M, S }: Lms, z: number): number {
  if (Math.abs(L) < 1e-12) return M * Math.exp(S * z);
  const base = 1 + L * S * z;
  // beyond the curve's domain (far tails with a negative L): no value
  if (base <= 0) return Number.NaN;
  // log1p keeps the precision when L is close to 0 (base ** (1 / L) loses it)
  return M * Math.exp(Math.log1p(L * S * z) / L);
}

/** The z-score of a value: ((value/M)^L − 1)/(L·S), or ln(value/M)/S when L = 0. */
export function zOfValue({ L, M, S }: Lms, value: number): number {
  if (Math.abs(L) < 1e-12) return Math.log(value / M) / S;
  // expm1 keeps the precision when L is close to 0 ((value / M) ** L − 1 loses it)
  return Math.expm1(L * Math.log(value / M)) / (L * S);
}

/**
 * The z-score of a centile (the inverse of the standard normal distribution), by Acklam's rational
 * approximation (relative error below 1.2e-9).
 */
export function zOfCentile(centile: number): number {
  const p = centile / 100;
  if (!(p > 0 && p < 1)) throw new RangeError(`a centile is between 0 and 100 (exclusive), got ${centile}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** The complementary error function (Numerical Recipes erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal cumulative distribution, as a centile (0..100). */
export function centileOfZ(z: number): number {
  return 50 * erfc(-z / Math.SQRT2);
}

/** L, M and S at an age, linearly interpolated between the table's rows; undefined outside the table. */
export function lmsAt(rows: readonly LmsRow[], ageMonths: number): Lms | undefined {
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  if (ageMonths < first.ageMonths - 1e-9 || ageMonths > last.ageMonths + 1e-9) return undefined;
  let lo = 0;
  let hi = rows.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.ageMonths <= ageMonths) lo = mid;
    else hi = mid;
  }
  const a = rows[lo]!;
  const b = rows[hi]!;
  if (b.ageMonths === a.ageMonths || ageMonths <= a.ageMonths) return { L: a.L, M: a.M, S: a.S };
  if (ageMonths >= b.ageMonths) return { L: b.L, M: b.M, S: b.S };
  const f = (ageMonths - a.ageMonths) / (b.ageMonths - a.ageMonths);
  return { L: a.L + f * (b.L - a.L), M: a.M + f * (b.M - a.M), S: a.S + f * (b.S - a.S) };
}

/** Days in an average month (365.25 / 12), as the WHO standards count age. */
export const DAYS_PER_MONTH = 30.4375;

/** Age in months (decimal) on a date, from the birth date (both YYYY-MM-DD or instants). */
export function ageInMonths(birthDate: string, on: string | Date): number {
  const birth = Date.parse(birthDate.slice(0, 10));
  const at = typeof on === 'string' ? Date.parse(on) : on.getTime();
  return (at - birth) / 86_400_000 / DAYS_PER_MONTH;
}
