import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INS_OID } from '../ins/ins.js';
import { makeNir } from '../ins/nir.js';
import { parseCsv } from './csv.js';
import {
  COLUMNS,
  HEADER,
  formatRow,
  normalizePhone,
  parseHeader,
  validateRow,
  type Column,
  type ColumnMap,
  type InsuredRow,
} from './row.js';

const TODAY = new Date('2025-06-15T10:00:00Z');
const MOTHER = makeNir({ sex: '2', birthYear: '88', birthMonth: '03', department: '75', commune: '114', order: '123' });
const CHILD = makeNir({ sex: '1', birthYear: '18', birthMonth: '06', department: '75', commune: '114', order: '417' });
const FULL = mustHeader([...COLUMNS]);

type Values = Partial<Record<Column, string>>;

const MOTHER_VALUES: Values = {
  nir: MOTHER,
  ins_oid: '1.2.250.1.213.1.4.8',
  birth_name: 'Martin',
  first_given_name: 'Camille',
  given_names: 'Camille Marie-Hélène',
  used_name: 'Lefèvre',
  birth_date: '1988-03-14',
  sex: 'F',
  birth_place: '75114',
  vitale_serial: '12345678901',
  email: 'camille.martin@exemple.fr',
  phone: '06 12 34 56 78',
  address_line: '18 rue des Pyrénées',
  postal_code: '75020',
  city: 'Paris',
  covered_by_nir: '',
};

const CHILD_VALUES: Values = {
  ...MOTHER_VALUES,
  nir: CHILD,
  first_given_name: 'Léo',
  given_names: 'Léo',
  used_name: '',
  birth_date: '2018-06-02',
  sex: 'M',
  vitale_serial: '',
  email: '',
  phone: '',
  covered_by_nir: MOTHER,
};

function mustHeader(fields: string[]): ColumnMap {
  const result = parseHeader(fields);
  if (!result.ok) throw new Error(result.error);
  return result.columns;
}

function fieldsOf(values: Values, columns: readonly Column[] = COLUMNS): string[] {
  return columns.map((c) => values[c] ?? '');
}

function validate(changes: Values, base: Values = MOTHER_VALUES) {
  return validateRow(fieldsOf({ ...base, ...changes }), FULL, TODAY);
}

function reasonOf(changes: Values, base: Values = MOTHER_VALUES): string {
  const result = validate(changes, base);
  if (result.ok) throw new Error(`expected ${JSON.stringify(changes)} to be refused`);
  return result.reason;
}

