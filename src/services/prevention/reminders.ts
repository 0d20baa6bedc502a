import type { PreventionIndicators, PreventionItem, PreventionMark, PreventionType } from '../../contract/prevention.js';
import type { Queryable } from '../../db/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { computePrevention } from '../../domain/prevention/index.js';
import { addDays, dayNumber } from '../../domain/prevention/dates.js';
import type { Calendars, ItemMark, RecordedVaccination } from '../../domain/prevention/types.js';
import { parisToday, type Json } from '../../domain/profile/sections/common.js';
import type { AuditRecord } from '../../repo/audit.js';
import { makeContext, type Repository } from '../../repo/index.js';
import { notify, type NewNotification } from '../accounts/notifications.js';
import type { Mailer } from '../mail/mailer.js';
import { calendars as shippedCalendars } from './calendars.js';
import { recordedVaccination } from './profile-input.js';

/**
 * The daily prevention reminders (docs/prevention.md, "Reminders"). Once a day (Europe/Paris), every profile
 * (insured rows: active profiles, and children's profiles open or active) is computed by the engine, and an
 * item whose window opens within the week is reminded of once per profile, item and window (the
 * prevention_reminder key is the proof). The run is durable and resumable: prevention_run holds one row per
 * day with a cursor (the last insured id done), moved in the transaction that writes the batch's reminders, so
 * a crash or a restart goes on where it stopped and never sends twice.
 *
 * Per batch of profiles (keyset on insured.id), in one unit of work:
 *  1. the profiles (birth date and sex from the insured row) and their marks (one query): the engine, with no
 *     recorded vaccination, finds the candidates: items remindable today and not looked at by an earlier run;
 *  2. the reminders already sent for those candidates (one query) are dropped;
 *  3. when a remaining candidate is a vaccination, the profile's recorded Immunizations are read (one query
 *     for the batch) and the read is audited in each record; those profiles are computed again with them;
 *  4. the reminders are inserted (ON CONFLICT DO NOTHING RETURNING) and only the inserted ones notified;
 *     the cursor and the counters move in the same transaction.
 */

export interface PreventionJobDeps {
  db: Queryable;
  repo: Repository;
  mailer: Mailer;
  /** The calendars (tests may give their own); the shipped ones by default. */
  calendars?: () => Calendars;
}

export interface PreventionBatchOptions {
  /** Profiles per batch (one transaction each). */
  batchSize?: number;
  /** Milliseconds spent per phase, added to (the benchmark's breakdown; see PHASES). */
  timings?: Partial<Record<PreventionPhase, number>>;
}

/**
 * The phases of a batch: reading the run, profiles and marks; the engine's first pass; the reminders already
 * sent; the recorded vaccinations (read, audited, computed again); writing the reminders, notifications, mails
 * and counters; the commit (with the audit records).
 */
export const PHASES = ['read', 'engine', 'sent', 'vaccinations', 'write', 'commit'] as const;
export type PreventionPhase = (typeof PHASES)[number];

export interface PreventionRunOptions extends PreventionBatchOptions {
  /**
   * Stop after this many milliseconds of work (checked between batches); the next tick goes on from the
   * cursor. Keeps one tick of the jobs from holding back the mail and the other jobs for long.
   */
  budgetMs?: number;
}

export interface PreventionBatchReport {
  /** The civil day (Paris) of the run. */
  day: string;
  profiles: number;
  sent: number;
  byType: Record<string, number>;
  /** The run of the day is over (this batch was its last, or it was over already). */
  finished: boolean;
}

export const DEFAULT_BATCH_SIZE = 2_000;
export const DEFAULT_BUDGET_MS = 20_000;

/** A reminder goes out from a week before the window opens... */
export const REMIND_DAYS_BEFORE = 7;
/** ...until 30 days after it opened (or the window's end): catching up days without a run, new profiles. */
export const REMIND_DAYS_AFTER = 30;

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

// ---- pure rules ----

/** The days on which an item may be reminded of: a week before its window opens, until 30 days in (or its end). */
export function reminderPeriod(item: Pick<PreventionItem, 'window'>): { from: string; until: string } {
  const lastCatchUp = addDays(item.window.start, REMIND_DAYS_AFTER);
  return { from: addDays(item.window.start, -REMIND_DAYS_BEFORE), until: item.window.end < lastCatchUp ? item.window.end : lastCatchUp };
}

/** Whether the item may be reminded of on `day`: in its reminder period, and neither done nor marked not done. */
export function remindableOn(item: Pick<PreventionItem, 'window' | 'status'>, day: string): boolean {
  return remindableOnDay(item, dayNumber(day));
}

