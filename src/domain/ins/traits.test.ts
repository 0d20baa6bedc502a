import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { InsSex, InsTraits } from './ins.js';
import { makeNir, parseNir, type Nir, type NirParts, type NirSex } from './nir.js';
import { MAX_NAME_LENGTH, checkInsName, isBirthPlaceCode, nirMatchesTraits, validateTraits } from './traits.js';

const TODAY = new Date('2025-06-01T10:00:00Z');

const JEAN: InsTraits = {
  birthName: 'MARTIN',
  firstGivenName: 'Jean',
  givenNames: ['Jean', 'Édouard'],
  birthDate: '1984-12-03',
  sex: 'M',
  birthPlaceCode: '76451',
};

function nir(value: string): Nir {
  const result = parseNir(value);
  if (!result.ok) throw new Error(result.error);
  return result.nir;
}

describe('checkInsName', () => {
  it.each([
    'MARTIN',
    'Martin',
    'DE LA FONTAINE',
    'Jean-Édouard',
    "D'ARTAGNAN",
    'Hélène',
    'ŒUVRE',
    'Cœur',
    'Læticia',
    'Zoé',
    'ÇÀÂÄÉÈÊËÎÏÔÖÙÛÜŸ',
    'çàâäéèêëîïôöùûüÿ',
    'A',
    'x'.repeat(MAX_NAME_LENGTH),
  ])('accepts %j', (name) => {
    expect(checkInsName(name, 'name')).toEqual([]);
  });

  it('rejects the empty name', () => {
    expect(checkInsName('', 'birth name')).toEqual(['birth name must not be empty']);
  });

  it('rejects names longer than 100 characters', () => {
    expect(checkInsName('A'.repeat(101), 'birth name')).toEqual(['birth name must have at most 100 characters, got 101']);
  });

  it.each([
    ['MARTIN2', '"2"'],
    ['O’NEIL', '"’"'],
    ['MARTIN_DUPONT', '"_"'],
    ['Ñuñez', '"Ñ", "ñ"'],
    ['Łukasz', '"Ł"'],
    ['Jean.Paul', '"."'],
    ['Jean\tPaul', '"\\t"'],
    ['ÃO', '"Ã"'],
  ])('rejects %j, naming the characters %s', (name, chars) => {
    expect(checkInsName(name, 'given name 1')).toEqual([`given name 1 has characters outside the INS character set: ${chars}`]);
  });

  it.each([' ', '-', "'", " -' "])('rejects %j, which has no letter', (name) => {
    expect(checkInsName(name, 'birth name')).toEqual(['birth name must contain a letter']);
  });

  it('reports both length and characters', () => {
    expect(checkInsName('1'.repeat(101), 'n')).toHaveLength(2);
  });
});

describe('isBirthPlaceCode', () => {
  it.each(['76451', '75056', '01001', '95127', '2A004', '2B033', '97105', '98818', '99350', '99100', '20004'])(
    'accepts %s',
    (code) => {
      expect(isBirthPlaceCode(code)).toBe(true);
    },
  );

  it.each(['00001', '96001', '2C004', '2a004', '7645', '764510', '7645A', 'ABCDE', '', ' 76451', '99-35'])(
    'rejects %j',
    (code) => {
      expect(isBirthPlaceCode(code)).toBe(false);
    },
  );
});

