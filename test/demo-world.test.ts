import { runCli } from './support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasValidLuhn } from '../src/domain/directory/luhn.js';
import { INS_OID, parseNir } from '../src/domain/ins/index.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/** The demo world, seeded as on a first start, seen through /fhir and /api with demo tokens. */
let t: TestCarnet;

beforeAll(async () => {
  t = await startCarnet({ seed: true });
});
afterAll(() => t.close());

async function me(login: string): Promise<any> {
  const res = await t.request('GET', '/api/me', { token: await t.tokenFor(login) });
  expect(res.status).toBe(200);
  return res.json();
}

async function all(login: string, type: string): Promise<any[]> {
  const res = await t.request('GET', `/fhir/${type}?_count=200`, { token: await t.tokenFor(login) });
  expect(res.status).toBe(200);
  return (await res.json()).entry.filter((e: any) => e.search.mode === 'match').map((e: any) => e.resource);
}

describe('demo world', () => {
  it('has every documented login, with its role', async () => {
    const expected: Record<string, string> = {
      'camille.martin': 'patient',
      'louis.bernard': 'patient',
      'dr.durand': 'professional',
      'ph.leroy': 'professional',
      'inf.moreau': 'professional',
      'dr.petit': 'professional',
      'bio.roux': 'professional',
      admin: 'operator',
    };
    for (const [login, role] of Object.entries(expected)) {
      const who = await me(login);
      expect(who.login).toBe(login);
      expect(who.role).toBe(role);
    }
  });

  it('gives patients valid test INS, and Camille her two children', async () => {
    const camille = await me('camille.martin');
    expect(camille.records.map((r: any) => r.relation)).toEqual(['self', 'parent', 'parent']);
    const patients = await all('camille.martin', 'Patient');
    expect(patients.map((p) => p.name[0].given[0]).sort()).toEqual(['Camille', 'Jade', 'Léo']);
    for (const p of patients) {
      const ins = p.identifier.find((i: any) => i.system === `urn:oid:${INS_OID.TEST}`);
      const parsed = parseNir(ins.value);
      expect(parsed.ok, ins.value).toBe(true);
      expect(p.generalPractitioner[0].reference).toMatch(/^Practitioner\//);
    }
    const children = patients.filter((p) => p.name[0].given[0] !== 'Camille');
    // Camille as the parent in each child's record (her own record holds her contacts of the profile)
    const related = (await all('camille.martin', 'RelatedPerson')).filter((r) => r.patient.reference !== `Patient/${patients.find((p) => p.name[0].given[0] === 'Camille').id}`);
    expect(related).toHaveLength(2);
    expect(new Set(related.map((r) => r.patient.reference))).toEqual(new Set(children.map((c) => `Patient/${c.id}`)));
  });

  it('gives each adult about fifty clinical resources, and none to see for another patient', async () => {
    for (const login of ['camille.martin', 'louis.bernard']) {
      const self = (await me(login)).patient;
      let count = 0;
      for (const type of ['Observation', 'Condition', 'Immunization', 'Procedure', 'MedicationStatement', 'AllergyIntolerance']) {
        const resources = await all(login, type);
        count += resources.filter((r) => (r.subject ?? r.patient).reference === self).length;
      }
      expect(count, login).toBeGreaterThanOrEqual(45);
    }
    const louis = (await me('louis.bernard')).patient;
    const seenByCamille = await all('camille.martin', 'Observation');
    expect(seenByCamille.some((o) => o.subject.reference === louis)).toBe(false);
  });

  it('has the five professionals with valid RPPS, and Camille Martin’s médecin traitant', async () => {
    const practitioners = await all('louis.bernard', 'Practitioner');
    expect(practitioners).toHaveLength(5);
    for (const p of practitioners) {
      const rpps = p.identifier.find((i: any) => i.system === 'https://rpps.esante.gouv.fr').value;
      expect(rpps).toMatch(/^\d{11}$/);
      expect(hasValidLuhn(rpps)).toBe(true);
    }
    const durand = (await me('dr.durand')).practitioner;
    const camille = (await all('camille.martin', 'Patient')).find((p) => p.name[0].given[0] === 'Camille');
    expect(camille.generalPractitioner[0].reference).toBe(durand);
    const louis = (await all('louis.bernard', 'Patient'))[0];
    expect(louis.generalPractitioner).toBeUndefined();
    // the médecin traitant's care relation lets her read Camille's record
    const res = await t.request('GET', `/fhir/Patient/${camille.id}`, { token: await t.tokenFor('dr.durand') });
    expect(res.status).toBe(200);
    const organizations = await all('admin', 'Organization');
    expect(organizations.every((o) => hasValidLuhn(o.identifier[0].value))).toBe(true);
  });

  it('keeps professionals without consent and the operator out of patient records', async () => {
    const louis = (await me('louis.bernard')).patient;
    for (const login of ['dr.durand', 'admin']) {
      const res = await t.request('GET', `/fhir/${louis}`, { token: await t.tokenFor(login) });
      expect(res.status, login).toBe(403);
    }
  });

  it('seeds the medical profile, the measures and the directives', async () => {
    const api = async (login: string, url: string, patientId?: string) => {
      const res = await t.request('GET', url, { token: await t.tokenFor(login), headers: patientId ? { 'x-acting-for': patientId } : {} });
      expect(res.status, url).toBe(200);
      return res.json() as Promise<any>;
    };
    const profile = await api('camille.martin', '/api/profile');
    const counts = Object.fromEntries(profile.sections.map((s: any) => [s.section, s.count]));
    expect(counts).toMatchObject({ diseases: 2, treatments: 2, allergies: 1, hospitalisations: 1, 'family-history': 2, disabilities: 0, habits: 1, contacts: 2 });
    // the profile's three, and her médecin traitant's (Synthea) Immunizations
    expect(counts.vaccinations).toBeGreaterThanOrEqual(3);
    expect(profile.sections.find((s: any) => s.section === 'disabilities').unconcerned.declaredAt).toEqual(expect.any(String));
    expect(profile).toMatchObject({ bloodGroup: 'APOS', organDonation: true });
    // the links: a treatment stopped for her allergy, a document of her record with her hospitalisation
    const treatments = (await api('camille.martin', '/api/profile/sections/treatments')).entries;
    const allergy = (await api('camille.martin', '/api/profile/sections/allergies')).entries[0];
    expect(treatments.find((x: any) => x.allergyIds?.length).allergyIds).toEqual([allergy.id]);
    const [stay] = (await api('camille.martin', '/api/profile/sections/hospitalisations')).entries;
    expect(stay.documentIds).toHaveLength(1);
    // a year of weekly weights, one of them from her connected scale
    const weights = (await api('camille.martin', '/api/profile/measures?code=WEIGHT')).measures;
    expect(weights.length).toBeGreaterThanOrEqual(50);
    expect(weights.filter((m: any) => m.source.kind === 'app')).toHaveLength(1);

    const patients = await all('camille.martin', 'Patient');
    const idOf = (given: string) => patients.find((p) => p.name[0].given[0] === given).id;
    const jade = await api('camille.martin', '/api/profile/growth?measure=weight', idOf('Jade'));
    expect(jade.points.length).toBeGreaterThan(5);
    // Léo's curves hold the seeded measures only: none of his Synthea sample's (a BMI of 11.7 at 8)
    const leo = await api('camille.martin', '/api/profile/growth?measure=bmi', idOf('Léo'));
    expect(leo.points.length).toBeGreaterThan(5);
    expect(Math.min(...leo.points.map((p: any) => p.value))).toBeGreaterThan(12.5);

    expect((await api('louis.bernard', '/api/profile/advance-directives')).current).toMatchObject({ status: 'current' });
  });

  it('is not seeded twice', async () => {
    const { seedDemoWorld } = await import('../src/services/demo/seed.js');
    const again = await seedDemoWorld(t.db, t.carnet.repo);
    expect(again.seeded).toBe(false);
  });
});

describe('carnet token', () => {
  const run = runCli;


  it('prints a token the running server accepts, for the same DATA_DIR', async () => {
    const { code, out } = await run(['token', 'camille.martin'], { DATA_DIR: t.carnet.config.dataDir, DEMO: 'true', DATABASE_URL: undefined });
    expect(code).toBe(0);
    const res = await t.request('GET', '/api/me', { token: out.trim() });
    expect(res.status).toBe(200);
    expect((await res.json()).login).toBe('camille.martin');
  });

  it('is refused outside demo mode, for an unknown login, and without a key', async () => {
    const dataDir = t.carnet.config.dataDir;
    expect((await run(['token', 'camille.martin'], { DATA_DIR: dataDir, DEMO: 'false' })).err).toMatch(/demo mode/);
    expect((await run(['token', 'camille.martin'], { DATA_DIR: dataDir, DEMO: 'false' })).code).toBe(1);
    expect((await run(['token', 'nobody'], { DATA_DIR: dataDir, DEMO: 'true' })).err).toMatch(/Unknown demo login/);
    const noKey = await run(['token', 'camille.martin'], { DATA_DIR: `${dataDir}/elsewhere`, DEMO: 'true' });
    expect(noKey.code).toBe(1);
    expect(noKey.err).toMatch(/No signing key/);
  });

  it('has --help on every command, and names a wrong setting', async () => {
    for (const command of ['serve', 'migrate', 'token']) {
      const { code, out } = await run([command, '--help'], {});
      expect(code).toBe(0);
      expect(out).toContain(`carnet ${command}`);
    }
    expect((await run(['--help'], {})).out).toMatch(/serve[\s\S]*migrate[\s\S]*token/);
    expect((await run(['frobnicate'], {})).code).toBe(2);
    const bad = await run(['migrate'], { PORT: 'abc' });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/PORT/);
  });
});
