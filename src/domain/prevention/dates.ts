import { daysInMonth, isCalendarDate } from '../ins/calendar.js';
import type { AgeOffset } from './types.js';

/**
 * Civil dates (YYYY-MM-DD) without time zones, for the prevention engine. The arithmetic is done on year, month
 * and day integers and on day numbers (days since 1970-01-01, proleptic Gregorian calendar), never on Date
 * objects: the engine runs over every profile every night and must stay cheap. Leap years, month lengths and
 * the check of a date string are the INS calendar's (src/domain/ins/calendar.ts).
 */

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number, as [year, month, day]. */
export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Whether a string is a real civil date YYYY-MM-DD (2026-02-30 is not): the INS calendar's rule. */
export function isCivilDate(s: unknown): s is string {
  return typeof s === 'string' && isCalendarDate(s);
}

/** A civil date's year, month and day (no check: use isCivilDate on untrusted input). */
export function parseCivil(s: string): [number, number, number] {
  return [
    (s.charCodeAt(0) - 48) * 1000 + (s.charCodeAt(1) - 48) * 100 + (s.charCodeAt(2) - 48) * 10 + (s.charCodeAt(3) - 48),
    (s.charCodeAt(5) - 48) * 10 + (s.charCodeAt(6) - 48),
    (s.charCodeAt(8) - 48) * 10 + (s.charCodeAt(9) - 48),
  ];
}

/** The day number of a civil date string. */
export function dayNumber(s: string): number {
  const [y, m, d] = parseCivil(s);
  return daysFromCivil(y, m, d);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatCivil(y: number, m: number, d: number): string {
  const ys = y >= 1000 ? String(y) : String(y).padStart(4, '0');
  return `${ys}-${pad2(m)}-${pad2(d)}`;
}

/** The civil date string of a day number. */
export function civilString(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return formatCivil(y, m, d);
}

/**
 * The day number of y-m-d plus an offset: years and months first (a month-end date clamps: 31 Jan + 1 month =
 * 28 or 29 Feb), then days.
 */
export function addOffsetDays(y: number, m: number, d: number, offset: AgeOffset): number {
  const months = (offset.years ?? 0) * 12 + (offset.months ?? 0);
  let yy = y;
  let mm = m;
  if (months !== 0) {
    const total = y * 12 + (m - 1) + months;
    yy = Math.floor(total / 12);
    mm = total - yy * 12 + 1;
  }
  const dim = daysInMonth(yy, mm);
  return daysFromCivil(yy, mm, d > dim ? dim : d) + (offset.days ?? 0);
}

/** A civil date plus an offset (years and months first, clamping a month end, then days). */
export function addOffset(date: string, offset: AgeOffset): string {
  const [y, m, d] = parseCivil(date);
  return civilString(addOffsetDays(y, m, d, offset));
}

/** A civil date plus (or minus) a number of days. */
export function addDays(date: string, days: number): string {
  return civilString(dayNumber(date) + days);
}

/** An offset in ISO 8601 duration form (P8Y, P2M, P1Y6M, P8D), as given in reasons. */
export function offsetText(offset: AgeOffset): string {
  const parts = `${offset.years ? `${offset.years}Y` : ''}${offset.months ? `${offset.months}M` : ''}${offset.days ? `${offset.days}D` : ''}`;
  return `P${parts || '0D'}`;
}
