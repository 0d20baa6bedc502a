import { evalFhirPathTyped, toTypedValue, type TypedValue } from '@medplum/core';
import { searchParams, type SearchParamDef } from './definitions.js';
import { dateRange, normalizeString, referenceForm } from './values.js';

type Json = Record<string, unknown>;

/**
 * The search columns of one resource version, computed at write time from its type's search parameters.
 * - tokens: "param=system|code", "param=code", "param=|code" (no system), references as "param=Type/id",
 *   logical references as "param:identifier=system|value", uris as "param=uri", and the bare name "param"
 *   for every parameter that has a value (what :missing asks);
 * - strings: "param=<normalised>" (accent- and case-insensitive) and "param:exact=<as written>";
 * - dates: parallel arrays of parameter names and [lo, hi) ranges.
 */
export interface SearchIndex {
  tokens: string[];
  strings: string[];
  dateParams: string[];
  dateLo: string[];
  dateHi: string[];
}

/** Bumped whenever what is extracted changes: rows indexed by an older version are re-indexed at start. */
export const INDEX_VERSION = 2;

export function emptyIndex(): SearchIndex {
  return { tokens: [], strings: [], dateParams: [], dateLo: [], dateHi: [] };
}

export function extractIndex(resource: Json, fhirBase?: string): SearchIndex {
  const tokens = new Set<string>();
  const strings = new Set<string>();
  const dates = new Map<string, [string, string, string]>();
  let input: TypedValue[] | undefined;
  const typed = () => (input ??= [toTypedValue(relativeReferences(resource, fhirBase))]);
  for (const def of searchParams(resource.resourceType as string).values()) {
    const values = valuesOf(def, resource, typed);
    let present = false;
    for (const v of values) {
      if (v.value === undefined || v.value === null) continue;
      const added = addValue(def, v, fhirBase, tokens, strings, dates);
      present ||= added;
    }
    if (present) tokens.add(def.code);
  }
  const ranges = [...dates.values()];
  return {
    tokens: [...tokens],
    strings: [...strings],
    dateParams: ranges.map((r) => r[0]),
    dateLo: ranges.map((r) => r[1]),
    dateHi: ranges.map((r) => r[2]),
  };
}

/** The values of a parameter in a resource: plain paths walked directly, the rest through FHIRPath. */
function valuesOf(def: SearchParamDef, resource: Json, typed: () => TypedValue[]): TypedValue[] {
  const out: TypedValue[] = [];
  for (const part of def.parts) {
    if ('path' in part) {
      let nodes: unknown[] = [resource];
      for (const segment of part.path) {
        nodes = nodes.flatMap((n) => {
          const v = n !== null && typeof n === 'object' ? (n as Json)[segment] : undefined;
          return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
        });
      }
      for (const value of nodes) {
        if (part.targetType && !referencesType(value, part.targetType)) continue;
        out.push({ type: part.type, value });
      }
    } else {
      try {
        out.push(...evalFhirPathTyped(part.atom, typed()));
      } catch {
        // an expression that does not apply to this instance's shape
      }
    }
  }
  return out;
}

/** Whether a Reference points to a resource of this type (what FHIRPath's "resolve() is Type" tells). */
function referencesType(value: unknown, type: string): boolean {
  const ref = (value as Json).reference;
  if (typeof ref !== 'string') return (value as Json).type === type;
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}(?:\/_history\/[^/]+)?$/.exec(ref);
  return m?.[1] === type;
}

/**
 * The resource with its references to this server made relative, so that FHIRPath's resolve() sees their
 * type ("Patient/1" rather than "https://host/fhir/Patient/1"). Copies only what it changes.
 */
function relativeReferences<T>(value: T, fhirBase: string | undefined): T {
  if (!fhirBase) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const r = relativeReferences(v, fhirBase);
      changed ||= r !== v;
      return r;
    });
    return (changed ? out : value) as T;
  }
  if (value === null || typeof value !== 'object') return value;
  let out: Json | undefined;
  for (const [k, v] of Object.entries(value as Json)) {
    const r = k === 'reference' && typeof v === 'string' && v.startsWith(`${fhirBase}/`) ? v.slice(fhirBase.length + 1) : relativeReferences(v, fhirBase);
    if (r !== v) (out ??= { ...(value as Json) })[k] = r;
  }
  return (out ?? value) as T;
}

