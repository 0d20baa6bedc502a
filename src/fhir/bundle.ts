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

export interface SearchsetParts {
  matches: BundleVersion[];
  included?: BundleVersion[];
  total?: number;
  /** An OperationOutcome of what was ignored. */
  outcome?: Record<string, unknown>;
}

/**
 * A searchset Bundle, as JSON text: the stored resources are spliced in as they are (they are already JSON),
 * rather than parsed and serialised again.
 */
export function searchsetBundle(fhirBase: string, parts: SearchsetParts, l: BundleLinks): string {
  const entry = (v: BundleVersion, mode: string) =>
    `{"fullUrl":${JSON.stringify(`${fhirBase}/${v.resourceType}/${v.id}`)},"resource":${v.content!},"search":{"mode":"${mode}"}}`;
  const entries = [
    ...parts.matches.map((v) => entry(v, 'match')),
    ...(parts.included ?? []).map((v) => entry(v, 'include')),
    ...(parts.outcome ? [`{"resource":${JSON.stringify(parts.outcome)},"search":{"mode":"outcome"}}`] : []),
  ];
  const total = parts.total !== undefined ? `"total":${parts.total},` : '';
  return `{"resourceType":"Bundle","type":"searchset",${total}"link":${JSON.stringify(links(l))},"entry":[${entries.join(',')}]}`;
}

export { etag, httpDate };
