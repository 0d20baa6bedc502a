/** ETag and Last-Modified as FHIR's RESTful API writes them. */
export function etag(versionId: number | string): string {
  return `W/"${versionId}"`;
}

export function httpDate(instant: string): string {
  return new Date(instant).toUTCString();
}

/**
 * Reads an If-Match value: W/"3", "3" or 3. Returns undefined when absent, NaN when unreadable.
 */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,18})"?\s*$/.exec(value);
  return m ? Number(m[1]) : Number.NaN;
}
