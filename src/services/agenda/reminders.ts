import type { Queryable } from '../../db/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { DEFAULT_REMINDER_MINUTES, kindOf, parseInstant, patientOf, reminderDueAt, reminderType, remindable } from '../../domain/agenda/index.js';
import { AppError } from '../../errors.js';
import { makeContext, type Repository } from '../../repo/index.js';
import type { StoredVersion } from '../../repo/index.js';
import { notify } from '../accounts/notifications.js';
import type { Mailer } from '../mail/mailer.js';

/**
 * The agenda's reminders (docs/agenda.md). agenda_reminder holds one row per Appointment: when it starts and
 * when its reminder is due (null once sent, or when none is to be sent). Every write of the web app keeps it
 * in step in the same transaction; Appointments written through /fhir (connected apps) are picked up by the
 * job from the Appointment history since its last run. The job then sends what is due, once.
 */

type Json = Record<string, unknown>;

export interface AgendaJobDeps {
  db: { transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>; query: Queryable['query'] };
  repo: Repository;
  mailer: Mailer;
}

/** The patient's reminder delay (profile_settings.reminder_minutes; a day when never set). */
export async function reminderMinutesOf(q: Queryable, patientId: string): Promise<number> {
  const { rows } = await q.query<{ reminder_minutes: number }>('SELECT reminder_minutes FROM profile_settings WHERE patient_id = $1', [patientId]);
  return rows[0]?.reminder_minutes ?? DEFAULT_REMINDER_MINUTES;
}

/**
 * Puts the reminder row of an Appointment in step with it (or removes it: `appointment` null, deleted). A
 * reminder already sent stays sent while the start does not move; moving the start re-arms it.
 */
export async function syncReminder(q: Queryable, appointmentId: string, appointment: Json | null, now: Date, minutes?: number): Promise<void> {
  const patientId = appointment ? patientOf(appointment) : undefined;
  const start = appointment && typeof appointment.start === 'string' ? parseInstant(appointment.start) : undefined;
  if (!appointment || !patientId || !start) {
    await q.query('DELETE FROM agenda_reminder WHERE appointment_id = $1', [appointmentId]);
    return;
  }
  const delay = minutes ?? (await reminderMinutesOf(q, patientId));
  const due = reminderDueAt(String(appointment.status), start, delay, now);
  await q.query(
    `INSERT INTO agenda_reminder (appointment_id, patient_id, starts_at, due_at, sent_at) VALUES ($1, $2, $3, $4, NULL)
     ON CONFLICT (appointment_id) DO UPDATE SET
       patient_id = EXCLUDED.patient_id,
       due_at = CASE WHEN agenda_reminder.starts_at = EXCLUDED.starts_at AND agenda_reminder.sent_at IS NOT NULL THEN NULL ELSE EXCLUDED.due_at END,
       sent_at = CASE WHEN agenda_reminder.starts_at = EXCLUDED.starts_at THEN agenda_reminder.sent_at ELSE NULL END,
       starts_at = EXCLUDED.starts_at`,
    [appointmentId, patientId, start, due],
  );
}

/** After the patient changed their delay: the reminders still to send are due at the new time. */
export async function rescheduleReminders(q: Queryable, patientId: string, minutes: number): Promise<void> {
  await q.query(
    `UPDATE agenda_reminder SET due_at = starts_at - make_interval(mins => $2::int)
      WHERE patient_id = $1 AND due_at IS NOT NULL AND sent_at IS NULL`,
    [patientId, minutes],
  );
}

/** Where the job is in the Appointment history: agenda_sync_cursor, one row shared by every node. */
/** Versions written this long before the last one seen are read again: a transaction may commit late. */
const OVERLAP_MS = 5 * 60_000;
const PAGE = 500;

/**
 * Picks up the Appointments written since the last run, whoever wrote them (connected apps through /fhir
 * included), and puts their reminder rows in step. Returns how many Appointments were looked at.
 */
