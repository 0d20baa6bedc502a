import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS, HEADER, formatRow, type InsuredRow } from '../src/domain/population/index.js';
import { csvOf, expectProblem, person, startAccounts, PASSWORD, type AccountsCarnet } from './support/accounts.js';

/**
 * What the accounts API refuses, over real HTTP: each refusal is a problem+json with a stable code, changes
 * nothing, and never tells whether a NIR exists. Tests run in order: the clock only moves in the last ones.
 */

/** The same NIR with another (wrong) key. */
function wrongKey(nir: string): string {
  const key = Number(nir.slice(13));
  return nir.slice(0, 13) + String((key % 97) + 1).padStart(2, '0');
}

/** A well-formed code provisoire that is nobody's (the alphabet of real codes, never issued). */
const NOBODYS_CODE = 'ZZZZ-ZZZZ-ZZZ2';

/** A CSV line of `row` with some columns replaced. */
function lineWith(row: InsuredRow, changes: Partial<Record<(typeof COLUMNS)[number], string>>): string {
  const fields = formatRow(row).split(';');
  for (const [column, value] of Object.entries(changes)) fields[COLUMNS.indexOf(column as (typeof COLUMNS)[number])] = value;
  return fields.join(';');
}

/** Another 6-digit code than `otp`. */
const otherThan = (otp: string) => String((Number(otp) + 1) % 1_000_000).padStart(6, '0');