describe('validateTraits', () => {
  it('accepts valid traits', () => {
    expect(validateTraits(JEAN, TODAY)).toEqual([]);
    expect(validateTraits({ ...JEAN, sex: 'I', birthPlaceCode: '99350' }, TODAY)).toEqual([]);
    expect(validateTraits({ ...JEAN, givenNames: ['Jean'] }, TODAY)).toEqual([]);
  });

  it('checks the birth name and every given name', () => {
    expect(validateTraits({ ...JEAN, birthName: '' }, TODAY)).toEqual(['birth name must not be empty']);
    expect(validateTraits({ ...JEAN, givenNames: ['Jean', 'Ed2'] }, TODAY)).toEqual([
      'given name 2 has characters outside the INS character set: "2"',
    ]);
  });

  it('checks the first given name and that it comes first', () => {
    expect(validateTraits({ ...JEAN, firstGivenName: 'Édouard' }, TODAY)).toEqual([
      'first given name "Édouard" must be the first of the given names, got "Jean"',
    ]);
    expect(validateTraits({ ...JEAN, firstGivenName: 'jean' }, TODAY)).toEqual([
      'first given name "jean" must be the first of the given names, got "Jean"',
    ]);
    expect(validateTraits({ ...JEAN, firstGivenName: '', givenNames: [''] }, TODAY)).toEqual([
      'first given name must not be empty',
      'given name 1 must not be empty',
    ]);
  });

  it('requires at least one given name', () => {
    expect(validateTraits({ ...JEAN, givenNames: [] }, TODAY)).toEqual(['given names must list at least the first given name']);
  });

  it.each(['1984-02-30', '1984-13-01', '03/12/1984', '', '1984-12-3'])('rejects birth date %j', (birthDate) => {
    expect(validateTraits({ ...JEAN, birthDate }, TODAY)).toEqual([`birth date must be a real date YYYY-MM-DD, got "${birthDate}"`]);
  });

  it('accepts a birth date of today and rejects tomorrow (UTC dates)', () => {
    expect(validateTraits({ ...JEAN, birthDate: '2025-06-01' }, TODAY)).toEqual([]);
    expect(validateTraits({ ...JEAN, birthDate: '2025-06-02' }, TODAY)).toEqual(['birth date 2025-06-02 is in the future']);
    expect(validateTraits({ ...JEAN, birthDate: '2025-06-02' }, new Date('2025-06-02T00:00:00Z'))).toEqual([]);
  });

  it.each(['X', '', 'm', 'male'])('rejects sex %j', (sex) => {
    expect(validateTraits({ ...JEAN, sex: sex as InsSex }, TODAY)).toEqual([`sex must be M, F or I, got "${sex}"`]);
  });

  it('rejects a birth place that is not an INSEE code', () => {
    expect(validateTraits({ ...JEAN, birthPlaceCode: 'Rouen' }, TODAY)).toEqual([
      'birth place must be an INSEE code (5 digits, 2A or 2B and 3 digits, or 99 and a country code), got "Rouen"',
    ]);
  });

  it('reports every problem at once', () => {
    const bad: InsTraits = {
      birthName: '',
      firstGivenName: 'A1',
      givenNames: ['B'],
      birthDate: 'x',
      sex: 'Z' as InsSex,
      birthPlaceCode: '',
    };
    expect(validateTraits(bad, TODAY)).toEqual([
      'birth name must not be empty',
      'first given name has characters outside the INS character set: "1"',
      'first given name "A1" must be the first of the given names, got "B"',
      'birth date must be a real date YYYY-MM-DD, got "x"',
      'sex must be M, F or I, got "Z"',
      'birth place must be an INSEE code (5 digits, 2A or 2B and 3 digits, or 99 and a country code), got ""',
    ]);
  });
});

describe('nirMatchesTraits', () => {
  const jeanNir = nir('184127645108946'); // 1 84 12 76 451 089

  it('accepts consistent traits', () => {
    expect(nirMatchesTraits(jeanNir, JEAN)).toEqual([]);
  });

  it('checks the sex; I matches both', () => {
    expect(nirMatchesTraits(jeanNir, { ...JEAN, sex: 'F' })).toEqual(['NIR sex digit 1 does not match sex F']);
    expect(nirMatchesTraits(jeanNir, { ...JEAN, sex: 'I' })).toEqual([]);
    const woman = nir(makeNir({ sex: '2', birthYear: '84', birthMonth: '12', department: '76', commune: '451', order: '089' }));
    expect(nirMatchesTraits(woman, { ...JEAN, sex: 'F' })).toEqual([]);
    expect(nirMatchesTraits(woman, { ...JEAN, sex: 'M' })).toEqual(['NIR sex digit 2 does not match sex M']);
    expect(nirMatchesTraits(woman, { ...JEAN, sex: 'I' })).toEqual([]);
  });

  it('checks the two-digit year only (the century is not encoded)', () => {
    expect(nirMatchesTraits(jeanNir, { ...JEAN, birthDate: '1885-12-03' })).toEqual([
      'NIR birth year 84 does not match birth date 1885-12-03',
    ]);
    expect(nirMatchesTraits(jeanNir, { ...JEAN, birthDate: '1884-12-03' })).toEqual([]);
  });

  it('checks the month when the NIR knows it', () => {
    expect(nirMatchesTraits(jeanNir, { ...JEAN, birthDate: '1984-11-03' })).toEqual([
      'NIR birth month 12 does not match birth date 1984-11-03',
    ]);
    const unknownMonth = nir(makeNir({ sex: '1', birthYear: '84', birthMonth: '20', department: '76', commune: '451', order: '089' }));
    expect(nirMatchesTraits(unknownMonth, { ...JEAN, birthDate: '1984-01-01' })).toEqual([]);
    const month99 = nir(makeNir({ sex: '1', birthYear: '84', birthMonth: '99', department: '76', commune: '451', order: '089' }));
    expect(nirMatchesTraits(month99, { ...JEAN, birthDate: '1984-07-14' })).toEqual([]);
  });

  it('checks department and commune', () => {
    expect(nirMatchesTraits(jeanNir, { ...JEAN, birthPlaceCode: '76452' })).toEqual([
      'NIR place of birth 76451 does not match birth place 76452',
    ]);
    expect(nirMatchesTraits(jeanNir, { ...JEAN, birthPlaceCode: '99350' })).toEqual([
      'NIR place of birth 76451 does not match birth place 99350',
    ]);
  });

  it('compares overseas numbers (3-digit department, 2-digit commune)', () => {
    const guadeloupe = nir('184059710512313');
    const traits = { ...JEAN, birthDate: '1984-05-01', birthPlaceCode: '97105' };
    expect(nirMatchesTraits(guadeloupe, traits)).toEqual([]);
    expect(nirMatchesTraits(guadeloupe, { ...traits, birthPlaceCode: '97101' })).toHaveLength(1);
  });

  it('skips the place for people born abroad (department 99)', () => {
    const abroad = nir('185209935000794');
    const traits = { ...JEAN, birthDate: '1985-03-01' };
    expect(nirMatchesTraits(abroad, { ...traits, birthPlaceCode: '99350' })).toEqual([]);
    expect(nirMatchesTraits(abroad, { ...traits, birthPlaceCode: '99100' })).toEqual([]);
    expect(nirMatchesTraits(abroad, { ...traits, birthPlaceCode: '76451' })).toEqual([]);
  });

  it('matches Corsica: 2A/2B, and 20 (before 1976) against 2A or 2B', () => {
    const ajaccio = nir(makeNir({ sex: '1', birthYear: '70', birthMonth: '05', department: '2A', commune: '004', order: '001' }));
    const traits = { ...JEAN, birthDate: '1970-05-01', birthPlaceCode: '2A004' };
    expect(nirMatchesTraits(ajaccio, traits)).toEqual([]);
    expect(nirMatchesTraits(ajaccio, { ...traits, birthPlaceCode: '2B004' })).toHaveLength(1);
    const before1976 = nir('170552000400137');
    expect(nirMatchesTraits(before1976, { ...traits, birthPlaceCode: '2A004' })).toEqual([]);
    expect(nirMatchesTraits(before1976, { ...traits, birthPlaceCode: '2B004' })).toEqual([]);
    expect(nirMatchesTraits(before1976, { ...traits, birthPlaceCode: '20004' })).toEqual([]);
    expect(nirMatchesTraits(before1976, { ...traits, birthPlaceCode: '2A005' })).toHaveLength(1);
  });

  it('accepts a foreign birth place for NIR departments 91–95 (French North Africa), but not a French commune', () => {
    const algiers = nir(makeNir({ sex: '1', birthYear: '55', birthMonth: '03', department: '91', commune: '352', order: '001' }));
    const traits = { ...JEAN, birthDate: '1955-03-01' };
    expect(nirMatchesTraits(algiers, { ...traits, birthPlaceCode: '99352' })).toEqual([]);
    expect(nirMatchesTraits(algiers, { ...traits, birthPlaceCode: '91352' })).toEqual([]);
    expect(nirMatchesTraits(algiers, { ...traits, birthPlaceCode: '91228' })).toHaveLength(1);
  });

  it('reports every mismatch at once', () => {
    expect(nirMatchesTraits(jeanNir, { ...JEAN, sex: 'F', birthDate: '1990-01-01', birthPlaceCode: '75056' })).toHaveLength(4);
  });
});

