import type { Queryable } from '../../db/index.js';
import { notify } from '../accounts/notifications.js';
import type { Mailer } from '../mail/mailer.js';

/**
 * The patient is told when a professional accessed their record (MES: an e-mail at each access, ACCES_DMP_PS),
 * once per professional, record and day (Europe/Paris), from the audit trail: the job reads the professionals'
 * successful accesses written since its last run (with a minute's lag, as read audits are committed in
 * groups) and notifies, per the patient's preference for documents. Durable: its position in the trail and
 * what it sent are written in the transaction that notifies.
 */
const LAG_MS = 60_000;

export async function runAccessNotices(deps: { db: { transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> }; mailer: Mailer }, now: Date): Promise<number> {
  return deps.db.transaction(async (q) => {
    // the first run reads the last day of the trail
    await q.query(`INSERT INTO access_notice_cursor (read_to) VALUES ($1) ON CONFLICT (singleton) DO NOTHING`, [new Date(now.getTime() - 86_400_000)]);
    const { rows: cursor } = await q.query<{ read_to: Date }>('SELECT read_to FROM access_notice_cursor FOR UPDATE');
    const from = new Date(cursor[0]!.read_to);
    const to = new Date(now.getTime() - LAG_MS);
    if (to <= from) return 0;
    const { rows } = await q.query<{ patient_id: string; practitioner_id: string; who: string | null }>(
      `WITH seen AS (
         SELECT patient_id, substr(content #>> '{agent,0,who,reference}', 14) AS practitioner_id, max(content #>> '{agent,0,who,display}') AS who,
                (min(last_updated) AT TIME ZONE 'Europe/Paris')::date AS day
           FROM resource
          WHERE resource_type = 'AuditEvent' AND last_updated > $1 AND last_updated <= $2
            AND content->>'outcome' = '0' AND content #>> '{agent,0,who,reference}' LIKE 'Practitioner/%'
          GROUP BY 1, 2)
       INSERT INTO access_notice (patient_id, practitioner_id, day)
       SELECT patient_id, practitioner_id, day FROM seen
       ON CONFLICT DO NOTHING
       RETURNING patient_id, practitioner_id, (SELECT who FROM seen s WHERE s.patient_id = access_notice.patient_id AND s.practitioner_id = access_notice.practitioner_id) AS who`,
      [from, to],
    );
    await notify(
      q,
      deps.mailer,
      rows.map((r) => ({ patientId: r.patient_id, category: 'documents' as const, type: 'ACCES_DMP_PS', params: { professional: r.who ?? '' } })),
      now,
    );
    await q.query('UPDATE access_notice_cursor SET read_to = $1', [to]);
    return rows.length;
  });
}
