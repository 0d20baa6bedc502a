import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Carnet } from '../src/app.js';
import type { Db } from '../src/db/index.js';
import {
  BAD_LINE_REASONS,
  generateDirectory,
  generateDirectoryLines,
  generateMailboxes,
  parseDirectoryHeader,
  mapActivityLine,
  type ActivityColumns,
  type PersonSpec,
} from '../src/domain/directory/index.js';
import { validationIssues } from '../src/fhir/validate.js';
import { importDirectory, type DirectoryImportReport } from '../src/services/directory/import.js';
import { materializePractitioner, practitionerResources } from '../src/services/directory/fhir.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * The national directory over a real database (PGlite, or PostgreSQL with DATABASE_URL): importing generated
 * Annuaire Santé extracts (idempotence, deactivation, rejected lines, MSSanté mailboxes), searching through
 * /api/directory, and the FHIR projection read back through /fhir.
 */

let tc: TestCarnet;
let carnet: Carnet;
let db: Db;
let baseUrl: string;
let dir: string;
let token: string;

const PEOPLE: PersonSpec[] = [
  { family: 'Lefèvre', given: 'Émilie', female: true, profession: '10', city: 'Besançon', lines: 2 },
  { family: 'Lefèvre', given: 'Hélène', female: true, profession: '21', city: 'Saint-Étienne' },
  { family: 'Lefebvre', given: 'Marc', female: false, profession: '60', city: 'Orléans' },
  { family: 'Durand', given: 'Chloé', female: true, profession: '21', city: 'Paris' },
  { family: 'Durand', given: 'Émile', female: false, profession: '10', city: 'Évry-Courcouronnes' },
];
const LINES = 3000;
const SEED = 42;

/** A request as the signed-in patient, or anonymous with `anonymous`. */
async function request(method: string, url: string, anonymous = false): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${url}`, { method, headers: anonymous ? {} : { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function write(name: string, lines: Iterable<string>): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${[...lines].join('\n')}\n`);
  return file;
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, params)).rows[0]!.n);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-directory-'));
  tc = await startCarnet();
  ({ carnet, db, baseUrl } = tc);
  token = await tc.user({ role: 'patient', patientId: randomUUID() });
});

