import { AppError, type Issue } from '../errors.js';
import { parseReference } from './reference.js';
import { tokenQuery } from './tokens.js';

/**
 * The parameters Carnet's search understands so far (the FHIR search issue widens this list; the
 * CapabilityStatement is built from it so that it never claims more than this parser does).
 */
export const SEARCH_PARAMS = {
  common: [
    { name: '_id', type: 'token', documentation: 'Logical id; several separated by commas' },
    { name: 'identifier', type: 'token', documentation: 'system|value, |value or value; several separated by commas' },
  ],
  /** On every type that belongs to a patient's record. */
  compartment: [
    { name: 'patient', type: 'reference', documentation: 'The patient whose record it is: Patient/id or id' },
    { name: 'subject', type: 'reference', documentation: 'Same as patient, for types whose owner is their subject' },
  ],
} as const;

/** Parameters that shape the result rather than filter it. */
const CONTROL = new Set(['_count', '_cursor', '_format', '_pretty', '_since']);

export interface ParsedSearch {
  ids?: string[];
  /** OR-lists AND-ed together. */
  tokens?: string[][];
  patients?: string[];
  count: number;
  cursor?: { lastUpdated: string; id: string; versionId: number };
  since?: string;
  /** Canonical form of the filters, for the audit. */
  canonical: string;
  /**
   * What conditional writes lock on: the values the criteria match, without systems, so that every spelling
   * of the same criteria (identifier=s|v, identifier=v, identifier=|v) takes the same lock.
   */
  lockKey: string;
  /** Parameters ignored, reported as warnings. */
  ignored: Issue[];
}

export interface SearchLimits {
  defaultCount: number;
  maxCount: number;
  /** Prefer: handling=strict: unknown parameters are an error rather than ignored. */
  strict: boolean;
  /** Whether the type belongs to a patient's record (patient/subject parameters apply). */
  compartmentType: boolean;
  fhirBase?: string;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An instant that exists: the shape of one, and a real date and time (no 30 February, no 25:00). */
export function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = m.slice(1).map((x) => x ?? '0') as string[];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) &&
    Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 && Number(oh) < 24 && Number(om) < 60
  );
}

export function encodeCursor(c: { lastUpdated: string; id: string; versionId: number }): string {
  return Buffer.from(JSON.stringify([c.lastUpdated, c.id, c.versionId])).toString('base64url');
}

export function decodeCursor(value: string): NonNullable<ParsedSearch['cursor']> {
  try {
    const [lastUpdated, id, versionId] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastUpdated === 'string' && isInstant(lastUpdated) && typeof id === 'string' && Number.isInteger(versionId)) {
      return { lastUpdated, id, versionId: versionId as number };
    }
  } catch {
    // fall through
  }
  throw new AppError(400, 'invalid', 'The _cursor parameter is not one this server issued', ['_cursor']);
}

export function parseCount(raw: string | null, limits: Pick<SearchLimits, 'defaultCount' | 'maxCount'>): number {
  if (raw === null) return limits.defaultCount;
  if (!/^\d+$/.test(raw)) throw new AppError(400, 'invalid', `_count must be a whole number, not '${raw}'`, ['_count']);
  return Math.min(Math.max(Number(raw), 1), limits.maxCount);
}

export function parseSince(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  if (!isInstant(raw)) {
    throw new AppError(400, 'invalid', `_since must be an instant such as 2026-01-31T12:00:00Z, not '${raw}'`, ['_since']);
  }
  return raw;
}

export function parseSearch(params: URLSearchParams, limits: SearchLimits): ParsedSearch {
  const out: ParsedSearch = { count: parseCount(params.get('_count'), limits), canonical: '', lockKey: '', ignored: [] };
  const lockParts = new Set<string>();
  const canonical: string[] = [];
  const since = parseSince(params.get('_since'));
  if (since) out.since = since;
  const cursor = params.get('_cursor');
  if (cursor !== null) out.cursor = decodeCursor(cursor);
  for (const [key, value] of params) {
    if (CONTROL.has(key)) continue;
    const known = key === '_id' || key === 'identifier' || ((key === 'patient' || key === 'subject') && limits.compartmentType);
    if (!known) {
      const issue: Issue = {
        severity: 'warning',
        code: 'not-supported',
        diagnostics: `The search parameter '${key}' is not supported and was ignored`,
        expression: [key],
      };
      if (limits.strict) throw AppError.fromIssues(400, [{ ...issue, severity: 'error', diagnostics: `The search parameter '${key}' is not supported` }]);
      out.ignored.push(issue);
      continue;
    }
    const values = value.split(',').filter((v) => v !== '');
    if (values.length === 0) throw new AppError(400, 'invalid', `The parameter ${key} has no value`, [key]);
    if (key === '_id') {
      out.ids = out.ids ? out.ids.filter((i) => values.includes(i)) : values;
    } else if (key === 'identifier') {
      (out.tokens ??= []).push(values.map((v) => tokenQuery('identifier', v)));
    } else {
      const ids = values.map((v) => {
        const ref = parseReference(v.includes('/') ? v : `Patient/${v}`, limits.fhirBase);
        if (!ref || ref.type !== 'Patient') throw new AppError(400, 'invalid', `${key} must reference a Patient, not '${v}'`, [key]);
        return ref.id;
      });
      out.patients = out.patients ? out.patients.filter((p) => ids.includes(p)) : ids;
    }
    canonical.push(`${key}=${values.join(',')}`);
    for (const v of values) lockParts.add(`${key === 'subject' ? 'patient' : key}:${v.slice(v.lastIndexOf('|') + 1).replace(/^.*\//, '')}`);
  }
  out.canonical = canonical.sort().join('&');
  out.lockKey = [...lockParts].sort().join('&');
  return out;
}
