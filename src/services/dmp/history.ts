import type { AuditEvent } from '@medplum/fhirtypes';
import { parseSearch } from '../../fhir/search/parse.js';
import type { Repository, RequestContext } from '../../repo/index.js';
import { toTrace, type Trace } from '../care/traces.js';
import { listDocuments } from './views.js';

/**
 * The access history of a record (R1111-43, domain.md §2.8 "traces"): every action on it — professionals'
 * reads and writes, emergency accesses, the patient's own actions and Carnet's — from the AuditEvents the
 * repository writes (which nobody changes or deletes through any API). Read through the repository: the
 * patient and those acting for them, the médecin traitant and the administrator professional see it all;
 * other professionals read their own activity elsewhere.
 */
export interface HistoryItem extends Trace {
  actorType: 'professional' | 'patient' | 'system' | 'other';
  /** For the patient side: who acted, the patient themselves or someone acting for them. */
  relation?: 'self' | 'parent' | 'legal-representative' | 'carer';
  /** Set when the access was an emergency one (break the glass, SAMU). */
  emergency: boolean;
  documentId?: string;
  documentTitle?: string;
}

export interface HistoryFilters {
  from?: string;
  to?: string;
  practitionerId?: string;
  page?: number;
}

export const HISTORY_PAGE = 50;

export async function accessHistory(repo: Repository, ctx: RequestContext, fhirBase: string, patientId: string, f: HistoryFilters = {}): Promise<{ items: HistoryItem[]; more: boolean }> {
  const page = Math.max(0, Math.min(f.page ?? 0, 1000));
  // entity= names the record, so that a professional's search reaches it (patient= is not AuditEvent's owner element)
  const params = new URLSearchParams({ entity: `Patient/${patientId}`, _sort: '-date', _count: String((page + 1) * HISTORY_PAGE + 1) });
  if (f.from) params.append('date', `ge${f.from}`);
  if (f.to) params.append('date', `le${f.to}`);
  if (f.practitionerId) params.set('agent', `Practitioner/${f.practitionerId}`);
  const search = parseSearch('AuditEvent', params, { defaultCount: HISTORY_PAGE, maxCount: 51_000, strict: true, fhirBase });
  return repo.run(
    ctx,
    async (ops) => {
      const result = await ops.search('AuditEvent', search);
      const events = result.versions.slice(page * HISTORY_PAGE).map((v) => JSON.parse(v.content!) as AuditEvent);
      const more = events.length > HISTORY_PAGE;
      const shown = events.slice(0, HISTORY_PAGE);
      // the titles of the documents named, among those the reader may see (never a hidden one's)
      const named = new Set(shown.flatMap((e) => (e.entity ?? []).map((x) => documentIdOf(x.what?.reference)).filter((r): r is string => r !== undefined)));
      const titles = new Map<string, string>();
      if (named.size) for (const d of await listDocuments(ops, fhirBase, patientId, { all: true })) titles.set(d.id, d.title);
      return { items: shown.map((e) => item(e, titles)), more };
    },
    { readOnly: true },
  );
}

/** The document id an audit entity names ("DocumentReference/<id>/_history/<n>" or without the version). */
function documentIdOf(reference: string | undefined): string | undefined {
  return /^DocumentReference\/([^/]+)/.exec(reference ?? '')?.[1];
}

function item(e: AuditEvent, titles: Map<string, string>): HistoryItem {
  const t = toTrace(e);
  const who = e.agent?.[0]?.who?.reference ?? '';
  const actorType = who.startsWith('Practitioner/') ? 'professional' : who.startsWith('Patient/') || who.startsWith('RelatedPerson/') ? 'patient' : who.startsWith('Device/') ? 'system' : 'other';
  const emergency = (e.purposeOfEvent ?? []).some((p) => p.coding?.some((c) => c.code === 'ETREAT'));
  const documentId = (e.entity ?? []).map((x) => documentIdOf(x.what?.reference)).find((r) => r !== undefined);
  const acting = e.agent?.[0]?.role?.map((r) => r.text ?? '').find((t) => t.startsWith('acting for the patient as '));
  const relation = actorType === 'patient' ? ((acting?.slice('acting for the patient as '.length) ?? 'self') as HistoryItem['relation']) : undefined;
  const hidden = documentId !== undefined && !titles.has(documentId);
  return {
    ...t,
    // the id of a document the reader may not see is not told either
    ...(hidden ? { what: 'DocumentReference' } : {}),
    actorType: e.agent?.[0]?.who?.display === 'Carnet' ? 'system' : actorType,
    emergency,
    ...(relation ? { relation } : {}),
    // a document is named only to a reader who may see it
    ...(documentId && titles.has(documentId) ? { documentId, documentTitle: titles.get(documentId)! } : {}),
  };
}
