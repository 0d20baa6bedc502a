import { beforeAll, describe, expect, it } from 'vitest';
import { hasValidLuhn } from './luhn.js';
import { ACTIVITY_HEADER, parseDirectoryHeader, type ActivityColumns, type MailboxColumns } from './columns.js';
import { BAD_LINE_KINDS, BAD_LINE_REASONS, generateDirectory, generateDirectoryLines, generateMailboxes, type BadLineKind } from './generate.js';
import { mapActivityLine, mapMailboxLine, type ActivityResult, type MailboxRecord } from './records.js';

type Valid = Extract<ActivityResult, { ok: true }>;

function header(line: string): ActivityColumns {
  const r = parseDirectoryHeader(line);
  if (!r.ok || r.kind !== 'activities') throw new Error(r.ok ? r.kind : r.error);
  return r.columns;
}

/** Generates a file and reads it back as the import does. */
function read(options: Parameters<typeof generateDirectory>[0]): { lines: string[]; records: Valid[] } {
  const lines = [...generateDirectory(options)];
  const columns = header(lines[0]!);
  const records = lines.slice(1).map((line, i) => {
    const r = mapActivityLine(line, columns);
    if (!r.ok) throw new Error(`line ${i + 2}: ${r.reason}\n${line}`);
    return r;
  });
  return { lines, records };
}

describe('generateDirectory', () => {
  const options = { lines: 20_000, seed: 7 };
  let lines: string[] = [];
  let records: Valid[] = [];
  beforeAll(() => {
    ({ lines, records } = read(options));
  });

  it('writes the 56-column header, then the lines asked for, every one valid and ending with "|"', () => {
    expect(lines[0]).toBe(`${ACTIVITY_HEADER.join('|')}|`);
    expect(records).toHaveLength(20_000);
    for (const line of lines) {
      expect(line.endsWith('|')).toBe(true);
      expect(line.split('|')).toHaveLength(57);
    }
  });

  it('is deterministic for a seed', () => {
    expect([...generateDirectory({ lines: 500, seed: 7 })]).toEqual(lines.slice(0, 501));
    expect([...generateDirectory({ lines: 500, seed: 8 })]).not.toEqual(lines.slice(0, 501));
  });

  it('puts about a fifth of the people on several lines, with distinct situations', () => {
    const perPerson = new Map<string, number>();
    for (const r of records) perPerson.set(r.practitioner.id, (perPerson.get(r.practitioner.id) ?? 0) + 1);
    const several = [...perPerson.values()].filter((n) => n > 1).length / perPerson.size;
    expect(several).toBeGreaterThan(0.15);
    expect(several).toBeLessThan(0.3);
    expect(new Set(records.map((r) => r.role.id)).size).toBe(records.length);
  });

  it('has the real profession mix, médecins with their spécialités ordinales', () => {
    const people = new Map(records.map((r) => [r.practitioner.id, r.role.professionCode]));
    const count = (code: string) => [...people.values()].filter((c) => c === code).length / people.size;
    expect(count('60')).toBeGreaterThan(0.25);
    expect(count('10')).toBeGreaterThan(0.15);
    for (const code of ['21', '70', '40', '50', '91']) expect(count(code), code).toBeGreaterThan(0.01);
    const skills = new Map(records.filter((r) => r.role.professionCode === '10').map((r) => [r.role.skillCode, r.role.skillLabel]));
    expect(skills.get('SM53')).toBe('Spécialiste en Médecine Générale');
    expect(skills.get('SM26')).toBe('Qualifié en médecine générale');
    expect(skills.get('SM04')).toBe('Cardiologie et maladies vasculaires');
    expect(skills.get('SM40')).toBe('Pédiatrie');
    expect(records.every((r) => r.role.professionCode !== '10' || r.role.skillTypeCode === 'S')).toBe(true);
  });

  it('gives RPPS numbers with valid keys, and some ADELI numbers', () => {
    const rpps = records.filter((r) => r.practitioner.idType === '8');
    expect(rpps.every((r) => r.practitioner.identifier.length === 11 && hasValidLuhn(r.practitioner.identifier))).toBe(true);
    const adeli = records.filter((r) => r.practitioner.idType === '0');
    expect(adeli.length / records.length).toBeGreaterThan(0.01);
    expect(adeli.every((r) => r.practitioner.identifier.length === 9)).toBe(true);
  });

  it('uses French names with accents, and real cities, accented ones included', () => {
    const families = new Set(records.map((r) => r.practitioner.family));
    const givens = new Set(records.map((r) => r.practitioner.given));
    for (const name of ['Lefèvre', 'Guérin']) expect(families.has(name), name).toBe(true);
    for (const name of ['Émilie', 'Hélène', 'Chloé']) expect(givens.has(name), name).toBe(true);
    const cities = new Map(records.filter((r) => r.organization).map((r) => [r.organization!.city, r.organization!]));
    for (const city of ['Besançon', 'Orléans', 'Évry-Courcouronnes', 'Saint-Étienne', 'Paris']) expect(cities.has(city), city).toBe(true);
    expect(cities.get('Besançon')).toMatchObject({ postalCode: '25000', cityCode: '25056', departmentCode: '25' });
    expect(cities.get('Paris')!.postalCode).toMatch(/^750\d\d$/);
  });

  it('shares structures between people: hospitals with FINESS numbers, group practices with SIRET numbers', () => {
    const people = new Map<string, Set<string>>();
    for (const r of records) if (r.organization) (people.get(r.organization.id) ?? people.set(r.organization.id, new Set()).get(r.organization.id)!).add(r.practitioner.id);
    const shared = [...people.values()].filter((s) => s.size >= 5).length;
    expect(shared).toBeGreaterThan(50);
    const hospitals = records.filter((r) => r.organization?.sectorCode === 'SA01').map((r) => r.organization!);
    expect(hospitals.length).toBeGreaterThan(100);
    expect(hospitals.every((h) => hasValidLuhn(h.finessSite!) && h.id === `F${h.finessSite}`)).toBe(true);
    const groups = records.filter((r) => r.organization?.siret).map((r) => r.organization!);
    expect(groups.every((g) => g.siret!.length === 14 && hasValidLuhn(g.siret!) && g.siret!.startsWith(g.siren!))).toBe(true);
  });

  it('writes the 52 columns of older extracts with legacy, the same situations', () => {
    const legacy = read({ lines: 2000, seed: 7, legacy: true });
    expect(legacy.lines[0]!.split('|')).toHaveLength(53);
    expect(legacy.records.map((r) => r.role)).toEqual(records.slice(0, 2000).map((r) => r.role));
  });

  it('starts with the people asked for', () => {
    const people = [{ family: 'Durand', given: 'Claude', profession: '21', city: 'Orléans', lines: 2 }];
    const { records: first } = read({ lines: 10, seed: 3, people });
    expect(first.slice(0, 2).map((r) => [r.practitioner.family, r.practitioner.given, r.role.professionCode, r.organization?.city])).toEqual([
      ['Durand', 'Claude', '21', 'Orléans'],
      ['Durand', 'Claude', '21', 'Orléans'],
    ]);
  });
});

