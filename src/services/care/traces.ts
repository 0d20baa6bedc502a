import type { AuditEvent } from '@medplum/fhirtypes';
import { parseSearch } from '../../fhir/search/parse.js';
import type { Queryable } from '../../db/index.js';
import type { Repository, RequestContext } from '../../repo/index.js';
import { ownAuditEvents } from '../../repo/care.js';

/**
 * Traces (R1111-43): the accesses to a record, as the AuditEvents Carnet writes in it. The patient reads
 * those of one professional on their record; a professional reads their own actions.
 */

export interface Trace {
  at: string;
  /** The FHIR interaction (read, search-type, create...). */
  interaction: string;
  /** What was touched: Type/id, or Type?query. */
  what: string;
  outcome: 'success' | 'refused';
  detail?: string;
  patientId?: string;
  /** Why a professional was let in, when they were. */
  basis?: string;
  agent: string;
}

export const TRACE_PAGE = 50;

export function toTrace(e: AuditEvent): Trace {
  const entity = e.entity ?? [];
  const patient = entity.find((x) => x.what?.reference?.startsWith('Patient/') && x.role?.code === '1')?.what?.reference;
  const what = entity.find((x) => x.what?.reference && x !== entity.find((y) => y.role?.code === '1'))?.what?.reference ?? entity.find((x) => x.description)?.description ?? '';
  const agent = e.agent?.[0];
  const basis = agent?.role?.map((r) => r.text).find((t) => t?.startsWith('authorised as '))?.slice('authorised as '.length);
  return {
    at: e.recorded,
    interaction: e.subtype?.[0]?.code ?? '',
    what,
    outcome: e.outcome === '0' ? 'success' : 'refused',
    ...(e.outcomeDesc ? { detail: e.outcomeDesc } : {}),
    ...(patient ? { patientId: patient.slice('Patient/'.length) } : {}),
    ...(basis ? { basis } : {}),
    agent: agent?.who?.display ?? '',
  };
}

/** A page of the traces of one professional on one record, newest first, read through the access policy. */
export async function tracesOf(repo: Repository, ctx: RequestContext, fhirBase: string, q: { patientId: string; practitionerId?: string; page?: number }): Promise<Trace[]> {
  const params = new URLSearchParams({ patient: q.patientId, _sort: '-date', _count: String(TRACE_PAGE) });
  if (q.practitionerId) params.set('agent', `Practitioner/${q.practitionerId}`);
  const search = parseSearch('AuditEvent', params, { defaultCount: TRACE_PAGE, maxCount: TRACE_PAGE, strict: true, fhirBase });
  const result = await repo.search(ctx, 'AuditEvent', search);
  return result.versions.map((v) => toTrace(JSON.parse(v.content!) as AuditEvent));
}

/** The signed-in professional's own actions in every record, newest first, with the patient's name. */
export async function ownActivity(q: Queryable, practitionerId: string): Promise<(Trace & { patientName?: string })[]> {
  const rows = await ownAuditEvents(q, practitionerId, TRACE_PAGE);
  return rows.map((r) => ({ ...toTrace(JSON.parse(r.content) as AuditEvent), ...(r.patient_name ? { patientName: r.patient_name } : {}) }));
}
