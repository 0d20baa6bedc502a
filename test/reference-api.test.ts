import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { runCli } from './support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/index.js';
import { encodeWindows1252 } from '../src/domain/reference/bdpm.js';
import { loadShippedReferenceData } from '../src/services/reference/load.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * Reference data through the application API (docs/reference-data.md): the drug look-up by name, CIP13 and
 * CIP7 over the shipped BDPM extract, the vaccine list, and the operator's replacement of the datasets.
 */
let tc: TestCarnet;
let patient: string;
let operator: string;

beforeAll(async () => {
  tc = await startCarnet();
  patient = await tc.patient(`ref-${Date.now()}`);
  operator = await tc.user({ role: 'operator' });
});
afterAll(async () => tc?.close());

const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any });
const get = (url: string, token: string) => tc.request('GET', url, { token }).then(json);
const upload = (file: string, bytes: Uint8Array, token = operator) =>
  fetch(`${tc.baseUrl}/api/admin/reference/bdpm?file=${file}&version=2026-01-15`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    body: Buffer.from(bytes),
  }).then(json);
const putVaccines = (body: unknown, token = operator) =>
  tc.request('PUT', '/api/admin/reference/vaccines', { token, json: body, headers: { 'content-type': 'application/json' } }).then(json);

/** Puts the shipped dataset back (as on a first start), so that no test depends on the order of the others. */
async function restoreShipped(id: 'bdpm' | 'vaccines'): Promise<void> {
  await tc.db.query('DELETE FROM reference_dataset WHERE id = $1', [id]);
  await loadShippedReferenceData({ db: tc.db, clock: tc.carnet.clock });
}

const CIS_DOLIPRANE = '60234100\tDOLIPRANE 1000 mg, comprimé\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t09/07/2002\t\t\t OPELLA HEALTHCARE FRANCE\tNon';
const CIS_OTHER = '69999999\tPRODUIT ÉPREUVE 5 mg, gélule\tgélule\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t01/01/2020\t\t\t LABO\tNon';

describe('drug look-up', () => {
  it('finds drugs by a prefix of any word, without regard to case or accents, with their presentations', async () => {
    const res = await get('/api/reference/drugs?q=doli%201000%20COMPRIME', patient);
    expect(res.status).toBe(200);
    const doliprane = res.body.drugs.find((d: any) => d.cis === '60234100');
    expect(doliprane).toMatchObject({ name: 'DOLIPRANE 1000 mg, comprimé', form: 'comprimé', marketed: true });
    expect(doliprane.presentations.map((p: any) => p.cip13)).toEqual(expect.arrayContaining(['3400935955838', '3400956369553']));
    expect(res.body.drugs.every((d: any) => /doli/i.test(d.name) && /1000/.test(d.name))).toBe(true);
    expect((await get('/api/reference/drugs?q=ibuprof%C3%A8ne', patient)).body.drugs.length).toBeGreaterThan(3);
    expect((await get('/api/reference/drugs?q=zzzz', patient)).body.drugs).toEqual([]);
    expect((await get('/api/reference/drugs?q=', patient)).body.drugs).toEqual([]);
  });

  it('finds a drug by CIP13 and by CIP7', async () => {
    const by13 = await get('/api/reference/drugs?q=3400935955838', patient);
    expect(by13.body.drugs.map((d: any) => d.cis)).toEqual(['60234100']);
    const by7 = await get('/api/reference/drugs?q=3595583', patient);
    expect(by7.body.drugs.map((d: any) => d.cis)).toEqual(['60234100']);
    // a CIP7 of the 300xxxx range, whose legacy key does not hold, is still found
    expect((await get('/api/reference/drugs?q=3007651', patient)).body.drugs.map((d: any) => d.cis)).toEqual(['60019329']);
  });

  it('refuses a CIP13 with a wrong check digit, naming q', async () => {
    const res = await get('/api/reference/drugs?q=3400935955839', patient);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('treatments.cip-invalid');
    expect(res.body.title).toMatch(/^q:/);
    expect(res.body.fields).toEqual(['q']);
  });

  it('is for signed-in users only', async () => {
    expect((await tc.request('GET', '/api/reference/drugs?q=doli')).status).toBe(401);
  });
});

