import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsuredRow } from '../src/domain/population/index.js';
import { csvOf, expectOutcome, expectProblem, person, startAccounts, type AccountsCarnet, type Member } from './support/accounts.js';

/**
 * Carers (proches aidants, domain.md §1.7) over the API: invitation by INS and traits, acceptance, access
 * with X-Acting-For, what a carer may not do, the limits (3 carers per person, 5 people per carer), expiry,
 * revocation by either side, and the attestation filed in the helped person's documents. Tests run in
 * order; the clock only moves in the last one.
 */
describe('accounts API: carers', () => {
  let c: AccountsCarnet;
  let helped: Member;
  let carers: Member[]; // four would-be carers of `helped`
  let busy: Member; // a carer who helps five people
  let busyHelped: Member[]; // six people who ask `busy`
  let notActive: InsuredRow;

  const query = (p: InsuredRow) => ({ nir: p.nir, familyName: p.traits.birthName, givenName: p.traits.firstGivenName, birthDate: p.traits.birthDate });
  const invite = (from: Member, to: InsuredRow) => c.api('POST', '/api/delegations/carers', { token: from.token, json: query(to) });
  const invited = async (from: Member, to: Member): Promise<string> => {
    const res = await invite(from, to.person);
    expect(res.status).toBe(201);
    return (await res.json()).invitationId;
  };
  const answer = (m: Member, id: string, verb: 'accept' | 'refuse') => c.api('POST', `/api/delegations/${id}/${verb}`, { token: m.token });
  const delegations = async (m: Member) => (await c.api('GET', '/api/delegations', { token: m.token })).json();
  const readPatient = (m: Member, id: string, actingFor?: string) => c.api('GET', `/fhir/Patient/${id}`, { token: m.token, ...(actingFor ? { actingFor } : {}) });
  /** The attestations filed in the record of `m`, as `m` finds them. */
  const attestations = async (m: Member) => {
    const res = await c.api('GET', `/fhir/DocumentReference?subject=Patient/${m.patientId}&_count=100`, { token: m.token });
    expect(res.status).toBe(200);
    const bundle = await res.json();
    return ((bundle.entry ?? []) as { resource: { description: string; content: { attachment: { contentType: string; data: string } }[] } }[]).map((e) => e.resource);
  };

  beforeAll(async () => {
    c = await startAccounts();
    const people = Array.from({ length: 13 }, () => person());
    notActive = person();
    await c.importCsv(csvOf([...people, notActive]));
    const members: Member[] = [];
    for (const p of people) members.push(await c.enroll(p));
    [helped] = members as [Member];
    carers = members.slice(1, 5);
    busy = members[5]!;
    busyHelped = members.slice(6, 12);
    expect(members).toHaveLength(13);
  });
  afterAll(() => c?.close());

  it('a carer is invited by INS and traits, accepts, and reads the helped person\'s record with X-Acting-For', async () => {
    const [carer] = carers as [Member];
    const id = await invited(helped, carer);
    const received = await delegations(carer);
    expect(received.invitationsReceived).toEqual([
      expect.objectContaining({ id, kind: 'carer', status: 'pending', patientId: helped.patientId, person: { givenName: helped.person.traits.firstGivenName, familyName: helped.person.traits.birthName } }),
    ]);
    expect((await delegations(helped)).invitationsSent.map((d: { id: string }) => d.id)).toEqual([id]);
    const notes = await (await c.api('GET', '/api/notifications', { token: carer.token })).json();
    expect(notes.items[0]).toMatchObject({ type: 'carer-invited', params: { helped: `${helped.person.traits.firstGivenName} ${helped.person.traits.birthName}` } });
    await expectOutcome(await readPatient(carer, helped.patientId, helped.patientId), 403);

    expect((await answer(carer, id, 'accept')).status).toBe(204);
    const res = await readPatient(carer, helped.patientId, helped.patientId);
    expect(res.status).toBe(200);
    expect((await res.json()).identifier[0].value).toBe(helped.person.nir);
    const me = await (await c.api('GET', '/api/me', { token: carer.token })).json();
    expect(me.profiles).toContainEqual(expect.objectContaining({ patientId: helped.patientId, relation: 'carer', state: 'active' }));
    expect((await delegations(carer)).helped).toEqual([expect.objectContaining({ id, status: 'accepted', patientId: helped.patientId })]);
    expect((await delegations(helped)).carers).toEqual([expect.objectContaining({ id, status: 'accepted' })]);
    // the carer adds to the record, in the helped person's name
    const obs = await c.api('POST', '/fhir/Observation', {
      token: carer.token,
      actingFor: helped.patientId,
      json: { resourceType: 'Observation', status: 'final', code: { text: 'Poids' }, subject: { reference: `Patient/${helped.patientId}` }, valueQuantity: { value: 70, unit: 'kg' } },
    });
    expect(obs.status).toBe(201);
    // the helped person was told, and the attestation is in their documents
    const helpedNotes = await (await c.api('GET', '/api/notifications', { token: helped.token })).json();
    expect(helpedNotes.items.map((n: { type: string }) => n.type)).toContain('carer-accepted');
    const docs = await attestations(helped);
    expect(docs.map((d) => d.description)).toEqual(['Attestation de partage de profil (acceptation)']);
    expect(docs[0]!.content[0]!.attachment.contentType).toBe('application/pdf');
    expect(Buffer.from(docs[0]!.content[0]!.attachment.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a carer cannot close the profile, download the data, manage carers or e-mail preferences for the helped person', async () => {
    const [carer] = carers as [Member];
    const as = { token: carer.token, actingFor: helped.patientId };
    await expectProblem(await c.api('POST', '/api/account/close', { ...as, json: { password: carer.password, deleteData: true } }), 403, 'carer.forbidden');
    await expectProblem(await c.api('GET', '/api/account/export', as), 403, 'carer.forbidden');
    await expectProblem(await c.api('POST', '/api/delegations/carers', { ...as, json: query(carers[1]!.person) }), 403, 'carer.forbidden');
    await expectProblem(await c.api('PUT', '/api/notifications/preferences', { ...as, json: { documents: false } }), 403, 'carer.forbidden');
    await expectProblem(await c.api('POST', '/api/account/password', { ...as, json: { current: carer.password, password: 'Autre-Velo-9?' } }), 403, 'carer.forbidden');
    await expectProblem(await c.api('POST', '/api/account/email', { ...as, json: { email: 'autre@exemple.fr' } }), 403, 'carer.forbidden');
    // nothing changed for either of them
    expect((await c.insured(helped.person.nir)).state).toBe('active');
    expect((await c.insured(carer.person.nir)).state).toBe('active');
    expect((await c.api('GET', '/api/notifications/preferences', { token: helped.token })).status).toBe(200);
    expect((await c.api('GET', '/api/notifications/preferences', { token: helped.token }).then((r) => r.json())).documents).toBe(true);
    expect((await readPatient(carer, helped.patientId, helped.patientId)).status).toBe(200);
    // without X-Acting-For, the carer's own download holds their own record, nothing of the helped person's
    const own = await c.api('GET', '/api/account/export', { token: carer.token });
    expect(own.status).toBe(200);
    const bundle = JSON.parse(strFromU8(unzipSync(new Uint8Array(await own.arrayBuffer()))['bundle.json']!));
    const subjects = (bundle.entry as { resource: { resourceType: string; id: string; subject?: { reference: string } } }[]).map((e) =>
      e.resource.resourceType === 'Patient' ? `Patient/${e.resource.id}` : e.resource.subject?.reference,
    );
    expect(subjects).toContain(`Patient/${carer.patientId}`);
    expect(subjects).not.toContain(`Patient/${helped.patientId}`);
  });

  it('invitations that cannot be: not active, yourself, twice, a fourth carer (outgoing limit)', async () => {
    const [first, second, third, fourth] = carers as [Member, Member, Member, Member];
    const reference = await expectProblem(await invite(helped, notActive), 422, 'delegation.invitee-not-active');
    expect(await expectProblem(await invite(helped, person()), 422)).toEqual(reference);
    expect(await expectProblem(await invite(helped, { ...second.person, traits: { ...second.person.traits, firstGivenName: 'Gaston' } }), 422)).toEqual(reference);
    await expectProblem(await invite(helped, helped.person), 422, 'delegation.self');
    await expectProblem(await invite(helped, first.person), 409, 'delegation.exists');
    await expectProblem(await c.api('POST', '/api/delegations/carers', { token: helped.token, json: { ...query(second.person), nir: 'x' } }), 400, 'nir.invalid');
    await expectProblem(await c.api('POST', '/api/delegations/carers', { token: helped.token, json: { nir: second.person.nir } }), 400, 'person.incomplete');

    await invited(helped, second);
    await expectProblem(await invite(helped, second.person), 409, 'delegation.invitation-exists');
    await invited(helped, third); // pending invitations count too: one accepted, two pending
    const limit = await expectProblem(await invite(helped, fourth.person), 422, 'delegation.outgoing-limit');
    expect(limit.title).toMatch(/3 carers/);
    expect((await delegations(fourth)).invitationsReceived).toEqual([]);
  });

  it('a carer who helps 5 people cannot be asked by a 6th (incoming limit)', async () => {
    for (const h of busyHelped.slice(0, 5)) {
      const id = await invited(h, busy);
      expect((await answer(busy, id, 'accept')).status).toBe(204);
    }
    expect((await delegations(busy)).helped).toHaveLength(5);
    const me = await (await c.api('GET', '/api/me', { token: busy.token })).json();
    expect(me.profiles.filter((p: { relation: string }) => p.relation === 'carer')).toHaveLength(5);
    await expectProblem(await invite(busyHelped[5]!, busy.person), 422, 'delegation.incoming-limit');
    for (const h of busyHelped.slice(0, 5)) expect((await readPatient(busy, h.patientId, h.patientId)).status).toBe(200);
    await expectOutcome(await readPatient(busy, busyHelped[5]!.patientId, busyHelped[5]!.patientId), 403);
  });

  it('refusal and revocation by either side end access at once; each files an attestation in the helped person\'s documents', async () => {
    const [first, second, third] = carers as [Member, Member, Member];
    const pending = (await delegations(helped)).invitationsSent as { id: string; person: { givenName: string } }[];
    const toSecond = (await delegations(second)).invitationsReceived[0].id as string;
    const toThird = (await delegations(third)).invitationsReceived[0].id as string;
    expect(pending.map((d) => d.id).sort()).toEqual([toSecond, toThird].sort());

    // refused: no access, an attestation
    expect((await answer(third, toThird, 'refuse')).status).toBe(204);
    await expectOutcome(await readPatient(third, helped.patientId, helped.patientId), 403);
    await expectProblem(await answer(third, toThird, 'accept'), 409, 'delegation.not-pending');

    // someone else's invitation cannot be answered
    await expectProblem(await answer(first, toSecond, 'accept'), 404, 'delegation.not-found');
    await expectProblem(await c.api('POST', '/api/delegations/00000000-0000-4000-8000-000000000000/accept', { token: second.token }), 404, 'delegation.not-found');
    expect((await answer(second, toSecond, 'accept')).status).toBe(204);
    expect((await readPatient(second, helped.patientId, helped.patientId)).status).toBe(200);

    // the helped person revokes the first carer: the very next read is refused
    const firstId = ((await delegations(first)).helped as { id: string }[])[0]!.id;
    await expectProblem(await c.api('DELETE', `/api/delegations/${firstId}`, { token: third.token }), 404, 'delegation.not-found');
    expect((await c.api('DELETE', `/api/delegations/${firstId}`, { token: helped.token })).status).toBe(204);
    await expectOutcome(await readPatient(first, helped.patientId, helped.patientId), 403);
    await expectProblem(await c.api('DELETE', `/api/delegations/${firstId}`, { token: helped.token }), 409, 'delegation.not-pending');
    expect((await c.api('GET', '/api/me', { token: first.token }).then((r) => r.json())).profiles).toHaveLength(1);

    // the second carer withdraws by themself
    expect((await c.api('DELETE', `/api/delegations/${toSecond}`, { token: second.token })).status).toBe(204);
    await expectOutcome(await readPatient(second, helped.patientId, helped.patientId), 403);
    const types = async (m: Member) => ((await (await c.api('GET', '/api/notifications', { token: m.token })).json()).items as { type: string; params: { by?: string } }[]);
    expect(await types(first)).toContainEqual(expect.objectContaining({ type: 'carer-revoked', params: { by: 'helped' } }));
    expect(await types(helped)).toContainEqual(expect.objectContaining({ type: 'carer-revoked', params: { by: 'delegate' } }));
    expect((await types(helped)).map((n) => n.type)).toContain('carer-refused');

    // the attestations: two acceptances, one refusal, two ends
    const docs = (await attestations(helped)).map((d) => d.description).sort();
    expect(docs).toEqual(
      [
        'Attestation de partage de profil (acceptation)',
        'Attestation de partage de profil (acceptation)',
        'Attestation de partage de profil (refus)',
        'Attestation de fin de partage de profil',
        'Attestation de fin de partage de profil',
      ].sort(),
    );
    const lists = await delegations(helped);
    expect(lists.carers).toEqual([]);
    expect(lists.invitationsSent).toEqual([]);
    // places are free again
    const again = await invited(helped, first);
    expect((await answer(first, again, 'accept')).status).toBe(204);
    expect((await readPatient(first, helped.patientId, helped.patientId)).status).toBe(200);
  });

  it('an invitation expires after INVITATION_TTL_DAYS and can then no longer be accepted', async () => {
    const [, , , fourth] = carers as [Member, Member, Member, Member];
    const id = await invited(helped, fourth);
    await c.advanceDays(16);
    await c.signInAgain(helped);
    await c.signInAgain(fourth);
    expect((await delegations(fourth)).invitationsReceived).toEqual([]);
    await expectProblem(await answer(fourth, id, 'accept'), 409, 'delegation.not-pending');
    await expectOutcome(await readPatient(fourth, helped.patientId, helped.patientId), 403);
    expect((await delegations(helped)).invitationsSent).toEqual([]);
    // an expired invitation no longer counts: the helped person may invite again
    const again = await invited(helped, fourth);
    expect((await answer(fourth, again, 'accept')).status).toBe(204);
    expect((await readPatient(fourth, helped.patientId, helped.patientId)).status).toBe(200);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
