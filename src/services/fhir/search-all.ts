import { encodeSearchCursor } from '../../fhir/search/paging.js';
import { parseSearch } from '../../fhir/search/parse.js';
import type { FhirOperations } from '../../repo/index.js';

/** A resource a search found: its id, its content parsed, the record (Patient id) it belongs to. */
export interface FoundResource {
  id: string;
  resource: Record<string, unknown>;
  patientId: string | null;
}

const PAGE = 500;

/**
 * Every match of a search in the caller's unit of work, page after page (the repository decides and audits
 * each page as the caller): for the services that need a record's whole list of a type (Immunizations,
 * Observations, Goals). Parameters as in a FHIR search URL; `_count` and `_cursor` are set here.
 */
export async function searchAll(ops: FhirOperations, fhirBase: string, type: string, params: [string, string][]): Promise<FoundResource[]> {
  const out: FoundResource[] = [];
  let cursor: string | undefined;
  for (;;) {
    const q = new URLSearchParams([...params, ['_count', String(PAGE)]]);
    if (cursor) q.set('_cursor', cursor);
    const result = await ops.search(type, parseSearch(type, q, { defaultCount: PAGE, maxCount: PAGE, strict: true, fhirBase }));
    for (const v of result.versions) if (v.content) out.push({ id: v.id, resource: JSON.parse(v.content) as Record<string, unknown>, patientId: v.patientId });
    if (!result.next || result.versions.length === 0) return out;
    cursor = encodeSearchCursor(result.next);
  }
}