describe('vaccine list', () => {
  it('lists and searches the shipped vaccines', async () => {
    const all = await get('/api/reference/vaccines', patient);
    expect(all.status).toBe(200);
    expect(all.body.vaccines.length).toBeGreaterThan(30);
    const bexsero = all.body.vaccines.find((v: any) => v.id === 'bexsero');
    expect(bexsero).toEqual({
      id: 'bexsero',
      label: 'Bexsero',
      cis: '64493883',
      cip13: ['3400926863036'],
      atcCode: 'J07AH09',
      atcLabel: expect.any(String),
      diseases: ['infections à méningocoque B'],
    });
    const rougeole = await get('/api/reference/vaccines?q=ROUGEOLE', patient);
    expect(rougeole.body.vaccines.map((v: any) => v.id).sort()).toEqual(['m-m-rvaxpro', 'priorix']);
    expect((await get('/api/reference/vaccines?q=hepatite%20b', patient)).body.vaccines.map((v: any) => v.id)).toEqual(
      expect.arrayContaining(['engerix-b', 'hbvaxpro', 'hexyon', 'twinrix']),
    );
  });
});

describe('the operator replaces the datasets', () => {
  it('lists the shipped datasets with their provenance', async () => {
    const res = await get('/api/admin/reference', operator);
    expect(res.status).toBe(200);
    const byId = Object.fromEntries(res.body.datasets.map((d: any) => [d.id, d]));
    expect(byId.bdpm).toMatchObject({ loadedBy: 'carnet', rowCount: 105 });
    expect(byId.bdpm.source).toMatch(/BDPM|médicaments/i);
    expect(byId.vaccines).toMatchObject({ loadedBy: 'carnet', version: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  });

  it('refuses non-operators', async () => {
    expect((await get('/api/admin/reference', patient)).status).toBe(403);
    expect((await putVaccines({ source: 's', version: '2026-01-01', vaccines: [] }, patient)).status).toBe(403);
    expect((await upload('CIS_bdpm.txt', encodeWindows1252(CIS_OTHER), patient)).status).toBe(403);
  });

  it('refuses a malformed BDPM file with its line, and replaces nothing', async () => {
    const bad = `${CIS_DOLIPRANE}\n${CIS_OTHER}\n12345\tbroken\n`;
    const res = await upload('CIS_bdpm.txt', encodeWindows1252(bad));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('reference.bdpm-invalid');
    expect(res.body.title).toMatch(/CIS_bdpm\.txt, line 3/);
    expect((await get('/api/reference/drugs?q=ibuprofene', patient)).body.drugs.length).toBeGreaterThan(3);
    expect((await get('/api/admin/reference', operator)).body.datasets.find((d: any) => d.id === 'bdpm').loadedBy).toBe('carnet');

    const badKey = `60234100\t3595583\tboîte\tPrésentation active\tDéclaration de commercialisation\t02/01/2003\t3400935955830\toui\t65%\t1,16\t2,18\t1,02\t\t\n`;
    const cip = await upload('CIS_CIP_bdpm.txt', encodeWindows1252(badKey));
    expect(cip.status).toBe(422);
    expect(cip.body.title).toMatch(/CIS_CIP_bdpm\.txt, line 1: .*check digit/);
    expect((await upload('CIS_OTHER.txt', encodeWindows1252(CIS_OTHER))).status).toBe(400);
  });

  it('replaces the vaccine list, and refuses a bad one naming the field', async () => {
    const shipped = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../data/reference/vaccines.json'), 'utf8'));
    const bad = await putVaccines({ ...shipped, vaccines: [{ ...shipped.vaccines[0], atcCode: 'X01' }] });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('reference.vaccines-invalid');
    expect(bad.body.title).toMatch(/^vaccines\[0\]\.atcCode/);
    expect(bad.body.fields).toEqual(['vaccines[0].atcCode']);

    const smaller = { source: 'Liste de test', version: '2026-02-01', vaccines: shipped.vaccines.slice(0, 3) };
    try {
      const ok = await putVaccines(smaller);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: 'vaccines', source: 'Liste de test', version: '2026-02-01', rowCount: 3, loadedBy: expect.any(String) });
      expect(ok.body.loadedBy).not.toBe('carnet');
      expect((await get('/api/reference/vaccines', patient)).body.vaccines).toHaveLength(3);
    } finally {
      await restoreShipped('vaccines');
    }
    expect((await get('/api/reference/vaccines', patient)).body.vaccines).toHaveLength(shipped.vaccines.length);
  });

  it('replaces the products from an uploaded Windows-1252 file, keeping the presentations of products still listed', async () => {
    try {
      const res = await upload('CIS_bdpm.txt', encodeWindows1252(`${CIS_DOLIPRANE}\r\n${CIS_OTHER}\r\n`));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: 'bdpm', version: '2026-01-15', rowCount: 2 });
      expect((await get('/api/reference/drugs?q=epreuve', patient)).body.drugs[0]).toMatchObject({ cis: '69999999', name: 'PRODUIT ÉPREUVE 5 mg, gélule', presentations: [] });
      expect((await get('/api/reference/drugs?q=ibuprofene', patient)).body.drugs).toEqual([]);
      expect((await get('/api/reference/drugs?q=3400935955838', patient)).body.drugs.map((d: any) => d.cis)).toEqual(['60234100']);
    } finally {
      await restoreShipped('bdpm');
    }
    expect((await get('/api/reference/drugs?q=ibuprofene', patient)).body.drugs.length).toBeGreaterThan(3);
    expect((await get('/api/admin/reference', operator)).body.datasets.find((d: any) => d.id === 'bdpm')).toMatchObject({ loadedBy: 'carnet', rowCount: 105 });
  });
});

