import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addOffset, civilFromDays, dayNumber, daysFromCivil, isCivilDate, offsetText } from './dates.js';

/** An independent oracle on Date.UTC: years and months first (clamping the day), then days. */
function oracle(date: string, o: { years?: number; months?: number; days?: number }): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y + (o.years ?? 0), m - 1 + (o.months ?? 0), 1));
  const lastDay = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay) + (o.days ?? 0));
  return first.toISOString().slice(0, 10);
}

const civil = fc
  .integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2150, 12, 31) })
  .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));

describe('civil dates', () => {
  it('clamps a month end when adding months, then adds days', () => {
    expect(addOffset('2025-01-31', { months: 1 })).toBe('2025-02-28');
    expect(addOffset('2024-01-31', { months: 1 })).toBe('2024-02-29');
    expect(addOffset('2024-02-29', { years: 1 })).toBe('2025-02-28');
    expect(addOffset('2024-02-29', { years: 4 })).toBe('2028-02-29');
    expect(addOffset('2025-01-31', { months: 1, days: 1 })).toBe('2025-03-01');
    expect(addOffset('2025-12-15', { months: 1 })).toBe('2026-01-15');
    expect(addOffset('2026-02-20', { months: 8 })).toBe('2026-10-20');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('agrees with an independent Date.UTC oracle', () => {
    fc.assert(
      fc.property(civil, fc.integer({ min: 0, max: 130 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 400 }), (date, years, months, days) => {
        expect(addOffset(date, { years, months, days })).toBe(oracle(date, { years, months, days }));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns day numbers and civil dates into each other', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(dayNumber('2026-11-23')).toBe(Date.UTC(2026, 10, 23) / 86_400_000);
    fc.assert(
      fc.property(civil, (date) => {
        const n = dayNumber(date);
        expect(n).toBe(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        const [y, m, d] = civilFromDays(n);
        expect([y, m, d]).toEqual(date.split('-').map(Number));
      }),
    );
  });

  it('checks civil dates', () => {
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2025-02-29')).toBe(false);
    expect(isCivilDate('2025-13-01')).toBe(false);
    expect(isCivilDate('2025-1-01')).toBe(false);
    expect(isCivilDate(20250101)).toBe(false);
    expect(isCivilDate('1900-02-29')).toBe(false);
    expect(isCivilDate('2000-02-29')).toBe(true);
  });

  it('gives ISO durations', () => {
    expect(offsetText({ years: 8 })).toBe('P8Y');
    expect(offsetText({ months: 16 })).toBe('P16M');
    expect(offsetText({ days: 0 })).toBe('P0D');
  });
});