/** remindableOn with the day as a day number (the job's hot path: no date strings built). */
function remindableOnDay(item: Pick<PreventionItem, 'window' | 'status'>, today: number): boolean {
  if (item.status === 'done' || item.status === 'not-done') return false;
  const start = dayNumber(item.window.start);
  return start - REMIND_DAYS_BEFORE <= today && today <= Math.min(dayNumber(item.window.end), start + REMIND_DAYS_AFTER);
}

/**
 * Whether a run must look at the item: when its reminder period began after the last finished run's day (or
 * there was none), or the profile changed since that run started (activated, reopened, traits corrected).
 * What an earlier run looked at and did not remind of (done, not done) is not read again every day.
 */
export function newSince(item: Pick<PreventionItem, 'window'>, lastRunDay: string | undefined, profileChanged: boolean): boolean {
  return profileChanged || lastRunDay === undefined || dayNumber(item.window.start) - REMIND_DAYS_BEFORE > dayNumber(lastRunDay);
}

/** The notification type of an item's reminder. */
export function reminderType(type: PreventionType): string {
  return `prevention-${type}`;
}

/** The notification of a reminder: params code, title, windowStart, windowEnd (no more health detail). */
export function reminderNotification(patientId: string, item: Pick<PreventionItem, 'code' | 'title' | 'type' | 'window'>): NewNotification {
  return {
    patientId,
    category: 'prevention',
    type: reminderType(item.type),
    params: { code: item.code, title: item.title, windowStart: item.window.start, windowEnd: item.window.end },
  };
}

/** The items of a profile to remind of on `day`, among those a run has not looked at yet. */
export function candidatesOf(items: PreventionItem[], day: string, lastRunDay: string | undefined, profileChanged: boolean): PreventionItem[] {
  const today = dayNumber(day);
  const after = lastRunDay === undefined || profileChanged ? undefined : dayNumber(lastRunDay);
  return items.filter((i) => remindableOnDay(i, today) && (after === undefined || dayNumber(i.window.start) - REMIND_DAYS_BEFORE > after));
}

/** Adds counts by type. */
export function addCounts(into: Record<string, number>, more: Record<string, number>): Record<string, number> {
  const out = { ...into };
  for (const [k, v] of Object.entries(more)) out[k] = (out[k] ?? 0) + v;
  return out;
}

// ---- the job ----

interface ProfileRow {
  id: string;
  birth_date: string;
  sex: 'M' | 'F' | 'I';
  changed: boolean;
}

interface Candidate {
  patientId: string;
  item: PreventionItem;
}

const key = (patientId: string, code: string, windowStart: string) => `${patientId} ${code} ${windowStart}`;

/**
 * One batch of the day's run: the profiles after the cursor, in one unit of work (see above). Creates the
 * day's run when it does not exist. Another node running the same batch waits on the run's row and then goes
 * on from the cursor the first one left.
 */
