import { beforeAll, describe, expect, it } from 'vitest';
import { INS_OID } from '../ins/ins.js';
import { parseNir } from '../ins/nir.js';
import { createRecordReader, parseCsv } from './csv.js';
import { CITIES } from './data.js';
import { BAD_ROW_KINDS, generatePopulation, generateRows, type BadRowKind, type PopulationOptions } from './generate.js';
import { HEADER, parseHeader, validateRow, type ColumnMap, type InsuredRow } from './row.js';

const TODAY = new Date('2025-06-15T00:00:00Z');

function columnsOf(fields: string[]): ColumnMap {
  const header = parseHeader(fields);
  if (!header.ok) throw new Error(header.error);
  return header.columns;
}

/** Generates a file, reads it back as an importer would, and returns the validated rows. */
function roundTrip(options: PopulationOptions): InsuredRow[] {
  const records = parseCsv([...generatePopulation(options)].join('\r\n'));
  const columns = columnsOf(records[0]!.fields);
  return records.slice(1).map((record) => {
    expect(record.error).toBeUndefined();
    const result = validateRow(record.fields, columns, options.today);
    if (!result.ok) throw new Error(`line ${record.line}: ${result.reason}`);
    return result.row;
  });
}

/** Whole years between two YYYY-MM-DD dates. */
function age(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

describe('generatePopulation', () => {
  const options = { count: 20_000, seed: 2025, today: TODAY };
  let rows: InsuredRow[] = [];
  beforeAll(() => {
    rows = roundTrip(options);
  });
  const today = TODAY.toISOString().slice(0, 10);

  it('writes the header then one valid row per person, with unique NIRs', () => {
    const lines = [...generatePopulation({ ...options, count: 3 })];
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(4);
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.nir)).size).toBe(20_000);
  });

  it('gives what generateRows says each line holds', () => {
    const generated = [...generateRows({ ...options, count: 2_000 })];
    expect(generated.map((g) => g.row)).toEqual(rows.slice(0, 2_000));
    expect(generated.every((g) => g.bad === undefined)).toBe(true);
  });

  it('makes NIRs consistent with sex, birth date and birth place', () => {
    const problems: string[] = [];
    for (const row of rows) {
      const parsed = parseNir(row.nir);
      if (!parsed.ok) {
        problems.push(`${row.nir}: ${parsed.error}`);
        continue;
      }
      const { nir } = parsed;
      const { sex, birthDate, birthPlaceCode } = row.traits;
      if (sex !== 'I' && nir.sex !== (sex === 'M' ? '1' : '2')) problems.push(`${row.nir}: sex ${sex}`);
      if (nir.birthYear !== birthDate.slice(2, 4) || nir.birthMonth !== birthDate.slice(5, 7)) {
        problems.push(`${row.nir}: born ${birthDate}`);
      }
      if (nir.department + nir.commune !== birthPlaceCode) problems.push(`${row.nir}: born in ${birthPlaceCode}`);
      // Corsica has been split into 2A and 2B since 1976; earlier births there carry 20, which we avoid.
      if (/^2[AB]/.test(nir.department) && birthDate < '1976') problems.push(`${row.nir}: born in Corsica in ${birthDate}`);
    }
    expect(problems).toEqual([]);
  });

  it('has adults of 18 to 90 and about 30 % of children, each covered by an older adult listed before', () => {
    const seen = new Map<string, InsuredRow>();
    const problems: string[] = [];
    let children = 0;
    for (const row of rows) {
      const years = age(row.traits.birthDate, today);
      const problem = (text: string) => problems.push(`${row.nir}: ${text}`);
      if (row.coveredByNir === undefined) {
        if (years < 18 || years > 90) problem(`adult aged ${years}`);
        if (!/^\d{11}$/.test(row.vitaleSerial ?? '')) problem(`adult with card ${row.vitaleSerial}`);
      } else {
        children++;
        if (years >= 18) problem(`child aged ${years}`);
        const parent = seen.get(row.coveredByNir);
        if (!parent) {
          problem('parent not found earlier in the file');
        } else {
          if (parent.coveredByNir !== undefined) problem('parent is a child');
          if (age(parent.traits.birthDate, row.traits.birthDate) < 18) problem('parent younger than 18 at the birth');
          if (row.address !== parent.address && JSON.stringify(row.address) !== JSON.stringify(parent.address)) problem('address');
          if (!row.traits.birthName.startsWith(parent.usedName ?? parent.traits.birthName)) problem('family name');
        }
        if (row.email !== undefined) problem('child with e-mail');
        if (row.vitaleSerial !== undefined && years < 16) problem(`child aged ${years} with a card`);
      }
      seen.set(row.nir, row);
    }
    expect(problems).toEqual([]);
    expect(children / rows.length).toBeGreaterThan(0.26);
    expect(children / rows.length).toBeLessThan(0.34);
  });

  it('gives families of at most 5 children with different first names', () => {
    const families = new Map<string, string[]>();
    for (const row of rows) {
      if (row.coveredByNir) families.set(row.coveredByNir, [...(families.get(row.coveredByNir) ?? []), row.traits.firstGivenName]);
    }
    for (const names of families.values()) expect(names.length).toBeLessThanOrEqual(5);
    const repeated = [...families.values()].filter((names) => new Set(names).size < names.length).length;
    expect(repeated / families.size).toBeLessThan(0.01);
  });

  it('writes e-mails on example domains for about 85 % of adults, and French mobile numbers', () => {
    const adults = rows.filter((r) => r.coveredByNir === undefined);
    const withEmail = adults.filter((r) => r.email !== undefined);
    expect(withEmail.length / adults.length).toBeGreaterThan(0.82);
    expect(withEmail.length / adults.length).toBeLessThan(0.88);
    expect(withEmail.filter(({ email }) => !/^[a-z][a-z.-]*\d*@(exemple\.fr|example\.org)$/.test(email!))).toEqual([]);
    const phones = adults.map((r) => r.phone).filter((p) => p !== undefined);
    expect(phones.length / adults.length).toBeGreaterThan(0.9);
    expect(phones.filter((phone) => !/^\+33[67]\d{8}$|^\+(262|590|594|596)6\d{8}$/.test(phone))).toEqual([]);
  });

  it('uses real cities with their postal codes, and names with accents, hyphens and apostrophes', () => {
    const misplaced = rows.filter(({ address }) => {
      const city = CITIES.find((c) => c.name === address.city && (c.postalCodes.includes(address.postalCode) || c.districts));
      if (!city?.districts) return !city;
      const n = Number(address.postalCode) - city.districts.postal;
      return !(n >= 0 && n < city.districts.count);
    });
    expect(misplaced).toEqual([]);
    const names = rows.flatMap((r) => [r.traits.birthName, ...r.traits.givenNames]).join(' ');
    for (const c of ['é', 'è', 'ï', 'ë', '-', "'"]) expect(names).toContain(c);
    expect(rows.some((r) => r.address.line.includes('"'))).toBe(true);
  });

  it('is deterministic for a seed and an import date', () => {
    const a = [...generatePopulation({ count: 500, seed: 7, today: TODAY })];
    const b = [...generatePopulation({ count: 500, seed: 7, today: TODAY })];
    const c = [...generatePopulation({ count: 500, seed: 8, today: TODAY })];
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('honours childRatio, noEmailRatio and insOid', () => {
    const none = roundTrip({ count: 2_000, seed: 1, today: TODAY, childRatio: 0, noEmailRatio: 1, insOid: INS_OID.TEST });
    expect(none.every((r) => r.coveredByNir === undefined && r.email === undefined && r.insOid === INS_OID.TEST)).toBe(true);
    const allEmails = roundTrip({ count: 2_000, seed: 1, today: TODAY, childRatio: 0, noEmailRatio: 0 });
    expect(allEmails.every((r) => r.email !== undefined)).toBe(true);
    const many = roundTrip({ count: 5_000, seed: 1, today: TODAY, childRatio: 0.6 });
    expect(many.filter((r) => r.coveredByNir).length / many.length).toBeGreaterThan(0.4);
  });

  it('works for an import date of 29 February', () => {
    const leap = new Date('2024-02-29T12:00:00Z');
    expect(roundTrip({ count: 3_000, seed: 3, today: leap })).toHaveLength(3_000);
  });

  it('refuses options out of range', () => {
    const run = (o: Partial<PopulationOptions>) => [...generatePopulation({ count: 1, seed: 1, today: TODAY, ...o })];
    expect(() => run({ count: -1 })).toThrow(RangeError);
    expect(() => run({ count: 1.5 })).toThrow(RangeError);
    expect(() => run({ childRatio: 1.2 })).toThrow(/childRatio/);
    expect(() => run({ badRowRatio: Number.NaN })).toThrow(/badRowRatio/);
    expect(() => run({ today: new Date('nope') })).toThrow(/today/);
  });

  it('generates 100,000 rows that stream through the reader and all validate', () => {
    const reader = createRecordReader();
    let columns: ColumnMap | undefined;
    let valid = 0;
    let pending = '';
    const take = (records: ReturnType<typeof reader.push>) => {
      for (const record of records) {
        if (!columns) columns = columnsOf(record.fields);
        else if (validateRow(record.fields, columns, TODAY).ok) valid++;
      }
    };
    for (const line of generatePopulation({ count: 100_000, seed: 99, today: TODAY })) {
      pending += `${line}\r\n`;
      if (pending.length > 1 << 16) {
        take(reader.push(pending));
        pending = '';
      }
    }
    take(reader.push(pending));
    take(reader.end());
    expect(valid).toBe(100_000);
  });
});

