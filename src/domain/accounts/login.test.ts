import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOGIN_MAX_LENGTH, LOGIN_MIN_LENGTH, checkLogin, isValidLogin, suggestLogins } from './login.js';

const none = () => false;

describe('checkLogin', () => {
  it.each(['camille.martin', 'jdupont_75', 'A-B.C_D-1', '12345678', 'abcdefgh', 'a'.repeat(64), '........'])(
    'accepts %j',
    (login) => {
      expect(checkLogin(login)).toEqual([]);
      expect(isValidLogin(login)).toBe(true);
    },
  );

  it('has the length bounds 8 and 64', () => {
    expect([LOGIN_MIN_LENGTH, LOGIN_MAX_LENGTH]).toEqual([8, 64]);
    expect(checkLogin('abcdefg')).toEqual(['login.too-short']);
    expect(checkLogin('abcdefgh')).toEqual([]);
    expect(checkLogin('a'.repeat(65))).toEqual(['login.too-long']);
    expect(checkLogin('')).toEqual(['login.too-short']);
  });

  it.each([
    'hélène.martin',
    'camille martin',
    'camille@martin',
    'camille+test',
    "o'neil.jean",
    'ÉLODIE.MARTIN',
    'jean\tpierre',
    'zoë-dupont',
  ])('rejects %j for its characters', (login) => {
    expect(checkLogin(login)).toEqual(['login.invalid-characters']);
  });

  it('reports length and characters together', () => {
    expect(checkLogin('é')).toEqual(['login.too-short', 'login.invalid-characters']);
    expect(checkLogin('é'.repeat(65))).toEqual(['login.too-long', 'login.invalid-characters']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkLogin('😀😀😀😀')).toEqual(['login.too-short', 'login.invalid-characters']);
  });

  it('accepts exactly the strings of 8–64 characters among A–Z a–z 0–9 . - _', () => {
    const loginChar = fc.constantFrom(...'abcXYZ0189.-_');
    fc.assert(
      fc.property(fc.string({ unit: loginChar, minLength: 8, maxLength: 64 }), (login) => {
        expect(checkLogin(login)).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), (login) => {
        const valid = /^[A-Za-z0-9._-]{8,64}$/.test(login);
        expect(isValidLogin(login)).toBe(valid);
      }),
    );
  });
});

describe('suggestLogins', () => {
  it('suggests given.family, then numbered variants', () => {
    expect(suggestLogins('Camille', 'Martin', none)).toEqual(['camille.martin', 'camille.martin2', 'camille.martin3']);
  });

  it('skips taken logins', () => {
    const taken = new Set(['camille.martin', 'camille.martin3']);
    expect(suggestLogins('Camille', 'Martin', (l) => taken.has(l))).toEqual([
      'camille.martin2',
      'camille.martin4',
      'camille.martin5',
    ]);
  });

  it('folds accents, ligatures and separators', () => {
    expect(suggestLogins('Hélène', "de La Tour-d'Auvergne", none, 1)).toEqual(['helene.de-la-tour-dauvergne']);
    expect(suggestLogins('Jean Pierre', 'LŒUVRE', none, 1)).toEqual(['jean-pierre.loeuvre']);
    expect(suggestLogins('  Zoé ', ' Ñúñez  ', none, 1)).toEqual(['zoe.nunez']);
    expect(suggestLogins('Anne_Marie', 'O’Neil', none, 1)).toEqual(['anne-marie.oneil']);
  });

  it('pads short stems with a zero-filled number', () => {
    expect(suggestLogins('Li', 'Wu', none)).toEqual(['li.wu001', 'li.wu002', 'li.wu003']);
    expect(suggestLogins('Léa', 'Roy', none)).toEqual(['lea.roy1', 'lea.roy2', 'lea.roy3']);
  });

  it('uses one name when the other has no usable letter, and a fallback when neither has', () => {
    expect(suggestLogins('', 'Martin', none, 1)).toEqual(['martin01']);
    expect(suggestLogins('Камила', 'Martinez', none, 1)).toEqual(['martinez']);
    expect(suggestLogins('李', '王', none, 2)).toEqual(['utilisateur', 'utilisateur2']);
  });

  it('cuts long stems to stay within 64 characters', () => {
    const suggestions = suggestLogins('Marie-Charlotte-Élisabeth-Antoinette', 'de Montmorency-Laval-Beaufort-Saint-Simon', none, 12);
    expect(suggestions).toHaveLength(12);
    for (const login of suggestions) {
      expect(login.length).toBeLessThanOrEqual(64);
      expect(checkLogin(login)).toEqual([]);
    }
    expect(suggestions[0]).toBe('marie-charlotte-elisabeth-antoinette.de-montmorency-laval-beaufo');
    expect(suggestions[11]).toBe('marie-charlotte-elisabeth-antoinette.de-montmorency-laval-beau12');
  });

  it('returns the number asked for, or fewer if it gives up', () => {
    expect(suggestLogins('Camille', 'Martin', none, 0)).toEqual([]);
    expect(suggestLogins('Camille', 'Martin', none, 5)).toHaveLength(5);
    expect(suggestLogins('Camille', 'Martin', () => true)).toEqual([]);
  });

  it('only suggests valid, free, distinct logins', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 70 }),
        fc.array(fc.nat({ max: 30 }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 6 }),
        (given, family, takenNumbers, count) => {
          const takenLogins = new Set<string>();
          const first = suggestLogins(given, family, none, 31);
          for (const n of takenNumbers) if (first[n]) takenLogins.add(first[n]);
          const suggestions = suggestLogins(given, family, (l) => takenLogins.has(l), count);
          expect(suggestions).toHaveLength(count);
          expect(new Set(suggestions).size).toBe(count);
          for (const login of suggestions) {
            expect(checkLogin(login)).toEqual([]);
            expect(takenLogins.has(login)).toBe(false);
          }
        },
      ),
    );
  });
});