afterAll(async () => {
  await tc?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('directory import', () => {
  let original: string[];
  let columns: ActivityColumns;
  let first: DirectoryImportReport;

  beforeAll(() => {
    original = [...generateDirectory({ lines: LINES, seed: SEED, people: PEOPLE })];
    const h = parseDirectoryHeader(original[0]!);
    if (!h.ok || h.kind !== 'activities') throw new Error('header');
    columns = h.columns;
  });

  const records = (lines: string[]) =>
    lines.slice(1).map((l) => {
      const r = mapActivityLine(l, columns);
      if (!r.ok) throw new Error(r.reason);
      return r;
    });

  it('loads a generated extract: professionals, structures and practice situations, with a report', async () => {
    const progress: number[] = [];
    first = await importDirectory(carnet, write('activite.txt', original), { onProgress: (p) => progress.push(p.written), batchSize: 1000 });
    const expected = records(original);
    const practitioners = new Set(expected.map((r) => r.practitioner.id));
    const organizations = new Set(expected.filter((r) => r.organization).map((r) => r.organization!.id));
    expect(first).toMatchObject({
      kind: 'activities',
      fileName: 'activite.txt',
      full: true,
      lines: LINES,
      rejected: 0,
      duplicates: 0,
      firstRejections: [],
      roles: { created: LINES, updated: 0, unchanged: 0, deactivated: 0 },
      practitioners: { created: practitioners.size, updated: 0, unchanged: 0, deactivated: 0 },
      organizations: { created: organizations.size, updated: 0, unchanged: 0, deactivated: 0 },
    });
    expect(progress).toEqual([1000, 2000, 3000]);
    expect(first.professions).toContainEqual({ code: '10', label: 'Médecin' });
    expect(first.skills).toContainEqual({ typeCode: 'S', typeLabel: 'Spécialité ordinale', code: 'SM53', label: 'Spécialiste en Médecine Générale', professionCode: '10' });
    expect(await count('directory_role WHERE active')).toBe(LINES);
    expect(await count('directory_practitioner WHERE active')).toBe(practitioners.size);
    expect(await count('directory_organization')).toBe(organizations.size);
    expect(await count('directory_seen')).toBe(0);
    const saved = (await db.query<{ status: string; report: DirectoryImportReport }>('SELECT status, report FROM directory_import WHERE id = $1', [first.importId])).rows[0]!;
    expect(saved.status).toBe('done');
    expect(saved.report.roles).toEqual(first.roles);
    // the row as stored
    const lefevre = expected.find((r) => r.practitioner.family === 'Lefèvre' && r.practitioner.given === 'Émilie')!;
    const row = (await db.query('SELECT * FROM directory_role WHERE id = $1', [lefevre.role.id])).rows[0];
    expect(row).toMatchObject({ practitioner_id: lefevre.practitioner.id, family_key: 'lefevre', given_key: 'emilie', city_key: 'besancon', profession_code: '10', active: true });
  });

  it('re-imports the same file without changing anything', async () => {
    const before = await db.query('SELECT id, updated_at FROM directory_role ORDER BY id');
    const again = await importDirectory(carnet, path.join(dir, 'activite.txt'));
    expect(again.roles).toEqual({ created: 0, updated: 0, unchanged: LINES, deactivated: 0 });
    expect(again.practitioners).toEqual({ created: 0, updated: 0, unchanged: first.practitioners!.created, deactivated: 0 });
    expect(again.organizations).toEqual({ created: 0, updated: 0, unchanged: first.organizations!.created, deactivated: 0 });
    expect((await db.query('SELECT id, updated_at FROM directory_role ORDER BY id')).rows).toEqual(before.rows);
  });

  it('a full extract with one line removed and one changed: one role deactivated, one updated; --partial deactivates nothing', async () => {
    const recs = records(original);
    // a line of someone who has others, at a structure others share: only the role goes
    const perPerson = new Map<string, number>();
    const perOrg = new Map<string, number>();
    for (const r of recs) {
      perPerson.set(r.practitioner.id, (perPerson.get(r.practitioner.id) ?? 0) + 1);
      if (r.organization) perOrg.set(r.organization.id, (perOrg.get(r.organization.id) ?? 0) + 1);
    }
    const removed = recs.findIndex((r, i) => i > 10 && perPerson.get(r.practitioner.id)! > 1 && r.organization && perOrg.get(r.organization.id)! > 1);
    const changed = recs.findIndex((r, i) => i > removed + 1 && r.role.modeCode === 'S');
    const lines = [...original];
    lines[changed + 1] = lines[changed + 1]!.replace('|Salarié|', '|Salarié hospitalier|');
    lines.splice(removed + 1, 1);

    const partial = await importDirectory(carnet, write('partial.txt', lines), { full: false });
    expect(partial.roles).toEqual({ created: 0, updated: 1, unchanged: LINES - 2, deactivated: 0 });
    expect(await count('directory_role WHERE active')).toBe(LINES);

    const report = await importDirectory(carnet, write('changed.txt', lines));
    expect(report.roles).toEqual({ created: 0, updated: 0, unchanged: LINES - 1, deactivated: 1 });
    expect(report.practitioners!.deactivated).toBe(0);
    expect(report.organizations!.deactivated).toBe(0);
    const gone = (await db.query<{ active: boolean }>('SELECT active FROM directory_role WHERE id = $1', [recs[removed]!.role.id])).rows[0]!;
    expect(gone.active).toBe(false);
    expect((await db.query('SELECT mode_label FROM directory_role WHERE id = $1', [recs[changed]!.role.id])).rows[0]).toEqual({ mode_label: 'Salarié hospitalier' });

    // the original again: the role comes back, the label too
    const back = await importDirectory(carnet, path.join(dir, 'activite.txt'));
    expect(back.roles).toEqual({ created: 0, updated: 2, unchanged: LINES - 2, deactivated: 0 });
    expect(await count('directory_role WHERE active')).toBe(LINES);
  });

  it('deactivates a professional, and a structure, that the full extract no longer lists at all', async () => {
    const recs = records(original);
    const byOrg = new Map<string, Set<string>>();
    for (const r of recs) if (r.organization) (byOrg.get(r.organization.id) ?? byOrg.set(r.organization.id, new Set()).get(r.organization.id)!).add(r.practitioner.id);
    // someone alone at their structure, on one line
    const target = recs.find((r) => r.organization && byOrg.get(r.organization.id)!.size === 1 && recs.filter((x) => x.practitioner.id === r.practitioner.id).length === 1)!;
    const lines = original.filter((l, i) => i === 0 || recs[i - 1]!.practitioner.id !== target.practitioner.id);
    const report = await importDirectory(carnet, write('without.txt', lines));
    expect(report.roles!.deactivated).toBe(1);
    expect(report.practitioners!.deactivated).toBe(1);
    expect(report.organizations!.deactivated).toBe(1);
    expect((await db.query('SELECT active FROM directory_practitioner WHERE id = $1', [target.practitioner.id])).rows[0]).toEqual({ active: false });
    const search = await request('GET', `/api/directory?name=${encodeURIComponent(target.practitioner.family)}&pageSize=50&city=${encodeURIComponent(target.organization!.city!)}`);
    expect(search.body.items.some((i: any) => i.practitionerId === target.practitioner.id)).toBe(false);
    const back = await importDirectory(carnet, path.join(dir, 'activite.txt'));
    expect(back.practitioners!.updated).toBe(1);
    expect(back.organizations!.updated).toBe(1);
  });

  it('a full import of a file listing less than half of the directory deactivates nothing, unless forced', async () => {
    const head = original.slice(0, Math.floor(original.length / 3));
    const report = await importDirectory(carnet, write('truncated.txt', head));
    expect(report.deactivationSkipped).toMatch(/lists \d+ of the \d+ active practice situations/);
    expect(report.roles!.deactivated).toBe(0);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM directory_role WHERE NOT active');
    expect(rows[0]!.n).toBe(0);
    const forced = await importDirectory(carnet, write('truncated.txt', head), { force: true });
    expect(forced.deactivationSkipped).toBeUndefined();
    expect(forced.roles!.deactivated).toBeGreaterThan(LINES / 2);
    const back = await importDirectory(carnet, path.join(dir, 'activite.txt'));
    expect(back.roles!.updated).toBe(forced.roles!.deactivated);
  });

  it('loads the MSSanté mailboxes of the same people, and deactivates those a full extract drops', async () => {
    const lines = [...generateMailboxes({ lines: LINES, seed: SEED, people: PEOPLE })];
    const report = await importDirectory(carnet, write('mssante.txt', lines));
    expect(report).toMatchObject({ kind: 'mailboxes', lines: lines.length - 1, rejected: 0, mailboxes: { created: lines.length - 1, updated: 0, unchanged: 0, deactivated: 0 } });
    expect(report.practitioners).toBeUndefined();
    const fewer = await importDirectory(carnet, write('mssante-fewer.txt', lines.slice(0, -3)));
    expect(fewer.mailboxes).toEqual({ created: 0, updated: 0, unchanged: lines.length - 4, deactivated: 3 });
    const again = await importDirectory(carnet, path.join(dir, 'mssante.txt'), { kind: 'mailboxes' });
    expect(again.mailboxes).toMatchObject({ updated: 3, unchanged: lines.length - 4 });
    await expect(importDirectory(carnet, path.join(dir, 'mssante.txt'), { kind: 'activities' })).rejects.toMatchObject({ status: 400, code: 'directory.bad-header' });
  });

  it('reports bad lines with their line number and reason, and stores nothing of them', async () => {
    const generated = [...generateDirectoryLines({ lines: 1000, seed: 99, badRatio: 0.05 })];
    const lines = [original[0]!, ...generated.map((g) => g.line)];
    const report = await importDirectory(carnet, write('bad.txt', lines), { full: false });
    const bad = generated.map((g, i) => ({ g, line: i + 2 })).filter((x) => x.g.bad);
    expect(bad.length).toBeGreaterThan(20);
    expect(report.rejected).toBe(bad.length);
    expect(report.firstRejections.map((r) => r.line)).toEqual(bad.map((b) => b.line));
    for (const [i, r] of report.firstRejections.entries()) expect(r.reason).toMatch(BAD_LINE_REASONS[bad[i]!.g.bad!]);
    // the national identifier as written on the line (for idnat-mismatch, that of someone else: left out)
    const ids = bad.flatMap((b) => [b.g.person.idnat, ...(b.g.bad === 'idnat-mismatch' ? [] : [b.g.line.split('|')[2]!])]);
    expect(await count('directory_practitioner WHERE id = ANY($1)', [ids])).toBe(0);
    expect(await count('directory_role WHERE practitioner_id = ANY($1)', [ids])).toBe(0);
    expect(report.roles!.created).toBe(1000 - bad.length);
  });

  it('refuses a file whose header is not an extract, leaving no import behind', async () => {
    const before = await count('directory_import');
    await expect(importDirectory(carnet, write('empty.txt', []))).rejects.toMatchObject({ status: 400, code: 'directory.empty' });
    await expect(importDirectory(carnet, write('nir.txt', ['nir;nom', '1;x']))).rejects.toMatchObject({ status: 400, code: 'directory.bad-header' });
    const noName = original[0]!.replace("Nom d'exercice|", '');
    await expect(importDirectory(carnet, write('noname.txt', [noName]))).rejects.toThrow(/lacks the column 'Nom d'exercice'/);
    expect(await count('directory_import')).toBe(before);
  });
});

describe('directory search (/api/directory)', () => {
  const search = (params: Record<string, string | number | undefined>) => request('GET', `/api/directory?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]))}`);

  it('needs a signed-in user', async () => {
    expect((await request('GET', '/api/directory?name=durand', true)).status).toBe(401);
  });

  it('finds names without accents or case: family name, then family and given names in either order', async () => {
    const lefevre = await search({ name: 'lefevre', pageSize: 50 });
    expect(lefevre.status).toBe(200);
    expect(lefevre.body.items.length).toBeGreaterThan(0);
    expect(lefevre.body.items.every((i: any) => i.family === 'Lefèvre')).toBe(true);
    for (const name of ['LEFÈVRE', 'Lefèvre', 'lefèv']) expect((await search({ name, pageSize: 50 })).body, name).toEqual(lefevre.body);
    for (const name of ['lefevre em', 'ÉMILIE LEF', 'emilie lefèvre']) {
      const { body } = await search({ name });
      expect(body.items.map((i: any) => `${i.given} ${i.family}`), name).toContain('Émilie Lefèvre');
      expect(body.items.every((i: any) => /^(Émilie|Émile)/.test(i.given) || /^Émilie/.test(i.family)), name).toBe(true);
    }
    // the first person of the file (PEOPLE[0]); other Émilie Lefèvre may have been drawn
    const first = [...generateDirectory({ lines: 1, seed: SEED, people: PEOPLE })][1]!.split('|')[2];
    const emilie = (await search({ name: 'lefevre emilie' })).body.items.filter((i: any) => i.practitionerId === first);
    expect(emilie).toHaveLength(2);
    expect(emilie[0]).toMatchObject({ professionCode: '10', professionLabel: 'Médecin', city: 'Besançon', civility: 'Dr', idType: '8' });
    expect(emilie[0].identifier).toMatch(/^\d{11}$/);
    expect(emilie[0].practitionerId).toBe(`8${emilie[0].identifier}`);
  });

  it('finds cities with or without accents, and postal codes by prefix', async () => {
    const besancon = (await search({ city: 'Besançon', pageSize: 50 })).body;
    expect(besancon.items.length).toBeGreaterThan(0);
    expect(besancon.items.every((i: any) => i.city === 'Besançon')).toBe(true);
    for (const city of ['besancon', 'BESANCON', 'besan']) expect((await search({ city, pageSize: 50 })).body).toEqual(besancon);
    const etienne = (await search({ city: 'saint etienne', pageSize: 50 })).body;
    expect(etienne.items.length).toBeGreaterThan(0);
    expect(etienne).toEqual((await search({ city: 'Saint-Étienne', pageSize: 50 })).body);
    const evry = (await search({ city: 'evry' })).body;
    expect(evry.items.length).toBeGreaterThan(0);
    expect(evry.items.map((i: any) => i.city)).toEqual(evry.items.map(() => 'Évry-Courcouronnes'));
    const postal = (await search({ city: '25000', pageSize: 50 })).body;
    expect(postal.items.map((i: any) => i.roleId)).toEqual(besancon.items.map((i: any) => i.roleId));
    const paris = (await search({ city: '750', pageSize: 50 })).body;
    expect(paris.items.every((i: any) => i.postalCode.startsWith('750'))).toBe(true);
    expect(paris.items[0]).toMatchObject({ addressLines: expect.any(Array), organizationId: expect.any(String), organizationName: expect.any(String) });
  });

  it('filters by profession and specialty', async () => {
    const pharmacists = (await search({ city: 'paris', profession: '21', pageSize: 50 })).body.items;
    expect(pharmacists.length).toBeGreaterThan(0);
    expect(pharmacists.every((i: any) => i.professionCode === '21' && i.city === 'Paris')).toBe(true);
    const durand = (await search({ name: 'durand', city: 'paris', profession: '21' })).body.items;
    expect(durand.map((i: any) => `${i.given} ${i.family} ${i.professionLabel}`)).toContain('Chloé Durand Pharmacien');
    const gps = (await search({ city: 'paris', profession: '10', specialty: 'SM53', pageSize: 50 })).body.items;
    expect(gps.length).toBeGreaterThan(0);
    expect(gps.every((i: any) => i.skillCode === 'SM53' && i.skillLabel === 'Spécialiste en Médecine Générale')).toBe(true);
  });

  it('pages in a stable order (family, given name, role id), with hasMore', async () => {
    const page1 = (await search({ city: 'paris', pageSize: 5 })).body;
    const page2 = (await search({ city: 'paris', pageSize: 5, page: 2 })).body;
    const both = (await search({ city: 'paris', pageSize: 10 })).body;
    expect(page1).toMatchObject({ page: 1, pageSize: 5, hasMore: true });
    expect(page1.items).toHaveLength(5);
    expect(page2.items.map((i: any) => i.roleId)).not.toEqual(page1.items.map((i: any) => i.roleId));
    expect([...page1.items, ...page2.items]).toEqual(both.items);
    expect((await search({ city: 'paris', pageSize: 5 })).body).toEqual(page1);
    const all = (await search({ name: 'durand', pageSize: 50 })).body;
    const keys = all.items.map((i: any) => [i.family.toLowerCase(), i.given.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(), i.roleId]);
    expect(keys).toEqual([...keys].sort((a: string[], b: string[]) => (a.join('\u0000') < b.join('\u0000') ? -1 : 1)));
    const last = (await search({ name: 'durand', pageSize: 50, page: Math.ceil(all.items.length / 50) + 1 })).body;
    expect(last).toMatchObject({ items: [], hasMore: false });
  });

  it('answers 400 without a name or a city, and for bad paging', async () => {
    for (const params of [{}, { name: 'd' }, { profession: '10' }, { city: 'p' }]) {
      const res = await search(params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'directory.criteria-required', title: expect.stringMatching(/name .* or a city/) });
    }
    for (const params of [{ name: 'durand', pageSize: 51 }, { name: 'durand', pageSize: 0 }, { name: 'durand', page: 0 }, { name: 'durand', page: 'x' }]) {
      const res = await search(params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.code).toBe('directory.bad-paging');
    }
  });

  it('shows the personal mailboxes, reads a professional with all situations, and offers the search choices', async () => {
    const withMail = (await search({ city: 'paris', profession: '10', pageSize: 50 })).body.items.find((i: any) => i.mailboxes.length > 0);
    expect(withMail.mailboxes[0]).toMatch(/@.*mssante\.fr$/);
    const first = [...generateDirectory({ lines: 1, seed: SEED, people: PEOPLE })][1]!.split('|')[2];
    const emilie = (await search({ name: 'lefevre emilie' })).body.items.find((i: any) => i.practitionerId === first);
    const pro = await request('GET', `/api/directory/practitioners/${emilie.practitionerId}`);
    expect(pro.status).toBe(200);
    expect(pro.body).toMatchObject({ id: emilie.practitionerId, family: 'Lefèvre', given: 'Émilie', civility: 'Dr', active: true });
    expect(pro.body.situations).toHaveLength(2);
    expect((await request('GET', '/api/directory/practitioners/810000000000')).body).toMatchObject({ status: 404, code: 'directory.not-found' });
    const options = (await request('GET', '/api/directory/options')).body;
    expect(options.professions).toContainEqual({ code: '21', label: 'Pharmacien' });
    expect(options.skills.map((s: any) => s.code)).toContain('SM26');
    expect(options.skills).toContainEqual(expect.objectContaining({ code: 'SCD01', label: 'Orthopédie dento-faciale', professionCode: '40' }));
  });
});

describe('directory as FHIR', () => {
  it('materializes a professional: Practitioner, roles and structures, valid, readable by a patient, written once', async () => {
    const { rows } = await db.query<{ practitioner_id: string }>(
      `SELECT practitioner_id FROM directory_role WHERE active AND organization_id IS NOT NULL GROUP BY practitioner_id HAVING count(*) > 1 ORDER BY practitioner_id LIMIT 1`,
    );
    const id = rows[0]!.practitioner_id;
    const resources = (await practitionerResources(db, id))!;
    for (const r of [resources.practitioner, ...resources.roles, ...resources.organizations]) expect(validationIssues(r), JSON.stringify(r)).toEqual([]);
    expect(await materializePractitioner(carnet.repo, db, id)).toBe(1 + resources.roles.length + resources.organizations.length);

    const practitioner = await request('GET', `/fhir/Practitioner/${id}`);
    expect(practitioner.status).toBe(200);
    expect(practitioner.body.identifier).toContainEqual(expect.objectContaining({ system: 'urn:oid:1.2.250.1.71.4.2.1', value: id }));
    if (id.startsWith('8')) expect(practitioner.body.identifier).toContainEqual(expect.objectContaining({ system: 'https://rpps.esante.gouv.fr', value: id.slice(1) }));
    const role = await request('GET', `/fhir/PractitionerRole/${resources.roles[0]!.id}`);
    expect(role.status).toBe(200);
    expect(role.body.practitioner.reference).toBe(`Practitioner/${id}`);
    expect(role.body.code[0].coding[0].system).toBe('https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante');
    const org = await request('GET', `/fhir/${role.body.organization.reference}`);
    expect(org.status).toBe(200);

    // nothing changed: nothing written
    expect(await materializePractitioner(carnet.repo, db, id)).toBe(0);
    expect((await request('GET', `/fhir/Practitioner/${id}`)).body.meta.versionId).toBe('1');
    await expect(materializePractitioner(carnet.repo, db, '899999999999')).rejects.toMatchObject({ status: 404 });
  });

  it('builds valid resources for every kind of line: ADELI, without structure, with specialties of other types', async () => {
    const { rows } = await db.query<{ practitioner_id: string }>(
      `(SELECT practitioner_id FROM directory_role WHERE practitioner_id LIKE '0%' LIMIT 3)
       UNION (SELECT practitioner_id FROM directory_role WHERE organization_id IS NULL LIMIT 3)
       UNION (SELECT practitioner_id FROM directory_role WHERE skill_code LIKE 'SCD%' LIMIT 3)
       UNION (SELECT practitioner_id FROM directory_role WHERE profession_code = '21' LIMIT 3)`,
    );
    expect(rows.length).toBeGreaterThan(6);
    for (const { practitioner_id } of rows) {
      const r = (await practitionerResources(db, practitioner_id))!;
      for (const resource of [r.practitioner, ...r.roles, ...r.organizations]) expect(validationIssues(resource), JSON.stringify(resource)).toEqual([]);
    }
  });
});
