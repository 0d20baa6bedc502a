type Json = Record<string, unknown>;

/**
 * The token search values extracted at write time into the `tokens` column. Each is "param=system|code"
 * (and "param=code" so that a code alone matches any system, "param=|code" when there is no system).
 * The FHIR search issue extends this to every token parameter; the format stays.
 */
export function extractTokens(resource: Json): string[] {
  const out = new Set<string>();
  const identifiers = resource.identifier;
  for (const ident of Array.isArray(identifiers) ? identifiers : identifiers ? [identifiers] : []) {
    const { system, value } = (ident ?? {}) as Json;
    if (typeof value !== 'string') continue;
    for (const t of tokenForms('identifier', typeof system === 'string' ? system : undefined, value)) out.add(t);
  }
  return [...out];
}

export function tokenForms(param: string, system: string | undefined, code: string): string[] {
  return system ? [`${param}=${system}|${code}`, `${param}=${code}`] : [`${param}=|${code}`, `${param}=${code}`];
}

/** The stored form a search value "system|code", "|code" or "code" is matched against. */
export function tokenQuery(param: string, value: string): string {
  return `${param}=${value}`;
}
