import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import type { Queryable } from '../db/index.js';
import type { CareBasis, Relation } from '../domain/access/index.js';
import type { RequestContext } from './context.js';
import { writeVersions, type NewVersion } from './store.js';
import { extractIndex } from '../fhir/search/extract.js';

/** The RESTful interaction audited, as in http://hl7.org/fhir/restful-interaction. */
export type Interaction =
  | 'read'
  | 'vread'
  | 'create'
  | 'update'
  | 'delete'
  | 'history-instance'
  | 'history-type'
  | 'search-type';

const ACTION: Record<Interaction, AuditEvent['action']> = {
  read: 'R',
  vread: 'R',
  'history-instance': 'R',
  'history-type': 'R',
  'search-type': 'E',
  create: 'C',
  update: 'U',
  delete: 'D',
};

export interface AuditRecord {
  interaction: Interaction;
  /** The patient whose record was touched, null outside any record (only refusals are audited there). */
  patientId: string | null;
  resourceType: string;
  /** The resource concerned (absent for a type-level history or search). */
  id?: string;
  versionId?: number;
  /** How the requester is linked to the patient, when they act for someone. */
  relation?: Relation;
  /** Why a professional was let in: médecin traitant, care team, consent... */
  basis?: CareBasis;
  outcome: 'success' | 'refused' | 'failed';
  /** Why it was refused or failed. */
  detail?: string;
  /** For searches: the query. */
  query?: string;
}

const TRE_G15 = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';

const OUTCOME: Record<AuditRecord['outcome'], AuditEvent['outcome']> = { success: '0', refused: '4', failed: '4' };

function agentReference(ctx: RequestContext): { reference?: string; display: string } {
  const p = ctx.principal;
  const reference = p.role === 'patient' ? p.patientId && `Patient/${p.patientId}` : p.practitionerId && `Practitioner/${p.practitionerId}`;
  return { ...(reference ? { reference } : {}), display: p.displayName };
}

/** An AuditEvent in the style of IHE BALP (Basic Audit Log Patterns) for one access. */
export function buildAuditEvent(ctx: RequestContext, rec: AuditRecord, recorded: string): AuditEvent {
  const p = ctx.principal;
  const what = rec.id
    ? `${rec.resourceType}/${rec.id}${rec.versionId ? `/_history/${rec.versionId}` : ''}`
    : undefined;
  const entity: NonNullable<AuditEvent['entity']> = [];
  if (what) {
    entity.push({
      what: { reference: what },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    });
  } else if (rec.query !== undefined) {
    entity.push({
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '24', display: 'Query' },
      description: `${rec.resourceType}${rec.query ? `?${rec.query}` : ''}`,
    });
  }
  if (rec.patientId) {
    entity.push({
      what: { reference: `Patient/${rec.patientId}` },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
  }
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: rec.interaction }],
    action: ACTION[rec.interaction],
    recorded,
    outcome: OUTCOME[rec.outcome],
    ...(rec.detail ? { outcomeDesc: rec.detail } : {}),
    purposeOfEvent: [
      {
        coding: [
          ctx.purpose === 'emergency' || rec.basis === 'emergency'
            ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT', display: 'Emergency Treatment' }
            : p.role === 'patient'
              ? { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'PATRQT', display: "patient requested" }
              : { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' },
        ],
      },
    ],
    agent: [
      {
        type: {
          coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110153', display: 'Source Role ID' }],
          text: p.role,
        },
        who: agentReference(ctx),
        altId: p.login,
        requestor: true,
        ...(rec.relation && rec.relation !== 'self' ? { role: [{ text: `acting for the patient as ${rec.relation}` }] } : {}),
        ...(p.practice
          ? {
              role: [
                { coding: [{ system: TRE_G15, code: p.practice.professionCode, ...(p.practice.professionLabel ? { display: p.practice.professionLabel } : {}) }] },
                ...(rec.basis ? [{ text: `authorised as ${rec.basis}` }] : []),
              ],
            }
          : rec.basis
            ? { role: [{ text: `authorised as ${rec.basis}` }] }
            : {}),
        ...(ctx.source ? { network: { address: ctx.source, type: '2' as const } } : {}),
      },
      // the structure the professional acts from (their practice situation)
      ...(p.practice?.organizationId
        ? [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV', display: 'healthcare provider' }] },
              who: { reference: `Organization/${p.practice.organizationId}`, ...(p.practice.organizationName ? { display: p.practice.organizationName } : {}) },
              requestor: false,
            },
          ]
        : []),
    ],
    source: {
      observer: { display: 'Carnet' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity,
  };
}

/** Appends AuditEvents to the store: in the patient's compartment, or the shared table for refusals elsewhere. */
export async function writeAudit(q: Queryable, ctx: RequestContext, records: AuditRecord[]): Promise<void> {
  await writeVersions(q, auditVersions(ctx, records));
}

/** The AuditEvents of these records, as versions to write (with the unit's other writes, or alone). */
export function auditVersions(ctx: RequestContext, records: AuditRecord[]): NewVersion[] {
  const recorded = ctx.now().toISOString();
  return records.map((rec) => {
    const event = buildAuditEvent(ctx, rec, recorded);
    event.meta = { versionId: '1', lastUpdated: recorded };
    return {
      patientId: rec.patientId,
      resourceType: 'AuditEvent',
      id: event.id!,
      versionId: 1,
      lastUpdated: recorded,
      content: JSON.stringify(event),
      index: extractIndex(event as unknown as Record<string, unknown>),
    };
  });
}
