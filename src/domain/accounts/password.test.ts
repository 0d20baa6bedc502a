import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_PROBLEMS,
  checkPassword,
  containsCommonWord,
  containsFrenchIban,
  containsPersonalInformation,
  isAcceptablePassword,
  type PersonalInformation,
} from './password.js';
import { COMMON_PASSWORD_WORDS } from './password-words.js';

const STRONG = 'Kx7#vTq9!pLm';

const JEAN: PersonalInformation = {
  login: 'kestrel_42x',
  email: 'jdupont76@example.fr',
  nir: '1 84 12 76 451 089 46',
  givenNames: ['Jean', 'Édouard'],
  familyName: 'Dupont',
  birthDate: '1984-12-03',
};

describe('checkPassword: composition', () => {
  it('accepts a strong password', () => {
    expect(checkPassword(STRONG)).toEqual([]);
    expect(checkPassword(STRONG, JEAN)).toEqual([]);
    expect(isAcceptablePassword(STRONG, JEAN)).toBe(true);
  });

  it('needs at least 9 characters', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(9);
    expect(checkPassword('Kx7#vTq9')).toEqual(['password.too-short']);
    expect(checkPassword('Kx7#vTq9!')).toEqual([]);
  });

  it('accepts at most 128 characters', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(128);
    const body = 'Kx7#vTq9!pLm'.repeat(11); // 132 characters
    expect(checkPassword(body.slice(0, 128))).toEqual([]);
    expect(checkPassword(body.slice(0, 129))).toEqual(['password.too-long']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkPassword('Kx7#😀😀😀😀')).toEqual(['password.too-short']);
    expect(checkPassword('Kx7#😀😀😀😀😀')).toEqual([]);
  });

  it.each([
    ['KX7#VTQ9!PLM', 'password.needs-lower'],
    ['kx7#vtq9!plm', 'password.needs-upper'],
    ['Kxz#vTqw!pLm', 'password.needs-digit'],
    ['Kx7zvTq9wpLm', 'password.needs-special'],
  ])('%s: %s', (password, problem) => {
    expect(checkPassword(password)).toEqual([problem]);
  });

  it('takes accented letters as letters and spaces as special characters', () => {
    expect(checkPassword('ÉCOLE7#VTQ')).toEqual(['password.needs-lower']);
    expect(checkPassword('école7#vtq')).toEqual(['password.needs-upper']);
    expect(checkPassword('Kx7 vTq9wpLm')).toEqual([]);
    expect(checkPassword('Kx7zvTq9wpLé')).toEqual(['password.needs-special']);
    expect(checkPassword('Kx7zvTq9wpLe\u0301')).toEqual(['password.needs-special']); // decomposed é
  });

  it('reports everything at once, in a stable order', () => {
    expect(checkPassword('')).toEqual([
      'password.too-short',
      'password.needs-lower',
      'password.needs-upper',
      'password.needs-digit',
      'password.needs-special',
    ]);
    expect(checkPassword('azerty', { login: 'azerty12' })).toEqual([
      'password.too-short',
      'password.needs-upper',
      'password.needs-digit',
      'password.needs-special',
      'password.dictionary-word',
    ]);
  });
});

