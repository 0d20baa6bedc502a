import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOutcome, expectProblem } from './support/accounts.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient, professional, type TestPatient, type TestPro } from './support/care.js';

/**
 * A professional's access to a patient's record (domain.md §2.8) over real HTTP: the access status by INS,
 * consent and care-team declarations as Consents, the patient's blocks and roles, and what the policy lets
 * a professional read — and refuses, with the refusal in the patient's traces.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

const status = async (pro: TestPro, p: { nir: string; insSystem?: string }) => {
  const res = await tc.request('POST', '/api/pro/patients/search', { token: pro.token, json: { ins: { value: p.nir, ...(p.insSystem ? { system: p.insSystem } : {}) } } });
  expect(res.status).toBe(200);
  return (await res.json()).matches[0];
};

const declare = (pro: TestPro, patientId: string, basis: string) =>
  tc.request('POST', `/api/pro/patients/${patientId}/access`, { token: pro.token, json: { basis } });

const traces = async (p: TestPatient) => {
  const res = await tc.request('GET', `/fhir/AuditEvent?patient=${p.patientId}&_count=100`, { token: p.token });
  expect(res.status).toBe(200);
  return ((await res.json()).entry ?? []).map((e: any) => e.resource);
};

describe('access status', () => {
  it('says consent is needed, records consent as a Consent, then authorises with its date', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    const before = await status(pro, p);
    expect(before.status).toBe('consent-needed');
    expect(before.patient).toMatchObject({ id: p.patientId, birthDate: p.birthDate });
    // nothing readable yet
    expect((await tc.request('GET', `/fhir/Patient/${p.patientId}`, { token: pro.token })).status).toBe(403);

    const res = await declare(pro, p.patientId, 'consent');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.consent).toMatchObject({ resourceType: 'Consent', status: 'active', patient: { reference: `Patient/${p.patientId}` } });
    expect(body.access).toMatchObject({ status: 'authorised', basis: 'consent' });

    const after = await status(pro, p);
    expect(after).toMatchObject({ status: 'authorised', basis: 'consent' });
    expect(Date.parse(after.since)).toBeGreaterThan(0);
    const read = await tc.request('GET', `/fhir/Patient/${p.patientId}`, { token: pro.token });
    expect(read.status).toBe(200);
    // the Consent is in the record, readable by the patient
    const consents = await tc.request('GET', `/fhir/Consent?patient=${p.patientId}`, { token: p.token });
    expect((await consents.json()).total).toBe(1);
    // and the checks and the read are in the patient's traces, with the professional's profession
    const mine = (await traces(p)).filter((e: any) => e.agent[0].who.reference === `Practitioner/${pro.practitionerId}`);
    expect(mine.some((e: any) => e.entity?.some((x: any) => x.description === 'Patient?$access-status'))).toBe(true);
    expect(mine.some((e: any) => e.subtype[0].code === 'read' && e.outcome === '0')).toBe(true);
    expect(mine[0].agent[0].role[0].coding[0].code).toBe('10');
  });

  it('authorises a care-team member declared by the professional', async () => {
    const pro = await professional(tc, { profession: '60' });
    const p = await insuredPatient(tc);
    expect((await declare(pro, p.patientId, 'care-team')).status).toBe(201);
    expect(await status(pro, p)).toMatchObject({ status: 'authorised', basis: 'care-team' });
  });

  it('answers no profile for an unknown INS, a person within the opt-out window and one who objected, without naming them', async () => {
    const pro = await professional(tc);
    for (const state of ['notified', 'opposed']) {
      const p = await insuredPatient(tc, { state });
      const answer = await status(pro, p);
      expect(answer).toEqual({ status: 'no-profile' });
    }
    const unknown = await insuredPatient(tc);
    await tc.db.query('DELETE FROM insured WHERE id = $1', [unknown.patientId]);
    expect(await status(pro, unknown)).toEqual({ status: 'no-profile' });
  });

  it('answers closed for a closed profile and refuses consent there, audited', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    await tc.db.query(`UPDATE insured SET state = 'closed' WHERE id = $1`, [p.patientId]);
    expect((await status(pro, p)).status).toBe('closed');
    const res = await declare(pro, p.patientId, 'consent');
    const problem = await expectProblem(res, 403);
    expect(problem.title).toMatch(/closed/);
    const { rows } = await tc.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resource WHERE patient_id = $1 AND resource_type = 'Consent'`,
      [p.patientId],
    );
    expect(rows[0]!.n).toBe(0);
    const refusals = await tc.db.query<{ content: any }>(
      `SELECT content FROM resource WHERE patient_id = $1 AND resource_type = 'AuditEvent' AND content->>'outcome' = '4'`,
      [p.patientId],
    );
    expect(refusals.rows.length).toBeGreaterThan(0);
  });

  it('refuses an INS with a wrong key, and a search by traits without a birth date', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    const wrongKey = p.nir.slice(0, 13) + String((Number(p.nir.slice(13)) + 1) % 98).padStart(2, '0');
    const res = await tc.request('POST', '/api/pro/patients/search', { token: pro.token, json: { ins: { value: wrongKey } } });
    await expectProblem(res, 400, 'ins.invalid');
    await expectProblem(await tc.request('POST', '/api/pro/patients/search', { token: pro.token, json: { family: p.family, given: p.given } }), 400, 'traits.invalid');
  });

  it('finds a patient by traits, accents and case aside', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc, { given: 'Élodie' });
    const res = await tc.request('POST', '/api/pro/patients/search', { token: pro.token, json: { family: p.family.toLowerCase(), given: 'elodie', birthDate: p.birthDate } });
    expect(res.status).toBe(200);
    const { matches } = await res.json();
    expect(matches.map((m: any) => m.patient.id)).toEqual([p.patientId]);
  });

  it('is for professionals only', async () => {
    const p = await insuredPatient(tc);
    await expectProblem(await tc.request('POST', '/api/pro/patients/search', { token: p.token, json: { ins: { value: p.nir } } }), 403, 'pro.only');
  });
});

describe('the patient controls access', () => {
  it('a blocked professional is refused, even with consent, and the refusal is in the traces', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    expect((await declare(pro, p.patientId, 'consent')).status).toBe(201);
    expect((await tc.request('PUT', `/api/professionals/${pro.practitionerId}/block`, { token: p.token })).status).toBe(204);
    const answer = await status(pro, p);
    expect(answer.status).toBe('blocked');
    expect((await tc.request('GET', `/fhir/Patient/${p.patientId}`, { token: pro.token })).status).toBe(403);
    expect((await tc.request('GET', `/fhir/DocumentReference?patient=${p.patientId}`, { token: pro.token })).status).toBe(403);
    await expectProblem(await declare(pro, p.patientId, 'consent'), 403);
    const accesses = await tc.request('GET', `/api/professionals/${pro.practitionerId}/accesses`, { token: p.token });
    const list = (await accesses.json()).accesses;
    expect(list.filter((a: any) => a.outcome === 'refused').length).toBeGreaterThanOrEqual(3);
    // unblocking restores the consent given before
    expect((await tc.request('DELETE', `/api/professionals/${pro.practitionerId}/block`, { token: p.token })).status).toBe(204);
    expect((await status(pro, p)).status).toBe('authorised');
    const entry = (await (await tc.request('GET', '/api/professionals', { token: p.token })).json()).professionals[0];
    expect(entry.changes.map((c: any) => c.change)).toEqual(['unblocked', 'blocked', 'consent']);
  });

  it('a professional added by the patient is authorised; removed, they need consent again', async () => {
    const pro = await professional(tc, { family: 'Lefèvre' });
    const p = await insuredPatient(tc);
    const added = await tc.request('POST', '/api/professionals', { token: p.token, json: { practitionerId: pro.practitionerId } });
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ practitionerId: pro.practitionerId, family: 'Lefèvre', inList: true, access: 'authorised', basis: 'patient' });
    expect((await tc.request('POST', '/api/professionals', { token: p.token, json: { practitionerId: pro.practitionerId } })).status).toBe(200);
    expect((await status(pro, p)).basis).toBe('patient');
    expect((await tc.request('DELETE', `/api/professionals/${pro.practitionerId}`, { token: p.token })).status).toBe(204);
    expect((await status(pro, p)).status).toBe('consent-needed');
    await expectProblem(await tc.request('DELETE', `/api/professionals/${pro.practitionerId}`, { token: p.token }), 404, 'care.not-in-list');
    await expectProblem(await tc.request('POST', '/api/professionals', { token: p.token, json: { practitionerId: '899999999999' } }), 404, 'care.unknown-professional');
  });

  it('one pharmacien correspondant at a time: a second is refused unless it replaces the first', async () => {
    const first = await professional(tc, { profession: '21' });
    const second = await professional(tc, { profession: '21' });
    const doctor = await professional(tc, { profession: '10' });
    const p = await insuredPatient(tc);
    const set = (pro: TestPro, json?: unknown) => tc.request('PUT', `/api/professionals/${pro.practitionerId}/roles/pharmacien-correspondant`, { token: p.token, ...(json ? { json } : {}) });
    expect((await set(first)).status).toBe(200);
    await expectProblem(await set(second), 409, 'care.role-taken');
    await expectProblem(await set(doctor, { replace: true }), 422, 'care.role-profession');
    const list = async () => (await (await tc.request('GET', '/api/professionals', { token: p.token })).json()).professionals;
    expect((await list()).filter((e: any) => e.roles.includes('pharmacien-correspondant')).map((e: any) => e.practitionerId)).toEqual([first.practitionerId]);
    const replaced = await set(second, { replace: true });
    expect(await replaced.json()).toEqual({ replaced: first.practitionerId });
    const after = await list();
    expect(after.filter((e: any) => e.roles.includes('pharmacien-correspondant')).map((e: any) => e.practitionerId)).toEqual([second.practitionerId]);
    expect(after.find((e: any) => e.practitionerId === first.practitionerId).changes[0]).toMatchObject({ change: 'role-removed', detail: 'pharmacien-correspondant' });
    // the pharmacist is part of the care team
    expect((await status(second, p))).toMatchObject({ status: 'authorised', basis: 'care-team' });
  });

  it('the médecin traitant and the administrator', async () => {
    const doctor = await professional(tc);
    const p = await insuredPatient(tc);
    expect((await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/roles/medecin-traitant`, { token: p.token })).status).toBe(200);
    expect((await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/administrator`, { token: p.token })).status).toBe(204);
    const [entry] = (await (await tc.request('GET', '/api/professionals', { token: p.token })).json()).professionals;
    expect(entry).toMatchObject({ roles: ['medecin-traitant'], administrator: true, access: 'authorised', basis: 'medecin-traitant' });
    await expectProblem(await tc.request('PUT', `/api/professionals/${doctor.practitionerId}/roles/dentiste`, { token: p.token }), 404, 'care.unknown-role');
  });

  it('a professional cannot manage a patient list, nor another patient', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    const other = await insuredPatient(tc);
    await expectProblem(await tc.request('GET', '/api/professionals', { token: pro.token }), 403, 'patient.only');
    await expectProblem(await tc.request('GET', '/api/professionals', { token: p.token, headers: { 'x-acting-for': other.patientId } }), 403, 'acting-for.forbidden');
  });
});

describe('what an authorised professional reads', () => {
  it('documents and vaccinations, not the patient’s own measures; nothing of another patient', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    const other = await insuredPatient(tc);
    await declare(pro, p.patientId, 'consent');
    const obs = await tc.request('POST', '/fhir/Observation', {
      token: p.token,
      json: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] }, subject: { reference: `Patient/${p.patientId}` }, valueQuantity: { value: 70, unit: 'kg' } },
    });
    expect(obs.status).toBe(201);
    const imm = await tc.request('POST', '/fhir/Immunization', {
      token: pro.token,
      json: { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'DTP' }, patient: { reference: `Patient/${p.patientId}` }, occurrenceDateTime: '2024-01-01' },
    });
    expect(imm.status).toBe(201);
    expect((await tc.request('GET', `/fhir/Immunization?patient=${p.patientId}`, { token: pro.token })).status).toBe(200);
    await expectOutcome(await tc.request('GET', `/fhir/Observation?patient=${p.patientId}`, { token: pro.token }), 403);
    await expectOutcome(await tc.request('GET', `/fhir/Patient/${other.patientId}`, { token: pro.token }), 403);
    // a search naming no record returns nothing of anyone's
    const all = await tc.request('GET', '/fhir/Immunization', { token: pro.token });
    expect([200, 403]).toContain(all.status);
    if (all.status === 200) expect((await all.json()).entry ?? []).toEqual([]);
  });
});

describe('FHIR operations', () => {
  it('$access-status and $declare-access', async () => {
    const pro = await professional(tc);
    const p = await insuredPatient(tc);
    const ask = () =>
      tc.request('POST', '/fhir/Patient/$access-status', {
        token: pro.token,
        json: { resourceType: 'Parameters', parameter: [{ name: 'ins', valueIdentifier: { system: p.insSystem, value: p.nir } }] },
      });
    const first = await ask();
    expect(first.status).toBe(200);
    // the same with the '$' percent-encoded, as some clients send it
    const encoded = await tc.request('POST', '/fhir/Patient/%24access-status', {
      token: pro.token,
      json: { resourceType: 'Parameters', parameter: [{ name: 'ins', valueIdentifier: { system: p.insSystem, value: p.nir } }] },
    });
    expect(encoded.status).toBe(200);
    expect((await first.json()).parameter).toContainEqual({ name: 'status', valueCode: 'consent-needed' });
    const declared = await tc.request('POST', `/fhir/Patient/${p.patientId}/$declare-access`, {
      token: pro.token,
      json: { resourceType: 'Parameters', parameter: [{ name: 'basis', valueCode: 'consent' }] },
    });
    expect(declared.status).toBe(201);
    expect(declared.headers.get('location')).toMatch(/\/fhir\/Consent\//);
    const params = (await (await ask()).json()).parameter;
    expect(params).toContainEqual({ name: 'status', valueCode: 'authorised' });
    expect(params).toContainEqual({ name: 'basis', valueCode: 'consent' });
    expect(params.find((x: any) => x.name === 'patient').valueReference.reference).toBe(`Patient/${p.patientId}`);
    // bad input
    await expectOutcome(await tc.request('POST', '/fhir/Patient/$access-status', { token: pro.token, json: { resourceType: 'Parameters', parameter: [] } }), 400);
    const wrong = `${p.nir.slice(0, 13)}00`;
    await expectOutcome(
      await tc.request('POST', '/fhir/Patient/$access-status', { token: pro.token, json: { resourceType: 'Parameters', parameter: [{ name: 'ins', valueIdentifier: { system: p.insSystem, value: wrong } }] } }),
      400,
    );
    await expectOutcome(
      await tc.request('POST', `/fhir/Patient/${p.patientId}/$declare-access`, { token: pro.token, json: { resourceType: 'Parameters', parameter: [{ name: 'basis', valueCode: 'friendship' }] } }),
      400,
    );
  });
});

describe('review fixes', () => {
  it('a refused search naming a record is audited in that record, also when mixed with a readable one', async () => {
    const pro = await professional(tc);
    const a = await insuredPatient(tc);
    const b = await insuredPatient(tc);
    await declare(pro, a.patientId, 'consent');
    await tc.request('PUT', `/api/professionals/${pro.practitionerId}/block`, { token: b.token });
    const refusalsIn = async (p: TestPatient) =>
      (await tc.db.query(`SELECT 1 FROM resource WHERE patient_id = $1 AND resource_type = 'AuditEvent' AND content->>'outcome' = '4'`, [p.patientId])).rows.length;
    const before = await refusalsIn(b);
    await expectOutcome(await tc.request('GET', `/fhir/DocumentReference?patient=${b.patientId}`, { token: pro.token }), 403);
    await expectOutcome(await tc.request('GET', `/fhir/Immunization?patient=${a.patientId},${b.patientId}`, { token: pro.token }), 403);
    expect(await refusalsIn(b)).toBe(before + 2);
    // the blocked professional is not told who the person is
    expect(await status(pro, b)).toEqual({ status: 'blocked', since: expect.any(String) });
  });

  it('a conditional create by a professional finds what exists; professionals add, they do not rewrite', async () => {
    const pro = await professional(tc);
    const other = await professional(tc);
    const p = await insuredPatient(tc);
    await declare(pro, p.patientId, 'consent');
    const { consent } = await (await declare(other, p.patientId, 'consent')).json();
    const imm = { resourceType: 'Immunization', status: 'completed', identifier: [{ system: 'urn:test', value: `imm-${p.patientId}` }], vaccineCode: { text: 'ROR' }, patient: { reference: `Patient/${p.patientId}` }, occurrenceDateTime: '2024-02-01' };
    const headers = { 'if-none-exist': `patient=${p.patientId}&identifier=urn:test|imm-${p.patientId}` };
    expect((await tc.request('POST', '/fhir/Immunization', { token: pro.token, json: imm, headers })).status).toBe(201);
    expect((await tc.request('POST', '/fhir/Immunization', { token: pro.token, json: imm, headers })).status).toBe(200);
    const changed = { ...consent, status: 'inactive' };
    await expectOutcome(await tc.request('PUT', `/fhir/Consent/${consent.id}`, { token: pro.token, json: changed }), 403);
  });

  it('wrong types in the bodies get 400, never 500', async () => {
    const pro = await professional(tc);
    const search = (json: unknown) => tc.request('POST', '/api/pro/patients/search', { token: pro.token, json });
    await expectProblem(await search({ ins: { value: { toString: 1 } } }), 400);
    await expectProblem(await search({ family: { toString: 1 }, given: 'a', birthDate: '2000-01-01' }), 400);
    await expectProblem(await search({ family: 'a', given: 'b', birthDate: '2000-01-01', sex: 3 }), 400);
    await expectOutcome(await tc.request('POST', '/fhir/Patient/$access-status', { token: pro.token, json: { resourceType: 'Parameters', parameter: [null] } }), 400);
    await expectOutcome(
      await tc.request('POST', '/fhir/Patient/$access-status', { token: pro.token, json: { resourceType: 'Parameters', parameter: [{ name: 'ins', valueIdentifier: { value: 3 } }] } }),
      400,
    );
    await expectProblem(await tc.request('PUT', `/api/professionals/${pro.practitionerId}/roles/medecin-traitant`, { token: (await insuredPatient(tc)).token, json: { replace: 'yes' } }), 400);
  });

  it('two patients’ devices giving the same role at once: one holder, the other told so', async () => {
    const p = await insuredPatient(tc);
    const pharmacists = await Promise.all([1, 2, 3].map(() => professional(tc, { profession: '21' })));
    const answers = await Promise.all(pharmacists.map((ph) => tc.request('PUT', `/api/professionals/${ph.practitionerId}/roles/pharmacien-correspondant`, { token: p.token })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const list = (await (await tc.request('GET', '/api/professionals', { token: p.token })).json()).professionals;
    expect(list.filter((e: any) => e.roles.includes('pharmacien-correspondant'))).toHaveLength(1);
  });
});
