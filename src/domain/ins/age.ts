/**
 * Age and majority (18 years), used for the profiles of minors and the access of their legal
 * representatives. Rules: /work/shared/reference/domain.md §1.7 (at majority, consents are re-asked and the
 * representatives' access ends).
 *
 * Someone born on 29 February has their birthday on 1 March in non-leap years.
 */
import { calendarDateOf, formatCalendarDate, isLeapYear, parseCalendarDate, type CalendarDate } from './calendar.js';

/** The age of majority in France. */
export const MAJORITY_AGE = 18;

/**
 * Age in whole years on the (UTC) calendar date of `on`; negative before the birth date.
 * Throws a RangeError if `birthDate` is not a real "YYYY-MM-DD" date.
 */
export function ageOn(birthDate: string, on: Date): number {
  const birth = mustParse(birthDate);
  const today = parseCalendarDate(calendarDateOf(on)) as CalendarDate;
  const years = today.year - birth.year;
  // In a non-leap year, "before 29 Feb" is the same as "before 1 Mar": the plain comparison is right.
  const beforeBirthday = today.month < birth.month || (today.month === birth.month && today.day < birth.day);
  return beforeBirthday ? years - 1 : years;
}

/** The date of the `years`-th birthday, "YYYY-MM-DD" (29 February → 1 March in non-leap years). */
export function anniversary(birthDate: string, years: number): string {
  const birth = mustParse(birthDate);
  const year = birth.year + years;
  if (year < 1 || year > 9999) throw new RangeError(`anniversary out of range: year ${year}`);
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return formatCalendarDate({ year, month: 3, day: 1 });
  return formatCalendarDate({ year, month: birth.month, day: birth.day });
}

/** The 18th birthday, "YYYY-MM-DD": from that day on, the person is of age. */
export function majorityDate(birthDate: string): string {
  return anniversary(birthDate, MAJORITY_AGE);
}

/** True when the person is 18 or older on the (UTC) calendar date of `on`. */
export function isOfAge(birthDate: string, on: Date): boolean {
  return ageOn(birthDate, on) >= MAJORITY_AGE;
}

function mustParse(birthDate: string): CalendarDate {
  const birth = parseCalendarDate(birthDate);
  if (!birth) throw new RangeError(`birth date must be a real date YYYY-MM-DD, got "${birthDate}"`);
  return birth;
}
