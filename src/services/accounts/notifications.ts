import { uuidv7 } from '../ids.js';
import type { Queryable } from '../../db/index.js';
import { textAsUuid } from '../../db/sql.js';
import { notFound } from '../../errors.js';
import type { Mailer } from '../mail/mailer.js';

/** The notification centre: per profile (patient record), with per-category e-mail preferences. */

export const CATEGORIES = ['account', 'documents', 'messages', 'appointments', 'prevention', 'services'] as const;
export type Category = (typeof CATEGORIES)[number];
/** The categories a person may turn e-mail off for; account notifications are always e-mailed. */
export const PREFERENCE_CATEGORIES = ['documents', 'messages', 'appointments', 'prevention', 'services'] as const;
export type PreferenceCategory = (typeof PREFERENCE_CATEGORIES)[number];

export interface NewNotification {
  patientId: string;
  category: Category;
  type: string;
  params?: Record<string, unknown>;
}

export interface NotificationView {
  id: string;
  category: Category;
  type: string;
  params: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

/**
 * Adds notifications, in the caller's transaction, and queues an e-mail alert (with no health content) to
 * every person who holds the profile and has a verified e-mail, unless their preference for the category is
 * off.
 */
export async function notify(q: Queryable, mailer: Mailer, items: NewNotification[], at: Date): Promise<void> {
  if (items.length === 0) return;
  await q.query(
    `INSERT INTO notification (id, patient_id, category, type, params, created_at)
     SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), unnest($4::text[]), unnest($5::jsonb[]), $6`,
    [
      items.map(() => uuidv7()),
      items.map((n) => n.patientId),
      items.map((n) => n.category),
      items.map((n) => n.type),
      items.map((n) => JSON.stringify(n.params ?? {})),
      at,
    ],
  );
  const { rows } = await q.query<{ patient_id: string; category: string; email: string; self: boolean; given: string | null }>(
    `SELECT n.patient_id, n.category, u.email, l.relation = 'self' AS self, i.first_given_name AS given
       FROM unnest($1::text[], $2::text[]) AS n(patient_id, category)
       JOIN app_user_patient l ON l.patient_id = n.patient_id AND (l.valid_until IS NULL OR l.valid_until > $3)
       JOIN app_user u ON u.id = l.user_id AND u.email IS NOT NULL AND u.email_verified_at IS NOT NULL AND u.disabled_at IS NULL
       LEFT JOIN insured i ON l.relation <> 'self' AND i.id = ${textAsUuid('n.patient_id')}
       LEFT JOIN notification_preference p ON p.patient_id = n.patient_id AND p.category = n.category
      WHERE n.category = 'account' OR COALESCE(p.email, true)`,
    [items.map((n) => n.patientId), items.map((n) => n.category), at],
  );
  await mailer.enqueue(
    q,
    rows.map((r) => ({ to: r.email, template: 'notification' as const, params: { category: r.category, ...(r.self || !r.given ? {} : { profile: r.given }) } })),
  );
}

export async function listNotifications(q: Queryable, patientId: string, limit = 100): Promise<{ items: NotificationView[]; unread: number }> {
  const { rows } = await q.query<{ id: string; category: Category; type: string; params: Record<string, unknown>; created_at: Date; read_at: Date | null; unread: string }>(
    `SELECT id, category, type, params, created_at, read_at,
            (SELECT count(*) FROM notification WHERE patient_id = $1 AND deleted_at IS NULL AND read_at IS NULL) AS unread
       FROM notification WHERE patient_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id LIMIT $2`,
    [patientId, limit],
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      category: r.category,
      type: r.type,
      params: r.params,
      createdAt: new Date(r.created_at).toISOString(),
      readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    })),
    unread: rows.length ? Number(rows[0]!.unread) : 0,
  };
}

export async function unreadCount(q: Queryable, patientId: string): Promise<number> {
  const { rows } = await q.query<{ n: string }>(
    'SELECT count(*) AS n FROM notification WHERE patient_id = $1 AND deleted_at IS NULL AND read_at IS NULL',
    [patientId],
  );
  return Number(rows[0]!.n);
}

export async function markRead(q: Queryable, patientId: string, id: string, at: Date): Promise<void> {
  const { rowCount } = await q.query(
    'UPDATE notification SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND patient_id = $2 AND deleted_at IS NULL',
    [id, patientId, at],
  );
  if (rowCount === 0) throw notFound('No such notification in this profile');
}

export async function deleteNotification(q: Queryable, patientId: string, id: string, at: Date): Promise<void> {
  const { rowCount } = await q.query(
    'UPDATE notification SET deleted_at = $3 WHERE id = $1 AND patient_id = $2 AND deleted_at IS NULL',
    [id, patientId, at],
  );
  if (rowCount === 0) throw notFound('No such notification in this profile');
}

export async function getPreferences(q: Queryable, patientId: string): Promise<Record<PreferenceCategory, boolean>> {
  const { rows } = await q.query<{ category: PreferenceCategory; email: boolean }>(
    'SELECT category, email FROM notification_preference WHERE patient_id = $1',
    [patientId],
  );
  const prefs = Object.fromEntries(PREFERENCE_CATEGORIES.map((c) => [c, true])) as Record<PreferenceCategory, boolean>;
  for (const r of rows) if (r.category in prefs) prefs[r.category] = r.email;
  return prefs;
}

export async function setPreferences(q: Queryable, patientId: string, prefs: Partial<Record<PreferenceCategory, boolean>>): Promise<void> {
  const entries = Object.entries(prefs).filter(([c]) => (PREFERENCE_CATEGORIES as readonly string[]).includes(c));
  if (entries.length === 0) return;
  await q.query(
    `INSERT INTO notification_preference (patient_id, category, email)
     SELECT $1, unnest($2::text[]), unnest($3::boolean[])
     ON CONFLICT (patient_id, category) DO UPDATE SET email = EXCLUDED.email`,
    [patientId, entries.map(([c]) => c), entries.map(([, v]) => v)],
  );
}