describe('bad lines', () => {
  it('are rejected with the reason of their kind, and the others stay valid', () => {
    const generated = [...generateDirectoryLines({ lines: 5000, seed: 11, badRatio: 0.1 })];
    const columns = header([...generateDirectory({ lines: 1, seed: 11 })][0]!);
    const seen = new Set<BadLineKind>();
    for (const g of generated) {
      const r = mapActivityLine(g.line, columns);
      if (g.bad) {
        seen.add(g.bad);
        expect(r.ok, g.line).toBe(false);
        if (!r.ok) expect(r.reason).toMatch(BAD_LINE_REASONS[g.bad]);
      } else {
        expect(r.ok, g.line).toBe(true);
      }
    }
    expect([...seen].sort()).toEqual([...BAD_LINE_KINDS].sort());
    const bad = generated.filter((g) => g.bad).length / generated.length;
    expect(bad).toBeGreaterThan(0.05);
    expect(bad).toBeLessThan(0.12);
  });

  it('are rejected in the legacy layout too', () => {
    const lines = [...generateDirectory({ lines: 2000, seed: 12, badRatio: 0.2, legacy: true })];
    const columns = header(lines[0]!);
    const rejected = lines.slice(1).filter((l) => !mapActivityLine(l, columns).ok).length;
    expect(rejected).toBeGreaterThan(200);
  });
});

describe('generateMailboxes', () => {
  it('gives valid, unique mailboxes for the people of the activity file, mostly personal', () => {
    const options = { lines: 5000, seed: 5 };
    const people = new Set(read(options).records.map((r) => r.practitioner.id));
    const lines = [...generateMailboxes(options)];
    const parsed = parseDirectoryHeader(lines[0]!);
    if (!parsed.ok || parsed.kind !== 'mailboxes') throw new Error('header');
    const columns: MailboxColumns = parsed.columns;
    const mailboxes: MailboxRecord[] = lines.slice(1).map((l) => {
      const r = mapMailboxLine(l, columns);
      if (!r.ok) throw new Error(`${r.reason}: ${l}`);
      return r.mailbox;
    });
    expect(new Set(mailboxes.map((m) => m.address)).size).toBe(mailboxes.length);
    const personal = mailboxes.filter((m) => m.kind === 'PER');
    expect(personal.length / people.size).toBeGreaterThan(0.25);
    expect(personal.every((m) => people.has(m.practitionerId!))).toBe(true);
    expect(personal.some((m) => /^[a-z-]+\.[a-z-]+\d*@medecin\.mssante\.fr$/.test(m.address))).toBe(true);
    expect(mailboxes.some((m) => m.kind === 'ORG')).toBe(true);
  });
});