export async function runPreventionBatch(deps: PreventionJobDeps, now: Date, opts: PreventionBatchOptions = {}): Promise<PreventionBatchReport> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const day = parisToday(now);
  const cals = (deps.calendars ?? shippedCalendars)();
  const ctx = makeContext(SYSTEM, { now: () => now });
  const timings = opts.timings;
  let lapStart = performance.now();
  /** Adds the time since the last phase ended to this one. */
  const lap = (phase: PreventionPhase) => {
    if (!timings) return;
    const t = performance.now();
    timings[phase] = (timings[phase] ?? 0) + (t - lapStart);
    lapStart = t;
  };
  const report = await deps.repo.run(ctx, async (ops) => {
    lapStart = performance.now();
    // 1. the run (locked), the profiles after its cursor, their marks, the candidates
    const first = await ops.withTables(async (q) => {
      await q.query('INSERT INTO prevention_run (day, started_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING', [day, now]);
      const { rows: runs } = await q.query<{ cursor: string | null; finished: boolean; by_type: Record<string, number> }>(
        'SELECT cursor::text AS cursor, finished_at IS NOT NULL AS finished, by_type FROM prevention_run WHERE day = $1 FOR UPDATE',
        [day],
      );
      const run = runs[0]!;
      if (run.finished) return undefined;
      const { rows: last } = await q.query<{ day: string; started_at: Date }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, started_at FROM prevention_run WHERE day < $1 AND finished_at IS NOT NULL ORDER BY day DESC LIMIT 1`,
        [day],
      );
      const lastRun = last[0];
      // ORDER BY insured.id, the uuid (the primary key's order), not the text alias: sorting by the alias made
      // PostgreSQL scan and sort the whole table at every batch (docs/benchmarks.md)
      const { rows: profiles } = await q.query<ProfileRow>(
        `SELECT id::text AS id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex, ($3::timestamptz IS NOT NULL AND updated_at > $3) AS changed
           FROM insured
          WHERE id > $1::uuid AND (state = 'active' OR (state = 'open' AND covered_by_nir IS NOT NULL))
          ORDER BY insured.id LIMIT $2`,
        [run.cursor ?? ZERO_UUID, batchSize, lastRun?.started_at ?? null],
      );
      const marks = new Map<string, ItemMark[]>();
      if (profiles.length > 0) {
        const { rows } = await q.query<{ patient_id: string; code: string; mark: PreventionMark; on_date: string | null }>(
          `SELECT patient_id, code, mark, to_char(on_date, 'YYYY-MM-DD') AS on_date FROM prevention_mark WHERE patient_id = ANY($1::text[])`,
          [profiles.map((p) => p.id)],
        );
        for (const r of rows) {
          const list = marks.get(r.patient_id) ?? [];
          list.push({ code: r.code, mark: r.mark, ...(r.on_date ? { date: r.on_date } : {}) });
          marks.set(r.patient_id, list);
        }
      }
      lap('read');
      // the engine without recorded vaccinations: who may have something to be reminded of today
      let candidates: Candidate[] = [];
      for (const p of profiles) {
        const items = computePrevention({ birthDate: p.birth_date, sex: p.sex, vaccinations: [], marks: marks.get(p.id) ?? [] }, cals, day);
        for (const item of candidatesOf(items, day, lastRun?.day, p.changed)) candidates.push({ patientId: p.id, item });
      }
      lap('engine');
      // 2. what was already sent (a run started again, a profile looked at again)
      if (candidates.length > 0) {
        // one primary-key lookup per candidate (LATERAL keeps the plan so, whatever the table's size)
        const { rows: sent } = await q.query<{ patient_id: string; code: string; window_start: string }>(
          `SELECT c.patient_id, c.code, to_char(c.window_start, 'YYYY-MM-DD') AS window_start
             FROM unnest($1::text[], $2::text[], $3::date[]) AS c(patient_id, code, window_start)
            CROSS JOIN LATERAL (SELECT 1 FROM prevention_reminder r
                                 WHERE r.patient_id = c.patient_id AND r.code = c.code AND r.window_start = c.window_start) AS found`,
          [candidates.map((c) => c.patientId), candidates.map((c) => c.item.code), candidates.map((c) => c.item.window.start)],
        );
        const done = new Set(sent.map((r) => key(r.patient_id, r.code, r.window_start)));
        candidates = candidates.filter((c) => !done.has(key(c.patientId, c.item.code, c.item.window.start)));
      }
      lap('sent');
      return { run, lastRun, profiles, marks, candidates };
    });
    if (!first) return { day, profiles: 0, sent: 0, byType: {}, finished: true };
    const { run, lastRun, profiles, marks } = first;
    let candidates = first.candidates;

    // 3. the recorded vaccinations of the profiles with a vaccination to remind of, read and audited in their record
    const needVaccinations = [...new Set(candidates.filter((c) => c.item.type === 'vaccination').map((c) => c.patientId))];
    if (needVaccinations.length > 0) {
      const { rows } = await ops.withTables((q) =>
        q.query<{ patient_id: string; id: string; content: Json }>(
          `SELECT patient_id, id, content FROM resource WHERE patient_id = ANY($1::text[]) AND resource_type = 'Immunization' AND NOT deleted`,
          [needVaccinations],
        ),
      );
      await ops.audit(
        needVaccinations.map((patientId): AuditRecord => ({ interaction: 'search-type', resourceType: 'Immunization', patientId, outcome: 'success', query: `patient=${patientId}` })),
      );
      const vaccinations = new Map<string, RecordedVaccination[]>();
      for (const r of rows) {
        const content = typeof r.content === 'string' ? (JSON.parse(r.content) as Json) : r.content;
        const v = recordedVaccination(r.id, content);
        if (!v) continue;
        const list = vaccinations.get(r.patient_id) ?? [];
        list.push(v);
        vaccinations.set(r.patient_id, list);
      }
      // those profiles computed again with their vaccinations: a dose recorded is done (a dose given after
      // another may also have its window moved: a window that opens today is found, see docs)
      const byId = new Map(profiles.map((p) => [p.id, p]));
      const again = new Set(needVaccinations);
      candidates = candidates.filter((c) => !again.has(c.patientId));
      for (const patientId of needVaccinations) {
        const p = byId.get(patientId)!;
        const list = (vaccinations.get(patientId) ?? []).sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
        const items = computePrevention({ birthDate: p.birth_date, sex: p.sex, vaccinations: list, marks: marks.get(patientId) ?? [] }, cals, day);
        // what was sent already is dropped by the insert below (its key)
        for (const item of candidatesOf(items, day, lastRun?.day, p.changed)) candidates.push({ patientId, item });
      }
      lap('vaccinations');
    }

    // 4. the reminders, once each; the notifications of those inserted; the cursor and the counters
    return ops.withTables(async (q) => {
      const byType: Record<string, number> = {};
      let sent = 0;
      if (candidates.length > 0) {
        const { rows: inserted } = await q.query<{ patient_id: string; code: string; window_start: string }>(
          `INSERT INTO prevention_reminder (patient_id, code, window_start, type, sent_at, run_day)
           SELECT c.patient_id, c.code, c.window_start, c.type, $5, $6
             FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) AS c(patient_id, code, window_start, type)
           ON CONFLICT DO NOTHING
           RETURNING patient_id, code, to_char(window_start, 'YYYY-MM-DD') AS window_start`,
          [candidates.map((c) => c.patientId), candidates.map((c) => c.item.code), candidates.map((c) => c.item.window.start), candidates.map((c) => c.item.type), now, day],
        );
        const fresh = new Set(inserted.map((r) => key(r.patient_id, r.code, r.window_start)));
        const toSend = candidates.filter((c) => fresh.has(key(c.patientId, c.item.code, c.item.window.start)));
        await notify(q, deps.mailer, toSend.map((c) => reminderNotification(c.patientId, c.item)), now);
        for (const c of toSend) byType[c.item.type] = (byType[c.item.type] ?? 0) + 1;
        sent = toSend.length;
      }
      const finished = profiles.length < batchSize;
      await q.query(
        `UPDATE prevention_run SET cursor = COALESCE($2::uuid, cursor), profiles = profiles + $3, sent = sent + $4, by_type = $5::jsonb,
                finished_at = CASE WHEN $6 THEN $7::timestamptz ELSE NULL END
          WHERE day = $1`,
        [day, profiles.length ? profiles[profiles.length - 1]!.id : null, profiles.length, sent, JSON.stringify(addCounts(run.by_type ?? {}, byType)), finished, now],
      );
      lap('write');
      return { day, profiles: profiles.length, sent, byType, finished };
    });
  });
  lap('commit');
  return report;
}

/**
 * The reminder job, called at every tick of the jobs: returns at once when the day's run is over; otherwise
 * goes on from its cursor, batch after batch, for at most `budgetMs` (the next tick goes on).
 */
export async function runPreventionReminders(
  deps: PreventionJobDeps,
  now: Date,
  opts: PreventionRunOptions = {},
): Promise<{ preventionProfiles: number; preventionRemindersSent: number }> {
  const day = parisToday(now);
  const { rows } = await deps.db.query<{ finished: boolean }>('SELECT finished_at IS NOT NULL AS finished FROM prevention_run WHERE day = $1', [day]);
  if (rows[0]?.finished) return { preventionProfiles: 0, preventionRemindersSent: 0 };
  const budget = opts.budgetMs ?? DEFAULT_BUDGET_MS;
  const started = Date.now();
  let profiles = 0;
  let sent = 0;
  for (;;) {
    const batch = await runPreventionBatch(deps, now, opts);
    profiles += batch.profiles;
    sent += batch.sent;
    if (batch.finished || Date.now() - started >= budget) break;
  }
  return { preventionProfiles: profiles, preventionRemindersSent: sent };
}

// ---- the operators' indicators ----

/** What the job did, in numbers only: the last 30 runs, and the reminders sent by type since the first run. */
export async function preventionIndicators(q: Queryable): Promise<PreventionIndicators> {
  const { rows } = await q.query<{ day: string; started_at: Date; finished_at: Date | null; profiles: string; sent: string; by_type: Record<string, number> }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, started_at, finished_at, profiles, sent, by_type FROM prevention_run ORDER BY day DESC LIMIT 30`,
  );
  const { rows: totals } = await q.query<{ type: string; n: string }>(
    `SELECT t.key AS type, sum(t.value::bigint) AS n FROM prevention_run r, jsonb_each_text(r.by_type) AS t GROUP BY t.key ORDER BY t.key`,
  );
  const sentByType: Record<string, number> = {};
  for (const t of totals) sentByType[t.type] = Number(t.n);
  return {
    runs: rows.map((r) => ({
      day: r.day,
      startedAt: new Date(r.started_at).toISOString(),
      ...(r.finished_at ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
      profiles: Number(r.profiles),
      sent: Number(r.sent),
      byType: Object.fromEntries(Object.entries(r.by_type ?? {}).map(([k, v]) => [k, Number(v)])),
    })),
    sentByType,
    sentTotal: Object.values(sentByType).reduce((a, b) => a + b, 0),
  };
}
