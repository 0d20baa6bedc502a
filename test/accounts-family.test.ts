import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsuredRow } from '../src/domain/population/index.js';
import { csvOf, dateBefore, expectOutcome, expectProblem, person, startAccounts, type AccountsCarnet, type Member } from './support/accounts.js';

/**
 * Children's profiles over the API (domain.md §1.7): the parent whose insurance covers a child reaches the
 * child's profile with X-Acting-For, invites the second legal representative, and loses access on the
 * child's 18th birthday. Tests run in order; the clock only moves in the last one.
 */
describe('accounts API: children and legal representatives', () => {
  let c: AccountsCarnet;
  let parent: Member;
  let secondParent: Member;
  let refuser: Member;
  let stranger: Member;
  let child: InsuredRow;
  let teen: InsuredRow;
  let notActive: InsuredRow;
  let childId: string;
  let teenId: string;

  const personQuery = (p: InsuredRow) => ({ nir: p.nir, familyName: p.traits.birthName, givenName: p.traits.firstGivenName, birthDate: p.traits.birthDate });
  const readPatient = (token: string, id: string, actingFor?: string) => c.api('GET', `/fhir/Patient/${id}`, { token, ...(actingFor ? { actingFor } : {}) });
  const me = async (token: string) => {
    const res = await c.api('GET', '/api/me', { token });
    expect(res.status).toBe(200);
    return res.json();
  };
  const types = async (token: string, actingFor?: string) => {
    const res = await c.api('GET', '/api/notifications', { token, ...(actingFor ? { actingFor } : {}) });
    expect(res.status).toBe(200);
    return ((await res.json()).items as { type: string }[]).map((n) => n.type);
  };

  beforeAll(async () => {
    c = await startAccounts();
    const p = person({ sex: 'F', given: 'Claire' });
    child = person({ coveredBy: p, birthDate: '2015-04-02', given: 'Lou', email: null });
    // 18 in five days
    teen = person({ coveredBy: p, birthDate: dateBefore(c.carnet.clock.now(), 18, -5), given: 'Noé', sex: 'M', email: null });
    const q = person({ sex: 'M', given: 'Paul' });
    const r = person({ sex: 'M', given: 'Marc' });
    const s = person({ sex: 'F', given: 'Inès' });
    notActive = person({ sex: 'M', given: 'Hugo' });
    await c.importCsv(csvOf([p, child, teen, q, r, s, notActive]));
    parent = await c.enroll(p);
    secondParent = await c.enroll(q);
    refuser = await c.enroll(r);
    stranger = await c.enroll(s);
    childId = (await c.insured(child.nir)).id;
    teenId = (await c.insured(teen.nir)).id;
  });
  afterAll(() => c?.close());

  it("the parent's /api/me lists the children's profiles, opened at the parent's activation", async () => {
    const body = await me(parent.token);
    expect(body.profiles).toEqual([
      expect.objectContaining({ patientId: parent.patientId, relation: 'self', state: 'active' }),
      ...[
        { patientId: childId, relation: 'parent', givenName: 'Lou', familyName: child.traits.birthName, birthDate: '2015-04-02', state: 'open' },
        { patientId: teenId, relation: 'parent', givenName: 'Noé', familyName: teen.traits.birthName, birthDate: teen.traits.birthDate, state: 'open' },
      ].sort((a, b) => a.patientId.localeCompare(b.patientId)),
    ]);
    const family = await (await c.api('GET', '/api/family', { token: parent.token })).json();
    expect(family.children.map((x: { patientId: string }) => x.patientId)).toEqual([teenId, childId]); // oldest first
    expect(family.children[1]).toMatchObject({
      relation: 'parent',
      givenName: 'Lou',
      canInviteSecondParent: true,
      representatives: [{ name: `Claire ${parent.person.traits.birthName}`, relation: 'parent' }],
      pendingInvitations: [],
    });
  });

  it("with X-Acting-For the parent reads and writes the child's record and reads the child's notifications", async () => {
    const res = await readPatient(parent.token, childId, childId);
    expect(res.status).toBe(200);
    const patient = await res.json();
    expect(patient).toMatchObject({ resourceType: 'Patient', id: childId, birthDate: '2015-04-02' });
    expect(patient.identifier[0].value).toBe(child.nir);
    expect((await readPatient(parent.token, childId, `Patient/${childId}`)).status).toBe(200);

    const obs = await c.api('POST', '/fhir/Observation', {
      token: parent.token,
      actingFor: childId,
      json: { resourceType: 'Observation', status: 'final', code: { text: 'Taille' }, subject: { reference: `Patient/${childId}` }, valueQuantity: { value: 132, unit: 'cm' } },
    });
    expect(obs.status).toBe(201);

    expect(await types(parent.token, childId)).toContain('profile-opened');
    const own = await types(parent.token);
    expect(own).toContain('profile-activated');

    // acting for the child, the record seen is the child's only
    const zip = await c.api('GET', '/api/account/export', { token: parent.token, actingFor: childId });
    expect(zip.status).toBe(200);
    const bundle = JSON.parse(strFromU8(unzipSync(new Uint8Array(await zip.arrayBuffer()))['bundle.json']!));
    const refs = (bundle.entry as { resource: { resourceType: string; id: string; subject?: { reference: string } } }[]).map((e) => e.resource);
    expect(refs.some((r) => r.resourceType === 'Patient' && r.id === childId)).toBe(true);
    expect(refs.some((r) => r.resourceType === 'Observation')).toBe(true);
    expect(refs.some((r) => r.resourceType === 'Patient' && r.id === parent.patientId)).toBe(false);
    // and the parent's own download holds the parent's record only
    const ownZip = await c.api('GET', '/api/account/export', { token: parent.token });
    const ownBundle = JSON.parse(strFromU8(unzipSync(new Uint8Array(await ownZip.arrayBuffer()))['bundle.json']!));
    const ownSubjects = (ownBundle.entry as { resource: { resourceType: string; id: string; subject?: { reference: string } } }[]).map((e) =>
      e.resource.resourceType === 'Patient' ? `Patient/${e.resource.id}` : e.resource.subject?.reference,
    );
    expect(ownSubjects).toContain(`Patient/${parent.patientId}`);
    expect(ownSubjects).not.toContain(`Patient/${childId}`);
  });

  it("closing while acting for the child is refused: it would close the parent's own profile", async () => {
    await expectProblem(
      await c.api('POST', '/api/account/close', { token: parent.token, actingFor: childId, json: { password: parent.password, deleteData: true } }),
      403,
      'close.own-profile-only',
    );
    expect((await c.insured(parent.person.nir)).state).toBe('active');
    expect((await c.insured(child.nir)).state).toBe('open');
    expect((await readPatient(parent.token, childId, childId)).status).toBe(200);
  });

  it("someone who does not hold the child's profile gets 403, with or without X-Acting-For", async () => {
    await expectOutcome(await readPatient(stranger.token, childId, childId), 403);
    await expectProblem(await c.api('GET', '/api/notifications', { token: stranger.token, actingFor: childId }), 403, 'acting-for.forbidden');
    await expectProblem(await c.api('GET', '/api/me', { token: stranger.token, actingFor: '00000000-0000-4000-8000-000000000000' }), 403, 'acting-for.forbidden');
    expect([403, 404]).toContain((await readPatient(stranger.token, childId)).status);
    await expectProblem(
      await c.api('POST', `/api/family/${childId}/second-parent`, { token: stranger.token, json: personQuery(stranger.person) }),
      403,
      'family.not-representative',
    );
    expect((await me(stranger.token)).profiles.map((p: { patientId: string }) => p.patientId)).toEqual([stranger.patientId]);
  });

  it('the second legal representative is invited, sees the invitation, accepts, and then reads the child\'s record', async () => {
    const invite = await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: personQuery(secondParent.person) });
    expect(invite.status).toBe(201);
    const { invitationId } = await invite.json();
    await expectProblem(
      await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: personQuery(secondParent.person) }),
      409,
      'delegation.invitation-exists',
    );

    const received = await (await c.api('GET', '/api/delegations', { token: secondParent.token })).json();
    expect(received.invitationsReceived).toEqual([
      expect.objectContaining({ id: invitationId, kind: 'legal-representative', status: 'pending', patientId: childId, person: { givenName: 'Claire', familyName: parent.person.traits.birthName } }),
    ]);
    const sent = await (await c.api('GET', '/api/delegations', { token: parent.token })).json();
    expect(sent.invitationsSent.map((d: { id: string }) => d.id)).toEqual([invitationId]);
    const family = await (await c.api('GET', '/api/family', { token: parent.token })).json();
    expect(family.children.find((x: { patientId: string }) => x.patientId === childId).pendingInvitations).toEqual([
      expect.objectContaining({ id: invitationId, name: `Paul ${secondParent.person.traits.birthName}` }),
    ]);
    const notes = await (await c.api('GET', '/api/notifications', { token: secondParent.token })).json();
    expect(notes.items[0]).toMatchObject({ category: 'account', type: 'second-parent-invited', params: { child: 'Lou' } });

    // not before accepting; nobody else answers the invitation
    await expectOutcome(await readPatient(secondParent.token, childId, childId), 403);
    await expectProblem(await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: stranger.token }), 404, 'delegation.not-found');
    await expectProblem(await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: parent.token }), 404, 'delegation.not-found');

    expect((await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: secondParent.token })).status).toBe(204);
    await expectProblem(await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: secondParent.token }), 409, 'delegation.not-pending');
    expect((await readPatient(secondParent.token, childId, childId)).status).toBe(200);
    expect((await me(secondParent.token)).profiles).toContainEqual(expect.objectContaining({ patientId: childId, relation: 'legal-representative', givenName: 'Lou' }));
    expect(await types(parent.token)).toContain('second-parent-accepted');

    // both appear as representatives; only the parent the child is attached to may invite
    const after = await (await c.api('GET', '/api/family', { token: secondParent.token })).json();
    const entry = after.children.find((x: { patientId: string }) => x.patientId === childId);
    expect(entry).toMatchObject({ relation: 'legal-representative', canInviteSecondParent: false, pendingInvitations: [] });
    expect(entry.representatives.map((r: { relation: string }) => r.relation).sort()).toEqual(['legal-representative', 'parent']);
    await expectProblem(
      await c.api('POST', `/api/family/${childId}/second-parent`, { token: secondParent.token, json: personQuery(refuser.person) }),
      403,
      'family.not-representative',
    );
    await expectProblem(
      await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: personQuery(secondParent.person) }),
      409,
      'delegation.exists',
    );
  });

  it('an invitee without an active profile, unknown, or whose details do not match, gets the same 422', async () => {
    const invite = (body: Record<string, unknown>) => c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: body });
    const reference = await expectProblem(await invite(personQuery(notActive)), 422, 'delegation.invitee-not-active');
    expect(await expectProblem(await invite(personQuery(person())), 422)).toEqual(reference);
    expect(await expectProblem(await invite({ ...personQuery(refuser.person), givenName: 'Gaston' }), 422)).toEqual(reference);
    expect(await expectProblem(await invite({ ...personQuery(refuser.person), birthDate: '1901-01-01' }), 422)).toEqual(reference);
    await expectProblem(await invite({ ...personQuery(refuser.person), nir: '123' }), 400, 'nir.invalid');
    await expectProblem(await invite({ ...personQuery(refuser.person), familyName: ' ' }), 400, 'person.incomplete');
    await expectProblem(await invite(personQuery(parent.person)), 422, 'delegation.self');
    await expectProblem(await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: [] }), 400, 'request.invalid');
    // nothing was sent
    const sent = await (await c.api('GET', '/api/delegations', { token: parent.token })).json();
    expect(sent.invitationsSent).toEqual([]);
  });

  it('a child has one second representative at most; the parent may withdraw them, and then invite another', async () => {
    await expectProblem(
      await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: personQuery(refuser.person) }),
      409,
      'delegation.second-parent-exists',
    );
    const { rows } = await c.db.query<{ id: string }>(
      `SELECT id FROM delegation WHERE kind = 'legal-representative' AND patient_id = $1 AND status = 'accepted'`,
      [childId],
    );
    expect(rows).toHaveLength(1);
    await expectProblem(await c.api('DELETE', `/api/delegations/${rows[0]!.id}`, { token: stranger.token }), 404, 'delegation.not-found');
    expect((await c.api('DELETE', `/api/delegations/${rows[0]!.id}`, { token: parent.token })).status).toBe(204);
    await expectOutcome(await readPatient(secondParent.token, childId, childId), 403);
    expect(await types(secondParent.token)).toContain('second-parent-revoked');
  });

  it('an invitation refused gives no access and is over', async () => {
    const invite = await c.api('POST', `/api/family/${childId}/second-parent`, { token: parent.token, json: personQuery(refuser.person) });
    expect(invite.status).toBe(201);
    const { invitationId } = await invite.json();
    expect((await c.api('POST', `/api/delegations/${invitationId}/refuse`, { token: refuser.token })).status).toBe(204);
    await expectProblem(await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: refuser.token }), 409, 'delegation.not-pending');
    await expectOutcome(await readPatient(refuser.token, childId, childId), 403);
    const lists = await (await c.api('GET', '/api/delegations', { token: refuser.token })).json();
    expect(lists.invitationsReceived).toEqual([]);
    expect((await me(refuser.token)).profiles).toHaveLength(1);
    expect(await types(parent.token)).toContain('second-parent-refused');
    // a refused invitation is over: there is nothing left to withdraw
    await expectProblem(await c.api('DELETE', `/api/delegations/${invitationId}`, { token: parent.token }), 409, 'delegation.not-pending');
    await expectProblem(await c.api('POST', '/api/delegations/not-an-id/refuse', { token: refuser.token }), 404, 'delegation.not-found');
  });

  it("a child who turns 18: the parent loses access that very day, and the profile leaves /api/me", async () => {
    const token = await c.scriptToken(parent);
    expect((await readPatient(token, teenId, teenId)).status).toBe(200);
    expect((await me(token)).profiles.map((p: { patientId: string }) => p.patientId)).toContain(teenId);

    // the 18th birthday passes; the links end by themselves (valid_until), before any job runs
    c.carnet.clock.advance(6 * 86_400_000);
    await expectOutcome(await readPatient(token, teenId, teenId), 403);
    expect([403, 404]).toContain((await readPatient(token, teenId)).status);
    const ids = (await me(token)).profiles.map((p: { patientId: string }) => p.patientId);
    expect(ids).toContain(childId);
    expect(ids).not.toContain(teenId);
    const family = await (await c.api('GET', '/api/family', { token })).json();
    expect(family.children.map((x: { patientId: string }) => x.patientId)).toEqual([childId]);
    await expectProblem(
      await c.api('POST', `/api/family/${teenId}/second-parent`, { token, json: personQuery(refuser.person) }),
      403,
      'family.not-representative',
    );

    // the jobs: the young adult is no longer covered by the parent and is told
    await c.carnet.jobs.runNow();
    const admin = await c.insured(teen.nir);
    expect(admin.coveredByNir).toBeNull();
    // a new sign-in recomputes the parent's links: the child stays, the young adult is gone
    await c.signInAgain(parent);
    const profiles = (await me(parent.token)).profiles.map((p: { patientId: string; relation: string }) => `${p.relation}:${p.patientId}`);
    expect(profiles.sort()).toEqual([`parent:${childId}`, `self:${parent.patientId}`].sort());
    expect([403, 404]).toContain((await readPatient(parent.token, teenId)).status);
    // the parent keeps the younger child
    expect((await readPatient(parent.token, childId, childId)).status).toBe(200);
  });

  it('a covered minor gets no code of their own, so cannot take the profile from the representative', async () => {
    const adult = person();
    const minor = person({ coveredBy: adult, birthDate: '2012-03-04', email: `mineur.${Date.now()}@exemple.fr` });
    await c.importCsv(csvOf([adult, minor]));
    const before = (await c.carnet.mailer.list(100, minor.email!)).length;
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: minor.nir, birthDate: minor.traits.birthDate } })).status).toBe(202);
    expect((await c.carnet.mailer.list(100, minor.email!)).length).toBe(before);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