function addValue(
  def: SearchParamDef,
  v: TypedValue,
  fhirBase: string | undefined,
  tokens: Set<string>,
  strings: Set<string>,
  dates: Map<string, [string, string, string]>,
): boolean {
  const p = def.code;
  const value = v.value as unknown;
  switch (def.type) {
    case 'token':
      return tokenValues(v).map(([system, code]) => addToken(tokens, p, system, code)).length > 0;
    case 'uri':
      if (typeof value !== 'string') return false;
      tokens.add(`${p}=${value}`);
      return true;
    case 'string': {
      const texts = stringValues(v);
      for (const text of texts) {
        const norm = normalizeString(text);
        if (norm === '') continue;
        strings.add(`${p}=${norm}`);
        strings.add(`${p}:exact=${text}`);
      }
      return texts.length > 0;
    }
    case 'date': {
      const ranges = dateValues(v);
      for (const r of ranges) dates.set(`${p}\u0000${r.lo}\u0000${r.hi}`, [p, r.lo, r.hi]);
      return ranges.length > 0;
    }
    case 'reference': {
      let added = false;
      if (typeof value === 'string') {
        tokens.add(`${p}=${value}`); // canonical or uri
        return true;
      }
      const ref = value as Json;
      if (typeof ref.reference === 'string') {
        const form = referenceForm(ref.reference, fhirBase);
        if (form) {
          tokens.add(`${p}=${form}`);
          added = true;
        }
      }
      const ident = ref.identifier as Json | undefined;
      if (ident && typeof ident.value === 'string') {
        addToken(tokens, `${p}:identifier`, typeof ident.system === 'string' ? ident.system : undefined, ident.value);
        added = true;
      }
      return added;
    }
  }
}

function addToken(tokens: Set<string>, param: string, system: string | undefined, code: string): void {
  tokens.add(`${param}=${code}`);
  tokens.add(system ? `${param}=${system}|${code}` : `${param}=|${code}`);
}

/** [system, code] pairs of a token-typed value. */
function tokenValues(v: TypedValue): [string | undefined, string][] {
  const value = v.value as Json;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  switch (v.type) {
    case 'Coding':
      return typeof value.code === 'string' ? [[str(value.system), value.code]] : [];
    case 'CodeableConcept':
      return ((value.coding as Json[] | undefined) ?? []).flatMap((c) => (typeof c.code === 'string' ? [[str(c.system), c.code] as [string | undefined, string]] : []));
    case 'Identifier':
      return typeof value.value === 'string' ? [[str(value.system), value.value]] : [];
    case 'ContactPoint':
      return typeof value.value === 'string' ? [[undefined, value.value]] : [];
    default:
      return ['string', 'number', 'boolean'].includes(typeof v.value) ? [[undefined, String(v.value)]] : [];
  }
}

/** The texts a string-typed value is searched by. */
function stringValues(v: TypedValue): string[] {
  const value = v.value as Json;
  const strs = (...xs: unknown[]) => xs.flat().filter((x): x is string => typeof x === 'string' && x.trim() !== '');
  switch (v.type) {
    case 'HumanName': {
      const parts = strs(value.prefix, value.given, value.family, value.suffix);
      const full = strs(value.given, value.family).join(' ');
      return [...new Set([...parts, ...strs(value.text), ...(full.includes(' ') ? [full] : [])])];
    }
    case 'Address':
      return strs(value.line, value.city, value.district, value.state, value.postalCode, value.country, value.text);
    default:
      return typeof v.value === 'string' && v.value.trim() !== '' ? [v.value] : [];
  }
}

/** The [lo, hi) ranges of a date-typed value. */
function dateValues(v: TypedValue): { lo: string; hi: string }[] {
  const value = v.value as Json;
  switch (v.type) {
    case 'Period': {
      const start = typeof value.start === 'string' ? dateRange(value.start) : undefined;
      const end = typeof value.end === 'string' ? dateRange(value.end) : undefined;
      if (!start && !end) return [];
      return [{ lo: start?.lo ?? '-infinity', hi: end?.hi ?? 'infinity' }];
    }
    case 'Timing':
      return ((value.event as unknown[] | undefined) ?? []).flatMap((e) => {
        const r = typeof e === 'string' ? dateRange(e) : undefined;
        return r ? [r] : [];
      });
    default: {
      const r = typeof v.value === 'string' ? dateRange(v.value) : undefined;
      return r ? [r] : [];
    }
  }
}

/** The local references ("Type/id") a resource holds under a reference parameter (for _include). */
export function referencesOf(content: string, param: string, fhirBase?: string): string[] {
  const resource = JSON.parse(content) as Json;
  const def = searchParams(resource.resourceType as string).get(param);
  if (def?.type !== 'reference') return [];
  const out = new Set<string>();
  for (const v of valuesOf(def, resource, () => [toTypedValue(relativeReferences(resource, fhirBase))])) {
    const ref = (v.value as Json | undefined)?.reference;
    const form = typeof ref === 'string' ? referenceForm(ref, fhirBase) : undefined;
    if (form && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(form)) out.add(form);
  }
  return [...out];
}