describe('checkPassword: personal information', () => {
  const personal = (password: string, info: PersonalInformation) =>
    checkPassword(password, info).includes('password.personal-information');

  it('refuses the login, whatever the case and separators', () => {
    expect(personal('Aa1!kestrel_42x', { login: 'kestrel_42x' })).toBe(true);
    expect(personal('Aa1!KESTREL_42X', { login: 'kestrel_42x' })).toBe(true);
    expect(personal('Aa1!kestrel42x', { login: 'kestrel_42x' })).toBe(true);
    expect(personal('Aa1!kestrel_43x', { login: 'kestrel_42x' })).toBe(false);
  });

  it('refuses the e-mail and its local part', () => {
    expect(personal('X!9jdupont76@example.fr', { email: 'jdupont76@example.fr' })).toBe(true);
    expect(personal('X!9JDupont76z', { email: 'jdupont76@example.fr' })).toBe(true);
    expect(personal('X!9example.frZ', { email: 'jdupont76@example.fr' })).toBe(false);
    expect(personal('X!9aab@Zzzzzz', { email: 'ab@example.fr' })).toBe(false); // local part too short to count
  });

  it('refuses the NIR or 8 consecutive characters of it', () => {
    const nir = { nir: '184127645108946' };
    expect(personal('Xx!184127645108946', nir)).toBe(true);
    expect(personal('Xx!27645108z', nir)).toBe(true);
    expect(personal('Xx!08946', nir)).toBe(false);
    expect(personal('Xx!2764510z', nir)).toBe(false);
    expect(personal('Xx!1 84 12 76 4z', nir)).toBe(true);
    expect(personal('Xx!41.27.64.51z', nir)).toBe(true);
    expect(personal('Xx!2a321025z', { nir: '2 84 05 2A 321 025 52' })).toBe(true);
  });

  it('refuses any valid NIR, even when the person’s is not known', () => {
    expect(checkPassword('Xx!184127645108946')).toEqual(['password.personal-information']);
    expect(checkPassword('Xx!2 84 05 2A 321 025 52')).toEqual(['password.personal-information']);
    expect(checkPassword('Xx!184127645108947')).toEqual([]); // wrong key
  });

  it('refuses given names and the family name of 3 letters or more, and their parts', () => {
    expect(personal('Xx!9edouardz', JEAN)).toBe(true);
    expect(personal('Xx!9ÉDOUARDz', JEAN)).toBe(true);
    expect(personal('Xx!9JEANz', JEAN)).toBe(true);
    expect(personal('Xx!9dUpOnTz', JEAN)).toBe(true);
    expect(personal('Xx!9pierre', { givenNames: ['Jean-Pierre'] })).toBe(true);
    expect(personal('Xx!9dartagnan', { familyName: "D'Artagnan" })).toBe(true);
    expect(personal('Xx!9artagnan', { familyName: "D'Artagnan" })).toBe(true);
    expect(personal('Xx!9Hélène', { givenNames: ['HELENE'] })).toBe(true);
    expect(personal('Xx!9Helene', { givenNames: ['Hélène'] })).toBe(true);
    expect(personal('Xx!9oeuvre', { familyName: 'Lœuvre' })).toBe(false);
    expect(personal('Xx!9loeuvre', { familyName: 'Lœuvre' })).toBe(true);
    expect(personal('Xx!9Liam', { givenNames: ['Li'], familyName: 'Wu' })).toBe(false);
    expect(personal('Xx!9Éva', { givenNames: ['Eva'] })).toBe(true);
  });

  it.each(['03121984', '19841203', '03/12/1984', '1984-12-03', '1984', '03 12 1984'])('refuses the birth date as %s', (date) => {
    expect(personal(`Xx!q${date}z`, { birthDate: '1984-12-03' })).toBe(true);
  });

  it('accepts other numbers, and ignores an invalid birth date', () => {
    expect(personal('Xx!q0312z', { birthDate: '1984-12-03' })).toBe(false);
    expect(personal('Xx!q1985z', { birthDate: '1984-12-03' })).toBe(false);
    expect(personal('Xx!q1984z', { birthDate: '1984-02-30' })).toBe(false);
  });

  it('ignores empty information', () => {
    expect(checkPassword(STRONG, { login: '', email: '', nir: '', givenNames: ['', 'A'], familyName: '' })).toEqual([]);
    expect(containsPersonalInformation(STRONG, {})).toBe(false);
  });
});