describe('bad rows', () => {
  const EXPECTED: Record<BadRowKind, RegExp> = {
    'nir-key': /^nir: NIR key is \d\d, expected \d\d$/,
    'missing-birth-name': /^birth_name is missing$/,
    'bad-birth-date': /^birth_date (must be a date in the form YYYY-MM-DD, got "\d\d\/\d\d\/\d{4}"|\d{4}-02-30 is not a valid date)$/,
    'nir-sex-mismatch': /^nir: sex digit is [12] but sex is [MF]$/,
  };

  it('come in every kind, each refused with its reason, the other rows staying valid', () => {
    const generated = [...generateRows({ count: 5_000, seed: 5, today: TODAY, badRowRatio: 0.2 })];
    const records = parseCsv([HEADER, ...generated.map((g) => g.line)].join('\n'));
    const columns = columnsOf(records[0]!.fields);
    const kinds = new Map<BadRowKind, number>();
    generated.forEach((g, i) => {
      const result = validateRow(records[i + 1]!.fields, columns, TODAY);
      if (g.bad === undefined) {
        expect(result).toEqual({ ok: true, row: g.row });
      } else {
        kinds.set(g.bad, (kinds.get(g.bad) ?? 0) + 1);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.reason).toMatch(EXPECTED[g.bad]);
          expect(result.reason).not.toContain(g.row.nir.slice(0, 13));
        }
      }
    });
    expect([...kinds.keys()].sort()).toEqual([...BAD_ROW_KINDS].sort());
    const bad = [...kinds.values()].reduce((a, b) => a + b, 0);
    expect(bad / generated.length).toBeGreaterThan(0.17);
    expect(bad / generated.length).toBeLessThan(0.23);
  });

  it('are never the parent of a child', () => {
    const generated = [...generateRows({ count: 5_000, seed: 6, today: TODAY, badRowRatio: 0.3 })];
    const badNirs = new Set(generated.filter((g) => g.bad).map((g) => g.row.nir));
    const children = generated.filter((g) => g.row.coveredByNir !== undefined);
    expect(children.length).toBeGreaterThan(1_000);
    for (const child of children) expect(badNirs.has(child.row.coveredByNir!)).toBe(false);
  });

  it('are all bad with badRowRatio 1', () => {
    const generated = [...generateRows({ count: 200, seed: 9, today: TODAY, badRowRatio: 1 })];
    expect(generated.every((g) => g.bad !== undefined)).toBe(true);
  });
});
