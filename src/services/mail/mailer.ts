import { uuidv7 } from '../ids.js';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db, Queryable, Statement } from '../../db/index.js';
import type { Clock } from '../clock.js';
import { renderMail, type TemplateName } from './templates.js';

export interface OutgoingMail {
  to: string;
  template: TemplateName;
  params: Record<string, unknown>;
}

export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  text: string;
  template: string;
  createdAt: string;
  attempts: number;
  status: 'sent' | 'pending' | 'failed' | 'not-delivered';
  lastError?: string;
}

/** A secure message relayed to another operator's mailbox (services/messaging). */
export interface RelayedMessage {
  from: string;
  /** The envelope sender when it is not `from`: '' for a delivery report (MAIL FROM:<>, RFC 5321 §4.5.5). */
  envelopeFrom?: string;
  fromName?: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** Without the angle brackets. */
  messageId: string;
  inReplyTo?: string;
  references: string[];
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; key: string }[];
  /** The patient whose mailbox sent it (told if it cannot be delivered). */
  patientId?: string;
}

/**
 * What the outbox keeps of a mail once it is sent or given up: nothing of a one-time code, and of a relayed
 * secure message only whose it was and to whom (its subject, text and attachments are health data).
 */
const KEPT_PARAMS = `CASE WHEN template = 'mss-relay' THEN jsonb_build_object('patientId', params->'patientId', 'from', params->'from', 'to', params->'to', 'messageId', params->'messageId') ELSE params - 'code' END`;

/** After this many failed attempts a mail is given up (about 2 days of retries). */
const MAX_ATTEMPTS = 10;

/**
 * Outgoing e-mail through a durable outbox: a mail is a row written in the same transaction as the change
 * that causes it, and `deliverDue` sends what is due over SMTP, retrying with a growing delay. Without
 * SMTP_URL nothing is delivered and the outbox is only the demo mail catcher.
 */
