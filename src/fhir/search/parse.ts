import { AppError, type Issue } from '../../errors.js';
import { isSupportedType, SUPPORTED_TYPES } from '../resource-types.js';
import { searchParams, type SearchParamDef } from './definitions.js';
import { decodeSearchCursor, parseCount, parseSince } from './paging.js';
import { dateRange, normalizeString, referenceForm } from './values.js';

export type DatePrefix = 'eq' | 'ne' | 'lt' | 'gt' | 'le' | 'ge' | 'sa' | 'eb';

export interface DateTest {
  prefix: DatePrefix;
  lo: string;
  hi: string;
}

/** One search criterion; the filters of a search are AND-ed, the values inside one are OR-ed. */
export type Filter =
  | { kind: 'id'; values: string[] }
  | {
      kind: 'token';
      param: string;
      /** Stored forms, any of which matches. */
      anyOf: string[];
      /** "system|" values: any code of these systems. */
      systems: string[];
      not: boolean;
      /** A reference to patients on the element that files the resource in their record: also a patient_id filter. */
      patients?: string[];
    }
  | { kind: 'missing'; param: string; missing: boolean }
  | { kind: 'string'; param: string; mode: 'prefix' | 'exact' | 'contains'; anyOf: string[] }
  | { kind: 'date'; param: string; anyOf: DateTest[] }
  | { kind: 'chain'; param: string; targets: { type: string; filters: Filter[] }[]; owner: boolean };

export type SortKind = 'id' | 'lastUpdated' | 'date' | 'string' | 'token';

export interface SortKey {
  param: string;
  kind: SortKind;
  desc: boolean;
}

export interface IncludeSpec {
  /** The type holding the reference. */
  sourceType: string;
  param: string;
  targetType?: string;
}

export interface ParsedSearch {
  filters: Filter[];
  /** Always ends with _id, which makes the order total (and the cursor exact). */
  sort: SortKey[];
  count: number;
  /** Sort values and id of the last entry of the previous page. */
  cursor?: string[];
  since?: string;
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  /** _total=accurate (or estimate): count every match. */
  total: boolean;
  /** _summary=count: the total only, no entries. */
  summaryCount: boolean;
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
  fhirBase?: string;
}

/** Parameters that shape the result rather than filter it. */
const RESULT_PARAMS = new Set(['_count', '_cursor', '_format', '_pretty', '_since', '_sort', '_include', '_revinclude', '_total', '_summary']);

const MODIFIERS: Record<SearchParamDef['type'] | 'id', string[]> = {
  token: ['not', 'missing'],
  string: ['exact', 'contains', 'missing'],
  date: ['missing'],
  reference: ['missing', 'identifier'],
  uri: ['missing'],
  id: [],
};

const bad = (param: string, message: string) => new AppError(400, 'invalid', message, [param]);

/** Splits a parameter value on commas not escaped with a backslash, and unescapes \, \| \$ \\. */
export function splitValues(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      cur += raw[i + 1] === ',' ? ',' : `\\${raw[i + 1]}`;
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((v) => v !== '');
}

const unescape = (s: string) => s.replace(/\\([|$\\])/g, '$1');

/** "system|code" → [system, code]; the first unescaped bar separates them. */
function splitToken(value: string): [string | undefined, string] {
  const m = /^((?:[^|\\]|\\.)*)\|(.*)$/.exec(value);
  return m ? [unescape(m[1]!), unescape(m[2]!)] : [undefined, unescape(value)];
}

interface Definition {
  code: string;
  type: SearchParamDef['type'] | 'id';
  def?: SearchParamDef;
}

function lookup(type: string, code: string): Definition | undefined {
  if (code === '_id') return { code, type: 'id' };
  if (code === '_lastUpdated') return { code, type: 'date' };
  const def = searchParams(type).get(code);
  return def ? { code, type: def.type, def } : undefined;
}

