import { createHash, randomBytes } from 'node:crypto';
import { agendaCalendar, feedWindow, fhirInstant, type AgendaFeed } from '../../domain/agenda/index.js';
import { AppError, refusal } from '../../errors.js';
import { loadPrincipalCached, makeContext, type RequestContext } from '../../repo/index.js';
import { uuidv7, isUuid } from '../ids.js';
import type { ProfileDeps } from '../profile/deps.js';
import { searchAppointments } from './entries.js';
import { reminderMinutesOf } from './reminders.js';

/**
 * The private iCalendar feeds of an agenda (docs/agenda.md). The URL's token is a bearer secret: 32 random
 * bytes, given once; only its SHA-256 is kept. The feed is read through the repository as the account that
 * created it, with that account's links as they are at each fetch: a carer whose delegation ended, or a
 * closed account, gets nothing more, and every fetch is in the patient's access history like any read.
 */

type Json = Record<string, unknown>;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

interface FeedRow {
  id: string;
  patient_id: string;
  user_id: string;
  label: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const view = (r: FeedRow): AgendaFeed => ({
  id: r.id,
  label: r.label,
  createdAt: new Date(r.created_at).toISOString(),
  ...(r.last_used_at ? { lastUsedAt: new Date(r.last_used_at).toISOString() } : {}),
  ...(r.revoked_at ? { revokedAt: new Date(r.revoked_at).toISOString() } : {}),
});

/** The feed URL of a token. */
export const feedUrl = (baseUrl: string, token: string): string => `${baseUrl.replace(/\/+$/, '')}/agenda/${token}.ics`;

export async function createFeed(deps: ProfileDeps, ctx: RequestContext, patientId: string, label: string): Promise<AgendaFeed & { url: string }> {
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const { rows } = await deps.db.query<FeedRow>(
    `INSERT INTO agenda_feed (id, patient_id, user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, patient_id, user_id, label, created_at, last_used_at, revoked_at`,
    [uuidv7(now.getTime()), patientId, ctx.principal.userId, tokenHash(token), label, now],
  );
  return { ...view(rows[0]!), url: feedUrl(deps.baseUrl, token) };
}

export async function listFeeds(deps: ProfileDeps, patientId: string): Promise<{ feeds: AgendaFeed[] }> {
  const { rows } = await deps.db.query<FeedRow>(
    'SELECT id, patient_id, user_id, label, created_at, last_used_at, revoked_at FROM agenda_feed WHERE patient_id = $1 ORDER BY created_at DESC, id',
    [patientId],
  );
  return { feeds: rows.map(view) };
}

/** Revokes a feed of the profile (again: nothing more); 404 agenda.feed-not-found for another's. */
export async function revokeFeed(deps: ProfileDeps, patientId: string, id: string): Promise<void> {
  const notFound = () => refusal(404, 'agenda.feed-not-found', `No calendar link ${id} in this profile`);
  if (!isUuid(id)) throw notFound();
  const { rowCount } = await deps.db.query('UPDATE agenda_feed SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND patient_id = $2', [id, patientId, deps.clock.now()]);
  if (!rowCount) throw notFound();
}

/**
 * The calendar of a feed token: 404 agenda.feed-unknown, 410 agenda.feed-revoked naming the token, 403
 * agenda.feed-forbidden when the account that made the link no longer holds the profile (the repository
 * audits that refusal in the record).
 */
export async function feedCalendar(deps: ProfileDeps, token: string, request: { requestId: string; source?: string }): Promise<string> {
  const unknown = () => refusal(404, 'agenda.feed-unknown', 'No calendar at this address: the link is wrong, or incomplete');
  if (!TOKEN.test(token)) throw unknown();
  const { rows } = await deps.db.query<FeedRow>(
    'SELECT id, patient_id, user_id, label, created_at, last_used_at, revoked_at FROM agenda_feed WHERE token_hash = $1',
    [tokenHash(token)],
  );
  const feed = rows[0];
  if (!feed) throw unknown();
  if (feed.revoked_at) {
    throw new AppError(410, 'business-rule', `token: the calendar link ${token} was revoked on ${fhirInstant(new Date(feed.revoked_at))}: create a new link in Carnet's agenda`, ['token']).withCode('agenda.feed-revoked');
  }
  const now = deps.clock.now();
  const forbidden = () => refusal(403, 'agenda.feed-forbidden', 'The account that created this calendar link no longer has access to this profile');
  const principal = await loadPrincipalCached(deps.db, feed.user_id, now);
  if (!principal) throw forbidden();
  // the feed reads one record: the account's link to it as it is today, or none (and the repository refuses)
  const link = principal.represents.find((r) => r.patientId === feed.patient_id);
  const ctx = makeContext({ ...principal, represents: link ? [link] : [] }, { requestId: request.requestId, ...(request.source ? { source: request.source } : {}), now: () => now });
  const window = feedWindow(now);
  const alarmMinutes = await reminderMinutesOf(deps.db, feed.patient_id);
  const { appointments, givenName } = await deps.repo
    .run(
      ctx,
      async (ops) => {
        const appointments = await searchAppointments(ops, deps.fhirBase, feed.patient_id, [['date', `ge${fhirInstant(window.from)}`], ['date', `le${fhirInstant(window.to)}`]], 'date', 5000);
        const patient = JSON.parse((await ops.read('Patient', feed.patient_id)).content!) as Json;
        const name = ((patient.name as Json[] | undefined) ?? [])[0] as { given?: string[]; text?: string } | undefined;
        return { appointments, givenName: name?.given?.[0] ?? name?.text };
      },
      { readOnly: true },
    )
    .catch((err: unknown) => {
      if (err instanceof AppError && err.status === 403) throw forbidden();
      throw err;
    });
  await deps.db.query('UPDATE agenda_feed SET last_used_at = $2 WHERE id = $1', [feed.id, now]);
  return agendaCalendar(appointments, {
    host: new URL(deps.baseUrl).host,
    alarmMinutes,
    now,
    name: givenName ? `Agenda santé de ${givenName} (${deps.operatorName})` : `Agenda santé (${deps.operatorName})`,
    // the version of the feed's format, not of Carnet
    version: '1.0',
  });
}
