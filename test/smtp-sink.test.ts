import { afterEach, describe, expect, it } from 'vitest';
import { createTransport } from 'nodemailer';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';

describe('the test SMTP sink', () => {
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('receives a message over real SMTP and keeps it parsed', async () => {
    sink = await startSmtpSink();
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    const transport = createTransport(sink.url);
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n', 'latin1');
    await transport.sendMail({
      from: '"Carnet" <no-reply@carnet.test>',
      to: 'alice@example.test',
      bcc: 'audit@example.test',
      subject: 'Votre compte-rendu est disponible — Hôpital Saint-Éloi',
      text: 'Bonjour Alice,\nun nouveau document a été ajouté à votre carnet.',
      html: '<p>Bonjour Alice,</p><p>un nouveau document a été ajouté à votre carnet.</p>',
      attachments: [{ filename: 'compte-rendu.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    const mail = await sink.waitFor((m) => m.to.includes('alice@example.test'));
    expect(mail.from).toBe('no-reply@carnet.test');
    expect(mail.to).toEqual(['alice@example.test', 'audit@example.test']);
    expect(mail.subject).toBe('Votre compte-rendu est disponible — Hôpital Saint-Éloi');
    expect(mail.text).toContain('un nouveau document a été ajouté');
    expect(mail.html).toContain('<p>Bonjour Alice,</p>');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ filename: 'compte-rendu.pdf', contentType: 'application/pdf' });
    expect(mail.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(mail.raw.toString('latin1')).toMatch(/^Content-Type: multipart\/mixed/m);
    expect(mail.user).toBeUndefined();
    expect(sink.messages).toEqual([mail]);
    expect(sink.attempts).toBe(1);
  });

  it('accepts any credentials and records the user name', async () => {
    sink = await startSmtpSink();
    const url = new URL(sink.url);
    url.username = 'carnet';
    url.password = 's3cret';
    await createTransport(url.toString()).sendMail({ from: 'a@carnet.test', to: 'b@example.test', subject: 'auth', text: 'x' });
    expect((await sink.waitFor()).user).toBe('carnet');
  });

  it('answers the first failFirst DATA commands with a temporary failure', async () => {
    sink = await startSmtpSink({ failFirst: 1 });
    const transport = createTransport(sink.url);
    const send = () => transport.sendMail({ from: 'no-reply@carnet.test', to: 'bob@example.test', subject: 'Rappel', text: 'rendez-vous demain' });
    const err = await send().then(
      () => undefined,
      (e: unknown) => e as { responseCode?: number; message: string },
    );
    expect(err?.responseCode).toBe(451);
    expect(err?.message).toMatch(/451/);
    expect(sink.messages).toHaveLength(0);
    await send();
    const mail = await sink.waitFor((m) => m.subject === 'Rappel');
    expect(mail.text.trim()).toBe('rendez-vous demain');
    expect(sink.attempts).toBe(2);
    expect(sink.rejected).toBe(1);
    expect(sink.messages).toHaveLength(1);
  });

  it('waitFor waits for a mail yet to come, and times out with what did arrive', async () => {
    sink = await startSmtpSink();
    const waiting = sink.waitFor((m) => m.subject === 'later', 5_000);
    const transport = createTransport(sink.url);
    await transport.sendMail({ from: 'a@carnet.test', to: 'c@example.test', subject: 'other', text: '1' });
    await transport.sendMail({ from: 'a@carnet.test', to: 'c@example.test', subject: 'later', text: '2' });
    expect((await waiting).text.trim()).toBe('2');
    await expect(sink.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(/no matching mail within 200 ms[\s\S]*"other"/);
    sink.clear();
    expect(sink.messages).toHaveLength(0);
  });
});
