import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayView, type DocumentFacts, type DocumentReader } from '../src/domain/access/index.js';
import { DEFAULT_MATRIX } from '../src/domain/documents/matrix.js';
import { DAY_MS } from '../src/services/clock.js';
import { startCarnet, type TestCarnet, type TestResponse } from './support/carnet.js';
import { insuredPatient, professional, type ProOptions, type TestPatient, type TestPro } from './support/care.js';
import { provideBundle } from './support/mhd-bundles.js';

/**
 * Who must NOT see a document, over real HTTP on a real database, as carefully as who must (domain.md
 * §2.6–2.9): the SQL the repository applies to searches, totals, includes and reads agrees with the plain
 * statement of the rules (domain/access/documents.ts mayView) for every kind of reader; refusals are traced;
 * the life of a document held back from the patient; "mask new documents"; emergency access; the audit trail
 * and the document writes nobody may make.
 *
 * One Carnet for the file. The clock only moves forward and is shared: the tests that move it (emergency,
 * then the hold of a document not visible to the patient) come last.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Json = Record<string, any>;
type ProReader = Extract<DocumentReader, { kind: 'professional' }>;

let orgs = 0;
/** A professional in a structure of their own (or the one given), with the structure's id known to the test. */
async function pro(o: ProOptions & { org?: string } = {}): Promise<TestPro & { organizationId: string; profession: string }> {
  const organizationId = o.org ?? `T${process.pid}x${++orgs}`;
  const p = await professional(tc, { ...o, organization: { id: organizationId, name: `Structure ${organizationId}`, city: 'Paris' } });
  return { ...p, organizationId, profession: o.profession ?? '10' };
}

async function careTeam(p: TestPro, patient: TestPatient): Promise<void> {
  const res = await tc.request('POST', `/api/pro/patients/${patient.patientId}/access`, { token: p.token, json: { basis: 'care-team' } });
  expect(res.status, await res.clone().text()).toBe(201);
}

function readerOf(p: TestPro & { organizationId: string; profession: string }, o: Partial<ProReader> = {}): ProReader {
  return { kind: 'professional', practitionerId: p.practitionerId, organizationId: p.organizationId, profession: p.profession, administrator: false, matrix: DEFAULT_MATRIX, ...o };
}

interface Deposited {
  id: string;
  listId: string;
  typeCode: string;
  labels: string[];
  facts: DocumentFacts;
}

/** ITI-65 by a professional: one submission set listing these documents. */
async function deposit(by: TestPro & { organizationId: string }, patient: TestPatient, docs: { typeCode: string; labels?: string[]; title?: string }[]): Promise<Deposited[]> {
  const bundle = provideBundle({
    patient: `Patient/${patient.patientId}`,
    authorIdNat: by.practitionerId,
    documents: docs.map((d) => ({ typeCode: d.typeCode, securityLabels: ['N', ...(d.labels ?? [])], ...(d.title ? { title: d.title } : {}) })),
  });
  const res = await tc.request('POST', '/fhir', { token: by.token, json: bundle });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  const locations: string[] = body.entry.map((e: Json) => e.response.location ?? '');
  const listId = locations[0]!.split('/')[1]!;
  const ids = locations.filter((l) => l.startsWith('DocumentReference/')).map((l) => l.split('/')[1]!);
  return docs.map((d, i) => {
    const labels = d.labels ?? [];
    return {
      id: ids[i]!,
      listId,
      typeCode: d.typeCode,
      labels,
      facts: {
        typeCode: d.typeCode,
        masked: labels.includes('MASQUE_PS'),
        invisibleToPatient: labels.includes('INVISIBLE_PATIENT'),
        invisibleToRepresentatives: labels.includes('INVISIBLE_REPRESENTANTS_LEGAUX'),
        depositors: [`Practitioner/${by.practitionerId}`, `Organization/${by.organizationId}`],
      },
    };
  });
}

async function ok(res: TestResponse): Promise<Json> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(200);
  return body;
}

/** Patient-side users hold their own profile first: they name the record they act on (X-Acting-For). */
const actingFor = new Map<string, string>();
const headersOf = (token: string): Record<string, string> => (actingFor.has(token) ? { 'x-acting-for': actingFor.get(token)! } : {});
const get = (token: string, url: string, headers: Record<string, string> = {}) => tc.request('GET', url, { token, headers: { ...headersOf(token), ...headers } });

/** A user acting for a patient as parent, legal representative or carer (with a profile of their own). */
async function representative(patient: TestPatient, relation: 'parent' | 'legal-representative' | 'carer'): Promise<string> {
  const token = await tc.user({ role: 'patient', patientId: randomUUID(), represents: [{ patientId: patient.patientId, relation }] });
  actingFor.set(token, patient.patientId);
  return token;
}
const idsOf = (bundle: Json, type?: string, mode?: string) =>
  new Set<string>((bundle.entry ?? []).filter((e: Json) => (!type || e.resource.resourceType === type) && (!mode || e.search?.mode === mode)).map((e: Json) => e.resource.id));
const sorted = (s: Iterable<string>) => [...s].sort();
/** The document a history item names, whether or not its documentId keeps the version ("<id>/_history/<n>"). */
const docIdOf = (item: Json): string | undefined => item.documentId?.split('/')[0];

