import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { SYSTEM } from '../../domain/access/index.js';
import { checkAttachments, domainOf, isAddress, LIMITS, mimeProblem, normalizeAddress, patientDomain, readMssHeaders, writeMssHeaders, type MssHeaders } from '../../domain/messaging/index.js';
import { AppError } from '../../errors.js';
import { makeContext } from '../../repo/index.js';
import type { RelayedMessage } from '../mail/mailer.js';
import { verifyCredential } from './credentials.js';
import { selfSignedCertificate } from './tls-certificate.js';
import { bareMessageId, deliverToPatient, newMessageId, refusalOf, type IncomingAttachment, type IncomingMail } from './deliver.js';
import type { MessagingDeps } from './deps.js';
import { patientMailbox, proMailbox } from './mailboxes.js';

/**
 * The SMTP gateway (issue 7 item 3, docs/messaging-smtp.md): STARTTLS, authenticated submission for
 * professionals' clients, inbound relay from the trusted operators' domains, MSSanté headers, IHE XDM, limits
 * and bounces. Never an open relay: without authentication only the white list's domains write, and only to
 * patients' mailboxes.
 */

/** An SMTP reply: the basic code, the enhanced status code (RFC 3463) and a human reason. */
export interface SmtpReply {
  code: number;
  status: string;
  text: string;
}

const reply = (code: number, status: string, text: string): SmtpReply => ({ code, status, text });

/** An error smtp-server turns into the reply (it adds no enhanced code of its own: they are in the text). */
function smtpError(r: SmtpReply): Error {
  return Object.assign(new Error(`${r.status} ${r.text}`), { responseCode: r.code });
}