export class Mailer {
  readonly delivers: boolean;
  #transport: Transporter | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly opts: { smtpUrl: string | undefined; from: string; operatorName: string; baseUrl: string },
  ) {
    this.delivers = opts.smtpUrl !== undefined;
  }

  /** Told when a mail is given up after its last attempt (an undeliverable notice falls back to a letter). */
  onGiveUp: ((template: string, params: Record<string, unknown>) => Promise<void>) | undefined;

  /** Reads an attachment's bytes from the BlobStore, for the secure messages relayed (enqueueMessage). */
  blobReader: ((key: string) => Promise<Buffer>) | undefined;

  /** Demo mode: told of each queued mail (the server prints it, so the first one-time code can be read). */
  echo: ((to: string, subject: string) => void) | undefined;

  /** Queues mails, in the caller's transaction. */
  async enqueue(q: Queryable, mails: OutgoingMail | OutgoingMail[]): Promise<void> {
    const list = Array.isArray(mails) ? mails : [mails];
    const st = this.enqueueStatement(list);
    if (st) await q.query(st.text, st.params);
    if (this.echo && list.length <= 10) {
      for (const m of list) this.echo(m.to, this.render(m.template, { baseUrl: this.opts.baseUrl, ...m.params }).subject);
    }
  }

  /**
   * Queues a secure message for relaying over SMTP (a patient's reply to a professional's mailbox), in the
   * caller's transaction. Its attachments are named by BlobStore key and read at delivery. The outbox keeps
   * it like any mail (durable, retried) but never shows its content: operators do not read messages.
   */
  async enqueueMessage(q: Queryable, m: RelayedMessage): Promise<void> {
    const now = this.clock.now();
    await q.query(
      `INSERT INTO mail_outbox (id, to_address, template, params, created_at, next_attempt_at) VALUES ($1, $2, 'mss-relay', $3, $4, $5)`,
      [uuidv7(), [...m.to, ...m.cc].join(', ').slice(0, 1000), JSON.stringify(m), now, this.delivers ? now : null],
    );
  }

  /** One multi-row INSERT for many mails (bulk notices). */
  enqueueStatement(mails: OutgoingMail[]): Statement | undefined {
    if (mails.length === 0) return undefined;
    const now = this.clock.now();
    return {
      text: `INSERT INTO mail_outbox (id, to_address, template, params, created_at, next_attempt_at)
             SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::jsonb[]), $5, $6`,
      params: [
        mails.map(() => uuidv7()),
        mails.map((m) => m.to),
        mails.map((m) => m.template),
        mails.map((m) => JSON.stringify({ baseUrl: this.opts.baseUrl, ...m.params })),
        now,
        this.delivers ? now : null,
      ],
    };
  }

  render(template: string, params: Record<string, unknown>) {
    return renderMail(template, params, this.opts.operatorName);
  }

  /** The outbox, newest first, rendered (the demo mail catcher). */
  async list(limit = 100, to?: string): Promise<OutboxEntry[]> {
    const { rows } = await this.db.query<{
      id: string; to_address: string; template: string; params: Record<string, unknown>; created_at: Date;
      attempts: number; next_attempt_at: Date | null; sent_at: Date | null; last_error: string | null;
    }>(
      `SELECT id, to_address, template, params, created_at, attempts, next_attempt_at, sent_at, last_error
         FROM mail_outbox ${to ? 'WHERE to_address = $2' : ''} ORDER BY created_at DESC, id LIMIT $1`,
      to ? [limit, to] : [limit],
    );
    return rows.map((r) => {
      // a secure message's subject and text are health data: the catcher says only that one was relayed
      const m = r.template === 'mss-relay' ? { subject: 'Message sécurisé relayé', text: '(contenu non affiché)' } : this.render(r.template, r.params);
      return {
        id: r.id,
        to: r.to_address,
        subject: m.subject,
        text: m.text,
        template: r.template,
        createdAt: new Date(r.created_at).toISOString(),
        attempts: r.attempts,
        status: r.sent_at ? 'sent' : r.next_attempt_at ? 'pending' : r.attempts > 0 ? 'failed' : 'not-delivered',
        ...(r.last_error ? { lastError: r.last_error } : {}),
      };
    });
  }

  /** Drops the mails sent or given up more than `days` ago. */
  async purge(days = 90): Promise<number> {
    const { rowCount } = await this.db.query(
      'DELETE FROM mail_outbox WHERE next_attempt_at IS NULL AND created_at < $1',
      [new Date(this.clock.now().getTime() - days * 86_400_000)],
    );
    return rowCount ?? 0;
  }

  /** Sends the mails that are due; each failure is retried later (1, 2, 4 … minutes, at most 6 hours apart). */
  async deliverDue(limit = 200): Promise<{ sent: number; failed: number }> {
    if (!this.delivers) return { sent: 0, failed: 0 };
    this.#transport ??= nodemailer.createTransport(this.opts.smtpUrl!);
    let sent = 0;
    let failed = 0;
    const now = this.clock.now();
    const { rows } = await this.db.query<{ id: string; to_address: string; template: string; params: Record<string, unknown>; attempts: number }>(
      `SELECT id, to_address, template, params, attempts FROM mail_outbox
        WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
      [now, limit],
    );
    for (const r of rows) {
      // claim it, so that another node's delivery run does not send it too
      const claim = await this.db.query(
        `UPDATE mail_outbox SET next_attempt_at = $2 WHERE id = $1 AND next_attempt_at IS NOT NULL AND next_attempt_at <= $3`,
        [r.id, new Date(now.getTime() + 10 * 60_000), now],
      );
      if (claim.rowCount === 0) continue;
      try {
        if (r.template === 'mss-relay') {
          await this.#transport.sendMail(await this.relayed(r.params as unknown as RelayedMessage));
        } else {
          const m = this.render(r.template, r.params);
          await this.#transport.sendMail({ from: this.opts.from, to: r.to_address, subject: m.subject, text: m.text });
        }
        // a code has no business in the database once it is on its way (the outbox keeps the rest)
        await this.db.query(
          `UPDATE mail_outbox SET sent_at = $2, next_attempt_at = NULL, attempts = attempts + 1, last_error = NULL, params = ${KEPT_PARAMS} WHERE id = $1`,
          [r.id, this.clock.now()],
        );
        sent++;
      } catch (err) {
        const attempts = r.attempts + 1;
        const delayMs = Math.min(2 ** (attempts - 1) * 60_000, 6 * 3600_000);
        const next = attempts >= MAX_ATTEMPTS ? null : new Date(this.clock.now().getTime() + delayMs);
        await this.db.query(`UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4, params = CASE WHEN $3::timestamptz IS NULL THEN ${KEPT_PARAMS} ELSE params END WHERE id = $1`, [
          r.id,
          attempts,
          next,
          String((err as Error).message).slice(0, 500),
        ]);
        if (next === null) await this.onGiveUp?.(r.template, r.params);
        failed++;
      }
    }
    return { sent, failed };
  }

  /** The nodemailer message of a relayed secure message, with its attachments read from the BlobStore. */
  private async relayed(m: RelayedMessage) {
    if (m.attachments.length && !this.blobReader) throw new Error('no BlobStore to read the attachments from');
    return {
      envelope: { from: m.envelopeFrom ?? m.from, to: [...m.to, ...m.cc] },
      from: m.fromName ? { name: m.fromName, address: m.from } : m.from,
      to: m.to,
      ...(m.cc.length ? { cc: m.cc } : {}),
      subject: m.subject,
      text: m.text,
      messageId: `<${m.messageId}>`,
      ...(m.inReplyTo ? { inReplyTo: `<${m.inReplyTo}>` } : {}),
      ...(m.references.length ? { references: m.references.map((x) => `<${x}>`) } : {}),
      headers: m.headers,
      attachments: await Promise.all(
        m.attachments.map(async (a) => ({ filename: a.filename, contentType: a.contentType, content: await this.blobReader!(a.key) })),
      ),
    };
  }

  close(): void {
    this.#transport?.close();
  }
}
