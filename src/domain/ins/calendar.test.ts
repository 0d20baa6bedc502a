import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  calendarDateOf,
  compareCalendarDates,
  daysInMonth,
  formatCalendarDate,
  isCalendarDate,
  isLeapYear,
  parseCalendarDate,
} from './calendar.js';

describe('isLeapYear', () => {
  it.each([
    [2024, true],
    [2023, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [1600, true],
  ])('%i: %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});

describe('daysInMonth', () => {
  it('knows every month', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
  });
});

describe('parseCalendarDate', () => {
  it('reads a date', () => {
    expect(parseCalendarDate('1984-12-03')).toEqual({ year: 1984, month: 12, day: 3 });
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-32',
    '0000-01-01',
    '84-12-03',
    '1984-1-3',
    '03/12/1984',
    '1984-12-03T00:00:00Z',
    ' 1984-12-03',
    '',
  ])('rejects %j', (input) => {
    expect(parseCalendarDate(input)).toBeUndefined();
    expect(isCalendarDate(input)).toBe(false);
  });

  it('agrees with Date.UTC on every day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = formatCalendarDate({ year, month, day });
          const instant = new Date(0);
          instant.setUTCFullYear(year, month - 1, day);
          const real = instant.getUTCDate() === day;
          expect(isCalendarDate(text)).toBe(real);
          if (real) expect(calendarDateOf(instant)).toBe(text);
        },
      ),
    );
  });
});

describe('formatCalendarDate', () => {
  it('pads', () => {
    expect(formatCalendarDate({ year: 812, month: 1, day: 2 })).toBe('0812-01-02');
  });
});

describe('calendarDateOf', () => {
  it('takes the UTC date', () => {
    expect(calendarDateOf(new Date('2024-03-01T23:30:00+01:00'))).toBe('2024-03-01');
    expect(calendarDateOf(new Date('2024-03-02T00:30:00+01:00'))).toBe('2024-03-01');
    expect(calendarDateOf(new Date('2024-03-02T01:00:00+01:00'))).toBe('2024-03-02');
  });

  it('throws on an invalid Date', () => {
    expect(() => calendarDateOf(new Date('nope'))).toThrow(RangeError);
  });
});

describe('compareCalendarDates', () => {
  it('orders dates', () => {
    expect(compareCalendarDates('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareCalendarDates('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareCalendarDates('2025-01-01', '2024-12-31')).toBe(1);
  });
});
