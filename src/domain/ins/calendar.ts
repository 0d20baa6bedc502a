/**
 * Calendar dates as the INS traits carry them: "YYYY-MM-DD" strings, no time, no time zone.
 * Rules: /work/shared/reference/domain.md §1.2 (date de naissance) and §1.7 (majority).
 *
 * A `Date` instant is turned into a calendar date with its UTC date. Carnet serves Europe/Paris, one or
 * two hours ahead of UTC: the approximation is off only between midnight and 1–2 a.m., Paris time.
 */

export interface CalendarDate {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31. */
  readonly day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads a real calendar date "YYYY-MM-DD" (year 0001–9999); undefined for anything else, e.g. "2023-02-29". */
export function parseCalendarDate(input: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isCalendarDate(input: string): boolean {
  return parseCalendarDate(input) !== undefined;
}

/** Writes a calendar date as "YYYY-MM-DD". */
export function formatCalendarDate(date: CalendarDate): string {
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** The (UTC) calendar date of an instant, "YYYY-MM-DD". Throws a RangeError on an invalid Date. */
export function calendarDateOf(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
  return formatCalendarDate({
    year: instant.getUTCFullYear(),
    month: instant.getUTCMonth() + 1,
    day: instant.getUTCDate(),
  });
}

/** Compares two "YYYY-MM-DD" dates: negative, zero or positive (plain string order works for this format). */
export function compareCalendarDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
