import { uuidv7 } from '../ids.js';
import { careAccess } from '../../domain/access/index.js';
import { badRequest, forbidden } from '../../errors.js';
import { factsOf, loadCareRows } from '../../repo/care.js';
import type { RequestContext } from '../../repo/index.js';
import { notify } from '../accounts/notifications.js';
import type { DmpDeps } from './deps.js';
import { resolvePatient } from '../../repo/dmp-records.js';
import { getSettings } from './settings.js';
import { loadMatrix } from './matrix.js';
import { matrixFilter } from '../../domain/documents/matrix.js';

/**
 * Emergency access (L1111-17, R1111-48, domain.md §2.8): a professional breaks the glass (BTG), or a SAMU
 * regulating doctor accesses the record of a person a call concerns (ETREAT), with a reason, unless the
 * patient refused it beforehand. The access lasts EMERGENCY_HOURS; while it lasts the professional reads the
 * record (within the habilitation matrix, hidden documents only if the patient allowed it), every access
 * audited with the emergency purpose. The patient and the médecin traitant are told at once.
 */
export const EMERGENCY_HOURS = 4;
export type EmergencyPurpose = 'BTG' | 'ETREAT';

export interface EmergencyGrant {
  id: string;
  purpose: EmergencyPurpose;
  startedAt: string;
  endsAt: string;
}

const PURPOSE_LABEL: Record<EmergencyPurpose, string> = { BTG: 'bris de glace', ETREAT: 'régulation du SAMU' };

export async function breakTheGlass(deps: DmpDeps, ctx: RequestContext, patientId: string, input: { purpose: unknown; reason: unknown }): Promise<EmergencyGrant> {
  const p = ctx.principal;
  if (p.role !== 'professional' || !p.practitionerId || !p.practice) throw forbidden('Emergency access is for health professionals').withCode('pro.only');
  const purpose = input.purpose === undefined ? 'BTG' : input.purpose;
  if (purpose !== 'BTG' && purpose !== 'ETREAT') throw badRequest("purpose is 'BTG' (break the glass) or 'ETREAT' (SAMU regulation)", ['purpose']).withCode('emergency.purpose');
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 10 || reason.length > 500) throw badRequest('The reason of an emergency access is required, in 10 to 500 characters', ['reason']).withCode('emergency.reason');
  // the SAMU's regulating doctors are those of the structures the operator named (SAMU_STRUCTURES)
  if (purpose === 'ETREAT' && (p.practice.professionCode !== '10' || !(deps.samuStructures ?? []).includes(p.practice.organizationId ?? ''))) {
    throw forbidden('SAMU regulation is done by the doctors of a SAMU (centre 15)').withCode('emergency.samu-doctor');
  }
  const now = ctx.now();
  const practitionerId = p.practitionerId;
  const emergencyCtx: RequestContext = { ...ctx, purpose: 'emergency' };
  return deps.repo.run(emergencyCtx, async (ops) => {
    const grant = await ops.withTables(async (q) => {
      await resolvePatient(q, `Patient/${patientId}`, ['patientId']);
      const [row] = await loadCareRows(q, practitionerId, [patientId], now);
      if (careAccess(factsOf(row!)).status === 'blocked') throw forbidden('The patient has blocked you: no access, not even in an emergency').withCode('emergency.blocked');
      // breaking the glass is for the professions the habilitation matrix gives documents to
      const f = matrixFilter(await loadMatrix(q), p.practice!.professionCode, p.practice!.skillCode);
      if (f.mode === 'only' && f.types.length === 0) throw forbidden('Your profession has no access to the shared record, not even in an emergency').withCode('emergency.profession');
      const settings = await getSettings(q, patientId);
      if ((purpose === 'BTG' && !settings.breakGlass) || (purpose === 'ETREAT' && !settings.samuAccess)) {
        throw forbidden('The patient refused emergency access to their record').withCode('emergency.refused');
      }
      const g: EmergencyGrant = { id: uuidv7(), purpose, startedAt: now.toISOString(), endsAt: new Date(now.getTime() + EMERGENCY_HOURS * 3_600_000).toISOString() };
      await q.query(
        'INSERT INTO emergency_access (id, patient_id, practitioner_id, role_id, purpose, reason, started_at, ends_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [g.id, patientId, practitionerId, p.practice!.roleId, purpose, reason, now, g.endsAt],
      );
      return g;
    });
    await ops.audit([{ interaction: 'read', resourceType: 'Patient', id: patientId, patientId, basis: 'emergency', outcome: 'success', query: `$emergency-access (${purpose}): ${reason}` }]);
    await ops.withTables(async (q) => {
      await notify(q, deps.mailer, [{ patientId, category: 'documents', type: 'ACCES_BRIS_GLACE', params: { professional: p.displayName, purpose, at: now.toISOString() } }], now);
      // the médecin traitant, at their secure mailboxes
      const { rows } = await q.query<{ address: string; patient: string }>(
        `SELECT m.address, COALESCE(i.used_name, i.birth_name) || ' ' || i.first_given_name AS patient
           FROM care_relation c JOIN directory_mailbox m ON m.practitioner_id = c.practitioner_id AND m.active
           LEFT JOIN insured i ON i.id::text = c.patient_id
          WHERE c.patient_id = $1 AND c.medecin_traitant AND c.practitioner_id <> $2`,
        [patientId, practitionerId],
      );
      await deps.mailer.enqueue(
        q,
        rows.map((r) => ({ to: r.address, template: 'emergency-access' as const, params: { patient: r.patient ?? '', professional: p.displayName, purpose: PURPOSE_LABEL[purpose], reason, at: now.toISOString() } })),
      );
    });
    return grant;
  });
}

/** The emergency accesses of a professional on a record still running, if any. */
export async function runningEmergency(deps: DmpDeps, practitionerId: string, patientId: string, at: Date): Promise<EmergencyGrant | undefined> {
  const { rows } = await deps.db.query<{ id: string; purpose: EmergencyPurpose; started_at: Date; ends_at: Date }>(
    'SELECT id, purpose, started_at, ends_at FROM emergency_access WHERE patient_id = $1 AND practitioner_id = $2 AND started_at <= $3 AND ends_at > $3 ORDER BY ends_at DESC LIMIT 1',
    [patientId, practitionerId, at],
  );
  const r = rows[0];
  return r ? { id: r.id, purpose: r.purpose, startedAt: new Date(r.started_at).toISOString(), endsAt: new Date(r.ends_at).toISOString() } : undefined;
}