async function notifications(patientId: string): Promise<{ type: string; params: Json }[]> {
  const { rows } = await tc.db.query<{ type: string; params: Json }>('SELECT type, params FROM notification WHERE patient_id = $1 ORDER BY created_at', [patientId]);
  return rows.map((r) => ({ type: r.type, params: typeof r.params === 'string' ? JSON.parse(r.params) : r.params }));
}

/** Every item of a record's access history, as a reader sees it (all pages). */
async function history(token: string, url: string): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 0; page < 40; page++) {
    const body = await ok(await get(token, `${url}${url.includes('?') ? '&' : '?'}page=${page}`));
    items.push(...body.items);
    if (!body.more) break;
  }
  return items;
}

// -----------------------------------------------------------------------------------------------------------

describe('the SQL and the statement agree: who sees which document', () => {
  const TYPES = ['11502-2', '68599-0', 'ATTEST-RESID', '80788-3'];
  const LABELS = [[], ['MASQUE_PS'], ['INVISIBLE_PATIENT'], ['INVISIBLE_REPRESENTANTS_LEGAUX']];

  let patient: TestPatient;
  let docs: Deposited[];
  /** Each reader with their token and, when the record is open to them, the facts mayView reads them by. */
  const readers: { name: string; token: string; reader?: DocumentReader; proRoute?: boolean }[] = [];
  let depositor: Awaited<ReturnType<typeof pro>>;
  let medecinTraitant: Awaited<ReturnType<typeof pro>>;
  let dentist: Awaited<ReturnType<typeof pro>>;
  let nurse: Awaited<ReturnType<typeof pro>>;
  let admin: Awaited<ReturnType<typeof pro>>;

  const expected = (reader: DocumentReader) => new Set(docs.filter((d) => mayView(reader, d.facts)).map((d) => d.id));
  const expectedLists = (reader: DocumentReader) => {
    const lists = new Set(docs.map((d) => d.listId));
    return new Set([...lists].filter((l) => docs.filter((d) => d.listId === l).every((d) => mayView(reader, d.facts))));
  };

  beforeAll(async () => {
    // a minor, with a parent, a legal representative and a carer
    patient = await insuredPatient(tc, { birthDate: '2014-05-12' });
    depositor = await pro({ profession: '10' });
    const colleague = await pro({ profession: '60', org: depositor.organizationId });
    medecinTraitant = await pro({ profession: '10' });
    dentist = await pro({ profession: '40', professionLabel: 'Chirurgien-Dentiste' });
    nurse = await pro({ profession: '60' });
    admin = await pro({ profession: '40', professionLabel: 'Chirurgien-Dentiste' });
    const stranger = await pro({ profession: '10' });
    const blocked = await pro({ profession: '10' });
    for (const p of [depositor, colleague, medecinTraitant, dentist, nurse, blocked]) await careTeam(p, patient);
    expect((await tc.request('PUT', `/api/professionals/${medecinTraitant.practitionerId}/roles/medecin-traitant`, { token: patient.token })).status).toBe(200);
    expect((await tc.request('PUT', `/api/professionals/${admin.practitionerId}/administrator`, { token: patient.token })).status).toBe(204);
    expect((await tc.request('PUT', `/api/professionals/${blocked.practitionerId}/block`, { token: patient.token })).status).toBe(204);

    docs = [];
    for (const typeCode of TYPES) for (const labels of LABELS) docs.push(...(await deposit(depositor, patient, [{ typeCode, labels, title: `${typeCode} ${labels.join('+') || 'N'}` }])));
    // one submission set listing a document every professional with access sees and one the dentist must not
    docs.push(...(await deposit(depositor, patient, [{ typeCode: '11502-2' }, { typeCode: '68599-0' }])));

    const family = (relation: 'parent' | 'legal-representative' | 'carer') => representative(patient, relation);
    readers.push(
      { name: 'the depositor (médecin)', token: depositor.token, reader: readerOf(depositor), proRoute: true },
      { name: "a nurse of the depositor's structure", token: colleague.token, reader: readerOf(colleague), proRoute: true },
      { name: 'the médecin traitant', token: medecinTraitant.token, reader: readerOf(medecinTraitant), proRoute: true },
      { name: 'a dentist with access', token: dentist.token, reader: readerOf(dentist), proRoute: true },
      { name: 'a nurse with access', token: nurse.token, reader: readerOf(nurse), proRoute: true },
      { name: 'the administrator (a dentist)', token: admin.token, reader: readerOf(admin, { administrator: true }), proRoute: true },
      { name: 'the patient', token: patient.token, reader: { kind: 'patient-side', relation: 'self' } },
      { name: 'a parent', token: await family('parent'), reader: { kind: 'patient-side', relation: 'parent' } },
      { name: 'a legal representative', token: await family('legal-representative'), reader: { kind: 'patient-side', relation: 'legal-representative' } },
      { name: 'a carer', token: await family('carer'), reader: { kind: 'patient-side', relation: 'carer' } },
      { name: 'a professional without access', token: stranger.token },
      { name: 'a blocked professional', token: blocked.token },
    );
  });

  it('deposited 18 documents in 17 submission sets, and the readers do not all see the same', () => {
    expect(docs).toHaveLength(18);
    expect(new Set(docs.map((d) => d.listId)).size).toBe(17);
    const views = readers.filter((r) => r.reader).map((r) => sorted(expected(r.reader!)).join());
    expect(new Set(views).size).toBeGreaterThanOrEqual(6);
  });

  it('a search returns exactly what mayView says, for every reader, and the totals agree', async () => {
    for (const r of readers) {
      const url = `/fhir/DocumentReference?patient=${patient.patientId}&_count=100`;
      if (!r.reader) {
        expect((await get(r.token, url)).status, r.name).toBe(403);
        expect((await get(r.token, `${url}&_summary=count`)).status, r.name).toBe(403);
        continue;
      }
      const want = expected(r.reader);
      expect(sorted(idsOf(await ok(await get(r.token, url)))), r.name).toEqual(sorted(want));
      // a page smaller than the result: the total is counted in SQL, not from the page
      const paged = await ok(await get(r.token, `/fhir/DocumentReference?patient=${patient.patientId}&_count=2&_total=accurate`));
      expect(paged.total, r.name).toBe(want.size);
      const count = await ok(await get(r.token, `/fhir/DocumentReference?patient=${patient.patientId}&_summary=count`));
      expect(count.total, r.name).toBe(want.size);
      // the same through the API lists of the web app
      const api = await ok(await get(r.token, r.proRoute ? `/api/pro/patients/${patient.patientId}/documents?all=true` : '/api/documents?all=true'));
      expect(sorted(api.documents.map((d: Json) => d.id)), `${r.name} (API)`).toEqual(sorted(want));
      if (!r.proRoute) expect(Object.values(api.counts as Record<string, number>).reduce((a, b) => a + b, 0), `${r.name} (API counts)`).toBe(want.size);
    }
  });

  const VERSION_READERS = new Set(['a dentist with access', "a nurse of the depositor's structure", 'the administrator (a dentist)', 'a parent', 'a blocked professional']);

  it('a single read, its bytes, its history and its versions: 200 for what the reader sees, 404 otherwise (403 without access)', async () => {
    for (const r of readers) {
      // versions and history go through the same check as a read: asked of one reader of each kind
      const versions = VERSION_READERS.has(r.name);
      for (const d of docs) {
        const visible = r.reader ? mayView(r.reader, d.facts) : undefined;
        const status = visible === undefined ? 403 : visible ? 200 : 404;
        const what = `${r.name}, ${d.typeCode} ${d.labels.join('+')}`;
        expect((await get(r.token, `/fhir/DocumentReference/${d.id}`)).status, what).toBe(status);
        const bin = await get(r.token, `/fhir/Binary/${d.id}`, { accept: 'application/pdf' });
        expect(bin.status, `${what} (Binary)`).toBe(status);
        if (status === 200) expect(bin.headers.get('content-type')).toBe('application/pdf');
        await bin.arrayBuffer();
        if (!versions) continue;
        expect((await get(r.token, `/fhir/DocumentReference/${d.id}/_history/1`)).status, `${what} (vread)`).toBe(status);
        expect((await get(r.token, `/fhir/DocumentReference/${d.id}/_history`)).status, `${what} (history)`).toBe(status);
      }
    }
  });

  it('a hidden document is answered exactly as a missing one', async () => {
    const hidden = docs.find((d) => d.typeCode === '68599-0' && d.labels.length === 0)!;
    const missing = '00000000-0000-4000-8000-000000000000';
    const a = await get(dentist.token, `/fhir/DocumentReference/${hidden.id}`);
    const b = await get(dentist.token, `/fhir/DocumentReference/${missing}`);
    expect([a.status, b.status]).toEqual([404, 404]);
    const [ja, jb] = [await a.json(), await b.json()];
    expect(ja.issue[0].code).toBe(jb.issue[0].code);
    expect(ja.issue[0].diagnostics.replace(hidden.id, 'X')).toBe(jb.issue[0].diagnostics.replace(missing, 'X'));
    // the type history of documents is not offered to readers at all
    expect((await get(dentist.token, '/fhir/DocumentReference/_history')).status).toBe(403);
  });

  it('a search naming a hidden document by _id returns nothing, as for a missing id', async () => {
    const hidden = docs.find((d) => d.typeCode === '68599-0' && d.labels.length === 0)!;
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [hidden.id, missing]) {
      const body = await ok(await get(dentist.token, `/fhir/DocumentReference?patient=${patient.patientId}&_id=${id}&_total=accurate`));
      expect(body.total).toBe(0);
      expect(body.entry ?? []).toEqual([]);
    }
    // without naming the record: refused alike (a professional's searches reach the records they name)
    const a = await get(dentist.token, `/fhir/DocumentReference?_id=${hidden.id}`);
    const b = await get(dentist.token, `/fhir/DocumentReference?_id=${missing}`);
    expect(a.status).toBe(b.status);
    // the médecin traitant finds it
    expect(idsOf(await ok(await get(medecinTraitant.token, `/fhir/DocumentReference?patient=${patient.patientId}&_id=${hidden.id}`)))).toEqual(new Set([hidden.id]));
  });

  it('_include never brings a hidden document; a submission set listing one is not seen at all', async () => {
    for (const r of readers.filter((x) => x.reader)) {
      const body = await ok(await get(r.token, `/fhir/List?patient=${patient.patientId}&_include=List:item&_count=100`));
      const lists = idsOf(body, 'List', 'match');
      expect(sorted(lists), r.name).toEqual(sorted(expectedLists(r.reader!)));
      const included = idsOf(body, 'DocumentReference', 'include');
      const want = expected(r.reader!);
      for (const id of included) expect(want.has(id), `${r.name}: included ${id}`).toBe(true);
      // every document of a visible submission set comes with it
      expect(sorted(included), r.name).toEqual(sorted(docs.filter((d) => lists.has(d.listId)).map((d) => d.id)));
      const count = await ok(await get(r.token, `/fhir/List?patient=${patient.patientId}&code=submissionset&_summary=count`));
      expect(count.total, r.name).toBe(expectedLists(r.reader!).size);
    }
    // the dentist: the set of the psychiatric synthesis (and of the pair) is absent
    const mixed = docs.find((d) => d.typeCode === '68599-0' && docs.filter((x) => x.listId === d.listId).length === 2)!;
    const body = await ok(await get(dentist.token, `/fhir/List?patient=${patient.patientId}&_include=List:item&_count=100`));
    expect(idsOf(body, 'List').has(mixed.listId)).toBe(false);
    expect(JSON.stringify(body)).not.toContain('68599-0');
    expect((await get(dentist.token, `/fhir/List/${mixed.listId}`)).status).toBe(404);
    expect((await get(medecinTraitant.token, `/fhir/List/${mixed.listId}`)).status).toBe(200);
  });

  it('_revinclude and chained criteria never bring a hidden document either', async () => {
    for (const r of readers.filter((x) => x.reader)) {
      const rev = await ok(await get(r.token, `/fhir/DocumentReference?patient=${patient.patientId}&_revinclude=List:item&_count=100`));
      expect(sorted(idsOf(rev, 'List')), r.name).toEqual(sorted(expectedLists(r.reader!)));
      // (a professional's searches name the record by a patient criterion, which a Patient search has not)
      if (r.reader!.kind === 'patient-side') {
        const fromPatient = await ok(await get(r.token, `/fhir/Patient?_id=${patient.patientId}&_revinclude=DocumentReference:patient`));
        expect(sorted(idsOf(fromPatient, 'DocumentReference')), r.name).toEqual(sorted(expected(r.reader!)));
      }
    }
    const chained = await ok(await get(dentist.token, `/fhir/List?patient=${patient.patientId}&item:DocumentReference.type=68599-0`));
    expect(chained.entry ?? []).toEqual([]);
    const byType = await ok(await get(dentist.token, `/fhir/DocumentReference?patient=${patient.patientId}&type=68599-0&_total=accurate`));
    expect(byType.total).toBe(0);
  });

  it("a refused read is traced in the record's history, and a document held back from the patient is not named to them", async () => {
    const hidden = docs.find((d) => d.typeCode === '68599-0' && d.labels.length === 0)!;
    expect((await get(dentist.token, `/fhir/DocumentReference/${hidden.id}`)).status).toBe(404);
    const mine = await history(patient.token, `/api/dmp/history?professional=${dentist.practitionerId}`);
    const refused = mine.filter((i) => i.outcome === 'refused' && i.interaction === 'read' && docIdOf(i) === hidden.id);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused[0]).toMatchObject({ actorType: 'professional', agent: expect.any(String), detail: expect.stringContaining('not visible') });
    expect(refused[0].what).toMatch(new RegExp(`^DocumentReference/${hidden.id}(/_history/1)?$`));

    // the depositor's actions, seen by the patient: a document held back from the patient is not named, by id or title
    const deposits = await history(patient.token, `/api/dmp/history?professional=${depositor.practitionerId}`);
    const invisible = new Set(docs.filter((d) => d.facts.invisibleToPatient).map((d) => d.id));
    const named = deposits.filter((i) => i.documentId);
    expect(named.length).toBeGreaterThan(0);
    expect(named.some((i) => invisible.has(docIdOf(i)!))).toBe(false);
    for (const id of invisible) expect(JSON.stringify(deposits)).not.toContain(id);
    expect(deposits.some((i) => i.what === 'DocumentReference')).toBe(true);
    for (const d of docs.filter((x) => x.facts.invisibleToPatient)) expect(JSON.stringify(deposits)).not.toContain(`${d.typeCode} INVISIBLE_PATIENT`);
  });

  // The AuditEvents name versions (DocumentReference/<id>/_history/<n>): the history gives the bare id, and the title of
  // the documents the reader may see (the patient sees the 68599-0 document the dentist was refused).
  it('history items name the document by its id, with its title when the reader may see it', async () => {
    const hidden = docs.find((d) => d.typeCode === '68599-0' && d.labels.length === 0)!;
    const mine = await history(patient.token, `/api/dmp/history?professional=${dentist.practitionerId}`);
    const refused = mine.find((i) => i.outcome === 'refused' && i.interaction === 'read' && docIdOf(i) === hidden.id)!;
    expect(refused.documentId).toBe(hidden.id);
    expect(refused.documentTitle).toBe('68599-0 N');
    const deposits = await history(patient.token, `/api/dmp/history?professional=${depositor.practitionerId}`);
    const invisible = new Set(docs.filter((d) => d.facts.invisibleToPatient).map((d) => d.id));
    for (const i of deposits.filter((x) => x.documentId)) expect(i.documentTitle === undefined, `patient, ${i.documentId}`).toBe(invisible.has(docIdOf(i)!));
  });

  it('the history of a record is refused to professionals who are neither médecin traitant nor administrator', async () => {
    for (const p of [dentist, nurse, depositor]) {
      const res = await get(p.token, `/api/pro/patients/${patient.patientId}/history`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).not.toContain('DocumentReference/');
      expect((await get(p.token, `/fhir/AuditEvent?entity=Patient/${patient.patientId}`)).status).toBe(403);
    }
    // the rule itself (policy.ts decide): the médecin traitant and the administrator read the traces of the record
    expect((await get(medecinTraitant.token, `/fhir/AuditEvent?entity=Patient/${patient.patientId}&_count=1`)).status).toBe(200);
    expect((await get(admin.token, `/fhir/AuditEvent?entity=Patient/${patient.patientId}&_count=1`)).status).toBe(200);
  });

  // The history searches AuditEvent by entity=Patient/<id> (the element that files an AuditEvent in a record), so that a
  // professional's search reaches the record: the médecin traitant and the administrator read it (R1111-43).
  it('the médecin traitant and the administrator read the history, without naming the documents hidden from them', async () => {
    const mt = await get(medecinTraitant.token, `/api/pro/patients/${patient.patientId}/history`);
    expect(mt.status, await mt.clone().text()).toBe(200);
    expect((await get(admin.token, `/api/pro/patients/${patient.patientId}/history`)).status).toBe(200);
    // the access status tells the administrator they are one (the professional space offers them the history)
    expect((await (await get(admin.token, `/api/pro/patients/${patient.patientId}/access`)).json()).administrator).toBe(true);
    expect((await (await get(medecinTraitant.token, `/api/pro/patients/${patient.patientId}/access`)).json()).administrator).toBeUndefined();
    const seenByMt = await history(medecinTraitant.token, `/api/pro/patients/${patient.patientId}/history?professional=${depositor.practitionerId}`);
    const hiddenFromMt = new Set(docs.filter((d) => !mayView(readerOf(medecinTraitant), d.facts)).map((d) => d.id));
    expect(hiddenFromMt.size).toBeGreaterThan(0);
    const mtNamed = seenByMt.filter((i) => i.documentId);
    expect(mtNamed.length).toBeGreaterThan(0);
    // a document hidden from the médecin traitant is named neither by title nor by id
    for (const i of mtNamed) expect(hiddenFromMt.has(docIdOf(i)!), `médecin traitant, ${i.documentId}`).toBe(false);
    for (const id of hiddenFromMt) expect(JSON.stringify(seenByMt)).not.toContain(id);
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('documents deleted by their producer', () => {
  // A deleted document's current row has no search tokens: its earlier versions keep the rules of its last version,
  // so a reader it was hidden from gets 404 for GET DocumentReference/<id>/_history/1 and /_history, as before.
  it('stay hidden from whoever could not see them: their earlier versions are not served', async () => {
    const patient = await insuredPatient(tc);
    const depositor = await pro({ profession: '10' });
    const dentist = await pro({ profession: '40' });
    for (const p of [depositor, dentist]) await careTeam(p, patient);
    const [psy, hiddenFromPatient] = await deposit(depositor, patient, [
      { typeCode: '68599-0', title: 'Synthese psychiatrique' },
      { typeCode: '11502-2', labels: ['INVISIBLE_PATIENT'], title: 'Resultat a annoncer' },
    ]);
    expect((await get(dentist.token, `/fhir/DocumentReference/${psy!.id}/_history/1`)).status).toBe(404);
    expect((await get(patient.token, `/fhir/DocumentReference/${hiddenFromPatient!.id}/_history/1`)).status).toBe(404);
    for (const d of [psy!, hiddenFromPatient!]) expect((await tc.request('DELETE', `/fhir/DocumentReference/${d.id}`, { token: depositor.token })).status).toBe(204);
    const leaks = [
      await get(dentist.token, `/fhir/DocumentReference/${psy!.id}/_history/1`),
      await get(dentist.token, `/fhir/DocumentReference/${psy!.id}/_history`),
      await get(patient.token, `/fhir/DocumentReference/${hiddenFromPatient!.id}/_history/1`),
      await get(patient.token, `/fhir/DocumentReference/${hiddenFromPatient!.id}/_history`),
    ];
    expect(leaks.map((r) => r.status)).toEqual([404, 404, 404, 404]);
  });

  it('after deletion, a search finds nothing of them, for anyone', async () => {
    const patient = await insuredPatient(tc);
    const depositor = await pro({ profession: '10' });
    await careTeam(depositor, patient);
    const [d] = await deposit(depositor, patient, [{ typeCode: '11502-2', labels: ['MASQUE_PS'] }]);
    expect((await tc.request('DELETE', `/fhir/DocumentReference/${d!.id}`, { token: depositor.token })).status).toBe(204);
    for (const token of [depositor.token, patient.token]) {
      const body = await ok(await get(token, `/fhir/DocumentReference?patient=${patient.patientId}&_total=accurate`));
      expect(body.total).toBe(0);
    }
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('writes nobody may make', () => {
  let patient: TestPatient;
  let depositor: Awaited<ReturnType<typeof pro>>;
  let other: Awaited<ReturnType<typeof pro>>;
  let doc: Json;
  let invisible: Deposited;

  beforeAll(async () => {
    patient = await insuredPatient(tc);
    depositor = await pro({ profession: '10' });
    other = await pro({ profession: '10' });
    for (const p of [depositor, other]) await careTeam(p, patient);
    const [d, inv] = await deposit(depositor, patient, [{ typeCode: '11502-2', title: 'Bilan' }, { typeCode: '11502-2', labels: ['INVISIBLE_PATIENT'] }]);
    invisible = inv!;
    doc = await ok(await get(patient.token, `/fhir/DocumentReference/${d!.id}`));
  });

  it("a professional cannot change another's document, nor its title; documents' Binary and List are not written by REST", async () => {
    const put = await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: other.token, json: { ...doc, status: 'entered-in-error' } });
    expect(put.status).toBe(403);
    const retitled = structuredClone(doc);
    retitled.content[0].attachment.title = 'Autre titre';
    expect((await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: depositor.token, json: retitled })).status).toBe(422);
    expect((await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: depositor.token, json: { ...doc, description: 'autre' } })).status).toBe(422);
    for (const token of [depositor.token, patient.token]) {
      expect((await tc.request('POST', '/fhir/Binary', { token, json: { resourceType: 'Binary', contentType: 'text/plain', data: 'eA==' } })).status).toBe(405);
      const list = { resourceType: 'List', status: 'current', mode: 'working', subject: { reference: `Patient/${patient.patientId}` }, entry: [{ item: { reference: `DocumentReference/${doc.id}` } }] };
      expect((await tc.request('POST', '/fhir/List', { token, json: list })).status).toBe(405);
    }
    const unchanged = await ok(await get(patient.token, `/fhir/DocumentReference/${doc.id}`));
    expect(unchanged.meta.versionId).toBe(doc.meta.versionId);
  });

  it('the patient cannot set nor lift INVISIBLE_PATIENT, nor change the status', async () => {
    const withLabel = { ...doc, securityLabel: [...doc.securityLabel, { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'INVISIBLE_PATIENT' }] }] };
    const add = await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: patient.token, json: withLabel });
    expect(add.status).toBe(403);
    expect((await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: patient.token, json: { ...doc, status: 'entered-in-error' } })).status).toBe(403);
    // the document held back from them is not theirs to see, hence not to change: answered as unknown
    const held = await ok(await get(depositor.token, `/fhir/DocumentReference/${invisible.id}`));
    const lifted = { ...held, securityLabel: held.securityLabel.filter((l: Json) => l.coding[0].code !== 'INVISIBLE_PATIENT') };
    // unknown to the patient: a PUT of it is answered as for a document that does not exist
    expect((await tc.request('PUT', `/fhir/DocumentReference/${invisible.id}`, { token: patient.token, json: lifted })).status).toBe(405);
    expect((await tc.request('PATCH', `/api/documents/${invisible.id}`, { token: patient.token, json: { hiddenFromProfessionals: true } })).status).toBe(404);
    expect((await get(depositor.token, `/fhir/DocumentReference/${invisible.id}`)).status).toBe(200);
    expect((await get(patient.token, `/fhir/DocumentReference/${invisible.id}`)).status).toBe(404);
    const unchanged = await ok(await get(patient.token, `/fhir/DocumentReference/${doc.id}`));
    expect(unchanged.meta.versionId).toBe(doc.meta.versionId);
  });

  it('the patient hides a document from professionals and shows it again', async () => {
    const seen = async () => (await get(other.token, `/fhir/DocumentReference/${doc.id}`)).status;
    expect(await seen()).toBe(200);
    const hide = await tc.request('PATCH', `/api/documents/${doc.id}`, { token: patient.token, json: { hiddenFromProfessionals: true } });
    expect(hide.status, await hide.clone().text()).toBe(200);
    expect((await hide.json()).hiddenFromProfessionals).toBe(true);
    expect(await seen()).toBe(404);
    expect((await get(depositor.token, `/fhir/DocumentReference/${doc.id}`)).status).toBe(200);
    expect((await tc.request('PATCH', `/api/documents/${doc.id}`, { token: patient.token, json: { hiddenFromProfessionals: false } })).status).toBe(200);
    expect(await seen()).toBe(200);
    // through FHIR too: MASQUE_PS is the patient's to set
    const current = await ok(await get(patient.token, `/fhir/DocumentReference/${doc.id}`));
    const masked = { ...current, securityLabel: [...current.securityLabel, { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'MASQUE_PS' }] }] };
    const put = await tc.request('PUT', `/fhir/DocumentReference/${doc.id}`, { token: patient.token, json: masked });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await seen()).toBe(404);
  });

  it('nobody changes the audit trail: PUT, DELETE and POST of AuditEvent are refused to the patient, a professional and an operator', async () => {
    const operator = await tc.user({ role: 'operator' });
    const [event] = (await ok(await get(patient.token, `/fhir/AuditEvent?patient=${patient.patientId}&_count=1`))).entry.map((e: Json) => e.resource);
    expect(event).toBeDefined();
    const fresh = { ...event, id: undefined, meta: undefined, outcome: '0', outcomeDesc: 'rewritten' };
    for (const [who, token] of [
      ['patient', patient.token],
      ['professional', depositor.token],
      ['operator', operator],
    ] as const) {
      const put = await tc.request('PUT', `/fhir/AuditEvent/${event.id}`, { token, json: { ...event, outcomeDesc: 'rewritten' } });
      const del = await tc.request('DELETE', `/fhir/AuditEvent/${event.id}`, { token });
      const post = await tc.request('POST', '/fhir/AuditEvent', { token, json: fresh });
      for (const [what, res] of [
        ['PUT', put],
        ['DELETE', del],
        ['POST', post],
      ] as const) {
        expect([403, 405], `${who} ${what}: ${res.status}`).toContain(res.status);
      }
    }
    const after = await ok(await get(patient.token, `/fhir/AuditEvent/${event.id}`));
    expect(after).toEqual(event);
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('mask new documents by default', () => {
  it('hides the next deposit from a professional who did not deposit it', async () => {
    const patient = await insuredPatient(tc);
    const depositor = await pro({ profession: '10' });
    const other = await pro({ profession: '10' });
    for (const p of [depositor, other]) await careTeam(p, patient);
    const [before] = await deposit(depositor, patient, [{ typeCode: '11502-2' }]);
    const set = await tc.request('PUT', '/api/dmp/settings', { token: patient.token, json: { maskNewDocuments: true } });
    expect(set.status).toBe(200);
    expect((await set.json()).maskNewDocuments).toBe(true);
    const [after] = await deposit(depositor, patient, [{ typeCode: '11502-2' }]);
    const seenBy = async (token: string) => idsOf(await ok(await get(token, `/fhir/DocumentReference?patient=${patient.patientId}`)));
    expect(sorted(await seenBy(other.token))).toEqual([before!.id]);
    expect((await get(other.token, `/fhir/DocumentReference/${after!.id}`)).status).toBe(404);
    expect(sorted(await seenBy(depositor.token))).toEqual(sorted([before!.id, after!.id]));
    const mine = await ok(await get(patient.token, '/api/documents'));
    expect(mine.documents.find((d: Json) => d.id === after!.id)).toMatchObject({ hiddenFromProfessionals: true });
    expect(mine.documents.find((d: Json) => d.id === before!.id)).toMatchObject({ hiddenFromProfessionals: false });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('emergency access (moves the clock)', () => {
  it('within the matrix, hidden documents only if the patient allowed it, and only while it lasts; never for a blocked professional', async () => {
    const patient = await insuredPatient(tc);
    const depositor = await pro({ profession: '10' });
    await careTeam(depositor, patient);
    const [plain, masked, psy] = await deposit(depositor, patient, [{ typeCode: '11502-2' }, { typeCode: '11502-2', labels: ['MASQUE_PS'] }, { typeCode: '68599-0' }]);
    const urgentist = await pro({ profession: '60' });
    const search = `/fhir/DocumentReference?patient=${patient.patientId}&_total=accurate`;
    expect((await get(urgentist.token, search)).status).toBe(403);
    const reason = 'Patiente inconsciente aux urgences';
    const btg = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: urgentist.token, json: { purpose: 'BTG', reason } });
    expect(btg.status, await btg.clone().text()).toBe(201);

    const emergencyReader = (hiddenAllowed: boolean) => readerOf(urgentist, { emergency: { hiddenAllowed } });
    const want = (hiddenAllowed: boolean) => sorted([plain!, masked!, psy!].filter((d) => mayView(emergencyReader(hiddenAllowed), d.facts)).map((d) => d.id));
    expect(want(false)).toEqual([plain!.id]);
    let body = await ok(await get(urgentist.token, search));
    expect(sorted(idsOf(body))).toEqual(want(false));
    expect(body.total).toBe(1);
    expect((await get(urgentist.token, `/fhir/DocumentReference/${masked!.id}`)).status).toBe(404);
    expect((await get(urgentist.token, `/fhir/DocumentReference/${psy!.id}`)).status).toBe(404);

    // the patient allows hidden documents in an emergency: the masked one opens, the matrix still holds
    expect((await tc.request('PUT', '/api/dmp/settings', { token: patient.token, json: { hiddenInEmergency: true } })).status).toBe(200);
    expect(want(true)).toEqual(sorted([plain!.id, masked!.id]));
    body = await ok(await get(urgentist.token, search));
    expect(sorted(idsOf(body))).toEqual(want(true));
    expect((await get(urgentist.token, `/fhir/DocumentReference/${masked!.id}`)).status).toBe(200);
    expect((await get(urgentist.token, `/fhir/DocumentReference/${psy!.id}`)).status).toBe(404);
    // a professional who did not break the glass gains nothing from that setting
    const colleague = await pro({ profession: '10' });
    await careTeam(colleague, patient);
    expect(idsOf(await ok(await get(colleague.token, search))).has(masked!.id)).toBe(false);

    // the access ends
    tc.carnet.clock.advance(5 * 3_600_000);
    expect((await get(urgentist.token, search)).status).toBe(403);
    expect((await get(urgentist.token, `/fhir/DocumentReference/${plain!.id}`)).status).toBe(403);

    // a blocked professional cannot break the glass
    const blocked = await pro({ profession: '10' });
    expect((await tc.request('PUT', `/api/professionals/${blocked.practitionerId}/block`, { token: patient.token })).status).toBe(204);
    const refused = await tc.request('POST', `/api/pro/patients/${patient.patientId}/emergency`, { token: blocked.token, json: { purpose: 'BTG', reason } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('emergency.blocked');
    expect((await get(blocked.token, search)).status).toBe(403);
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('a document not visible to the patient until the announcement (moves the clock)', () => {
  let patient: TestPatient;
  let parent: string;
  let depositor: Awaited<ReturnType<typeof pro>>;
  let held: Deposited;
  let shownEarly: Deposited;
  /** Another record, whose held document its producer deletes. */
  let patient2: TestPatient;
  let deleted: Deposited;

  const types = async (patientId: string) => (await notifications(patientId)).map((n) => n.type);
  const seesIt = async (token: string, id: string) => idsOf(await ok(await get(token, `/fhir/DocumentReference?patient=${patient.patientId}`))).has(id);

  beforeAll(async () => {
    patient = await insuredPatient(tc);
    patient2 = await insuredPatient(tc);
    parent = await representative(patient, 'parent');
    depositor = await pro({ profession: '10' });
    await careTeam(depositor, patient);
    await careTeam(depositor, patient2);
    [held, shownEarly] = (await deposit(depositor, patient, [
      { typeCode: '11502-2', labels: ['INVISIBLE_PATIENT'], title: 'Resultat a annoncer' },
      { typeCode: '11502-2', labels: ['INVISIBLE_PATIENT'], title: 'Annonce faite' },
    ])) as [Deposited, Deposited];
    [deleted] = (await deposit(depositor, patient2, [{ typeCode: '11502-2', labels: ['INVISIBLE_PATIENT'] }])) as [Deposited];
  });

  it('is deposited unseen by the patient and those acting for them, with no notification', async () => {
    for (const token of [patient.token, parent]) {
      expect(await seesIt(token, held.id)).toBe(false);
      expect((await get(token, `/fhir/DocumentReference/${held.id}`)).status).toBe(404);
      expect((await get(token, `/fhir/Binary/${held.id}`, { accept: 'application/pdf' })).status).toBe(404);
    }
    expect((await get(depositor.token, `/fhir/DocumentReference/${held.id}`)).status).toBe(200);
    expect(await types(patient.patientId)).toEqual([]);
  });

  it('the depositor may show it earlier: the patient sees it at once and is told once', async () => {
    tc.carnet.clock.advance(DAY_MS);
    const res = await tc.request('PATCH', `/api/pro/patients/${patient.patientId}/documents/${shownEarly.id}`, { token: depositor.token, json: { hiddenFromPatient: false } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await seesIt(patient.token, shownEarly.id)).toBe(true);
    expect(await seesIt(patient.token, held.id)).toBe(false);
    const n = await notifications(patient.patientId);
    expect(n.map((x) => [x.type, x.params.documentId])).toEqual([['AJOUT_DOCUMENT', shownEarly.id]]);
    // and the producer of the other record deletes theirs before the announcement
    expect((await tc.request('DELETE', `/fhir/DocumentReference/${deleted.id}`, { token: depositor.token })).status).toBe(204);
  });

  // Deleting a document held back from the patient (INVISIBLE_PATIENT) tells them nothing: they were never to see it.
  it('no deletion notice about a document the patient never saw', async () => {
    expect(await types(patient2.patientId)).not.toContain('SUPP_DOC');
  });

  it('after two weeks, the patient is told once that a document waits', async () => {
    tc.carnet.clock.advance(14 * DAY_MS);
    await tc.carnet.jobs.runNow();
    expect((await types(patient.patientId)).filter((t) => t === 'DOCUMENT_EN_ATTENTE')).toHaveLength(1);
    await tc.carnet.jobs.runNow();
    tc.carnet.clock.advance(DAY_MS);
    await tc.carnet.jobs.runNow();
    expect((await types(patient.patientId)).filter((t) => t === 'DOCUMENT_EN_ATTENTE')).toHaveLength(1);
    // the notice names no content
    const notice = (await notifications(patient.patientId)).find((x) => x.type === 'DOCUMENT_EN_ATTENTE')!;
    expect(notice.params).toEqual({});
    expect(await seesIt(patient.token, held.id)).toBe(false);
  });

  // Deleting a held document closes its hold: no DOCUMENT_EN_ATTENTE about a document that no longer exists.
  it('no notice about a held document its producer deleted', async () => {
    expect(await types(patient2.patientId)).not.toContain('DOCUMENT_EN_ATTENTE');
  });

  it('after a month it is released once: visible, a new version by Carnet, REMISE_VISIBILITE_AUTO once; the one shown early is not released again', async () => {
    tc.carnet.clock.advance(17 * DAY_MS); // 33 days after the deposit
    await tc.carnet.jobs.runNow();
    await tc.carnet.jobs.runNow();
    expect(await seesIt(patient.token, held.id)).toBe(true);
    expect(await seesIt(parent, held.id)).toBe(true);
    const doc = await ok(await get(patient.token, `/fhir/DocumentReference/${held.id}`));
    expect(doc.meta.versionId).toBe('2');
    expect(doc.securityLabel.some((l: Json) => l.coding.some((c: Json) => c.code === 'INVISIBLE_PATIENT'))).toBe(false);
    const n = await notifications(patient.patientId);
    expect(n.filter((x) => x.type === 'REMISE_VISIBILITE_AUTO').map((x) => x.params.documentId)).toEqual([held.id]);
    expect(n.filter((x) => x.type === 'DOCUMENT_EN_ATTENTE')).toHaveLength(1);
    // the one shown early kept its version and was announced once only
    const early = await ok(await get(patient.token, `/fhir/DocumentReference/${shownEarly.id}`));
    expect(early.meta.versionId).toBe('2');
    expect(n.filter((x) => x.params.documentId === shownEarly.id).map((x) => x.type)).toEqual(['AJOUT_DOCUMENT']);
    // Carnet wrote the release
    const trail = await history(patient.token, '/api/dmp/history');
    const release = trail.filter((i) => docIdOf(i) === held.id && i.interaction === 'update');
    expect(release).toHaveLength(1);
    expect(release[0].actorType).toBe('system');
    // the deleted one of the other record is not released either
    expect(await types(patient2.patientId)).not.toContain('REMISE_VISIBILITE_AUTO');
  });
});
