import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAJORITY_AGE, ageOn, anniversary, isOfAge, majorityDate } from './age.js';
import { formatCalendarDate, isCalendarDate, parseCalendarDate } from './calendar.js';

const at = (date: string) => new Date(`${date}T12:00:00Z`);

describe('ageOn', () => {
  it.each([
    ['1984-12-03', '2024-12-02', 39],
    ['1984-12-03', '2024-12-03', 40],
    ['1984-12-03', '2024-12-04', 40],
    ['1984-12-03', '1984-12-03', 0],
    ['1984-12-03', '1985-12-02', 0],
    ['1984-12-03', '1984-12-02', -1],
    ['2024-02-29', '2025-02-28', 0],
    ['2024-02-29', '2025-03-01', 1],
    ['2024-02-29', '2028-02-28', 3],
    ['2024-02-29', '2028-02-29', 4],
  ])('born %s, on %s: %i', (birth, on, age) => {
    expect(ageOn(birth, at(on))).toBe(age);
  });

  it('uses the UTC date of the instant', () => {
    expect(ageOn('2000-06-15', new Date('2018-06-14T23:59:59Z'))).toBe(17);
    expect(ageOn('2000-06-15', new Date('2018-06-15T00:00:00Z'))).toBe(18);
  });

  it.each(['2023-02-29', '15/06/2000', ''])('throws on birth date %j', (birth) => {
    expect(() => ageOn(birth, at('2024-01-01'))).toThrow(RangeError);
  });
});

describe('majorityDate', () => {
  it.each([
    ['2006-05-17', '2024-05-17'],
    ['2008-02-29', '2026-03-01'],
    ['2006-02-28', '2024-02-28'],
    ['2010-02-28', '2028-02-28'],
    ['1984-02-29', '2002-03-01'],
    ['2012-02-29', '2030-03-01'],
    ['1982-02-28', '2000-02-28'],
  ])('born %s: of age on %s', (birth, majority) => {
    expect(majorityDate(birth)).toBe(majority);
  });

  it('keeps 29 February when the 18th birthday falls in a leap year', () => {
    // 18 years after a leap year is never a leap year, but other anniversaries can be
    expect(anniversary('2000-02-29', 4)).toBe('2004-02-29');
    expect(anniversary('2000-02-29', 100)).toBe('2100-03-01');
  });

  it('throws on an invalid birth date or an out-of-range year', () => {
    expect(() => majorityDate('2023-02-29')).toThrow(RangeError);
    expect(() => anniversary('9990-01-01', 18)).toThrow(RangeError);
  });

  it('exports the age of majority', () => {
    expect(MAJORITY_AGE).toBe(18);
  });
});

describe('age properties', () => {
  const birthArb = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const dayBefore = (date: string) => new Date(at(date).getTime() - 86_400_000);

  it('one is 18 on the majority date and 17 the day before', () => {
    fc.assert(
      fc.property(birthArb, (birth) => {
        const majority = majorityDate(birth);
        expect(isCalendarDate(majority)).toBe(true);
        expect(ageOn(birth, at(majority))).toBe(MAJORITY_AGE);
        expect(ageOn(birth, dayBefore(majority))).toBe(MAJORITY_AGE - 1);
        expect(isOfAge(birth, at(majority))).toBe(true);
        expect(isOfAge(birth, dayBefore(majority))).toBe(false);
      }),
    );
  });

  it('the majority date keeps the month and day, but for 29 February in a non-leap year', () => {
    fc.assert(
      fc.property(birthArb, (birth) => {
        const b = parseCalendarDate(birth)!;
        const m = parseCalendarDate(majorityDate(birth))!;
        expect(m.year).toBe(b.year + 18);
        if (birth.endsWith('-02-29')) expect(formatCalendarDate({ ...m, year: 2000 })).toBe('2000-03-01');
        else expect([m.month, m.day]).toEqual([b.month, b.day]);
      }),
    );
  });

  it('age never decreases with time and grows by one each anniversary', () => {
    fc.assert(
      fc.property(birthArb, fc.integer({ min: 0, max: 120 }), (birth, years) => {
        fc.pre(Number(birth.slice(0, 4)) + years <= 9999);
        const day = anniversary(birth, years);
        expect(ageOn(birth, at(day))).toBe(years);
        expect(ageOn(birth, dayBefore(day))).toBe(years - 1);
      }),
    );
  });
});
