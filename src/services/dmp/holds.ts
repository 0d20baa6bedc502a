import type { Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { makeContext, type Repository } from '../../repo/index.js';
import { SYSTEM } from '../../domain/access/index.js';
import { notify } from '../accounts/notifications.js';
import type { Mailer } from '../mail/mailer.js';
import { addMonths, HOLD_NOTICE_DAYS, HOLD_RELEASE_MONTHS } from './deps.js';
import { announceable, categoryOfDoc, withVisibility } from './document-resource.js';

type Json = Record<string, unknown>;

/**
 * Documents held back from the patient (INVISIBLE_PATIENT, R1111-53) until the announcement consultation: the
 * patient is told after two weeks that a document waits for them, and the document becomes visible by itself
 * after one month. The jobs below are durable: what they do is recorded in document_hold in the same
 * transaction as the notification, so a restart never repeats nor loses one.
 */

/** Opens (or re-opens) the hold of a document deposited, or later marked, not visible to the patient. */
export async function openHold(q: Queryable, patientId: string, documentId: string, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO document_hold (patient_id, document_id, deposited_at, notice_due_at, release_due_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (patient_id, document_id) DO UPDATE SET deposited_at = EXCLUDED.deposited_at, notice_due_at = EXCLUDED.notice_due_at,
       release_due_at = EXCLUDED.release_due_at, notice_sent_at = NULL, released_at = NULL`,
    [patientId, documentId, at, new Date(at.getTime() + HOLD_NOTICE_DAYS * 86_400_000), addMonths(at, HOLD_RELEASE_MONTHS)],
  );
}

/** Closes the hold of a document made visible (by its producer, or deleted). */
export async function closeHold(q: Queryable, patientId: string, documentId: string, at: Date): Promise<void> {
  await q.query('UPDATE document_hold SET released_at = $3 WHERE patient_id = $1 AND document_id = $2 AND released_at IS NULL', [patientId, documentId, at]);
}

export interface HoldReport {
  noticesSent: number;
  released: number;
}

/** Sends the two-week notices and releases the documents held for a month, as of `at`. */
export async function runHolds(deps: { repo: Repository; mailer: Mailer; db: { transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T>; query: Queryable['query'] } }, at: Date): Promise<HoldReport> {
  const noticesSent = await deps.db.transaction(async (q) => {
    const { rows } = await q.query<{ patient_id: string; document_id: string }>(
      `UPDATE document_hold SET notice_sent_at = $1
        WHERE notice_due_at <= $1 AND notice_sent_at IS NULL AND released_at IS NULL AND release_due_at > $1
        RETURNING patient_id, document_id`,
      [at],
    );
    // the notice says a document waits and invites to see a professional; it names no content
    await notify(q, deps.mailer, rows.map((r) => ({ patientId: r.patient_id, category: 'documents' as const, type: 'DOCUMENT_EN_ATTENTE', params: {} })), at);
    return rows.length;
  });
  const { rows: due } = await deps.db.query<{ patient_id: string; document_id: string }>(
    'SELECT patient_id, document_id FROM document_hold WHERE release_due_at <= $1 AND released_at IS NULL ORDER BY release_due_at LIMIT 10000',
    [at],
  );
  let released = 0;
  for (const h of due) if (await release(deps, h.patient_id, h.document_id, at)) released++;
  return { noticesSent, released };
}

/** Makes one held document visible to the patient, once: Carnet writes the new version and tells the patient. */
async function release(deps: { repo: Repository; mailer: Mailer }, patientId: string, documentId: string, at: Date): Promise<boolean> {
  const ctx = makeContext(SYSTEM, { now: () => at });
  return deps.repo.run(ctx, async (ops) => {
    const claimed = await ops.withTables(async (q) => {
      const { rowCount } = await q.query('UPDATE document_hold SET released_at = $3 WHERE patient_id = $1 AND document_id = $2 AND released_at IS NULL', [patientId, documentId, at]);
      return (rowCount ?? 0) > 0;
    });
    if (!claimed) return false;
    let doc: Json;
    try {
      doc = JSON.parse((await ops.read('DocumentReference', documentId)).content!) as Json;
    } catch (err) {
      // deleted meanwhile: nothing to release, the hold is closed
      if (err instanceof AppError && (err.status === 404 || err.status === 410)) return false;
      throw err;
    }
    const released = withVisibility(doc, 'INVISIBLE_PATIENT', false);
    await ops.update(released);
    if (announceable(released)) await ops.withTables((q) => notify(q, deps.mailer, [{ patientId, category: 'documents', type: 'REMISE_VISIBILITE_AUTO', params: { documentId, category: categoryOfDoc(doc) } }], at));
    return true;
  });
}
