import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeNir, nirKey, parseNir, type Nir, type NirParts, type NirSex } from './nir.js';
import { partsArb } from '../../../test/support/nir-arbitraries.js';

/** Parses and fails the test with the error message if the NIR is rejected. */
function mustParse(input: string): Nir {
  const result = parseNir(input);
  if (!result.ok) throw new Error(`expected "${input}" to parse: ${result.error}`);
  return result.nir;
}

function errorOf(input: string): string {
  const result = parseNir(input);
  if (result.ok) throw new Error(`expected "${input}" to be rejected`);
  return result.error;
}

describe('nirKey', () => {
  // Keys computed by hand (97 − N mod 97) and cross-checked with Python.
  it.each([
    ['1841276451089', 46],
    ['2550814168025', 38],
    ['2840588321025', 32],
    ['1840597105123', 13], // overseas 971 Guadeloupe
    ['2911298801042', 52], // overseas 988 Nouvelle-Calédonie
    ['1852099350007', 94], // born abroad, month unknown
    ['1990101001001', 4], // key below 10
    ['1840576451023', 97], // N divisible by 97
    ['2840597411023', 1],
  ])('key of %s is %i', (nir13, key) => {
    expect(nirKey(nir13)).toBe(key);
  });

  it('replaces 2A by 19 and 2B by 18 (Corsica), as NIR-VAL does', () => {
    expect(nirKey('284052A321025')).toBe(52);
    expect(nirKey('284052A321025')).toBe(nirKey('2840519321025'));
    expect(nirKey('284052B321025')).toBe(79);
    expect(nirKey('284052B321025')).toBe(nirKey('2840518321025'));
  });

  it.each(['', '184127645108', '18412764510894', '1841276451O89', '28405 2A321025', '284052a321025', '2840A76451089'])(
    'throws on malformed input "%s"',
    (bad) => {
      expect(() => nirKey(bad)).toThrow(RangeError);
    },
  );
});

describe('parseNir: valid numbers', () => {
  it('parses a metropolitan NIR written with spaces', () => {
    expect(mustParse('1 84 12 76 451 089 46')).toEqual({
      value: '184127645108946',
      sex: '1',
      birthYear: '84',
      birthMonth: '12',
      department: '76',
      commune: '451',
      order: '089',
      key: 46,
      temporary: false,
    });
  });

  it('accepts the NIR-VAL examples', () => {
    expect(mustParse('255081416802538').department).toBe('14');
    expect(mustParse('2 84 05 88 321 025 32').commune).toBe('321');
  });

  it('parses Corsica 2A and 2B, upper-casing them', () => {
    const a = mustParse('2 84 05 2A 321 025 52');
    expect([a.department, a.commune, a.key, a.value]).toEqual(['2A', '321', 52, '284052A32102552']);
    expect(mustParse('2 84 05 2a 321 025 52').value).toBe('284052A32102552');
    expect(mustParse('2 84 05 2B 321 025 79').department).toBe('2B');
  });

  it('accepts department 20 (Corsica before 1976)', () => {
    expect(mustParse('1 70 55 20 004 001 37').department).toBe('20');
  });

  it('splits overseas numbers into a 3-digit department and a 2-digit commune', () => {
    const guadeloupe = mustParse('1 84 05 971 05 123 13');
    expect([guadeloupe.department, guadeloupe.commune, guadeloupe.order]).toEqual(['971', '05', '123']);
    const caledonia = mustParse('291129880104252');
    expect([caledonia.department, caledonia.commune]).toEqual(['988', '01']);
  });

  it('keeps the country code of people born abroad (department 99)', () => {
    const nir = mustParse('1 85 20 99 350 007 94');
    expect([nir.birthMonth, nir.department, nir.commune]).toEqual(['20', '99', '350']);
  });

  it.each(['01', '12', '20', '31', '42', '50', '99'])('accepts birth month %s', (month) => {
    const nir13 = `184${month}76451089`;
    expect(parseNir(nir13 + String(nirKey(nir13)).padStart(2, '0')).ok).toBe(true);
  });

  it('accepts keys 01 and 97', () => {
    expect(mustParse('184057645102397').key).toBe(97);
    expect(mustParse('284059741102301').key).toBe(1);
    expect(mustParse('199010100100104').key).toBe(4);
  });

  it('strips any whitespace', () => {
    expect(mustParse(' 1\t84 12 76\u00a0451 089 46\n').value).toBe('184127645108946');
  });

  it('sets temporary only when told the number is a NIA', () => {
    expect(mustParse('184127645108946').temporary).toBe(false);
    const nia = parseNir('184127645108946', { temporary: true });
    expect(nia.ok && nia.nir.temporary).toBe(true);
  });
});