describe('traits properties', () => {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const scenario = fc.record({
    sex: fc.constantFrom<NirSex>('1', '2'),
    date: fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-05-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
    monthKnown: fc.boolean(),
    unknownMonth: fc.integer({ min: 20, max: 99 }),
    place: fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 95 }).map((n) => pad(n, 2)), fc.integer({ min: 0, max: 999 }).map((n) => pad(n, 3))),
      fc.tuple(fc.constantFrom('2A', '2B'), fc.integer({ min: 0, max: 999 }).map((n) => pad(n, 3))),
      fc.tuple(fc.constantFrom('971', '972', '973', '974', '976', '988'), fc.integer({ min: 0, max: 99 }).map((n) => pad(n, 2))),
    ),
    order: fc.integer({ min: 1, max: 999 }).map((n) => pad(n, 3)),
  });

  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

  function build(s: Scenario): { nir: Nir; traits: InsTraits } {
    const parts: NirParts = {
      sex: s.sex,
      birthYear: s.date.slice(2, 4),
      birthMonth: s.monthKnown ? s.date.slice(5, 7) : String(s.unknownMonth),
      department: s.place[0],
      commune: s.place[1],
      order: s.order,
    };
    const traits: InsTraits = {
      ...JEAN,
      sex: s.sex === '1' ? 'M' : 'F',
      birthDate: s.date,
      birthPlaceCode: s.place[0] + s.place[1],
    };
    return { nir: nir(makeNir(parts)), traits };
  }

  it('the traits a NIR was built from match it, and are valid', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { nir: n, traits } = build(s);
        expect(nirMatchesTraits(n, traits)).toEqual([]);
        expect(nirMatchesTraits(n, { ...traits, sex: 'I' })).toEqual([]);
        expect(validateTraits(traits, TODAY)).toEqual([]);
      }),
    );
  });

  it('the opposite sex never matches', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { nir: n, traits } = build(s);
        expect(nirMatchesTraits(n, { ...traits, sex: traits.sex === 'M' ? 'F' : 'M' })).toHaveLength(1);
      }),
    );
  });

  it('any name made of INS characters with a letter, up to 100 long, is valid', () => {
    const insChar = fc.constantFrom(...'ABCXYZabcxyzÉÈéèçÇœŒæÆÿŸ -\'');
    fc.assert(
      fc.property(fc.string({ unit: insChar, minLength: 0, maxLength: 99 }), fc.constantFrom('A', 'é', 'Œ'), (rest, letter) => {
        expect(checkInsName(letter + rest, 'n')).toEqual([]);
      }),
    );
  });
});