function rowOf(changes: Values, base: Values = MOTHER_VALUES): InsuredRow {
  const result = validate(changes, base);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(changes)} to pass: ${result.reason}`);
  return result.row;
}

describe('parseHeader', () => {
  it('accepts the columns in any order and maps them', () => {
    const shuffled = [...COLUMNS].reverse();
    const columns = mustHeader(shuffled);
    expect(columns.count).toBe(COLUMNS.length);
    expect(columns.index.nir).toBe(COLUMNS.length - 1);
    expect(columns.index.covered_by_nir).toBe(0);
  });

  it('ignores surrounding spaces and a BOM left on the first name', () => {
    const columns = mustHeader(['\uFEFFnir', ' birth_name ', ...COLUMNS.filter((c) => c !== 'nir' && c !== 'birth_name')]);
    expect(columns.index.nir).toBe(0);
    expect(columns.index.birth_name).toBe(1);
  });

  it('lets the optional columns out', () => {
    const required = COLUMNS.filter((c) => !['ins_oid', 'used_name', 'vitale_serial', 'email', 'phone', 'covered_by_nir'].includes(c));
    const columns = mustHeader([...required]);
    expect(columns.count).toBe(10);
    expect(columns.index.email).toBeUndefined();
  });

  it('refuses unknown columns, naming them and the allowed ones', () => {
    const result = parseHeader([...COLUMNS, 'mutuelle']);
    expect(result).toEqual({
      ok: false,
      error: `unknown column "mutuelle"; the allowed columns are ${COLUMNS.join(', ')}`,
    });
  });

  it('suggests the right name for a near miss', () => {
    const result = parseHeader([...COLUMNS.filter((c) => c !== 'birth_date'), 'Birth Date']);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain('unknown column "Birth Date" (did you mean "birth_date"?)');
      expect(result.error).toContain('missing required column birth_date');
    }
  });

  it('refuses missing required columns, duplicates and nameless columns', () => {
    expect(parseHeader(COLUMNS.filter((c) => c !== 'sex' && c !== 'city'))).toEqual({
      ok: false,
      error: 'missing required columns sex, city',
    });
    const twice = parseHeader([...COLUMNS, 'email']);
    expect(twice.ok || twice.error).toBe('column "email" appears more than once');
    const nameless = parseHeader([...COLUMNS, '']);
    expect(nameless.ok || nameless.error).toBe(`column ${COLUMNS.length + 1} has no name`);
  });

  it('says so when the first line is data rather than a header', () => {
    const result = parseHeader(fieldsOf(MOTHER_VALUES));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/^the first line holds no known column name: is the header row missing\?/);
      expect(result.error).not.toContain(MOTHER);
    }
  });

  it('parses HEADER', () => {
    const [record] = parseCsv(HEADER);
    expect(mustHeader(record!.fields).count).toBe(COLUMNS.length);
  });
});

describe('validateRow: a valid row', () => {
  it('gives the INS, the traits, contacts and address', () => {
    expect(rowOf({})).toEqual({
      nir: MOTHER,
      insOid: INS_OID.NIR,
      traits: {
        birthName: 'Martin',
        firstGivenName: 'Camille',
        givenNames: ['Camille', 'Marie-Hélène'],
        birthDate: '1988-03-14',
        sex: 'F',
        birthPlaceCode: '75114',
      },
      usedName: 'Lefèvre',
      vitaleSerial: '12345678901',
      email: 'camille.martin@exemple.fr',
      phone: '+33612345678',
      address: { line: '18 rue des Pyrénées', postalCode: '75020', city: 'Paris' },
    });
  });

  it('gives a child (ayant droit) without card, e-mail nor phone, covered by a parent', () => {
    const row = rowOf({}, CHILD_VALUES);
    expect(row.coveredByNir).toBe(MOTHER);
    expect(row).not.toHaveProperty('vitaleSerial');
    expect(row).not.toHaveProperty('email');
    expect(row).not.toHaveProperty('phone');
    expect(row).not.toHaveProperty('usedName');
  });

  it('works with only the required columns, in another order', () => {
    const columns = [...COLUMNS].filter((c) => !['ins_oid', 'used_name', 'email', 'phone', 'covered_by_nir'].includes(c)).reverse();
    const result = validateRow(fieldsOf(MOTHER_VALUES, columns), mustHeader(columns), TODAY);
    expect(result.ok && result.row.insOid).toBe(INS_OID.NIR);
    expect(result.ok && result.row.traits.givenNames).toEqual(['Camille', 'Marie-Hélène']);
  });

  it('trims fields, upper-cases sex, birth place and NIR, and removes spaces from the NIR and card number', () => {
    const spaced = `${MOTHER.slice(0, 1)} ${MOTHER.slice(1, 3)} ${MOTHER.slice(3, 5)} ${MOTHER.slice(5, 7)} ${MOTHER.slice(7, 10)} ${MOTHER.slice(10, 13)} ${MOTHER.slice(13)}`;
    const row = rowOf({ nir: ` ${spaced} `, sex: 'f', birth_name: '  Martin ', vitale_serial: '123 456 789 01' });
    expect(row.nir).toBe(MOTHER);
    expect(row.traits.sex).toBe('F');
    expect(row.traits.birthName).toBe('Martin');
    expect(row.vitaleSerial).toBe('12345678901');

    const corsican = makeNir({ sex: '2', birthYear: '88', birthMonth: '03', department: '2A', commune: '004', order: '001' });
    const born = rowOf({ nir: corsican.toLowerCase(), birth_place: '2a004' });
    expect(born.nir).toBe(corsican);
    expect(born.traits.birthPlaceCode).toBe('2A004');
  });

  it('accepts every INS OID and defaults to INS-NIR', () => {
    for (const oid of Object.values(INS_OID)) expect(rowOf({ ins_oid: oid }).insOid).toBe(oid);
    expect(rowOf({ ins_oid: '' }).insOid).toBe(INS_OID.NIR);
  });

  it('normalises text to NFC (decomposed accents from macOS files)', () => {
    const row = rowOf({ used_name: 'Lefe\u0300vre', city: 'Paris', address_line: '1 rue de l’E\u0301glise' });
    expect(row.usedName).toBe('Lefèvre');
    expect(row.address.line).toBe('1 rue de l’Église');
  });

  it('accepts names with accents, hyphens, apostrophes and particles', () => {
    expect(rowOf({ birth_name: "N'Diaye" }).traits.birthName).toBe("N'Diaye");
    expect(rowOf({ birth_name: 'de La Fontaine' }).traits.birthName).toBe('de La Fontaine');
    expect(rowOf({ birth_name: 'Dupont--Martin' }).traits.birthName).toBe('Dupont--Martin');
    expect(rowOf({ first_given_name: 'Jean-Baptiste', given_names: 'Jean-Baptiste Noël', sex: 'F' }).traits.givenNames).toEqual([
      'Jean-Baptiste',
      'Noël',
    ]);
  });

  it('joins the lines of a multi-line address', () => {
    expect(rowOf({ address_line: 'Bâtiment B \r\n  18 rue des Pyrénées' }).address.line).toBe('Bâtiment B, 18 rue des Pyrénées');
  });

  it('lowers the case of the e-mail domain only', () => {
    expect(rowOf({ email: 'Camille.Martin@Exemple.FR' }).email).toBe('Camille.Martin@exemple.fr');
  });

  it('skips the month check when the NIR month is unknown (20–99), and the sex check for sex I', () => {
    const unknownMonth = makeNir({ sex: '2', birthYear: '88', birthMonth: '30', department: '99', commune: '350', order: '001' });
    expect(rowOf({ nir: unknownMonth, birth_place: '99350' }).nir).toBe(unknownMonth);
    expect(rowOf({ sex: 'I' }).traits.sex).toBe('I');
  });

  it('writes back with formatRow what it read', () => {
    const row = rowOf({ address_line: 'Résidence "Les Pins"; bât. C' });
    const [header, line] = parseCsv(`${HEADER}\r\n${formatRow(row)}\r\n`);
    const again = validateRow(line!.fields, mustHeader(header!.fields), TODAY);
    expect(again).toEqual({ ok: true, row });
  });
});

describe('validateRow: reasons', () => {
  it('names the missing required columns', () => {
    expect(reasonOf({ birth_date: '' })).toBe('birth_date is missing');
    expect(reasonOf({ birth_name: ' ', city: '' })).toBe('birth_name and city are missing');
    expect(reasonOf({ nir: '', sex: '', postal_code: '' })).toBe('nir, sex and postal_code are missing');
  });

  it('requires a carte Vitale serial number of an ouvrant droit only', () => {
    expect(reasonOf({ vitale_serial: '' })).toBe('vitale_serial is missing (vitale_serial is required unless covered_by_nir is set)');
    expect(rowOf({ vitale_serial: '98765432' }, CHILD_VALUES).vitaleSerial).toBe('98765432');
    expect(reasonOf({ vitale_serial: '1234567' })).toBe('vitale_serial must have 8 to 13 digits');
    expect(reasonOf({ vitale_serial: '12345678901234' })).toBe('vitale_serial must have 8 to 13 digits');
    expect(reasonOf({ vitale_serial: '1234567890A' })).toBe('vitale_serial must have 8 to 13 digits');
  });

  it('checks the NIR key and structure', () => {
    const wrongKey = MOTHER.slice(0, 13) + (MOTHER.slice(13) === '01' ? '02' : '01');
    expect(reasonOf({ nir: wrongKey })).toBe(`nir: NIR key is ${wrongKey.slice(13)}, expected ${MOTHER.slice(13)}`);
    expect(reasonOf({ nir: MOTHER.slice(0, 14) })).toBe('nir: NIR must have 15 characters, got 14');
    expect(reasonOf({ nir: `3${MOTHER.slice(1)}` })).toBe('nir: NIR sex digit must be 1 or 2, got 3');
  });

  it('checks the NIR against sex and birth date', () => {
    expect(reasonOf({ sex: 'M' })).toBe('nir: sex digit is 2 but sex is M');
    expect(reasonOf({ birth_date: '1987-03-14' })).toBe('nir: birth year 88 does not match birth_date');
    expect(reasonOf({ birth_date: '1988-04-14' })).toBe('nir: birth month 03 does not match birth_date');
    expect(reasonOf({ sex: 'M', birth_date: '1987-04-14' })).toBe(
      'nir: sex digit is 2 but sex is M; nir: birth year 88 does not match birth_date; nir: birth month 03 does not match birth_date',
    );
  });

  it('checks the birth date', () => {
    expect(reasonOf({ birth_date: '14/03/1988' })).toBe('birth_date must be a date in the form YYYY-MM-DD, got "14/03/1988"');
    expect(reasonOf({ birth_date: '1988-02-30' })).toBe('birth_date 1988-02-30 is not a valid date');
    expect(reasonOf({ birth_date: '1988-13-01' })).toBe('birth_date 1988-13-01 is not a valid date');
    expect(reasonOf({ nir: makeNir({ sex: '1', birthYear: '25', birthMonth: '06', department: '75', commune: '114', order: '001' }), birth_date: '2025-06-16' }, CHILD_VALUES)).toBe(
      'birth_date 2025-06-16 is after the import date 2025-06-15',
    );
    expect(reasonOf({ nir: makeNir({ sex: '2', birthYear: '88', birthMonth: '03', department: '75', commune: '114', order: '001' }), birth_date: '1888-03-14' })).toBe(
      'birth_date 1888-03-14 is more than 130 years ago',
    );
    // 29 February exists in leap years only; the import day itself is allowed.
    const leap = makeNir({ sex: '2', birthYear: '00', birthMonth: '02', department: '75', commune: '114', order: '001' });
    expect(rowOf({ nir: leap, birth_date: '2000-02-29' }).traits.birthDate).toBe('2000-02-29');
    expect(reasonOf({ nir: leap.replace(/^200/, '201').slice(0, 13) + '00', birth_date: '2001-02-29' })).toContain('birth_date 2001-02-29 is not a valid date');
    const today = makeNir({ sex: '1', birthYear: '25', birthMonth: '06', department: '75', commune: '114', order: '002' });
    expect(rowOf({ nir: today, birth_date: '2025-06-15' }, CHILD_VALUES).traits.birthDate).toBe('2025-06-15');
  });

  it('checks sex, INS OID and birth place', () => {
    expect(reasonOf({ sex: 'X' })).toBe('sex must be M, F or I, got "X"');
    expect(reasonOf({ ins_oid: '1.2.250.1.213.1.4.1' })).toBe(
      'ins_oid must be one of 1.2.250.1.213.1.4.8, 1.2.250.1.213.1.4.9, 1.2.250.1.213.1.4.10, 1.2.250.1.213.1.4.11, got "1.2.250.1.213.1.4.1"',
    );
    expect(reasonOf({ birth_place: '7511' })).toBe('birth_place must be an INSEE code of 5 characters (commune, or 99 and a country), got "7511"');
    expect(reasonOf({ birth_place: 'Paris' })).toMatch(/^birth_place must be an INSEE code/);
    expect(reasonOf({ birth_place: '20004' })).toBe('birth_place starts with 20, which is not a department (01–95, 2A, 2B, 97, 98) nor 99 (abroad)');
    expect(reasonOf({ birth_place: '00123' })).toMatch(/^birth_place starts with 00/);
  });

  it('checks the names', () => {
    expect(reasonOf({ birth_name: 'Martin2' })).toBe('birth_name may only hold letters, spaces, hyphens and apostrophes');
    expect(reasonOf({ used_name: '-Martin' })).toBe('used_name may only hold letters, spaces, hyphens and apostrophes');
    expect(reasonOf({ birth_name: 'A'.repeat(101) })).toBe('birth_name is longer than 100 characters');
    expect(reasonOf({ first_given_name: 'Marie Claire', given_names: 'Marie Claire' })).toBe(
      'first_given_name must be a single given name (no spaces)',
    );
    expect(reasonOf({ given_names: 'Marie Camille' })).toBe('given_names must start with first_given_name');
    expect(reasonOf({ given_names: 'Camille, Marie' })).toBe(
      'given_names may only hold given names (letters, hyphens and apostrophes) separated by spaces',
    );
  });

  it('checks e-mail, phone, postal code and city', () => {
    expect(reasonOf({ email: 'camille.martin' })).toBe('email is not a valid e-mail address');
    expect(reasonOf({ email: 'camille@exemple' })).toBe('email is not a valid e-mail address');
    expect(reasonOf({ email: 'a b@exemple.fr' })).toBe('email is not a valid e-mail address');
    expect(reasonOf({ phone: '06 12 34' })).toBe('phone is not a phone number (expected e.g. 06 12 34 56 78 or +33 6 12 34 56 78)');
    expect(reasonOf({ postal_code: '1000' })).toBe('postal_code must have 5 digits, got "1000" (a leading zero dropped by a spreadsheet?)');
    expect(reasonOf({ postal_code: '750 20' })).toBe('postal_code must have 5 digits, got "750 20"');
    expect(reasonOf({ city: '75' })).toBe('city must hold letters');
  });

  it('refuses line breaks and control characters outside the address', () => {
    expect(reasonOf({ city: 'Pa\nris' })).toBe('city contains a line break or a control character');
    expect(reasonOf({ birth_name: 'Mar\u0000tin' })).toContain('birth_name contains a line break or a control character');
  });

  it('checks covered_by_nir without ever quoting a NIR', () => {
    const wrongKey = MOTHER.slice(0, 13) + (MOTHER.slice(13) === '01' ? '02' : '01');
    const reason = reasonOf({ covered_by_nir: wrongKey }, CHILD_VALUES);
    expect(reason).toBe(`covered_by_nir: NIR key is ${wrongKey.slice(13)}, expected ${MOTHER.slice(13)}`);
    expect(reasonOf({ covered_by_nir: CHILD }, CHILD_VALUES)).toBe('covered_by_nir must differ from nir');
    expect(reasonOf({ covered_by_nir: 'unknown' }, CHILD_VALUES)).toBe('covered_by_nir: NIR must have 15 characters, got 7');
  });

  it('never echoes a NIR, even one put in the wrong column', () => {
    for (const column of ['sex', 'birth_place', 'birth_date', 'postal_code', 'ins_oid'] as const) {
      const reason = reasonOf({ [column]: MOTHER }, CHILD_VALUES);
      expect(reason).not.toContain(MOTHER);
      expect(reason).not.toContain(MOTHER.slice(0, 13));
      expect(reason).toContain(column);
    }
  });

  it('gives every problem of the row at once', () => {
    expect(reasonOf({ birth_name: '', sex: 'Z', email: 'nope', postal_code: 'abc' })).toBe(
      'birth_name is missing; sex must be M, F or I, got "Z"; email is not a valid e-mail address; postal_code must have 5 digits, got "abc"',
    );
  });

  it('refuses a row whose field count differs from the header', () => {
    expect(validateRow(['a', 'b'], FULL, TODAY)).toEqual({ ok: false, reason: 'row has 2 fields, expected 16 as in the header' });
    expect(validateRow([...fieldsOf(MOTHER_VALUES), ''], FULL, TODAY)).toEqual({
      ok: false,
      reason: 'row has 17 fields, expected 16 as in the header',
    });
  });
});

describe('normalizePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['06-12-34-56-78', '+33612345678'],
    ['07 81 23 45 67', '+33781234567'],
    ['01 23 45 67 89', '+33123456789'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['+33 06 12 34 56 78', '+33612345678'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['0692 12 34 56', '+262692123456'],
    ['0262 12 34 56', '+262262123456'],
    ['0639 12 34 56', '+262639123456'],
    ['0690 12 34 56', '+590690123456'],
    ['0694 12 34 56', '+594694123456'],
    ['0696 12 34 56', '+596696123456'],
    ['+262 692 12 34 56', '+262692123456'],
    ['+32 470 12 34 56', '+32470123456'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it.each(['06 12 34 56', '6 12 34 56 78', '+33 6 12 34 56', '+33 6 12 34 56 78 9', '00 12 34 56 78', 'téléphone', '+0 12345678'])(
    'refuses %s',
    (input) => {
      expect(normalizePhone(input)).toBeUndefined();
    },
  );
});

describe('the example of docs/population-file.md', () => {
  it('is a valid file that reads as the page says', () => {
    const page = readFileSync(new URL('../../../docs/population-file.md', import.meta.url), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(page)![1]!;
    const [header, ...records] = parseCsv(example);
    const columns = mustHeader(header!.fields);
    const rows = records.map((record) => {
      expect(record.error).toBeUndefined();
      const result = validateRow(record.fields, columns, TODAY);
      if (!result.ok) throw new Error(`line ${record.line}: ${result.reason}`);
      return result.row;
    });
    expect(records.map((r) => r.line)).toEqual([2, 3, 4, 5, 7]);
    const [camille, leo, jeanBaptiste, amina, marieLaure] = rows;
    expect(leo!.coveredByNir).toBe(camille!.nir);
    expect(jeanBaptiste!.insOid).toBe(INS_OID.NIR);
    expect(jeanBaptiste!.address.line).toBe('Résidence "Les Pins"; bâtiment C');
    expect(amina!.address.line).toBe('Chez M. Durand, 5 rue Carnot');
    expect(amina!.phone).toBe('+33698765432');
    expect(marieLaure!.phone).toBe('+262692123456');
  });
});
