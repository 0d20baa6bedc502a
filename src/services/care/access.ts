import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { careAccess, type AccessStatus } from '../../domain/access/index.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { FhirOperations, Repository, RequestContext } from '../../repo/index.js';
import { factsOf, loadCareRows } from '../../repo/care.js';
import { recordChange } from './relations.js';
import { findById, findByIns, type FoundIdentity, type InsQuery } from './lookup.js';

/**
 * A professional's side of access (domain.md §2.8, TD0.2 and TD0.3): whether they may access a patient's
 * record, and recording the patient's consent or their care-team membership as a Consent in the record.
 * Every check is audited in the patient's record, where the patient sees it.
 */

export interface CareDeps {
  repo: Repository;
}

/** The answer to "may I access this patient's record?", with the identity to check when there is a profile. */
export interface AccessAnswer {
  status: AccessStatus['status'];
  basis?: string;
  since?: string;
  /** The patient named this professional administrator of their record (they see hidden documents and the history). */
  administrator?: boolean;
  patient?: { id: string; family: string; given: string; birthDate: string; sex: string; ins: { system: string; value: string } };
}

export const CARNET_CARE_BASIS = 'https://carnet.example/fhir/CodeSystem/care-access-basis';

export function practitionerOf(ctx: RequestContext): string {
  const p = ctx.principal;
  if (p.role !== 'professional' || !p.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
  return p.practitionerId;
}

async function statusOn(q: Queryable, practitionerId: string, patientId: string): Promise<AccessStatus> {
  const [row] = await loadCareRows(q, practitionerId, [patientId]);
  return careAccess(factsOf(row!));
}

function answer(status: AccessStatus, who?: FoundIdentity): AccessAnswer {
  // the identity is shown to a professional who may go on (read, or record the consent); never to one the
  // patient blocked, nor on a closed profile
  const shown = who && (status.status === 'authorised' || status.status === 'consent-needed');
  return {
    status: status.status,
    ...(status.status === 'authorised'
      ? { basis: status.basis, ...(status.since ? { since: status.since.toISOString() } : {}), ...(status.administrator ? { administrator: true } : {}) }
      : {}),
    ...(status.status === 'blocked' ? { since: status.since.toISOString() } : {}),
    ...(shown
      ? {
          patient: {
            id: who.patientId,
            family: who.family,
            given: who.given,
            birthDate: who.birthDate,
            sex: who.sex,
            ins: { system: `urn:oid:${who.insOid}`, value: who.nir },
          },
        }
      : {}),
  };
}

/** Audits the check in the record (a refusal when the professional is blocked). */
async function auditCheck(ops: FhirOperations, patientId: string, status: AccessStatus): Promise<void> {
  await ops.audit([
    {
      interaction: 'search-type',
      resourceType: 'Patient',
      patientId,
      query: '$access-status',
      outcome: status.status === 'blocked' ? 'refused' : 'success',
      ...(status.status === 'blocked' ? { detail: 'the patient has blocked this professional' } : {}),
      ...(status.status === 'authorised' ? { basis: status.basis } : {}),
    },
  ]);
}

/** The access status of the signed-in professional on the record of the person with this INS. */
export async function accessStatusByIns(deps: CareDeps, ctx: RequestContext, ins: InsQuery): Promise<AccessAnswer> {
  const practitionerId = practitionerOf(ctx);
  return deps.repo.run(ctx, async (ops) => {
    const who = await ops.withTables((q) => findByIns(q, ins));
    if (!who) return answer({ status: 'no-profile', reason: 'absent' });
    const status = await ops.withTables((q) => statusOn(q, practitionerId, who.patientId));
    // nothing about a person without a profile is kept in a record they do not have
    if (status.status !== 'no-profile') await auditCheck(ops, who.patientId, status);
    return answer(status, who);
  });
}

/** The access status on a record known by its id (the professional's patient page). */
export async function accessStatusById(deps: CareDeps, ctx: RequestContext, patientId: string): Promise<AccessAnswer> {
  const practitionerId = practitionerOf(ctx);
  return deps.repo.run(ctx, async (ops) => {
    const who = await ops.withTables((q) => findById(q, patientId));
    const status = await ops.withTables((q) => statusOn(q, practitionerId, patientId));
    if (status.status === 'no-profile') throw notFound('This person has no profile').withCode('care.no-profile');
    await auditCheck(ops, patientId, status);
    return answer(status, who);
  });
}

export type DeclaredBasis = 'consent' | 'care-team';

/**
 * Records the patient's consent to the professional's access (outside the care team, R1111-46), or declares
 * that the professional is a member of the patient's care team (L1110-12): a Consent in the patient's record,
 * and the care relation, in one transaction. Refused (403, audited) for a closed profile or a blocked
 * professional; 404 without a profile.
 */
export async function declareAccess(deps: CareDeps, ctx: RequestContext, patientId: string, basis: DeclaredBasis): Promise<{ consent: Record<string, unknown>; access: AccessAnswer }> {
  const practitionerId = practitionerOf(ctx);
  if (basis !== 'consent' && basis !== 'care-team') {
    throw new AppError(400, 'invalid', "The basis must be 'consent' or 'care-team'", ['basis']).withCode('care.basis');
  }
  const now = ctx.now();
  return deps.repo.run(ctx, async (ops) => {
    const before = await ops.withTables((q) => statusOn(q, practitionerId, patientId));
    if (before.status === 'no-profile') throw notFound('This person has no profile').withCode('care.no-profile');
    // the policy refuses (and audits) a closed profile or a blocked professional
    const { version } = await ops.create(consentResource(ctx, patientId, practitionerId, basis, now));
    const consentRef = `Consent/${version.id}`;
    await ops.withTables(async (q) => {
      await q.query(
        `INSERT INTO care_relation (patient_id, practitioner_id, added_at, added_by, in_list, updated_at,
                                    consent_at, consent_id, care_team_since, care_team_consent)
         VALUES ($1, $2, $3, $4, true, $3,
                 CASE WHEN $4 = 'consent' THEN $3::timestamptz END, CASE WHEN $4 = 'consent' THEN $5 END,
                 CASE WHEN $4 = 'care-team' THEN $3::timestamptz END, CASE WHEN $4 = 'care-team' THEN $5 END)
         ON CONFLICT (patient_id, practitioner_id) DO UPDATE SET
           in_list = true, updated_at = $3,
           consent_at = CASE WHEN $4 = 'consent' THEN $3::timestamptz ELSE care_relation.consent_at END,
           consent_id = CASE WHEN $4 = 'consent' THEN $5 ELSE care_relation.consent_id END,
           care_team_since = CASE WHEN $4 = 'care-team' THEN $3::timestamptz ELSE care_relation.care_team_since END,
           care_team_consent = CASE WHEN $4 = 'care-team' THEN $5 ELSE care_relation.care_team_consent END`,
        [patientId, practitionerId, now, basis, consentRef],
      );
      await recordChange(q, { patientId, practitionerId, at: now, change: basis, detail: consentRef, byUser: ctx.principal.userId });
    });
    const after = await ops.withTables((q) => statusOn(q, practitionerId, patientId));
    return { consent: JSON.parse(version.content!) as Record<string, unknown>, access: answer(after) };
  });
}

function consentResource(ctx: RequestContext, patientId: string, practitionerId: string, basis: DeclaredBasis, now: Date): Record<string, unknown> {
  const practice = ctx.principal.practice;
  const practitioner = { reference: `Practitioner/${practitionerId}`, display: ctx.principal.displayName };
  return {
    resourceType: 'Consent',
    id: randomUUID(),
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [
      {
        coding: [
          { system: CARNET_CARE_BASIS, code: basis, display: basis === 'consent' ? 'Consentement du patient' : "Membre de l'équipe de soins" },
        ],
      },
    ],
    patient: { reference: `Patient/${patientId}` },
    dateTime: now.toISOString(),
    performer: [practitioner],
    ...(practice?.organizationId
      ? { organization: [{ reference: `Organization/${practice.organizationId}`, ...(practice.organizationName ? { display: practice.organizationName } : {}) }] }
      : {}),
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }] },
    provision: {
      type: 'permit',
      period: { start: now.toISOString() },
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'PRCP', display: 'primary information recipient' }] }, reference: practitioner }],
      purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }],
    },
  };
}
