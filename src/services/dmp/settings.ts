import type { Queryable } from '../../db/index.js';

/**
 * The holder's settings over their shared record (dmp_settings): hide new documents from professionals by
 * default, and the three emergency consents. A record without a row has the defaults.
 */
export interface DmpSettings {
  /** New documents are hidden from professionals (MASQUE_PS) when they arrive. Default: no. */
  maskNewDocuments: boolean;
  /** ETREAT: the SAMU's regulating doctors may access the record in an emergency. Default: yes (L1111-17). */
  samuAccess: boolean;
  /** BTG: other professionals may break the glass in an emergency. Default: yes (L1111-17). */
  breakGlass: boolean;
  /** MASKED: hidden documents are visible in an emergency. Default: no, the stricter reading of an unknown default. */
  hiddenInEmergency: boolean;
}

export const DEFAULT_SETTINGS: DmpSettings = { maskNewDocuments: false, samuAccess: true, breakGlass: true, hiddenInEmergency: false };

export async function getSettings(q: Queryable, patientId: string): Promise<DmpSettings> {
  const { rows } = await q.query<{ mask_new_documents: boolean; samu_access: boolean; break_glass: boolean; hidden_in_emergency: boolean }>(
    'SELECT mask_new_documents, samu_access, break_glass, hidden_in_emergency FROM dmp_settings WHERE patient_id = $1',
    [patientId],
  );
  const r = rows[0];
  return r ? { maskNewDocuments: r.mask_new_documents, samuAccess: r.samu_access, breakGlass: r.break_glass, hiddenInEmergency: r.hidden_in_emergency } : { ...DEFAULT_SETTINGS };
}

export async function maskNewDocuments(q: Queryable, patientId: string): Promise<boolean> {
  return (await getSettings(q, patientId)).maskNewDocuments;
}

export async function setSettings(q: Queryable, patientId: string, change: Partial<DmpSettings>, at: Date): Promise<DmpSettings> {
  const next = { ...(await getSettings(q, patientId)), ...change };
  await q.query(
    `INSERT INTO dmp_settings (patient_id, mask_new_documents, samu_access, break_glass, hidden_in_emergency, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (patient_id) DO UPDATE SET mask_new_documents = EXCLUDED.mask_new_documents, samu_access = EXCLUDED.samu_access,
       break_glass = EXCLUDED.break_glass, hidden_in_emergency = EXCLUDED.hidden_in_emergency, updated_at = EXCLUDED.updated_at`,
    [patientId, next.maskNewDocuments, next.samuAccess, next.breakGlass, next.hiddenInEmergency, at],
  );
  return next;
}
