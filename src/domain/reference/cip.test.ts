import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cip13OfCip7, cip13Problem, ean13CheckDigit, isCip13 } from './cip.js';

describe('CIP13', () => {
  it('follows the worked example of reference-data.md §4.3', () => {
    expect(ean13CheckDigit('340093595583')).toBe(8);
    expect(cip13OfCip7('3595583')).toBe('3400935955838');
    expect(isCip13('3400935955838')).toBe(true);
  });

  it('refuses a wrong check digit, a wrong prefix and a wrong length', () => {
    expect(cip13Problem('3400935955839')).toBe('check-digit');
    expect(cip13Problem('3500935955838')).toBe('prefix');
    expect(cip13Problem('340093595583')).toBe('format');
    expect(cip13Problem('34009359558a8')).toBe('format');
  });

  it('accepts every CIP13 built from a CIP7 and refuses any other last digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), fc.integer({ min: 1, max: 9 }), (cip7, shift) => {
        const code = cip13OfCip7(cip7);
        expect(isCip13(code)).toBe(true);
        const wrong = `${code.slice(0, 12)}${(Number(code[12]) + shift) % 10}`;
        expect(cip13Problem(wrong)).toBe('check-digit');
      }),
    );
  });
});
