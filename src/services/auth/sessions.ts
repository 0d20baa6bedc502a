import type { Db, Queryable } from '../../db/index.js';
import type { Practice } from '../../domain/access/index.js';
import { unauthorized } from '../../errors.js';

/**
 * Web sessions: one per OpenID Connect grant (app_session). A session ends when its holder signs out, or by
 * itself after SESSION_IDLE_MINUTES without a request. `last_seen_at` is written at most once a minute, and a
 * session checked in the last few seconds is not read again (a sign-out on another node is seen within
 * RECHECK_MS).
 */
const TOUCH_MS = 60_000;
const RECHECK_MS = 3_000;
const checked = new Map<string, { until: number; lastSeen: number; practice: Practice | undefined }>();

/** What a live session says about its holder: the practice situation a professional chose at sign-in. */
export interface SessionInfo {
  practice?: Practice;
}

/** app_session.practice, when it has the shape of a Practice (written by the professional sign-in). */
function practiceOf(value: unknown): Practice | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const p = value as Record<string, unknown>;
  if (typeof p.roleId !== 'string' || typeof p.practitionerId !== 'string' || typeof p.professionCode !== 'string') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (typeof v === 'string') out[k] = v;
  return out as unknown as Practice;
}

export const sessionExpired = () => unauthorized('The session has ended: sign in again').withCode('session.expired');

export async function createSession(q: Queryable, sid: string, userId: string, now: Date): Promise<void> {
  await q.query('INSERT INTO app_session (id, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3) ON CONFLICT (id) DO NOTHING', [sid, userId, now]);
}

/** Checks that the session is open and not idle (401 otherwise); returns what it holds (one query). */
export async function checkSession(db: Db, sid: string, userId: string, now: Date, idleMinutes: number): Promise<SessionInfo> {
  const hit = checked.get(sid);
  const t = now.getTime();
  // a recent check answers only while the activity needs no new write (Carnet's clock may also jump)
  if (hit && hit.until > Date.now() && t - hit.lastSeen < Math.min(TOUCH_MS, idleMinutes * 60_000)) return hit.practice ? { practice: hit.practice } : {};
  const { rows } = await db.query<{ user_id: string; last_seen_at: Date; ended_at: Date | null; practice: unknown }>(
    'SELECT user_id, last_seen_at, ended_at, practice FROM app_session WHERE id = $1',
    [sid],
  );
  const s = rows[0];
  if (!s || s.ended_at || s.user_id !== userId) throw sessionExpired();
  const lastSeen = new Date(s.last_seen_at).getTime();
  if (t - lastSeen > idleMinutes * 60_000) {
    await db.query('UPDATE app_session SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL', [sid, now]);
    checked.delete(sid);
    throw sessionExpired();
  }
  let seen = lastSeen;
  if (t - lastSeen > TOUCH_MS) {
    await db.query('UPDATE app_session SET last_seen_at = $2 WHERE id = $1', [sid, now]);
    seen = t;
  }
  const practice = practiceOf(s.practice);
  if (checked.size > 50_000) checked.clear();
  checked.set(sid, { until: Date.now() + RECHECK_MS, lastSeen: seen, practice });
  return practice ? { practice } : {};
}

/** Ends a session (sign-out, closure of the profile): its tokens stop working at once on this node. */
export async function endSessions(q: Queryable, where: { sid?: string; userId?: string; except?: string }, now: Date): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `UPDATE app_session SET ended_at = $3 WHERE ended_at IS NULL AND (id = $1 OR user_id = $2) AND id IS DISTINCT FROM $4 RETURNING id`,
    [where.sid ?? null, where.userId ?? null, now, where.except ?? null],
  );
  // the provider's grants and tokens of those sessions go too
  const ids = [...rows.map((r) => r.id), ...(where.sid ? [where.sid] : [])];
  if (ids.length) await q.query(`DELETE FROM oidc_model WHERE grant_id = ANY($1) OR (model = 'Grant' AND id = ANY($1))`, [ids]);
  for (const r of rows) checked.delete(r.id);
  if (where.sid) checked.delete(where.sid);
  return rows.map((r) => r.id);
}