export async function syncChangedAppointments(deps: AgendaJobDeps, now: Date): Promise<number> {
  const { rows } = await deps.db.query<{ read_to: Date | string }>('SELECT read_to FROM agenda_sync_cursor');
  const last = rows[0] ? new Date(rows[0].read_to).toISOString() : undefined;
  const since = last ? new Date(new Date(last).getTime() - OVERLAP_MS).toISOString() : undefined;
  const ctx = makeContext(SYSTEM, { now: () => now });
  // newest first: the first version met of an Appointment is its current one
  const latest = new Map<string, StoredVersion>();
  let newest = last ? new Date(last) : undefined;
  await deps.repo.run(
    ctx,
    async (ops) => {
      let after: StoredVersion | undefined;
      for (;;) {
        const page = await ops.typeHistory('Appointment', {
          count: PAGE,
          ...(since ? { since } : {}),
          ...(after ? { after: { lastUpdated: after.lastUpdated, id: after.id, versionId: after.versionId } } : {}),
        });
        for (const v of page.versions) if (!latest.has(v.id)) latest.set(v.id, v);
        const top = !after && page.versions[0] ? new Date(page.versions[0].lastUpdated) : undefined;
        if (top && (!newest || top > newest)) newest = top;
        if (!page.next) break;
        after = page.versions[page.versions.length - 1];
      }
    },
    { readOnly: true },
  );
  if (latest.size === 0) return 0;
  await deps.db.transaction(async (q) => {
    const delays = new Map<string, number>();
    for (const v of latest.values()) {
      const resource = v.deleted || !v.content ? null : (JSON.parse(v.content) as Json);
      const patientId = resource ? patientOf(resource) : undefined;
      let minutes: number | undefined;
      if (patientId) {
        if (!delays.has(patientId)) delays.set(patientId, await reminderMinutesOf(q, patientId));
        minutes = delays.get(patientId);
      }
      await syncReminder(q, v.id, resource, now, minutes);
    }
    await q.query(
      `INSERT INTO agenda_sync_cursor (singleton, read_to) VALUES (true, $1) ON CONFLICT (singleton) DO UPDATE SET read_to = GREATEST(agenda_sync_cursor.read_to, EXCLUDED.read_to)`,
      [newest!],
    );
  });
  return latest.size;
}

/**
 * Sends the reminders due at `now`, each once: the row is claimed (sent_at) in the transaction that writes
 * the notification, after reading the Appointment again (it may have been cancelled, moved or deleted).
 */
export async function sendDueReminders(deps: AgendaJobDeps, now: Date): Promise<number> {
  // what the job did not send before the start will never be sent
  await deps.db.query('UPDATE agenda_reminder SET due_at = NULL WHERE due_at IS NOT NULL AND starts_at <= $1', [now]);
  const { rows: due } = await deps.db.query<{ appointment_id: string; patient_id: string }>(
    'SELECT appointment_id, patient_id FROM agenda_reminder WHERE due_at <= $1 AND sent_at IS NULL ORDER BY due_at LIMIT 1000',
    [now],
  );
  let sent = 0;
  for (const r of due) {
    const ctx = makeContext(SYSTEM, { now: () => now });
    const done = await deps.repo.run(ctx, async (ops) => {
      const claimed = await ops.withTables(async (q) => {
        const res = await q.query<{ starts_at: Date }>(
          'UPDATE agenda_reminder SET sent_at = $2, due_at = NULL WHERE appointment_id = $1 AND sent_at IS NULL AND due_at <= $2 RETURNING starts_at',
          [r.appointment_id, now],
        );
        return res.rows[0];
      });
      if (!claimed) return false;
      let appointment: Json;
      try {
        appointment = JSON.parse((await ops.read('Appointment', r.appointment_id)).content!) as Json;
      } catch (err) {
        // deleted meanwhile: nothing to remind of
        if (err instanceof AppError && (err.status === 404 || err.status === 410)) return false;
        throw err;
      }
      const start = typeof appointment.start === 'string' ? parseInstant(appointment.start) : undefined;
      if (!start || !remindable(String(appointment.status), start, now)) return false;
      if (start.getTime() !== new Date(claimed.starts_at).getTime()) {
        // moved through /fhir since the last sync: due again at the new time
        await ops.withTables((q) => syncReminder(q, r.appointment_id, appointment, now));
        return false;
      }
      const title = typeof appointment.description === 'string' && appointment.description !== '' ? appointment.description : 'Rendez-vous';
      await ops.withTables((q) =>
        notify(q, deps.mailer, [{ patientId: r.patient_id, category: 'appointments', type: reminderType(kindOf(appointment)), params: { title, start: start.toISOString(), appointmentId: r.appointment_id } }], now),
      );
      return true;
    });
    if (done) sent++;
  }
  return sent;
}

/** The reminder job: catch up with the Appointments written elsewhere, then send what is due. */
export async function runAgendaReminders(deps: AgendaJobDeps, now: Date): Promise<{ agendaSynced: number; agendaRemindersSent: number }> {
  const agendaSynced = await syncChangedAppointments(deps, now);
  const agendaRemindersSent = await sendDueReminders(deps, now);
  return { agendaSynced, agendaRemindersSent };
}