class Parser {
  readonly lockParts = new Set<string>();

  constructor(
    private readonly type: string,
    private readonly limits: SearchLimits,
  ) {}

  /** A filter for "code[:modifier]=values" on this parser's type (no chain). */
  filter(type: string, key: string, code: string, modifier: string | undefined, raw: string): Filter {
    const param = lookup(type, code)!;
    const values = splitValues(raw);
    if (values.length === 0) throw bad(key, `The parameter ${key} has no value`);
    if (modifier !== undefined && !MODIFIERS[param.type].includes(modifier)) {
      const typeModifier = param.type === 'reference' && isSupportedType(modifier);
      if (!typeModifier) throw bad(key, `The modifier :${modifier} is not supported on ${code} (a ${param.type} parameter)`);
    }
    if (modifier === 'missing') {
      if (values.length !== 1 || !['true', 'false'].includes(values[0]!)) throw bad(key, `${key} must be true or false`);
      return { kind: 'missing', param: code, missing: values[0] === 'true' };
    }
    const filter = this.parseValues(type, key, code, modifier, values, param);
    for (const part of lockValues(filter)) this.lockParts.add(`${code}:${part}`);
    return filter;
  }

  private parseValues(type: string, key: string, code: string, modifier: string | undefined, values: string[], param: Definition): Filter {
    switch (param.type) {
      case 'id':
        for (const v of values) if (!/^[A-Za-z0-9\-.]{1,64}$/.test(v)) throw bad(key, `'${v}' is not a valid id`);
        return { kind: 'id', values };
      case 'date':
        return { kind: 'date', param: code, anyOf: values.map((v) => dateTest(key, v)) };
      case 'string':
        return {
          kind: 'string',
          param: code,
          mode: modifier === 'exact' ? 'exact' : modifier === 'contains' ? 'contains' : 'prefix',
          anyOf: values.map((v) => (modifier === 'exact' ? unescape(v) : normalizeString(unescape(v)))).filter((v) => v !== ''),
        };
      case 'uri':
        return { kind: 'token', param: code, anyOf: values.map((v) => `${code}=${unescape(v)}`), systems: [], not: false };
      case 'token':
        return this.token(key, code, values, modifier === 'not');
      case 'reference':
        if (modifier === 'identifier') return this.token(key, `${code}:identifier`, values, false);
        return this.reference(key, param.def!, values, modifier);
    }
  }

  private token(key: string, param: string, values: string[], not: boolean): Filter {
    const anyOf: string[] = [];
    const systems: string[] = [];
    for (const v of values) {
      const [system, code] = splitToken(v);
      if (system === undefined) anyOf.push(`${param}=${code}`);
      else if (code !== '') anyOf.push(`${param}=${system}|${code}`);
      else if (system !== '') systems.push(`${param}=${system}|`);
      else throw bad(key, `'${v}' has neither a system nor a code`);
    }
    return { kind: 'token', param, anyOf, systems, not };
  }

  private reference(key: string, def: SearchParamDef, values: string[], typeModifier: string | undefined): Filter {
    const anyOf: string[] = [];
    const patients: string[] = [];
    let allPatients = true;
    for (const raw of values) {
      const v = typeModifier ? `${typeModifier}/${raw}` : raw;
      const forms = v.includes('/')
        ? [referenceForm(v, this.limits.fhirBase) ?? v]
        : (def.targets.length ? def.targets : SUPPORTED_TYPES).map((t) => `${t}/${v}`);
      const named = /^([A-Z][A-Za-z]+)\/[^/]+$/.exec(forms[0]!)?.[1];
      if (named && def.targets.length && !def.targets.includes(named)) {
        throw bad(key, `${def.code} refers to ${def.targets.join(' or ')}, not ${named}`);
      }
      for (const form of forms) {
        anyOf.push(`${def.code}=${form}`);
        const m = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(form);
        if (m) patients.push(m[1]!);
        else allPatients = false;
      }
    }
    if (anyOf.length === 0) throw bad(key, `${key} has no value`);
    return { kind: 'token', param: def.code, anyOf, systems: [], not: false, ...(def.owner && allPatients ? { patients } : {}) };
  }