describe('checkPassword: dictionary words', () => {
  it('has a short list of folded words of 5 characters or more', () => {
    expect(COMMON_PASSWORD_WORDS.length).toBeGreaterThanOrEqual(50);
    expect(COMMON_PASSWORD_WORDS.length).toBeLessThanOrEqual(80);
    expect(new Set(COMMON_PASSWORD_WORDS).size).toBe(COMMON_PASSWORD_WORDS.length);
    for (const word of COMMON_PASSWORD_WORDS) expect(word).toMatch(/^([a-z]{5,}|\d{6})$/);
  });

  it.each(COMMON_PASSWORD_WORDS.map((w) => [w]))('refuses a password containing %s', (word) => {
    expect(checkPassword(`Q!7${word.toUpperCase()}x`)).toContain('password.dictionary-word');
    expect(containsCommonWord(`zz${word}zz`)).toBe(true);
  });

  it.each([
    'P@ssw0rd!1',
    'S0l3il!!A1',
    'Az3rty!!99',
    'M0tDeP@$$e1',
    'He11o!World',
    'Ch0c0l@t!1',
    'J€t@im3!X9',
    'Sol-eil!X9',
    'Bon.jour!X9',
    'Motdepassé!9',
  ])('sees through %s', (password) => {
    expect(checkPassword(password)).toEqual(['password.dictionary-word']);
  });

  it.each(['Xx!234567', 'Xx!987654a', 'Xx!777777b', 'Xx!0123456', 'Xx!123-456', 'Xx!777 777', 'Xx!AZERTYUIOP1'])(
    'refuses the sequence in %s',
    (password) => {
      expect(checkPassword(password)).toContain('password.dictionary-word');
    },
  );

  it.each(['Xx!12345z9', 'Xx!77777z9', 'Xx!13579a!', 'Xx!246810B'])('accepts short or irregular digits in %s', (password) => {
    expect(containsCommonWord(password)).toBe(false);
  });
});

describe('checkPassword: IBAN', () => {
  it.each([
    'FR7630006000011234567890189',
    'FR76 3000 6000 0112 3456 7890 189',
    'fr7630006000011234567890189',
    'x!FR1420041010050500013M02606z',
  ])('refuses %s', (iban) => {
    expect(containsFrenchIban(iban)).toBe(true);
    expect(checkPassword(`Aa1!${iban}`)).toContain('password.contains-iban');
  });

  it.each(['FR76 3000 6000', 'DE89370400440532013000', 'FR763000600001123456789018', 'FRXX30006000011234567890189'])(
    'accepts %s',
    (text) => {
      expect(containsFrenchIban(text)).toBe(false);
    },
  );
});

describe('password properties', () => {
  const loginArb = fc.string({ unit: fc.constantFrom(...'abcdefghijkmnpqrstuvwxyzABCXYZ0123456789._-'), minLength: 8, maxLength: 64 });
  const randomCase = (s: string, flips: boolean[]) =>
    [...s].map((c, i) => (flips[i % Math.max(1, flips.length)] ? c.toUpperCase() : c)).join('');
  const text = fc.string({ unit: 'grapheme' });

  it('never accepts a password containing the login, in any case', () => {
    fc.assert(
      fc.property(text, loginArb, text, fc.array(fc.boolean()), (prefix, login, suffix, flips) => {
        const password = prefix + randomCase(login, flips) + suffix;
        expect(checkPassword(password, { login })).toContain('password.personal-information');
        expect(isAcceptablePassword(password, { login })).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts a password containing the e-mail local part', () => {
    const localArb = fc
      .string({ unit: fc.constantFrom(...'abcdefxyz0123.'), minLength: 3, maxLength: 20 })
      .filter((s) => s.replace(/\./g, '').length >= 3);
    fc.assert(
      fc.property(text, localArb, text, (prefix, local, suffix) => {
        const problems = checkPassword(prefix + local.toUpperCase() + suffix, { email: `${local}@example.org` });
        expect(problems).toContain('password.personal-information');
      }),
    );
  });

  it('reports each problem at most once, in PASSWORD_PROBLEMS order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 140 }), (password) => {
        const problems = checkPassword(password, JEAN);
        const indexes = problems.map((p) => PASSWORD_PROBLEMS.indexOf(p));
        expect(indexes.every((i) => i >= 0)).toBe(true);
        expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
        expect(new Set(indexes).size).toBe(indexes.length);
      }),
    );
  });

  it('a password mixing all four classes only fails on content, never on composition', () => {
    const pick = (chars: string) => fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(pick('bcdfghjkmnpqrvwxz'), pick('BCDFGHJKMNPQRVWXZ'), pick('29'), pick('#%&*+=?'), (lower, upper, digit, special) => {
        const password = (lower + upper + digit + special).padEnd(9, '#');
        const composition = ['too-short', 'too-long', 'needs-lower', 'needs-upper', 'needs-digit', 'needs-special'];
        expect(checkPassword(password).filter((p) => composition.includes(p.slice('password.'.length)))).toEqual([]);
      }),
    );
  });
});
