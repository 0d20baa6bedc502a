/** Parsing of FHIR literal references such as "Patient/123", "Patient/123/_history/2" or an absolute URL. */
export interface ParsedReference {
  type: string;
  id: string;
  version?: string;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

/**
 * Parses a reference. Absolute URLs count only when they point at this server's FHIR base (baseUrl + /fhir);
 * a reference elsewhere, a contained one (#x) or a urn: is not a local resource and gives undefined.
 */
export function parseReference(reference: unknown, fhirBase?: string): ParsedReference | undefined {
  if (typeof reference !== 'string') return undefined;
  let ref = reference;
  if (/^https?:\/\//.test(ref)) {
    if (!fhirBase || !ref.startsWith(`${fhirBase}/`)) return undefined;
    ref = ref.slice(fhirBase.length + 1);
  }
  const m = RELATIVE.exec(ref);
  if (!m) return undefined;
  return { type: m[1]!, id: m[2]!, ...(m[3] ? { version: m[3] } : {}) };
}
