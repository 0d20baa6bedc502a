import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOf, expectOutcome, expectProblem, person, startAccounts, PASSWORD, type AccountsCarnet, type Member } from './support/accounts.js';

/**
 * The holder's own account over the API: "download my data", closure with the password (archive, or
 * deletion after DELETION_DELAY_DAYS), reopening with a new code (the archived data come back), the
 * contacts and the password. Tests run in order; the clock only moves in the last one.
 */
const DAY_MS = 86_400_000;

describe('accounts API: closure, reopening, my data, my account', () => {
  let c: AccountsCarnet;
  beforeAll(async () => {
    c = await startAccounts();
  });
  afterAll(() => c?.close());

  const newMember = async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    return c.enroll(p);
  };
  const observation = async (m: Member, text: string): Promise<string> => {
    const res = await c.api('POST', '/fhir/Observation', {
      token: m.token,
      json: { resourceType: 'Observation', status: 'final', code: { text }, subject: { reference: `Patient/${m.patientId}` }, valueString: text },
    });
    expect(res.status).toBe(201);
    return (await res.json()).id;
  };
  const close = (m: Member, body: unknown) => c.api('POST', '/api/account/close', { token: m.token, json: body });
  const unzip = async (res: Response) => unzipSync(new Uint8Array(await res.arrayBuffer()));

  let holder: Member;
  let holderObservation: string;

  it('download my data: a zip holding bundle.json (the whole record as a FHIR Bundle) and a read-me', async () => {
    holder = await newMember();
    holderObservation = await observation(holder, 'Tension 12/8');
    const res = await c.api('GET', '/api/account/export', { token: holder.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="carnet-${holder.patientId}.zip"`);
    const bytes = new Uint8Array(await res.clone().arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 2)).toString('latin1')).toBe('PK');
    const files = await unzip(res as unknown as Response);
    expect(Object.keys(files).sort()).toEqual(['LISEZMOI.txt', 'bundle.json']);
    const bundle = JSON.parse(strFromU8(files['bundle.json']!));
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.total).toBe(bundle.entry.length);
    const urls = (bundle.entry as { fullUrl: string }[]).map((e) => e.fullUrl);
    expect(urls).toContain(`${c.fhirBase}/Patient/${holder.patientId}`);
    expect(urls).toContain(`${c.fhirBase}/Observation/${holderObservation}`);
    const patient = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient').resource;
    expect(patient.identifier[0].value).toBe(holder.person.nir);
    await expectProblem(await c.api('GET', '/api/account/export'), 401);
    await expectProblem(await c.api('GET', '/api/account/export', { token: c.operatorToken }), 403, 'patient.only');
  });

  it('closing with a wrong password (or none) is refused and changes nothing; the fifth wrong try locks the account', async () => {
    const m = await newMember();
    for (const body of [{ password: 'Pas-Le-Bon-1!', deleteData: true }, { deleteData: true }, { password: 42 }, {}]) {
      await expectProblem(await close(m, body), 400, 'password.wrong');
    }
    await expectProblem(await c.api('POST', '/api/account/close', { token: m.token, json: [] }), 400, 'request.invalid');
    const admin = await c.insured(m.person.nir);
    expect(admin).toMatchObject({ state: 'active', deleteRequested: false, dueAt: null, account: { disabled: false } });
    expect((await c.api('GET', '/api/me', { token: m.token })).status).toBe(200);
    const notes = await (await c.api('GET', '/api/notifications', { token: m.token })).json();
    expect(notes.items.map((n: { type: string }) => n.type)).not.toContain('profile-closed');
    // a stolen session cannot try passwords at will
    await expectProblem(await close(m, { password: 'Encore-Faux-2!' }), 400, 'password.wrong');
    await expectProblem(await close(m, { password: PASSWORD }), 429, 'auth.locked');
  });

  it('closing with the password: 204, signed out at once, the operator sees "closed" with a 10-year archive', async () => {
    const before = c.carnet.clock.now().getTime();
    expect((await close(holder, { password: PASSWORD, deleteData: false })).status).toBe(204);
    await expectProblem(await c.api('GET', '/api/me', { token: holder.token }), 401, 'session.expired');
    await expectOutcome(await c.api('GET', `/fhir/Patient/${holder.patientId}`, { token: holder.token }), 401);
    const admin = await c.insured(holder.person.nir);
    expect(admin).toMatchObject({ state: 'closed', deleteRequested: false, account: { login: holder.login, disabled: true } });
    expect(new Date(admin.dueAt).getTime() - before).toBeGreaterThan(3652 * DAY_MS);
    expect(new Date(admin.dueAt).getTime() - before).toBeLessThan(3654 * DAY_MS);
    expect(admin.events.at(-1)).toMatchObject({ from: 'active', to: 'closed', reason: 'closed by the holder' });
    expect(admin.events.at(-1).actor).toMatch(/^user:/);
    // the holder was told by e-mail (account notifications always are)
    expect((await c.lastMail(holder.person.email!)).template).toBe('notification');
    // the account cannot sign in, nor get a password reset code
    const i = await c.interaction();
    await expectProblem(await i.password(holder.login, PASSWORD), 401, 'auth.invalid-credentials');
    const mails = (await c.carnet.mailer.list(100, holder.person.email)).length;
    expect((await c.api('POST', '/api/password/forgot', { json: { login: holder.login } })).status).toBe(202);
    expect((await c.carnet.mailer.list(100, holder.person.email)).length).toBe(mails);
    // nor the operator read the archive: operators never read health data
    await expectOutcome(await c.api('GET', `/fhir/Observation/${holderObservation}`, { token: c.operatorToken }), 403);
  });

  it('reopening: a new code on request, an activation, and the archived data are back', async () => {
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: holder.person.nir, birthDate: holder.person.traits.birthDate } })).status).toBe(202);
    expect((await c.lastMail(holder.person.email!, 'new-code')).text).toContain(await c.codeFor(holder.person.email!));
    const reopened = await c.enroll(holder.person, holder.login); // the same identifier is still theirs
    const admin = await c.insured(holder.person.nir);
    expect(admin).toMatchObject({ state: 'active', dueAt: null, deleteRequested: false, account: { disabled: false } });
    expect(admin.events.at(-1)).toMatchObject({ from: 'closed', to: 'active', actor: 'self', reason: 'reopened by the holder' });
    expect(reopened.patientId).toBe(holder.patientId);
    const obs = await c.api('GET', `/fhir/Observation/${holderObservation}`, { token: reopened.token });
    expect(obs.status).toBe(200);
    expect((await obs.json()).valueString).toBe('Tension 12/8');
    const me = await (await c.api('GET', '/api/me', { token: reopened.token })).json();
    expect(me.profiles).toEqual([expect.objectContaining({ patientId: holder.patientId, relation: 'self', state: 'active' })]);
    const types = (await (await c.api('GET', '/api/notifications', { token: reopened.token })).json()).items.map((n: { type: string }) => n.type);
    expect(types).toEqual(expect.arrayContaining(['profile-reopened', 'profile-closed', 'profile-activated']));
    holder = reopened;
  });

  it("a carer loses access when the helped person closes their profile", async () => {
    const helped = await newMember();
    const carer = await newMember();
    const invite = await c.api('POST', '/api/delegations/carers', {
      token: helped.token,
      json: { nir: carer.person.nir, familyName: carer.person.traits.birthName, givenName: carer.person.traits.firstGivenName, birthDate: carer.person.traits.birthDate },
    });
    const { invitationId } = await invite.json();
    expect((await c.api('POST', `/api/delegations/${invitationId}/accept`, { token: carer.token })).status).toBe(204);
    expect((await c.api('GET', `/fhir/Patient/${helped.patientId}`, { token: carer.token, actingFor: helped.patientId })).status).toBe(200);
    expect((await close(helped, { password: PASSWORD, deleteData: false })).status).toBe(204);
    await expectOutcome(await c.api('GET', `/fhir/Patient/${helped.patientId}`, { token: carer.token, actingFor: helped.patientId }), 403);
    const me = await (await c.api('GET', '/api/me', { token: carer.token })).json();
    expect(me.profiles.map((p: { patientId: string }) => p.patientId)).toEqual([carer.patientId]);
    // the delegation ended with the closure: the carer is told, and reopening does not give it back
    const delegations = await (await c.api('GET', '/api/delegations', { token: carer.token })).json();
    expect(delegations.helped).toEqual([]);
    const carerNotes = (await (await c.api('GET', '/api/notifications', { token: carer.token })).json()).items;
    expect(carerNotes.map((n: { type: string }) => n.type)).toContain('carer-revoked');
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: helped.person.nir, birthDate: helped.person.traits.birthDate } })).status).toBe(202);
    const reopened = await c.enroll(helped.person, helped.login);
    await expectOutcome(await c.api('GET', `/fhir/Patient/${helped.patientId}`, { token: carer.token, actingFor: helped.patientId }), 403);
    // and the helped person's documents hold the attestation of the end of the sharing
    const docs = await (await c.api('GET', `/fhir/DocumentReference?subject=Patient/${helped.patientId}`, { token: reopened.token })).json();
    expect(docs.entry.map((e: { resource: { description: string } }) => e.resource.description)).toContain('Attestation de fin de partage de profil');
  });

  it('changing the e-mail takes a one-time code sent to the new address', async () => {
    const m = await newMember();
    const next = `nouvelle.${Date.now()}@exemple.fr`;
    await expectProblem(await c.api('POST', '/api/account/email', { token: m.token, json: { email: 'pas-une-adresse', password: m.password } }), 400, 'email.invalid');
    // the e-mail is the second factor: changing it takes the password
    await expectProblem(await c.api('POST', '/api/account/email', { token: m.token, json: { email: next } }), 400, 'password.wrong');
    const res = await c.api('POST', '/api/account/email', { token: m.token, json: { email: next, password: m.password } });
    expect(res.status).toBe(200);
    expect((await res.json()).otpSentTo).toMatch(/^n•+@exemple\.fr$/);
    const otp = await c.otpFor(next);
    await expectProblem(await c.api('POST', '/api/account/email/verify', { token: m.token, json: { otp: otp === '000000' ? '000001' : '000000' } }), 400, 'otp.invalid');
    expect((await (await c.api('GET', '/api/me', { token: m.token })).json()).email).toBe(m.person.email);
    expect((await c.api('POST', '/api/account/email/verify', { token: m.token, json: { otp } })).status).toBe(204);
    await expectProblem(await c.api('POST', '/api/account/email/verify', { token: m.token, json: { otp } }), 400, 'otp.invalid');
    expect((await (await c.api('GET', '/api/me', { token: m.token })).json()).email).toBe(next);
    const types = (await (await c.api('GET', '/api/notifications', { token: m.token })).json()).items.map((n: { type: string }) => n.type);
    expect(types).toContain('email-verified');
    // the old address is told
    expect((await c.lastMail(m.person.email!)).subject).toBe('Votre adresse e-mail a été changée');
    // the second factor now goes to the new address
    expect(await c.signIn(m.login, m.password, next)).toBeTruthy();
  });

  it('changing the password takes the current one and follows the rules', async () => {
    const m = await newMember();
    const change = (current: string, password: string) => c.api('POST', '/api/account/password', { token: m.token, json: { current, password } });
    await expectProblem(await change('Pas-Le-Bon-1!', 'Autre-Velo-9?'), 400, 'password.wrong');
    await expectProblem(await change(PASSWORD, 'Autre-Velo-?'), 400, 'password.needs-digit');
    await expectProblem(await change(PASSWORD, `X-${m.login}-9?`), 400, 'password.personal-information');
    expect((await change(PASSWORD, 'Autre-Velo-9?')).status).toBe(204);
    const types = (await (await c.api('GET', '/api/notifications', { token: m.token })).json()).items.map((n: { type: string }) => n.type);
    expect(types).toContain('password-changed');
    const i = await c.interaction();
    await expectProblem(await i.password(m.login, PASSWORD), 401, 'auth.invalid-credentials');
    expect(await c.signIn(m.login, 'Autre-Velo-9?', m.person.email!)).toBeTruthy();
  });

  it('with deleteData the data are deleted after DELETION_DELAY_DAYS, unless the holder reopens first', async () => {
    const leaving = await newMember();
    const returning = await newMember();
    const leavingObs = await observation(leaving, 'Glycémie');
    const oldCode = await c.codeFor(leaving.person.email!); // the outbox forgets mails after 90 days
    const returningObs = await observation(returning, 'Cholestérol');
    const before = c.carnet.clock.now().getTime();
    expect((await close(leaving, { password: PASSWORD, deleteData: true })).status).toBe(204);
    expect((await close(returning, { password: PASSWORD, deleteData: true })).status).toBe(204);
    const closed = await c.insured(leaving.person.nir);
    expect(closed).toMatchObject({ state: 'closed', deleteRequested: true });
    expect(new Date(closed.dueAt).getTime() - before).toBeGreaterThanOrEqual(90 * DAY_MS);
    expect(new Date(closed.dueAt).getTime() - before).toBeLessThan(91 * DAY_MS);
    // the second changes their mind: reopening drops the deletion request
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: returning.person.nir, birthDate: returning.person.traits.birthDate } })).status).toBe(202);
    await c.enroll(returning.person, returning.login);
    expect(await c.insured(returning.person.nir)).toMatchObject({ state: 'active', deleteRequested: false });

    await c.advanceDays(89);
    expect((await c.insured(leaving.person.nir)).state).toBe('closed');
    await c.advanceDays(2);
    const deleted = await c.insured(leaving.person.nir);
    expect(deleted).toMatchObject({ state: 'deleted', dueAt: null });
    expect(deleted.events.at(-1)).toMatchObject({ from: 'closed', to: 'deleted', actor: 'carnet', reason: 'data deleted' });
    const count = async (sql: string, params: unknown[]) => Number((await c.db.query<{ n: string }>(sql, params)).rows[0]!.n);
    expect(await count('SELECT count(*) AS n FROM resource WHERE patient_id = $1', [leaving.patientId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM resource_history WHERE patient_id = $1', [leaving.patientId])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM resource WHERE resource_type = 'Observation' AND id = $1`, [leavingObs])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM notification WHERE patient_id = $1', [leaving.patientId])).toBe(0);
    // nothing can bring it back: no new code is sent, and no old code opens it
    const mails = (await c.carnet.mailer.list(100, leaving.person.email)).length;
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: leaving.person.nir, birthDate: leaving.person.traits.birthDate } })).status).toBe(202);
    expect((await c.carnet.mailer.list(100, leaving.person.email)).length).toBe(mails);
    await expectProblem(
      await c.api('POST', '/api/activation/start', { json: { nir: leaving.person.nir, vitaleSerial: leaving.person.vitaleSerial, code: oldCode } }),
      400,
      'activation.invalid',
    );

    // the one who came back still has everything
    const token = await c.signInAgain(returning);
    expect((await c.insured(returning.person.nir)).state).toBe('active');
    expect((await c.api('GET', `/fhir/Observation/${returningObs}`, { token })).status).toBe(200);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