  chain(key: string, code: string, typeModifier: string | undefined, chained: string, raw: string): Filter {
    const param = lookup(this.type, code)!;
    if (param.type !== 'reference') throw bad(key, `${code} is a ${param.type} parameter: only reference parameters can be chained`);
    if (chained.includes('.')) throw bad(key, `${key}: chains go one level deep only`);
    if (typeModifier !== undefined && !isSupportedType(typeModifier)) throw bad(key, `${typeModifier} is not a resource type Carnet supports`);
    const [chainedCode, chainedModifier] = chained.split(':') as [string, string | undefined];
    if (typeModifier !== undefined && param.def!.targets.length && !param.def!.targets.includes(typeModifier)) {
      throw bad(key, `${code} refers to ${param.def!.targets.join(' or ')}, not ${typeModifier}`);
    }
    const candidates = typeModifier ? [typeModifier] : param.def!.targets.filter(isSupportedType);
    const targets = candidates
      .filter((t) => lookup(t, chainedCode) !== undefined)
      .map((t) => ({ type: t, filters: [this.filter(t, key, chainedCode, chainedModifier, raw)] }));
    if (targets.length === 0) throw bad(key, `${chainedCode} is not a search parameter of ${candidates.join(' or ') || 'the types ' + code + ' references'}`);
    return { kind: 'chain', param: code, targets, owner: param.def!.owner && targets.every((t) => t.type === 'Patient') };
  }
}

