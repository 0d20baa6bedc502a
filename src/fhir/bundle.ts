import { etag, httpDate } from './http-dates.js';

/** A stored version as bundles need it (kept free of the repository's types). */
export interface BundleVersion {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  content: string | null;
}

export interface BundleLinks {
  self: string;
  next?: string;
}

function links(l: BundleLinks): { relation: string; url: string }[] {
  return [{ relation: 'self', url: l.self }, ...(l.next ? [{ relation: 'next', url: l.next }] : [])];
}

/** A history Bundle (instance or type): every version, a delete as a DELETE entry without resource. */
export function historyBundle(fhirBase: string, versions: BundleVersion[], l: BundleLinks): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'history',
    link: links(l),
    entry: versions.map((v) => {
      const fullUrl = `${fhirBase}/${v.resourceType}/${v.id}`;
      const response = { etag: etag(v.versionId), lastModified: v.lastUpdated };
      if (v.deleted) {
        return { fullUrl, request: { method: 'DELETE', url: `${v.resourceType}/${v.id}` }, response: { status: '204', ...response } };
      }
      return {
        fullUrl,
        resource: JSON.parse(v.content!),
        request: v.versionId === 1 ? { method: 'POST', url: v.resourceType } : { method: 'PUT', url: `${v.resourceType}/${v.id}` },
        response: { status: v.versionId === 1 ? '201' : '200', ...response },
      };
    }),
  };
}

/** A searchset Bundle, with an OperationOutcome entry for what was ignored. */
export function searchsetBundle(
  fhirBase: string,
  versions: BundleVersion[],
  l: BundleLinks,
  outcome?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: links(l),
    entry: [
      ...versions.map((v) => ({
        fullUrl: `${fhirBase}/${v.resourceType}/${v.id}`,
        resource: JSON.parse(v.content!),
        search: { mode: 'match' },
      })),
      ...(outcome ? [{ resource: outcome, search: { mode: 'outcome' } }] : []),
    ],
  };
}

export { etag, httpDate };