describe('parseNir: rejected numbers', () => {
  it('rejects a wrong key, naming both keys', () => {
    expect(errorOf('1 84 12 76 451 089 12')).toBe('NIR key is 12, expected 46');
    expect(errorOf('255081416802500')).toBe('NIR key is 00, expected 38');
    expect(errorOf('284052A32102579')).toBe('NIR key is 79, expected 52'); // the 2B key on a 2A number
  });

  it.each([
    ['', 0],
    ['1841276451089', 13],
    ['18412764510894', 14],
    ['1841276451089461', 16],
  ])('rejects "%s" (length %i)', (input, length) => {
    expect(errorOf(input)).toBe(`NIR must have 15 characters, got ${length}`);
  });

  it('rejects letters outside the department', () => {
    expect(errorOf('1841276451O8946')).toBe('NIR character 11 must be a digit, got "O"');
    expect(errorOf('A84127645108946')).toBe('NIR character 1 must be a digit, got "A"');
    expect(errorOf('18412764510894X')).toBe('NIR character 15 must be a digit, got "X"');
    expect(errorOf('1-84-12-76-4510')).toMatch(/^NIR character 2 must be a digit/);
  });

  it.each(['0', '3', '4', '5', '7', '8', '9'])('rejects sex digit %s', (sex) => {
    expect(errorOf(`${sex}84127645108946`)).toBe(`NIR sex digit must be 1 or 2, got ${sex}`);
  });

  it.each(['00', '13', '15', '19'])('rejects birth month %s', (month) => {
    expect(errorOf(`184${month}7645108946`)).toBe(`NIR birth month must be 01–12 or 20–99, got ${month}`);
  });

  it.each(['00', '96', '2C', 'A2', '2 ', 'AB'])('rejects department "%s"', (department) => {
    const error = errorOf(`18412${department}45108946`);
    expect(error).toMatch(department === '2 ' ? /^NIR must have 15 characters/ : /^NIR department must be/);
  });
});

describe('makeNir', () => {
  it('builds the worked example', () => {
    const parts: NirParts = { sex: '1', birthYear: '84', birthMonth: '12', department: '76', commune: '451', order: '089' };
    expect(makeNir(parts)).toBe('184127645108946');
  });

  it('builds Corsica, overseas and abroad numbers', () => {
    const base = { sex: '2', birthYear: '84', birthMonth: '05', order: '025' } as const;
    expect(makeNir({ ...base, department: '2a', commune: '321' })).toBe('284052A32102552');
    expect(makeNir({ ...base, department: '2B', commune: '321' })).toBe('284052B32102579');
    expect(makeNir({ sex: '1', birthYear: '84', birthMonth: '05', department: '971', commune: '05', order: '123' })).toBe(
      '184059710512313',
    );
    expect(makeNir({ sex: '1', birthYear: '85', birthMonth: '20', department: '99', commune: '350', order: '007' })).toBe(
      '185209935000794',
    );
  });

  it.each<[Partial<NirParts>, string]>([
    [{ birthYear: '8' }, 'NIR birthYear must have 2 characters, got "8"'],
    [{ department: '97', commune: '105' }, 'NIR department must have 3 characters, got "97"'],
    [{ department: '761', commune: '51' }, 'NIR department must have 2 characters, got "761"'],
    [{ order: '89' }, 'NIR order must have 3 characters, got "89"'],
    [{ sex: '3' as NirSex }, 'NIR sex digit must be 1 or 2, got 3'],
    [{ birthMonth: '13' }, 'NIR birth month must be 01–12 or 20–99, got 13'],
    [{ department: '96' }, 'NIR department must be 01–95, 2A, 2B, 97, 98 or 99, got 96'],
    [{ commune: '4x1' }, 'NIR character 9 must be a digit, got "x"'],
  ])('rejects invalid parts %j', (override, message) => {
    const parts: NirParts = { sex: '1', birthYear: '84', birthMonth: '12', department: '76', commune: '451', order: '089', ...override };
    expect(() => makeNir(parts)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

/** Independent key oracle: chunked Number arithmetic, all intermediate values < 2^53. */
function oracleKey(nir13: string): number {
  const corsica = (department: string): string => (department === '2A' ? '19' : '18');
  const numeric = nir13.replace(/^(.{5})(2A|2B)/, (_, head: string, department: string) => head + corsica(department));
  const high = Number(numeric.slice(0, 7)) % 97;
  const low = Number(numeric.slice(7));
  return 97 - ((high * (10 ** 6 % 97) + low) % 97);
}

describe('NIR properties', () => {
  it('every makeNir output parses back to the same parts', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const value = makeNir(parts);
        expect(value).toMatch(/^[12]\d{4}(\d\d|2A|2B)\d{8}$/);
        const nir = mustParse(value);
        expect(nir).toEqual({ ...parts, value, key: Number(value.slice(13)), temporary: false });
      }),
    );
  });

  it('the key is in 1..97 and agrees with the chunked-arithmetic oracle', () => {
    fc.assert(
      fc.property(partsArb, (parts) => {
        const nir13 = makeNir(parts).slice(0, 13);
        const key = nirKey(nir13);
        expect(key).toBeGreaterThanOrEqual(1);
        expect(key).toBeLessThanOrEqual(97);
        expect(key).toBe(oracleKey(nir13));
      }),
    );
  });

  it('changing any single character (digit, A or B) of a valid NIR makes it invalid', () => {
    const mutation = fc.tuple(partsArb, fc.integer({ min: 0, max: 14 }), fc.constantFrom(...'0123456789AB'));
    fc.assert(
      fc.property(mutation, ([parts, position, char]) => {
        const value = makeNir(parts);
        fc.pre(value[position] !== char);
        const mutated = value.slice(0, position) + char + value.slice(position + 1);
        expect(parseNir(mutated).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('spacing and case do not change the result', () => {
    const spaced = fc.tuple(partsArb, fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 6 }));
    fc.assert(
      fc.property(spaced, ([parts, cuts]) => {
        const value = makeNir(parts);
        let input = value.toLowerCase();
        for (const cut of [...cuts].sort((a, b) => b - a)) input = `${input.slice(0, cut)} ${input.slice(cut)}`;
        expect(mustParse(input).value).toBe(value);
      }),
    );
  });
});
