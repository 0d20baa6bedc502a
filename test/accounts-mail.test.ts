import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvOf, oidcSignIn, person, startAccounts, PASSWORD, JSON_HEADERS, type AccountsCarnet } from './support/accounts.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp-sink.js';

/**
 * E-mail over real SMTP: Carnet with SMTP_URL pointing at a test SMTP server that answers its first DATA
 * command with a temporary failure (451). Mails go through the durable outbox and are delivered by the
 * jobs (`carnet.jobs.runNow()`), retried with a growing delay on failure.
 */
const CODE = /([2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4})/;

describe('accounts: e-mail over SMTP', () => {
  let sink: SmtpSink;
  let c: AccountsCarnet;
  beforeAll(async () => {
    sink = await startSmtpSink({ failFirst: 1 });
    c = await startAccounts({ env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await c?.close();
    await sink?.close();
  });

  const outboxOf = async (to: string, template: string) => (await c.carnet.mailer.list(100, to)).filter((m) => m.template === template);
  /** Runs the jobs, then waits for a mail to `to` not seen before that matches. */
  const deliveredTo = async (to: string, match: (m: ReceivedMail) => boolean, seen: Set<ReceivedMail> = new Set()) => {
    await c.carnet.jobs.runNow();
    const mail = await sink.waitFor((m) => m.to.includes(to) && match(m) && !seen.has(m));
    seen.add(mail);
    return mail;
  };

  it('the opt-out notice goes out over SMTP with its code; a temporary failure is retried after 2 minutes', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const [queued] = await outboxOf(p.email!, 'optout-notice');
    expect(queued).toMatchObject({ status: 'pending', attempts: 0 });

    const first = await c.carnet.jobs.runNow();
    expect(first).toMatchObject({ mailSent: 0, mailFailed: 1 });
    expect(sink.rejected).toBe(1);
    expect(sink.messages).toEqual([]);
    const [failed] = await outboxOf(p.email!, 'optout-notice');
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed!.lastError).toMatch(/451/);
    // not due again yet
    expect(await c.carnet.jobs.runNow()).toMatchObject({ mailSent: 0, mailFailed: 0 });

    c.carnet.clock.advance(2 * 60_000);
    expect(await c.carnet.jobs.runNow()).toMatchObject({ mailSent: 1, mailFailed: 0 });
    const mail = await sink.waitFor((m) => m.to.includes(p.email!));
    expect(mail.to).toEqual([p.email]);
    expect(c.carnet.config.mailFrom).toContain(mail.from);
    expect(mail.subject).toBe('Votre profil Carnet sera bientôt créé');
    expect(mail.text).toContain(`Bonjour ${p.traits.firstGivenName} ${p.traits.birthName}`);
    const code = CODE.exec(mail.text)?.[1];
    expect(code).toBeTruthy();
    const [sent] = await outboxOf(p.email!, 'optout-notice');
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    // once sent, the code is no longer kept in the outbox
    expect(sent!.text).not.toContain(code);
    expect(sent!.text).toContain('[retiré après l’envoi]');
    expect(sent!.lastError).toBeUndefined();
    // delivered once
    expect(await c.carnet.jobs.runNow()).toMatchObject({ mailSent: 0, mailFailed: 0 });
    expect(sink.messages.filter((m) => m.to.includes(p.email!))).toHaveLength(1);
  });

  it('a whole activation and sign-in with the codes read from the mails that arrived', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    const seen = new Set<ReceivedMail>();
    const notice = await deliveredTo(p.email!, (m) => m.subject.startsWith('Votre profil Carnet'), seen);
    const [sent] = await outboxOf(p.email!, 'optout-notice');
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    const code = CODE.exec(notice.text)![1]!;

    const post = (url: string, body: unknown) => c.request('POST', url, { body: JSON.stringify(body), headers: JSON_HEADERS });
    const start = await post('/api/activation/start', { nir: p.nir, vitaleSerial: p.vitaleSerial, code });
    expect(start.status).toBe(201);
    const { activationId } = await start.json();
    const login = `smtp.${Date.now()}`;
    expect((await post(`/api/activation/${activationId}/account`, { login, password: PASSWORD, email: p.email, acceptTerms: true })).status).toBe(200);
    const otpMail = await deliveredTo(p.email!, (m) => m.subject.startsWith('Votre code de sécurité'), seen);
    expect(otpMail.text).toContain('vérifier votre adresse e-mail');
    const otp = /(\d{6})/.exec(otpMail.subject)![1]!;
    expect((await post(`/api/activation/${activationId}/verify`, { otp })).status).toBe(200);

    // the account notifications (profile opened, activated) are e-mailed too, without health content
    const alert = await deliveredTo(p.email!, (m) => m.subject.startsWith('Votre compte'), seen);
    expect(alert.text).toContain('nouvelle notification');

    const token = await oidcSignIn(c, login, PASSWORD, async () => {
      const m = await deliveredTo(p.email!, (x) => x.subject.startsWith('Votre code de sécurité') && x.text.includes('vous connecter'), seen);
      return /(\d{6})/.exec(m.subject)![1]!;
    });
    const me = await c.api('GET', '/api/me', { token });
    expect(me.status).toBe(200);
    expect((await me.json()).login).toBe(login);
  });

  it('never answered 500', () => {
    expect(c.serverErrors).toEqual([]);
  });
});

describe('accounts: a notice e-mail that cannot be delivered falls back to a letter', () => {
  let sink: SmtpSink;
  let c: AccountsCarnet;
  beforeAll(async () => {
    sink = await startSmtpSink({ failFirst: 1000 });
    c = await startAccounts({ env: { SMTP_URL: sink.url } });
  });
  afterAll(async () => {
    await c?.close();
    await sink?.close();
  });

  it('after every retry failed, the person gets a letter and the six weeks start again when it is printed', async () => {
    const p = person();
    await c.importCsv(csvOf([p]));
    for (let i = 0; i < 10; i++) {
      c.carnet.clock.advance(7 * 3600_000);
      await c.carnet.jobs.runNow();
    }
    const [mail] = (await c.carnet.mailer.list(100, p.email!)).filter((m) => m.template === 'optout-notice');
    expect(mail).toMatchObject({ status: 'failed', attempts: 10 });
    const res = await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken });
    const before = await res.json();
    expect(before).toMatchObject({ state: 'notified', noticeChannel: 'letter' });
    const letters = await c.request('GET', '/api/admin/notices/letters.pdf', { token: c.operatorToken });
    expect(letters.status).toBe(200);
    const after = await (await c.request('GET', `/api/admin/insured?nir=${p.nir}`, { token: c.operatorToken })).json();
    expect(new Date(after.dueAt).getTime()).toBeGreaterThan(new Date(before.dueAt).getTime());
    expect(after.events.at(-1)).toMatchObject({ from: 'notified', to: 'notified', reason: 'notice sent by post' });
  });
});