/** The reply an error of the delivery gets; `transient` ones are 4xx, which the sender retries. */
export function replyFor(err: unknown): SmtpReply & { transient: boolean } {
  const e = err instanceof AppError ? err : undefined;
  const permanent = (code: number, status: string, text: string) => ({ ...reply(code, status, text), transient: false });
  switch (e?.code) {
    case 'messages.unknown-recipient':
      return permanent(550, '5.1.1', `${e.message}: unknown recipient`);
    case 'messages.profile-closed':
      return permanent(550, '5.2.1', e.message);
    case 'messages.quota-exceeded':
      return permanent(552, '5.2.2', e.message);
    case 'messages.attachments-too-large':
    case 'messages.too-many-attachments':
    case 'blob.too-large':
      return permanent(552, '5.3.4', e.message);
    case 'messages.xdm-patient-mismatch':
    case 'messages.patient-cannot-start':
      return permanent(550, '5.7.1', e.message);
    case 'messages.xdm-invalid':
      return permanent(554, '5.6.0', e.message);
    default:
      return { ...reply(451, '4.3.0', 'Temporary local problem: please try again later'), transient: true };
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** Failed authentications from one address before it waits (per LOCK_MS). */
const AUTH_FAILURES_BEFORE_LOCK = 10;
const LOCK_MS = 15 * 60_000;

interface Outcome {
  address: string;
  reply?: SmtpReply & { transient: boolean };
}

function addresses(a: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  const out: { address: string; name: string }[] = [];
  const walk = (values: AddressObject['value']) => {
    for (const v of values) {
      if (v.address) out.push({ address: v.address, name: v.name });
      if (v.group) walk(v.group);
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

function headerGetter(parsed: ParsedMail): (name: string) => string | undefined {
  return (name) => {
    const v = parsed.headers.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(String).join(',');
    if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
    return String(v);
  };
}

/**
 * The SMTP gateway. One instance per process; `listen` starts it (cli serve, tests) and `close` stops it.
 */
export class SmtpGateway {
  #server: SMTPServer | undefined;
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(
    readonly deps: MessagingDeps,
    readonly log: { info(obj: unknown, msg: string): void; warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void },
  ) {}

  /** Starts listening; resolves with the port (0 picks a free one). */
  async listen(port: number, host: string): Promise<number> {
    if (this.#server) throw new Error('The SMTP gateway is listening already');
    const server = new SMTPServer({
      name: `smtp.${this.deps.config.domain}`,
      banner: 'Carnet MSSanté gateway',
      secure: false,
      ...this.tls(),
      size: LIMITS.maxMessageBytes,
      authMethods: ['PLAIN', 'LOGIN'],
      authOptional: true,
      // AUTH is refused in onAuth before STARTTLS, except from loopback (a local client or the tests)
      allowInsecureAuth: true,
      hideENHANCEDSTATUSCODES: true,
      disableReverseLookup: true,
      logger: false,
      maxClients: 500,
      socketTimeout: 120_000,
      closeTimeout: 2_000,
      onAuth: (auth, session, callback) => {
        this.authenticate(auth, session).then(
          (user) => callback(null, { user }),
          (err: Error) => callback(err),
        );
      },
      onMailFrom: (address, session, callback) => {
        try {
          this.mailFrom(address, session);
          callback();
        } catch (err) {
          callback(err as Error);
        }
      },
      onRcptTo: (address, session, callback) => {
        this.rcptTo(address, session).then(
          () => callback(),
          (err: Error) => callback(err),
        );
      },
      onData: (stream, session, callback) => this.data(stream, session, callback),
    });
    server.on('error', (err) => this.log.warn({ err: (err as Error).message }, 'smtp: connection error'));
    this.#server = server;
    return new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => {
        this.#server = undefined;
        reject(err);
      };
      server.server.once('error', onError);
      server.listen(port, host, () => {
        server.server.off('error', onError);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server || !server.server.listening) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The configured PEM files, or a self-signed certificate made now. */
  private tls(): { key: string | Buffer; cert: string | Buffer } {
    const c = this.deps.config;
    if (c.tlsCertFile && c.tlsKeyFile) return { key: fs.readFileSync(c.tlsKeyFile), cert: fs.readFileSync(c.tlsCertFile) };
    return selfSignedCertificate(`smtp.${c.domain}`, ['localhost', '127.0.0.1']);
  }

  private trusted(address: string): boolean {
    const d = domainOf(address);
    return this.deps.config.trustedDomains.some((t) => d === t || d.endsWith(`.${t}`));
  }

  private async authenticate(auth: SMTPServerAuthentication, session: SMTPServerSession): Promise<string> {
    if (!session.secure && !LOOPBACK.test(session.remoteAddress)) {
      throw smtpError(reply(538, '5.7.11', 'Encryption required: send STARTTLS before AUTH'));
    }
    const now = Date.now();
    const f = this.#failures.get(session.remoteAddress);
    if (f && now - f.since > LOCK_MS) this.#failures.delete(session.remoteAddress);
    else if (f && f.count >= AUTH_FAILURES_BEFORE_LOCK) {
      throw smtpError(reply(454, '4.7.0', 'Too many failed authentications from this address: try again later'));
    }
    const username = auth.username ?? '';
    let found: Awaited<ReturnType<typeof verifyCredential>>;
    try {
      found = isAddress(username.trim()) ? await verifyCredential(this.deps.db, username, auth.password ?? '', this.deps.clock.now()) : undefined;
    } catch (err) {
      this.log.error({ err }, 'smtp: authentication failed on an internal error');
      throw smtpError(reply(454, '4.7.0', 'Temporary authentication failure: try again later'));
    }
    if (!found) {
      const entry = this.#failures.get(session.remoteAddress) ?? { count: 0, since: now };
      entry.count++;
      this.#failures.set(session.remoteAddress, entry);
      if (this.#failures.size > 10_000) this.#failures.clear();
      throw smtpError(reply(535, '5.7.8', 'Authentication failed: wrong mailbox address or password'));
    }
    this.#failures.delete(session.remoteAddress);
    return found.mailbox.address;
  }

  private mailFrom(address: SMTPServerAddress, session: SMTPServerSession): void {
    const from = normalizeAddress(address.address);
    if (session.user) {
      if (from !== session.user) throw smtpError(reply(553, '5.7.1', `Sender address rejected: you are authenticated as ${session.user} and send as that mailbox only`));
      return;
    }
    if (from !== '' && !isAddress(from)) throw smtpError(reply(553, '5.1.7', 'Invalid sender address'));
  }

  private async rcptTo(address: SMTPServerAddress, session: SMTPServerSession): Promise<void> {
    const to = normalizeAddress(address.address);
    if (session.envelope.rcptTo.length >= LIMITS.maxRecipients) {
      throw smtpError(reply(452, '4.5.3', `Too many recipients: at most ${LIMITS.maxRecipients} per message`));
    }
    const from = session.envelope.mailFrom ? normalizeAddress(session.envelope.mailFrom.address) : '';
    const authenticated = !!session.user;
    const toPatient = domainOf(to) === patientDomain(this.deps.config.domain);
    if (!authenticated && (!toPatient || !from || !this.trusted(from))) {
      throw smtpError(
        reply(
          550,
          '5.7.1',
          toPatient
            ? `Relay denied: ${from ? `the domain ${domainOf(from)} is not` : 'a sender without address is not'} on the trust list; authenticate to send`
            : 'Relay denied: authenticate to send to this address',
        ),
      );
    }
    if (!isAddress(to)) throw smtpError(reply(553, '5.1.3', 'Invalid recipient address'));
    if (!toPatient) return; // an authenticated professional's mail to another mailbox: relayed
    let refused: AppError | undefined;
    try {
      refused = refusalOf(await patientMailbox(this.deps.db, to, this.deps.config.domain));
    } catch (err) {
      this.log.error({ err }, 'smtp: recipient check failed');
      throw smtpError(reply(451, '4.3.0', 'Temporary local problem checking the recipient: please try again later'));
    }
    if (refused) throw smtpError(replyFor(refused));
  }

  private data(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= LIMITS.maxMessageBytes) chunks.push(c);
    });
    stream.on('error', (err) => callback(err));
    stream.on('end', () => {
      if (stream.sizeExceeded || size > LIMITS.maxMessageBytes) {
        callback(smtpError(reply(552, '5.3.4', `Message too large: at most ${LIMITS.maxMessageBytes} bytes`)));
        return;
      }
      this.receive(Buffer.concat(chunks), session).then(
        (message) => callback(null, message),
        (err: unknown) => {
          if (err instanceof Error && 'responseCode' in err) return callback(err);
          this.log.error({ err }, 'smtp: message not processed');
          callback(smtpError(reply(451, '4.3.0', 'Temporary local problem: please try again later')));
        },
      );
    });
  }

  /** Delivers a message to its patients and relays it to the other recipients; the 250 text, or throws a reply. */
  private async receive(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const deps = this.deps;
    const malformed = mimeProblem(raw);
    if (malformed) throw smtpError(reply(554, '5.6.0', malformed));
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw, { skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
    } catch {
      throw smtpError(reply(554, '5.6.0', 'The message cannot be parsed'));
    }
    const envelopeFrom = session.envelope.mailFrom ? normalizeAddress(session.envelope.mailFrom.address) : '';
    const header = addresses(parsed.from)[0];
    const fromAddress = header ? normalizeAddress(header.address) : envelopeFrom;
    if (session.user) {
      if (fromAddress !== session.user) throw smtpError(reply(553, '5.7.1', `From: ${fromAddress} is not your mailbox ${session.user}`));
    } else if (!fromAddress || !this.trusted(fromAddress)) {
      throw smtpError(reply(550, '5.7.1', 'The From address is not in a domain of the trust list'));
    }
    const mss = readMssHeaders(headerGetter(parsed));
    if (mss.problems.length) this.log.warn({ problems: mss.problems, from: fromAddress }, 'smtp: MSSanté headers with problems');
    const recipients = session.envelope.rcptTo.map((r) => normalizeAddress(r.address));
    const to = addresses(parsed.to).map((a) => normalizeAddress(a.address));
    const cc = addresses(parsed.cc).map((a) => normalizeAddress(a.address));
    const attachments: IncomingAttachment[] = parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType || 'application/octet-stream', content: a.content }));
    // a message without Message-ID gets one from its bytes: a sender's retry is then recognised as the same
    const messageId = bareMessageId(parsed.messageId) ?? `${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@${deps.config.domain}`;
    const references = typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []);
    const mail: IncomingMail = {
      messageId,
      from: { address: fromAddress, ...(header?.name ? { name: header.name } : {}) },
      to: to.length || cc.length ? to : recipients,
      cc,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
      references,
      mss,
      attachments,
    };
    const patientDomainName = patientDomain(deps.config.domain);
    const local = recipients.filter((r) => domainOf(r) === patientDomainName);
    const remote = recipients.filter((r) => domainOf(r) !== patientDomainName);
    // what would stop the relay is refused before any patient gets the message
    if (remote.length) {
      const check = checkAttachments(attachments.map((a) => ({ bytes: a.content.length })), Number.POSITIVE_INFINITY);
      if (!check.ok) throw smtpError(reply(552, '5.3.4', check.reason));
    }
    const sender = await proMailbox(deps.db, fromAddress);
    const ctx = makeContext(SYSTEM, { now: () => deps.clock.now(), ...(session.remoteAddress ? { source: session.remoteAddress } : {}) });

    const outcomes: Outcome[] = [];
    for (const address of local) {
      try {
        const recipient = await patientMailbox(deps.db, address, deps.config.domain);
        const refused = refusalOf(recipient);
        if (refused) throw refused;
        const d = await deliverToPatient(deps, ctx, recipient!, mail, sender);
        this.log.info({ messageId, communication: d.communicationId, duplicate: d.duplicate }, 'smtp: message delivered to a patient mailbox');
        outcomes.push({ address });
      } catch (err) {
        const r = replyFor(err);
        if (r.transient) this.log.error({ err, messageId }, 'smtp: delivery to a patient mailbox failed');
        outcomes.push({ address, reply: r });
      }
    }
    // a temporary failure: the whole message is retried by the sender (what was delivered is recognised then)
    const transient = outcomes.find((o) => o.reply?.transient);
    if (transient) throw smtpError(transient.reply!);
    const failed = outcomes.filter((o) => o.reply);
    if (failed.length === recipients.length) throw smtpError(failed[0]!.reply!);

    if (remote.length) await this.relay(mail, remote, attachments, session.user!);
    if (failed.length && envelopeFrom) await this.bounce(envelopeFrom, mail, failed);
    return `2.6.0 Message accepted${failed.length ? ` for ${recipients.length - failed.length} of ${recipients.length} recipients: a report follows` : ''} <${messageId}>`;
  }

  /** Queues an authenticated professional's message to the mailboxes outside Carnet. */
  private async relay(mail: IncomingMail, remote: string[], attachments: IncomingAttachment[], from: string): Promise<void> {
    // a sender's retry (after a temporary failure of this message) is relayed once
    const queued = await this.deps.db.query(`SELECT 1 FROM mail_outbox WHERE template = 'mss-relay' AND params->>'messageId' = $1 AND params->>'from' = $2 LIMIT 1`, [mail.messageId, from]);
    if (queued.rows.length) return;
    const stored = [];
    for (const a of attachments) {
      const blob = await this.deps.blobs.put(a.content, { maxBytes: LIMITS.maxAttachmentBytes });
      stored.push({ filename: (a.filename ?? 'piece-jointe').slice(0, 200), contentType: a.contentType.slice(0, 200), key: blob.key });
    }
    const message: RelayedMessage = {
      from,
      ...(mail.from.name ? { fromName: mail.from.name.slice(0, 200) } : {}),
      to: remote.filter((r) => !mail.cc.includes(r)),
      cc: remote.filter((r) => mail.cc.includes(r)),
      subject: mail.subject.slice(0, LIMITS.subjectMaxLength),
      text: mail.text.slice(0, LIMITS.bodyMaxLength),
      messageId: mail.messageId!,
      ...(mail.inReplyTo && bareMessageId(mail.inReplyTo) ? { inReplyTo: bareMessageId(mail.inReplyTo)! } : {}),
      references: mail.references.map((r) => bareMessageId(r)).filter((r): r is string => !!r),
      headers: mssHeadersOut(mail.mss, this.deps.config.nil),
      attachments: stored,
    };
    await this.deps.mailer.enqueueMessage(this.deps.db, message);
    this.log.info({ messageId: mail.messageId, recipients: remote.length }, 'smtp: message queued for relaying');
  }

  /** A delivery report (RFC 3464 in spirit, as plain text) to the sender for the recipients that failed. */
  private async bounce(to: string, mail: IncomingMail, failed: Outcome[]): Promise<void> {
    const domain = this.deps.config.domain;
    const lines = [
      'Votre message n’a pas pu être remis à tous ses destinataires.',
      'Your message could not be delivered to some of its recipients.',
      '',
      `Message-ID: <${mail.messageId}>`,
      `Reporting-MTA: dns; smtp.${domain}`,
      '',
      ...failed.flatMap((f) => [
        `Final-Recipient: rfc822; ${f.address}`,
        'Action: failed',
        `Status: ${f.reply!.status}`,
        `Diagnostic-Code: smtp; ${f.reply!.code} ${f.reply!.status} ${f.reply!.text}`,
        '',
      ]),
    ];
    await this.deps.mailer.enqueueMessage(this.deps.db, {
      from: `mailer-daemon@${domain}`,
      envelopeFrom: '',
      fromName: 'Carnet (messagerie sécurisée)',
      to: [to],
      cc: [],
      subject: `Non remis / Undelivered: ${mail.subject}`.slice(0, LIMITS.subjectMaxLength),
      text: lines.join('\n'),
      messageId: newMessageId(domain),
      inReplyTo: mail.messageId!,
      references: [mail.messageId!],
      headers: { 'Auto-Submitted': 'auto-replied', ...writeMssHeaders({ nil: this.deps.config.nil }) },
      attachments: [],
    });
    this.log.info({ messageId: mail.messageId, failed: failed.length }, 'smtp: delivery report queued');
  }
}

/** The MSSanté headers a relayed message keeps (the sending software's X-MSS-NIL, or Carnet's). */
function mssHeadersOut(mss: MssHeaders, nil: string): Record<string, string> {
  return writeMssHeaders({ nil: mss.nil ?? nil, ends: mss.ends, cdaCodes: mss.cdaCodes, ...(mss.qualifiedIns !== undefined ? { qualifiedIns: mss.qualifiedIns } : {}) });
}