describe('carnet import-bdpm', () => {
  const run = runCli;


  const PRESENTATION = '60234100\t3595583\tboîte\tPrésentation active\tDéclaration de commercialisation\t02/01/2003\t3400935955838\toui\t65%\t1,16\t2,18\t1,02\t\t';
  const ORPHAN = '61111111\t3595590\tboîte\tPrésentation active\tDéclaration de commercialisation\t02/01/2003\t3400935955906\toui\t65%\t1,16\t2,18\t1,02\t\t';

  it('replaces the drug database of its DATA_DIR with the official files, or imports nothing and says why', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bdpm-'));
    const files = path.join(dataDir, 'bdpm');
    fs.mkdirSync(files);
    // its own database (PGlite in DATA_DIR): never the running test server's
    const env = { DATA_DIR: dataDir, DATABASE_URL: undefined, DEMO: 'false' };
    try {
      expect(await run(['import-bdpm', files], env)).toMatchObject({ code: 2, err: expect.stringMatching(/Not found: .*CIS_bdpm\.txt/) });

      fs.writeFileSync(path.join(files, 'CIS_bdpm.txt'), encodeWindows1252(`${CIS_DOLIPRANE}\r\n12345\tbroken\r\n`));
      fs.writeFileSync(path.join(files, 'CIS_CIP_bdpm.txt'), encodeWindows1252(`${PRESENTATION}\r\n`));
      const bad = await run(['import-bdpm', files, '--version', '2026-04-01'], env);
      expect(bad.code).toBe(1);
      expect(bad.err).toMatch(/Nothing imported: .*CIS_bdpm\.txt, line 2/);

      fs.writeFileSync(path.join(files, 'CIS_bdpm.txt'), encodeWindows1252(`${CIS_DOLIPRANE}\r\n${CIS_OTHER}\r\n`));
      fs.writeFileSync(path.join(files, 'CIS_CIP_bdpm.txt'), encodeWindows1252(`${PRESENTATION}\r\n${ORPHAN}\r\n`));
      const ok = await run(['import-bdpm', files, '--version', '2026-04-01'], env);
      expect(ok, ok.err).toMatchObject({ code: 0 });
      expect(ok.out).toBe('Imported 2 products and 1 presentations (version 2026-04-01); left out 1 presentations of products not in CIS_bdpm.txt.');

      // the database the command wrote (src/app.ts openConfiguredDb: DATA_DIR/pglite)
      const db = await openDb({ pgliteDir: path.join(dataDir, 'pglite') });
      try {
        const dataset = (await db.query<{ version: string; loaded_by: string; row_count: number }>(`SELECT version, loaded_by, row_count FROM reference_dataset WHERE id = 'bdpm'`)).rows[0];
        expect(dataset).toMatchObject({ version: '2026-04-01', loaded_by: 'cli', row_count: 2 });
        expect((await db.query<{ cip13: string }>('SELECT cip13 FROM drug_presentation')).rows.map((r) => r.cip13)).toEqual(['3400935955838']);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