describe('accounts API: bad input', () => {
  let c: AccountsCarnet;
  beforeAll(async () => {
    c = await startAccounts();
  });
  afterAll(() => c?.close());

  const start = (p: InsuredRow, code: string, vitaleSerial: unknown = p.vitaleSerial) =>
    c.api('POST', '/api/activation/start', { json: { nir: p.nir, vitaleSerial, code } });
  const object = (nir: string, code: string) => c.api('POST', '/api/optout/objection', { json: { nir, code } });
  /** A pending activation (first step done) for an imported person. */
  const pendingFor = async (p: InsuredRow) => {
    const res = await start(p, await c.codeFor(p.email!));
    expect(res.status).toBe(201);
    return ((await res.json()) as { activationId: string }).activationId;
  };
  const account = (id: string, body: Record<string, unknown>) => c.api('POST', `/api/activation/${id}/account`, { json: body });

  it('a NIR with a wrong key is refused as such (nir.invalid) by every endpoint that takes one', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const bad = wrongKey(p.nir);
    const code = await c.codeFor(p.email!);
    await expectProblem(await start({ ...p, nir: bad }, code), 400, 'nir.invalid');
    await expectProblem(await object(bad, code), 400, 'nir.invalid');
    await expectProblem(await c.api('POST', '/api/codes/resend', { json: { nir: bad, birthDate: p.traits.birthDate } }), 400, 'nir.invalid');
    await expectProblem(await c.request('GET', `/api/admin/insured?nir=${bad}`, { token: c.operatorToken }), 400, 'nir.invalid');
    // not a string, missing, too short
    await expectProblem(await c.api('POST', '/api/activation/start', { json: { nir: Number(p.nir.slice(0, 13)), vitaleSerial: p.vitaleSerial, code } }), 400, 'nir.invalid');
    await expectProblem(await c.api('POST', '/api/optout/objection', { json: { code } }), 400, 'nir.invalid');
    await expectProblem(await object(p.nir.slice(0, 13), code), 400, 'nir.invalid');
    // nothing changed: the person can still activate with the right NIR
    expect((await c.insured(p.nir)).state).toBe('notified');
    expect((await start(p, code)).status).toBe(201);
  });

  it('an unknown NIR and a known NIR with a wrong code get exactly the same answer', async () => {
    const known = person();
    const unknown = person();
    await c.importCsv(csvOf([known]));
    const before = await c.insured(known.nir);
    for (const code of [NOBODYS_CODE, 'not-a-code']) {
      const a = await expectProblem(await start(unknown, code), 400, 'activation.invalid');
      const b = await expectProblem(await start(known, code), 400, 'activation.invalid');
      expect(b).toEqual(a);
    }
    const a = await expectProblem(await object(unknown.nir, NOBODYS_CODE), 400, 'optout.invalid');
    const b = await expectProblem(await object(known.nir, NOBODYS_CODE), 400, 'optout.invalid');
    expect(b).toEqual(a);
    expect(a.title).not.toMatch(/exist|unknown|not found/i);
    // a new code on request: 202 whether the NIR is known or not, whether the birth date matches or not
    const answers = await Promise.all([
      c.api('POST', '/api/codes/resend', { json: { nir: unknown.nir, birthDate: unknown.traits.birthDate } }),
      c.api('POST', '/api/codes/resend', { json: { nir: known.nir, birthDate: '1901-01-01' } }),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: true });
    }
    await expectProblem(await c.api('POST', '/api/codes/resend', { json: { nir: known.nir, birthDate: '14/03/1980' } }), 400, 'birthdate.invalid');
    // nothing changed, and no new code went out for the wrong birth date
    const after = await c.insured(known.nir);
    expect(after.state).toBe('notified');
    expect(after.events).toEqual(before.events);
    expect((await c.carnet.mailer.list(50, known.email)).map((m) => m.template)).toEqual(['optout-notice']);
    expect((await start(known, await c.codeFor(known.email!))).status).toBe(201);
  });

  it("another person's code, a wrong carte Vitale number, an opposed person: the same refusal", async () => {
    const p = person();
    const other = person();
    const opposed = person();
    await c.importCsv(csvOf([p, other, opposed]));
    const code = await c.codeFor(p.email!);
    const reference = await expectProblem(await start(p, await c.codeFor(other.email!)), 400, 'activation.invalid');
    expect(await expectProblem(await start(p, code, '99999999'), 400)).toEqual(reference);
    expect(await expectProblem(await start(p, code, '1234'), 400)).toEqual(reference);
    expect(await expectProblem(await start(p, code, null), 400)).toEqual(reference);
    const opposedCode = await c.codeFor(opposed.email!);
    expect((await object(opposed.nir, opposedCode)).status).toBe(201);
    expect(await expectProblem(await start(opposed, opposedCode), 400)).toEqual(reference);
    // nothing changed for p, whose details still work
    expect((await c.insured(p.nir)).state).toBe('notified');
    const ok = await start(p, code);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ givenName: p.traits.firstGivenName, familyName: p.traits.birthName });
  });

  it('passwords that break a rule are refused, each with its code, and the activation can go on', async () => {
    const p = person({ birthDate: '1979-06-14', given: 'Élodie', sex: 'F' });
    await c.importCsv(csvOf([p]));
    const id = await pendingFor(p);
    const login = 'cyclo.matin';
    const cases: [string, string][] = [
      ['Ab1!xyz', 'password.too-short'],
      ['velo-rouge-42!', 'password.needs-upper'],
      ['VELO-ROUGE-42!', 'password.needs-lower'],
      ['Velo-Rouge-!!', 'password.needs-digit'],
      ['VeloRouge42', 'password.needs-special'],
      ['Cyclo.Matin-42!', 'password.personal-information'], // the login
      ['Velo-14061979!', 'password.personal-information'], // the birth date
      ['Velo-Rouge-1979!', 'password.personal-information'], // the birth year
      ['Elodie-Velo-42!', 'password.personal-information'], // the given name
      [`Velo-${p.traits.birthName.toLowerCase()}-42!`, 'password.personal-information'], // the family name
      ['Soleil-Vert-42!', 'password.dictionary-word'],
      ['P@ssw0rd-Vert-7', 'password.dictionary-word'],
    ];
    for (const [password, code] of cases) {
      const problem = await expectProblem(await account(id, { login, password, email: p.email, acceptTerms: true }), 400, code);
      expect(problem.title).not.toContain(password);
    }
    await expectProblem(await account(id, { login, password: 42, email: p.email, acceptTerms: true }), 400, 'password.too-short');
    // nothing was kept: the next step still needs the account details
    await expectProblem(await c.api('POST', `/api/activation/${id}/verify`, { json: { otp: '123456' } }), 400, 'activation.incomplete');
    expect((await c.carnet.mailer.list(50, p.email)).some((m) => m.template === 'otp')).toBe(false);
    const ok = await account(id, { login, password: PASSWORD, email: p.email, acceptTerms: true });
    expect(ok.status).toBe(200);
    expect((await ok.json()).otpSentTo).toMatch(/^e•••+@exemple\.fr$/);
  });

  it('identifiers: too short, too long, with accents, taken (whatever the case); the availability check suggests others', async () => {
    const taken = person();
    const p = person({ given: 'Jérôme', sex: 'M' });
    await c.importCsv(csvOf([taken, p]));
    const takenLogin = `pris.${Date.now()}`;
    await c.activate(taken, takenLogin);
    const id = await pendingFor(p);
    const body = (login: unknown) => ({ login, password: PASSWORD, email: p.email, acceptTerms: true });
    await expectProblem(await account(id, body('abc')), 400, 'login.too-short');
    await expectProblem(await account(id, body('a'.repeat(65))), 400, 'login.too-long');
    await expectProblem(await account(id, body('jérôme.dupont')), 400, 'login.invalid-characters');
    await expectProblem(await account(id, body('jerome dupont')), 400, 'login.invalid-characters');
    await expectProblem(await account(id, body(undefined)), 400, 'login.too-short');
    await expectProblem(await account(id, body(takenLogin.toUpperCase())), 409, 'login.taken');

    const check = async (login: string) => (await c.request('GET', `/api/activation/${id}/login-available?login=${encodeURIComponent(login)}`)).json();
    const busy = await check(takenLogin);
    expect(busy.available).toBe(false);
    expect(busy.suggestions).toHaveLength(3);
    for (const s of busy.suggestions) expect(s).toMatch(/^jerome\.[a-z0-9.-]+$/);
    expect((await check('abc')).available).toBe(false);
    expect(await check(`libre.${Date.now()}`)).toEqual({ available: true, suggestions: [] });
    // an activation that does not exist (or a malformed id)
    await expectProblem(await c.request('GET', '/api/activation/00000000-0000-4000-8000-000000000000/login-available?login=abcdefgh'), 404, 'activation.expired');
    await expectProblem(await account('nope', body('abcdefgh')), 404, 'activation.expired');
    await expectProblem(await c.api('POST', '/api/activation/nope/verify', { json: { otp: '123456' } }), 404, 'activation.expired');
  });

  it('an invalid e-mail and terms not accepted are refused', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const id = await pendingFor(p);
    const body = { login: `login.${Date.now()}`, password: PASSWORD, email: p.email, acceptTerms: true };
    for (const email of ['pas-une-adresse', 'a@b', 'deux@@exemple.fr', 'espace @exemple.fr', '', 42, undefined]) {
      await expectProblem(await account(id, { ...body, email }), 400, 'email.invalid');
    }
    for (const acceptTerms of [false, 'true', 1, undefined]) {
      await expectProblem(await account(id, { ...body, acceptTerms }), 400, 'terms.required');
    }
    expect((await account(id, body)).status).toBe(200);
  });

  it('a wrong one-time code is refused; after 5 wrong tries the right one is refused too; a new code works', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const id = await pendingFor(p);
    const body = { login: `otp.${Date.now()}`, password: PASSWORD, email: p.email, acceptTerms: true };
    expect((await account(id, body)).status).toBe(200);
    const otp = await c.otpFor(p.email!);
    const verify = (code: unknown) => c.api('POST', `/api/activation/${id}/verify`, { json: { otp: code } });
    await expectProblem(await verify('abcdef'), 400, 'otp.invalid');
    for (let i = 0; i < 4; i++) await expectProblem(await verify(otherThan(otp)), 400, 'otp.invalid');
    await expectProblem(await verify(otp), 400, 'otp.invalid');
    expect((await c.insured(p.nir)).state).toBe('notified');
    // the account step again sends a new code, which works
    expect((await account(id, body)).status).toBe(200);
    const fresh = await c.otpFor(p.email!);
    await expectProblem(await verify(otp), 400, 'otp.invalid'); // only the newest code counts
    const ok = await verify(fresh);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ login: body.login });
    expect((await c.insured(p.nir)).state).toBe('active');
    await expectProblem(await verify(fresh), 404, 'activation.expired');
  });

  it('a used code is refused, and so are the older ones once the profile is activated; a new one reopens it', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const first = await c.codeFor(p.email!);
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: p.nir, birthDate: p.traits.birthDate } })).status).toBe(202);
    const second = await c.codeFor(p.email!);
    expect(second).not.toBe(first);
    const m = await c.enroll(p); // with the newest code, the second
    expect((await c.api('POST', '/api/account/close', { token: m.token, json: { password: m.password, deleteData: false } })).status).toBe(204);
    expect((await c.insured(p.nir)).state).toBe('closed');
    await expectProblem(await start(p, second), 400, 'activation.invalid');
    await expectProblem(await start(p, first), 400, 'activation.invalid');
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: p.nir, birthDate: p.traits.birthDate } })).status).toBe(202);
    const third = await c.codeFor(p.email!);
    expect((await start(p, third)).status).toBe(201);
  });

  it('bodies that are not JSON objects are refused with a problem, never a 500', async () => {
    const posts = ['/api/activation/start', '/api/optout/objection', '/api/codes/resend', '/api/password/forgot', '/api/password/reset'];
    for (const url of posts) {
      await expectProblem(await c.api('POST', url, { body: '{"nir": ', headers: { 'content-type': 'application/json' } }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { body: 'nir=1', headers: { 'content-type': 'application/json' } }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { json: [] }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { json: 'a string' }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { json: 12 }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { body: 'nir=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'request.invalid');
      await expectProblem(await c.api('POST', url, { body: 'nir=1', headers: { 'content-type': 'text/plain' } }), 415, 'request.unsupported-media-type');
    }
    const i = await c.interaction();
    // the interaction in the URL must be the one this browser's cookie is bound to
    const other = await c.interaction();
    await expectProblem(await i.post(`${other.path}/password`, { login: 'someone.else', password: 'x' }), 400, 'session.expired');
    await expectProblem(await i.post(`${i.path}/password`, '[1, 2]'), 400, 'request.invalid');
    await expectProblem(await i.post(`${i.path}/password`, '{"login": '), 400, 'request.invalid');
    await expectProblem(await i.post(`${i.path}/otp`, '"123456"'), 400, 'request.invalid');
  });

  it('a population file: bad rows are reported with their line while the good ones load', async () => {
    const good = [person(), person(), person()];
    const bad = [person(), person(), person(), person()];
    const csv =
      [
        HEADER,
        formatRow(good[0]!), // line 2
        lineWith(bad[0]!, { birth_name: '' }), // line 3
        formatRow(good[1]!), // line 4
        lineWith(bad[1]!, { birth_date: '1985-02-30' }), // line 5
        lineWith(bad[2]!, { nir: wrongKey(bad[2]!.nir) }), // line 6
        lineWith(bad[3]!, { birth_name: '"DURAND"X' }), // line 7: text after a closing quote
        formatRow(good[2]!), // line 8
      ].join('\n') + '\n';
    const report = await c.importCsv(csv, 'mixed.csv');
    expect(report).toMatchObject({ rows: 7, created: 3, updated: 0, failed: 4, fileName: 'mixed.csv' });
    expect(report.errors.map((e: { line: number }) => e.line)).toEqual([3, 5, 6, 7]);
    expect(report.errors[0].reason).toMatch(/birth_name/);
    expect(report.errors[1].reason).toMatch(/birth_date/);
    expect(report.errors[2].reason).toMatch(/\bnir\b/);
    expect(report.errors[3].reason).toMatch(/closing quote in field 3/);
    for (const e of report.errors as { reason: string }[]) for (const p of bad) expect(e.reason).not.toContain(p.nir.slice(0, 13));
    for (const p of good) expect((await c.insured(p.nir)).state).toBe('notified');
    for (const p of [bad[0]!, bad[1]!, bad[3]!]) {
      await expectProblem(await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken }), 404, 'insured.not-found');
    }
    const imports = (await (await c.request('GET', '/api/admin/population/imports', { token: c.operatorToken })).json()).items;
    expect(imports[0]).toMatchObject({ fileName: 'mixed.csv', rows: 7, created: 3, failed: 4 });
    expect(imports[0].startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(imports[0].finishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('a population file with a bad header, or empty, or not CSV, is refused as a whole', async () => {
    const statsBefore = await (await c.request('GET', '/api/admin/population/stats', { token: c.operatorToken })).json();
    const importsBefore = (await (await c.request('GET', '/api/admin/population/imports', { token: c.operatorToken })).json()).items;
    const p = person();
    const send = (body: string, type = 'text/csv') =>
      c.request('POST', '/api/admin/population/imports?file=bad.csv', { token: c.operatorToken, body, headers: { 'content-type': type } });
    const noHeader = await expectProblem(await send(`${formatRow(p)}\n`), 400, 'population.bad-header');
    expect(noHeader.title).toMatch(/^Line 1: /);
    expect(noHeader.title).not.toContain(p.nir.slice(0, 13));
    const renamed = await expectProblem(await send(`${HEADER.replace('birth_name', 'nom')}\n${formatRow(p)}\n`), 400, 'population.bad-header');
    expect(renamed.title).toMatch(/nom/);
    await expectProblem(await send(`${HEADER.replace('birth_date;', '')}\n`), 400, 'population.bad-header');
    await expectProblem(await send(''), 400, 'population.empty');
    await expectProblem(await send(JSON.stringify({ rows: [] }), 'application/json'), 400, 'population.not-csv');
    // nothing changed: no person, no import recorded
    expect(await (await c.request('GET', '/api/admin/population/stats', { token: c.operatorToken })).json()).toEqual(statsBefore);
    expect((await (await c.request('GET', '/api/admin/population/imports', { token: c.operatorToken })).json()).items).toEqual(importsBefore);
    await expectProblem(await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken }), 404, 'insured.not-found');
  });

  it('sign-in: a wrong password and an unknown identifier get the same answer; one-time codes are limited to 5 tries', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const m = await c.enroll(p);
    const i = await c.interaction();
    const details = await i.get(`${i.path}/details`);
    expect(await details.json()).toEqual({ prompt: 'login', space: 'patient' });
    const wrong = await expectProblem(await i.password(m.login, 'Pas-Le-Bon-1!'), 401, 'auth.invalid-credentials');
    expect(await expectProblem(await i.password(`inconnu.${Date.now()}`, 'Pas-Le-Bon-1!'), 401)).toEqual(wrong);
    await expectProblem(await i.password('', PASSWORD), 400, 'auth.missing');
    await expectProblem(await i.password(m.login, ''), 400, 'auth.missing');
    // a page that does not exist, or another browser's (the interaction's cookie is not sent along)
    const cookieless = (path: string) =>
      fetch(`${c.baseUrl}${path}/password`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: m.login, password: PASSWORD }) });
    await expectProblem(await cookieless('/interaction/nope'), 400, 'session.expired');
    await expectProblem(await cookieless(i.path), 400, 'session.expired');

    expect((await i.password(m.login, PASSWORD)).status).toBe(200);
    const otp = await c.otpFor(p.email!);
    for (let n = 0; n < 5; n++) await expectProblem(await i.otp(otherThan(otp)), 400, 'otp.invalid');
    // five wrong codes lock the account's second factor, even with the right code, even with a new one
    await expectProblem(await i.otp(otp), 429, 'auth.locked');
    expect((await i.password(m.login, PASSWORD)).status).toBe(200);
    await expectProblem(await i.otp(await c.otpFor(p.email!)), 429, 'auth.locked');
    // once the lock is over, the password step sends a new code, which works
    c.carnet.clock.advance(16 * 60_000);
    expect((await i.password(m.login, PASSWORD)).status).toBe(200);
    const done = await i.otp(await c.otpFor(p.email!));
    expect(done.status).toBe(200);
    const token = await i.finish((await done.json()).redirectTo);
    expect((await c.api('GET', '/api/me', { token })).status).toBe(200);
  });

  it('forgotten password: the same answers for a known and an unknown identifier', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const m = await c.enroll(p);
    const unknown = `inconnu.${Date.now()}`;
    const forgot = async (login: string) => {
      const res = await c.api('POST', '/api/password/forgot', { json: { login } });
      expect(res.status).toBe(202);
      return res.json();
    };
    expect(await forgot(m.login)).toEqual(await forgot(unknown));
    await expectProblem(await c.api('POST', '/api/password/forgot', { json: {} }), 400, 'auth.missing');
    const reset = (login: string, otp: string, password: string) => c.api('POST', '/api/password/reset', { json: { login, otp, password } });
    const otp = await c.otpFor(p.email!);
    // a weak password, then a wrong code: the same answer whoever the identifier is
    expect(await expectProblem(await reset(m.login, otp, 'faible'), 400, 'password.too-short')).toEqual(
      await expectProblem(await reset(unknown, otp, 'faible'), 400, 'password.too-short'),
    );
    expect(await expectProblem(await reset(m.login, otherThan(otp), 'Nouveau-Velo-7?'), 400, 'otp.invalid')).toEqual(
      await expectProblem(await reset(unknown, otherThan(otp), 'Nouveau-Velo-7?'), 400, 'otp.invalid'),
    );
    expect((await reset(m.login, otp, 'Nouveau-Velo-7?')).status).toBe(204);
    expect(await c.signIn(m.login, 'Nouveau-Velo-7?', p.email!)).toBeTruthy();
  });

  it(`brute force on codes: after 5 wrong codes for one NIR even the right code is refused (429), for a known NIR as for an unknown one`, async () => {
    const p = person();
    const unknown = person();
    const bystander = person();
    await c.importCsv(csvOf([p, bystander]));
    const code = await c.codeFor(p.email!);
    for (let n = 0; n < 5; n++) await expectProblem(await start(p, NOBODYS_CODE), 400, 'activation.invalid');
    const locked = await expectProblem(await start(p, code), 429, 'attempts.locked');
    await expectProblem(await object(p.nir, code), 429, 'attempts.locked');
    for (let n = 0; n < 5; n++) await expectProblem(await start(unknown, NOBODYS_CODE), 400, 'activation.invalid');
    expect(await expectProblem(await start(unknown, NOBODYS_CODE), 429)).toEqual(locked);
    // the lock is on the NIR: someone else, from the same address, is not locked out
    expect((await start(bystander, await c.codeFor(bystander.email!))).status).toBe(201);
    expect((await c.insured(p.nir)).state).toBe('notified');
    // after LOCK_MINUTES the right code works again
    await c.advanceDays(16 / (24 * 60));
    expect((await start(p, code)).status).toBe(201);
  });

  it('brute force on passwords: after 5 wrong passwords even the right one is refused (429 auth.locked)', async () => {
    const p = person();
    const bystander = person();
    await c.importCsv(csvOf([p, bystander]));
    const m = await c.enroll(p);
    const b = await c.enroll(bystander);
    const i = await c.interaction();
    for (let n = 0; n < 4; n++) await expectProblem(await i.password(m.login, `Mauvais-${n}-Mot!`), 401, 'auth.invalid-credentials');
    await expectProblem(await i.password(m.login, 'Mauvais-5-Mot!'), 429, 'auth.locked');
    const locked = await expectProblem(await i.password(m.login, PASSWORD), 429, 'auth.locked');
    // the same for an identifier nobody has
    const nobody = `personne.${Date.now()}`;
    for (let n = 0; n < 4; n++) await expectProblem(await i.password(nobody, `Mauvais-${n}-Mot!`), 401, 'auth.invalid-credentials');
    expect(await expectProblem(await i.password(nobody, 'Mauvais-5-Mot!'), 429)).toEqual(locked);
    // a forgotten-password reset does not get around the lock
    await expectProblem(await c.api('POST', '/api/password/reset', { json: { login: m.login, otp: '123456', password: 'Nouveau-Velo-7?' } }), 429, 'auth.locked');
    // the lock is on the identifier: another person signs in from the same address
    expect(await c.signIn(b.login, PASSWORD, bystander.email!)).toBeTruthy();
    // after LOCK_MINUTES the right password works again
    await c.advanceDays(16 / (24 * 60));
    expect(await c.signIn(m.login, PASSWORD, p.email!)).toBeTruthy();
  });

  it('a one-time code expires after 10 minutes, an activation after 30, a web session after 15 idle minutes', async () => {
    const p = person();
    const q = person();
    const r = person();
    await c.importCsv(csvOf([p, q, r]));
    const id = await pendingFor(p);
    const body = { login: `lent.${Date.now()}`, password: PASSWORD, email: p.email, acceptTerms: true };
    expect((await account(id, body)).status).toBe(200);
    const otp = await c.otpFor(p.email!);
    c.carnet.clock.advance(11 * 60_000);
    await expectProblem(await c.api('POST', `/api/activation/${id}/verify`, { json: { otp } }), 400, 'otp.invalid');
    expect((await account(id, body)).status).toBe(200);
    expect((await c.api('POST', `/api/activation/${id}/verify`, { json: { otp: await c.otpFor(p.email!) } })).status).toBe(200);

    const late = await pendingFor(q);
    c.carnet.clock.advance(31 * 60_000);
    await expectProblem(await account(late, { ...body, login: `tard.${Date.now()}`, email: q.email }), 404, 'activation.expired');
    expect((await c.insured(q.nir)).state).toBe('notified');

    const m = await c.enroll(r);
    expect((await c.api('GET', '/api/me', { token: m.token })).status).toBe(200);
    c.carnet.clock.advance(14 * 60_000);
    expect((await c.api('GET', '/api/me', { token: m.token })).status).toBe(200); // activity keeps it alive
    c.carnet.clock.advance(14 * 60_000);
    expect((await c.api('GET', '/api/me', { token: m.token })).status).toBe(200);
    c.carnet.clock.advance(16 * 60_000);
    await expectProblem(await c.api('GET', '/api/me', { token: m.token }), 401, 'session.expired');
    await expectProblem(await c.api('GET', '/api/me', { token: m.token }), 401, 'session.expired');
  });

  it('an expired code is refused; a new one from /api/codes/resend works', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const old = await c.codeFor(p.email!);
    await c.advanceDays(91); // past CODE_TTL_DAYS; the profile opened after 42 days
    expect((await c.insured(p.nir)).state).toBe('open');
    await expectProblem(await start(p, old), 400, 'activation.invalid');
    await expectProblem(await object(p.nir, old), 400, 'optout.invalid');
    expect((await c.api('POST', '/api/codes/resend', { json: { nir: p.nir, birthDate: p.traits.birthDate } })).status).toBe(202);
    const mail = await c.lastMail(p.email!, 'new-code');
    expect(mail.text).toContain(await c.codeFor(p.email!));
    const ok = await start(p, await c.codeFor(p.email!));
    expect(ok.status).toBe(201);
  });

  it('an address that tries codes on many NIRs is locked after LOCK_AFTER_FAILURES × 10 failures', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    await c.advanceDays(61 / (24 * 60)); // a new counting window
    for (let n = 0; n < 50; n++) await expectProblem(await start(person(), NOBODYS_CODE), 400, 'activation.invalid');
    await expectProblem(await start(p, await c.codeFor(p.email!)), 429, 'attempts.locked');
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});