/** The values a filter matches, without systems or types: what conditional writes lock on. */
function lockValues(f: Filter): string[] {
  switch (f.kind) {
    case 'id':
      return f.values;
    case 'token':
      return [...f.anyOf, ...f.systems].map((form) => form.slice(form.indexOf('=') + 1).replace(/^.*\|/, '').replace(/^[A-Z][A-Za-z]+\//, ''));
    case 'string':
      return f.anyOf.map(normalizeString);
    case 'date':
      return f.anyOf.map((d) => `${d.prefix}${d.lo}`);
    default:
      return [];
  }
}

function dateTest(key: string, value: string): DateTest {
  const m = /^(eq|ne|lt|gt|le|ge|sa|eb|ap)?(.*)$/.exec(value)!;
  if (m[1] === 'ap') throw bad(key, `The date prefix ap is not supported; use ge and le`);
  const range = dateRange(m[2]!);
  if (!range) throw bad(key, `'${value}' is not a date: expected an optional prefix (eq, ne, lt, gt, le, ge, sa, eb) and YYYY, YYYY-MM, YYYY-MM-DD or a dateTime`);
  return { prefix: (m[1] ?? 'eq') as DatePrefix, ...range };
}

function sortKeys(type: string, raw: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const item of raw.split(',').filter((s) => s !== '')) {
    const desc = item.startsWith('-');
    const code = desc ? item.slice(1) : item;
    const param = lookup(type, code);
    if (!param) throw bad('_sort', `Cannot sort ${type} by '${code}': it is not one of its search parameters`);
    const kind: SortKind =
      param.type === 'id' ? 'id' : code === '_lastUpdated' ? 'lastUpdated' : param.type === 'date' ? 'date' : param.type === 'string' ? 'string' : 'token';
    if (!keys.some((k) => k.param === code)) keys.push({ param: code, kind, desc });
  }
  if (!keys.some((k) => k.kind === 'id')) keys.push({ param: '_id', kind: 'id', desc: false });
  return keys.slice(0, keys.findIndex((k) => k.kind === 'id') + 1);
}

function includeSpec(key: string, value: string, searched: string, rev: boolean): IncludeSpec {
  const [sourceType, param, targetType, ...rest] = value.split(':');
  if (!sourceType || !param || rest.length) throw bad(key, `${key} must be written Type:parameter[:targetType], not '${value}'`);
  if (!isSupportedType(sourceType)) throw bad(key, `${sourceType} is not a resource type Carnet supports`);
  if (!rev && sourceType !== searched) throw bad(key, `_include must start with the searched type ${searched}, not ${sourceType}`);
  const def = searchParams(sourceType).get(param);
  if (def?.type !== 'reference') throw bad(key, `${param} is not a reference parameter of ${sourceType}`);
  if (targetType !== undefined && !isSupportedType(targetType)) throw bad(key, `${targetType} is not a resource type Carnet supports`);
  return { sourceType, param, ...(targetType ? { targetType } : {}) };
}

/** Parses a search on a type: filters, sort, includes, paging and totals. */
export function parseSearch(type: string, params: URLSearchParams, limits: SearchLimits): ParsedSearch {
  const out: ParsedSearch = {
    filters: [],
    sort: sortKeys(type, params.getAll('_sort').join(',')),
    count: parseCount(params.get('_count'), limits),
    include: [],
    revinclude: [],
    total: false,
    summaryCount: false,
    canonical: '',
    lockKey: '',
    ignored: [],
  };
  const since = parseSince(params.get('_since'));
  if (since) out.since = since;
  const cursor = params.get('_cursor');
  if (cursor !== null) out.cursor = decodeSearchCursor(cursor, out.sort.length);
  const ignore = (key: string, why: string) => {
    const issue: Issue = { severity: 'warning', code: 'not-supported', diagnostics: `${why} and was ignored`, expression: [key] };
    if (limits.strict) throw AppError.fromIssues(400, [{ ...issue, severity: 'error', diagnostics: why }]);
    out.ignored.push(issue);
  };
  const parser = new Parser(type, limits);
  const canonical: string[] = [];
  for (const [key, value] of params) {
    const [base] = key.split(':') as [string];
    if (RESULT_PARAMS.has(base)) {
      resultParam(out, type, key, value, ignore);
      continue;
    }
    const dot = key.indexOf('.');
    const head = dot >= 0 ? key.slice(0, dot) : key;
    const [code, modifier] = head.split(':') as [string, string | undefined];
    if (lookup(type, code) === undefined) {
      ignore(key, `The search parameter '${code}' is not supported on ${type}`);
      continue;
    }
    out.filters.push(dot >= 0 ? parser.chain(key, code, modifier, key.slice(dot + 1), value) : parser.filter(type, key, code, modifier, value));
    canonical.push(`${key}=${value}`);
  }
  out.canonical = canonical.sort().join('&');
  out.lockKey = [...parser.lockParts].sort().join('&');
  return out;
}

function resultParam(out: ParsedSearch, type: string, key: string, value: string, ignore: (key: string, why: string) => void): void {
  const [base, modifier] = key.split(':');
  switch (base) {
    case '_include':
    case '_revinclude':
      if (modifier !== undefined && modifier !== 'iterate') throw bad(key, `Unknown modifier :${modifier} on ${base}`);
      if (modifier === 'iterate') ignore(key, `${base}:iterate is not supported: the include is not iterated`);
      if (value === '*') return ignore(key, `${base}=* is not supported`);
      (base === '_include' ? out.include : out.revinclude).push(includeSpec(key, value, type, base === '_revinclude'));
      return;
    case '_total':
      if (!['none', 'estimate', 'accurate'].includes(value)) throw bad(key, `_total must be none, estimate or accurate, not '${value}'`);
      out.total = value !== 'none';
      return;
    case '_summary':
      if (value === 'count') out.summaryCount = true;
      else if (value !== 'false') ignore(key, `_summary=${value} is not supported: whole resources are returned`);
      return;
    default:
      return; // read above: _count, _cursor, _since, _sort; _format and _pretty are the transport's
  }
}
