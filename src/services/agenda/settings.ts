import type { ProfileDeps } from '../profile/deps.js';
import { reminderMinutesOf, rescheduleReminders } from './reminders.js';

/** The agenda's settings (profile_settings.reminder_minutes): how long before an entry the patient is reminded. */
export async function getAgendaSettings(deps: ProfileDeps, patientId: string): Promise<{ reminderMinutes: number }> {
  return { reminderMinutes: await reminderMinutesOf(deps.db, patientId) };
}

/** Sets the delay; the reminders not sent yet are due at the new time. */
export async function setAgendaSettings(deps: ProfileDeps, patientId: string, reminderMinutes: number): Promise<{ reminderMinutes: number }> {
  await deps.db.transaction(async (q) => {
    await q.query(
      `INSERT INTO profile_settings (patient_id, reminder_minutes, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (patient_id) DO UPDATE SET reminder_minutes = EXCLUDED.reminder_minutes, updated_at = EXCLUDED.updated_at`,
      [patientId, reminderMinutes, deps.clock.now()],
    );
    await rescheduleReminders(q, patientId, reminderMinutes);
  });
  return { reminderMinutes };
}
