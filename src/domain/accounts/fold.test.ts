import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldName, foldText } from './fold.js';

describe('foldText', () => {
  it.each([
    ['Hélène', 'helene'],
    ['ÉLODIE', 'elodie'],
    ['Œuvre', 'oeuvre'],
    ['cœur', 'coeur'],
    ['Lætitia', 'laetitia'],
    ['Straße', 'strasse'],
    ['Søren', 'soren'],
    ['Łukasz', 'lukasz'],
    ['François-Noël', 'francois-noel'],
    ['ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ', 'aaaceeeeiioouuuy'],
    ['ﬁ', 'fi'],
    ['Ａｂｃ', 'abc'],
    ['e\u0301', 'e'],
    ['123 !?', '123 !?'],
  ])('%j → %j', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('is idempotent and leaves ASCII lower-case text alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(foldText(foldText(s))).toBe(foldText(s));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcxyz0123 .-_@') }), (s) => {
        expect(foldText(s)).toBe(s);
      }),
    );
  });
});

describe('foldName', () => {
  it.each([
    ['Jean-Pierre', 'jean pierre'],
    ['  JEAN   PIERRE ', 'jean pierre'],
    ["D'Artagnan", 'd artagnan'],
    ['D’ARTAGNAN', 'd artagnan'],
    ['Marie--Ève', 'marie eve'],
    ['', ''],
    [' - ', ''],
  ])('%j → %j', (input, expected) => {
    expect(foldName(input)).toBe(expected);
  });
});
