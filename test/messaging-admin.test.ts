import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { professional } from './support/care.js';
import { activePatient } from './support/messaging.js';

/**
 * The professional mailboxes the operator creates (issue 7): application (APP) and practice (CAB) mailboxes,
 * or personal (PER) and organisational (ORG) ones missing from the directory. Through the real HTTP API:
 * creation, listing and search, (de)activation, what the professionals then see and write from, and the
 * refusals (duplicates, the patients' domain, owners, kinds, non-operators, malformed bodies).
 */
let tc: TestCarnet;
let operator: string;
let n = 0;

beforeAll(async () => {
  tc = await startCarnet({ env: { RATE_LIMIT_PER_MINUTE: '10000' } });
  operator = await tc.user({ role: 'operator' });
});
afterAll(async () => tc?.close());

const json = async (res: Response) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any });
const get = (url: string, token: string) => tc.request('GET', url, { token }).then(json);
const post = (url: string, token: string, body: unknown = {}) =>
  tc.request('POST', url, { token, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }).then(json);

/** A fresh address on a professional domain. */
const fresh = (label: string) => `${label.toLowerCase()}.${process.pid}.${++n}@hopital-test.mssante.fr`;

async function create(body: Record<string, unknown>) {
  const res = await post('/api/admin/mailboxes', operator, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { address: string; kind: string; displayName: string; practitionerId: string | null; organizationId: string | null; pharmacy: boolean; active: boolean; createdAt: string };
}

const mailboxesOf = async (token: string): Promise<string[]> => {
  const res = await get('/api/pro/messages', token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.mailboxes.map((m: { address: string }) => m.address);
};

describe('the operator creates mailboxes', () => {
  it('an APP mailbox of a structure: its professionals see it, write from it; deactivated, it is gone', async () => {
    const orgId = `ORG-APP-${process.pid}`;
    const pro = await professional(tc, { organization: { id: orgId, name: 'Centre hospitalier de Test', city: 'Lille' } });
    const elsewhere = await professional(tc);
    const patient = await activePatient(tc);
    const address = fresh('Dossier-Patient');

    const created = await create({ address: `  ${address.toUpperCase()} `, kind: 'APP', displayName: ' Logiciel DPI ', organizationId: orgId });
    expect(created).toMatchObject({ address, kind: 'APP', displayName: 'Logiciel DPI', practitionerId: null, organizationId: orgId, pharmacy: false, active: true });
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

    // listed, and found by address or by name
    const list = await get('/api/admin/mailboxes', operator);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 50 });
    expect(list.body.items.map((m: any) => m.address)).toContain(address);
    expect((await get(`/api/admin/mailboxes?q=${encodeURIComponent('logiciel dpi')}`, operator)).body.items.map((m: any) => m.address)).toEqual([address]);
    expect((await get(`/api/admin/mailboxes?q=${encodeURIComponent(address)}`, operator)).body).toMatchObject({ total: 1, items: [{ address }] });
    expect((await get('/api/admin/mailboxes?q=nothing-like-this', operator)).body).toMatchObject({ total: 0, items: [] });

    // a professional practising in the structure has it among their mailboxes; another does not
    expect(await mailboxesOf(pro.token)).toContain(address);
    expect(await mailboxesOf(elsewhere.token)).not.toContain(address);

    // and writes to a patient from it
    const sent = await post('/api/pro/messages', pro.token, { ins: patient.nir, from: address, subject: 'Compte rendu', text: 'Bonjour, voici votre compte rendu.' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const inbox = await get('/api/messages', patient.token);
    expect(inbox.body.items[0].counterparts[0].address).toBe(address);
    // the other professional may not write from it
    const stolen = await post('/api/pro/messages', elsewhere.token, { ins: patient.nir, from: address, subject: 'x', text: 'y' });
    expect(stolen).toMatchObject({ status: 409, body: { code: 'messages.no-own-mailbox' } });

    // deactivated: no longer theirs, no longer a sender
    const off = await post(`/api/admin/mailboxes/${encodeURIComponent(address)}/deactivate`, operator);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ address, active: false });
    expect(await mailboxesOf(pro.token)).not.toContain(address);
    expect(await post('/api/pro/messages', pro.token, { ins: patient.nir, from: address, subject: 'x', text: 'y' })).toMatchObject({ status: 409, body: { code: 'messages.no-own-mailbox' } });
    expect((await get(`/api/admin/mailboxes?q=${encodeURIComponent(address)}`, operator)).body.items[0]).toMatchObject({ address, active: false });

    // activated again: back
    const on = await post(`/api/admin/mailboxes/${encodeURIComponent(address)}/activate`, operator);
    expect(on).toMatchObject({ status: 200, body: { address, active: true } });
    expect(await mailboxesOf(pro.token)).toContain(address);
  });

  it('a CAB mailbox of a professional: theirs only, a pharmacy when flagged', async () => {
    const pro = await professional(tc);
    const colleague = await professional(tc);
    const patient = await activePatient(tc);
    const address = fresh('cabinet');
    const created = await create({ address, kind: 'CAB', displayName: 'Cabinet du Dr Test', practitionerId: pro.practitionerId, pharmacy: true });
    expect(created).toMatchObject({ address, kind: 'CAB', practitionerId: pro.practitionerId, organizationId: null, pharmacy: true, active: true });
    expect(await mailboxesOf(pro.token)).toContain(address);
    expect(await mailboxesOf(colleague.token)).not.toContain(address);
    const sent = await post('/api/pro/messages', pro.token, { ins: patient.nir, from: address, subject: 'Rendez-vous', text: 'Bonjour.' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  });

  it('PER and ORG mailboxes missing from the directory', async () => {
    const pro = await professional(tc);
    const org = `ORG-ORG-${process.pid}`;
    await professional(tc, { organization: { id: org, name: 'Maison de santé', city: 'Rennes' } });
    expect(await create({ address: fresh('per'), kind: 'PER', displayName: 'Dr Test', practitionerId: pro.practitionerId })).toMatchObject({ kind: 'PER' });
    expect(await create({ address: fresh('org'), kind: 'ORG', displayName: 'Secrétariat', organizationId: org })).toMatchObject({ kind: 'ORG', organizationId: org });
  });

  it('pages the list', async () => {
    const pro = await professional(tc);
    for (let i = 0; i < 3; i++) await create({ address: fresh('page'), kind: 'CAB', displayName: `Paged ${i}`, practitionerId: pro.practitionerId });
    const first = await get('/api/admin/mailboxes?q=paged&pageSize=2', operator);
    expect(first.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(first.body.items).toHaveLength(2);
    const second = await get('/api/admin/mailboxes?q=paged&pageSize=2&page=2', operator);
    expect(second.body.items).toHaveLength(1);
    expect((await get('/api/admin/mailboxes?pageSize=0', operator)).status).toBe(400);
    expect((await get('/api/admin/mailboxes?page=abc', operator)).status).toBe(400);
  });
});

describe('what the operator may not create', () => {
  let pro: Awaited<ReturnType<typeof professional>>;
  let orgId: string;
  beforeAll(async () => {
    orgId = `ORG-REFUSE-${process.pid}`;
    pro = await professional(tc, { organization: { id: orgId, name: 'Clinique', city: 'Nantes' } });
  });

  const refused = async (body: unknown, status: number, code: string) => {
    const res = await post('/api/admin/mailboxes', operator, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBe(code);
  };

  it('an address that is already a mailbox: 409', async () => {
    const address = fresh('dup');
    await create({ address, kind: 'APP', displayName: 'Application', organizationId: orgId });
    await refused({ address, kind: 'APP', displayName: 'Application', organizationId: orgId }, 409, 'mailboxes.taken');
    await refused({ address: address.toUpperCase(), kind: 'CAB', displayName: 'Autre', practitionerId: pro.practitionerId }, 409, 'mailboxes.taken');
    // one of the directory's
    const listed = fresh('annuaire');
    await tc.db.query(`INSERT INTO directory_mailbox (address, kind, practitioner_id, active, updated_at) VALUES ($1, 'PER', $2, true, now())`, [listed, pro.practitionerId]);
    await refused({ address: listed, kind: 'PER', displayName: 'Doublon', practitionerId: pro.practitionerId }, 409, 'mailboxes.taken');
  });

  it("an address of the patients' domain, or no address at all: 400", async () => {
    await refused({ address: '123456789012345@patient.carnet.test', kind: 'APP', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.patient-domain');
    await refused({ address: 'accueil@sous.patient.carnet.test', kind: 'APP', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.patient-domain');
    await refused({ address: 'pas une adresse', kind: 'APP', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.address');
    await refused({ address: 'a..b@hopital.fr', kind: 'APP', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.address');
  });

  it('a wrong kind, or no name: 400', async () => {
    await refused({ address: fresh('kind'), kind: 'PAT', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.kind');
    await refused({ address: fresh('kind'), kind: 'app', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.kind');
    await refused({ address: fresh('name'), kind: 'APP', displayName: '   ', organizationId: orgId }, 400, 'mailboxes.name');
  });

  it('a missing owner: 400; an unknown one: 404', async () => {
    await refused({ address: fresh('owner'), kind: 'CAB', displayName: 'x' }, 400, 'mailboxes.owner');
    await refused({ address: fresh('owner'), kind: 'PER', displayName: 'x', organizationId: orgId }, 400, 'mailboxes.owner');
    await refused({ address: fresh('owner'), kind: 'APP', displayName: 'x', practitionerId: pro.practitionerId }, 400, 'mailboxes.owner');
    await refused({ address: fresh('owner'), kind: 'ORG', displayName: 'x' }, 400, 'mailboxes.owner');
    await refused({ address: fresh('owner'), kind: 'CAB', displayName: 'x', practitionerId: '899999999999' }, 404, 'mailboxes.owner-unknown');
    await refused({ address: fresh('owner'), kind: 'APP', displayName: 'x', organizationId: 'NO-SUCH-STRUCTURE' }, 404, 'mailboxes.owner-unknown');
  });

  it('(de)activating an unknown mailbox, or another action: 404 / 400', async () => {
    const none = await post(`/api/admin/mailboxes/${encodeURIComponent('personne@nulle-part.fr')}/deactivate`, operator);
    expect(none).toMatchObject({ status: 404, body: { code: 'mailboxes.unknown' } });
    const address = fresh('action');
    await create({ address, kind: 'APP', displayName: 'x', organizationId: orgId });
    expect((await post(`/api/admin/mailboxes/${encodeURIComponent(address)}/delete`, operator)).status).toBe(400);
  });

  it('malformed bodies: 400, never 500', async () => {
    const base = { address: fresh('types'), kind: 'APP', displayName: 'x', organizationId: orgId };
    const bodies: unknown[] = [
      [],
      'null',
      '"texte"',
      '42',
      { ...base, address: 42 },
      { ...base, address: ['a@b.fr'] },
      { ...base, kind: 1 },
      { ...base, kind: null },
      { ...base, kind: 'APPLICATION' },
      { ...base, displayName: { fr: 'x' } },
      { ...base, displayName: 'x'.repeat(201) },
      { ...base, displayName: undefined },
      { ...base, organizationId: 12 },
      { ...base, organizationId: 'x'.repeat(65) },
      { ...base, kind: 'CAB', organizationId: undefined, practitionerId: 8 },
      { ...base, kind: 'CAB', organizationId: undefined, practitionerId: '8'.repeat(21) },
      { ...base, pharmacy: 'oui' },
      { ...base, pharmacy: 1 },
      { ...base, address: `${'a'.repeat(250)}@b.fr` },
    ];
    for (const body of bodies) {
      const res = await post('/api/admin/mailboxes', operator, body);
      expect(res.status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBe(400);
    }
    const broken = await tc.request('POST', '/api/admin/mailboxes', { token: operator, body: '{"address": ', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    const text = await tc.request('POST', '/api/admin/mailboxes', { token: operator, body: 'address=a@b.fr', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    // nothing was created by any of them
    expect((await get(`/api/admin/mailboxes?q=${encodeURIComponent(base.address)}`, operator)).body.total).toBe(0);
  });
});

describe('operators only', () => {
  it('patients, professionals and anonymous callers are refused', async () => {
    const pro = await professional(tc);
    const patient = await activePatient(tc);
    const address = fresh('forbidden');
    for (const token of [pro.token, patient.token]) {
      expect(await get('/api/admin/mailboxes', token)).toMatchObject({ status: 403, body: { code: 'operator.only' } });
      expect(await post('/api/admin/mailboxes', token, { address, kind: 'CAB', displayName: 'x', practitionerId: pro.practitionerId })).toMatchObject({ status: 403, body: { code: 'operator.only' } });
      expect(await post(`/api/admin/mailboxes/${encodeURIComponent(address)}/activate`, token)).toMatchObject({ status: 403, body: { code: 'operator.only' } });
    }
    expect((await tc.request('GET', '/api/admin/mailboxes')).status).toBe(401);
    expect((await tc.request('POST', '/api/admin/mailboxes', { body: '{}', headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect((await get(`/api/admin/mailboxes?q=${encodeURIComponent(address)}`, operator)).body.total).toBe(0);
  });
});
