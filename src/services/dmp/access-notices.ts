import type { Queryable } from '../../db/index.js';
import { notify } from '../accounts/notifications.js';
import { claimAccessNotices } from '../../repo/dmp-records.js';
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
    const rows = await claimAccessNotices(q, from, to);
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
