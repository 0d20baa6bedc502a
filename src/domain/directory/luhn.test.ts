import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasValidLuhn, luhnCheckDigit, makeFiness, makeRpps } from './luhn.js';

describe('Luhn keys', () => {
  it('computes known keys', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3); // the textbook example 79927398713
    expect(hasValidLuhn('79927398713')).toBe(true);
    expect(hasValidLuhn('79927398710')).toBe(false);
    expect(makeRpps('1000104536')).toHaveLength(11);
    expect(makeFiness('75000001')).toHaveLength(9);
  });

  it('refuses non-digits', () => {
    expect(() => luhnCheckDigit('12a4')).toThrow(RangeError);
    expect(() => makeRpps('123')).toThrow(RangeError);
    expect(hasValidLuhn('1')).toBe(false);
  });

  it('detects every single-digit change', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.nat(9), fc.integer({ min: 1, max: 9 }), (base, pos, delta) => {
        const rpps = makeRpps(base);
        expect(hasValidLuhn(rpps)).toBe(true);
        const changed = rpps.slice(0, pos) + ((Number(rpps[pos]) + delta) % 10) + rpps.slice(pos + 1);
        expect(hasValidLuhn(changed)).toBe(false);
      }),
    );
  });
});
