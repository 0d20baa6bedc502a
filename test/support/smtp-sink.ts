import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * A real SMTP peer for tests: an `smtp-server` on 127.0.0.1 (a free port), plain text (no STARTTLS, no
 * TLS), authentication optional (any credentials are accepted and recorded). Every accepted message is
 * parsed with mailparser and kept, in arrival order, in `messages`.
 *
 *   const smtp = await startSmtpSink();
 *   // configure Carnet with smtp.url, trigger a mail...
 *   const mail = await smtp.waitFor((m) => m.to.includes('alice@example.test'));
 *   await smtp.close();
 */

export interface ReceivedAttachment {
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

export interface ReceivedMail {
  /** The From header's address (e.g. `no-reply@carnet.test`), or the envelope sender when there is none. */
  from: string;
  /** The envelope recipients (RCPT TO), i.e. every address the message was delivered to, Bcc included. */
  to: string[];
  /** The envelope as the client gave it. */
  envelope: { from: string; to: string[] };
  subject: string;
  text: string;
  html?: string;
  attachments: ReceivedAttachment[];
  /** The message as it went over the wire (headers and body). */
  raw: Buffer;
  /** The user name the client authenticated as, if it did. */
  user?: string;
  /** Everything mailparser found (headers, cc, replyTo, messageId...). */
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`: for nodemailer's createTransport, or Carnet's SMTP setting. */
  url: string;
  port: number;
  /** Accepted messages, in arrival order. */
  messages: ReceivedMail[];
  /** How many DATA commands were received, including those answered with the injected failures. */
  readonly attempts: number;
  /** How many DATA commands were answered 451 because of `failFirst`. */
  readonly rejected: number;
  /**
   * The first message (already received or yet to come) matching `predicate`; rejects after `timeoutMs`
   * with the list of what did arrive.
   */
  waitFor(predicate?: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Forgets the received messages (the counters are kept). */
  clear(): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** The first `failFirst` DATA commands are answered `451 4.3.0` (a temporary failure), to test retries. */
  failFirst?: number;
}

function headerAddress(a: AddressObject | AddressObject[] | undefined): string | undefined {
  const first = Array.isArray(a) ? a[0] : a;
  return first?.value[0]?.address ?? undefined;
}

function describe(m: ReceivedMail): string {
  return `  - to ${m.to.join(', ')}: ${JSON.stringify(m.subject)}`;
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  let attempts = 0;
  let rejected = 0;
  let failuresLeft = opts.failFirst ?? 0;

  const keep = (mail: ReceivedMail) => {
    messages.push(mail);
    for (const w of [...waiters]) w();
  };

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) => {
    attempts++;
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        rejected++;
        callback(Object.assign(new Error('Temporary failure, try again later (injected by the test SMTP sink)'), { responseCode: 451 }));
        return;
      }
      const raw = Buffer.concat(chunks);
      const mailFrom = session.envelope.mailFrom;
      const envelope = {
        from: mailFrom ? mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
      };
      simpleParser(raw).then(
        (parsed) => {
          const mail: ReceivedMail = {
            from: headerAddress(parsed.from) ?? envelope.from,
            to: envelope.to,
            envelope,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
            attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
            raw,
            ...(session.user !== undefined ? { user: String(session.user) } : {}),
            parsed,
          };
          keep(mail);
          callback();
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    });
  };

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    banner: 'Carnet test SMTP sink',
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? auth.method });
    },
    onData,
  });
  server.on('error', () => undefined); // a client's broken connection must not crash the test run

  const port = await new Promise<number>((resolve, reject) => {
    const net = server.listen(0, '127.0.0.1', () => resolve((net.address() as AddressInfo).port));
    net.once('error', reject);
  });

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    get attempts() {
      return attempts;
    },
    get rejected() {
      return rejected;
    },
    waitFor(predicate = () => true, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const check = () => {
          const m = messages.find(predicate);
          if (!m) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = messages.length ? messages.map(describe).join('\n') : '  (none)';
          reject(new Error(`no matching mail within ${timeoutMs} ms (${attempts} DATA command(s), ${rejected} rejected); received:\n${seen}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
