import type { RowRule, TokenPredicate } from '../domain/access/index.js';
import type { DateTest, Filter, SortKey } from '../fhir/search/parse.js';

/**
 * Compiles parsed search criteria to SQL over the search columns of `resource` and `shared_resource`
 * (tokens, strings, date_params/date_lo/date_hi; see fhir/search/extract.ts). The conditions name the columns
 * unqualified, so the same text serves both tables and the subqueries of chains.
 */

/** Which records a caller may read of one type: patient records (ids, or all) and/or shared data. */
export interface Scope {
  patientIds: readonly string[] | 'all';
  shared: boolean;
  /** Conditions on the rows of some records (the documents a reader may not see; domain/access/documents.ts). */
  rows?: readonly RowRule[];
}

/** A token predicate as SQL over a tokens column. */
export function predicateSql(pred: TokenPredicate, column: string, p: SqlParams): string {
  if (typeof pred === 'boolean') return pred ? 'true' : 'false';
  if ('any' in pred) return `${column} && ${p.add(pred.any, '::text[]')}`;
  if ('not' in pred) return `NOT (${predicateSql(pred.not, column, p)})`;
  const parts = ('and' in pred ? pred.and : pred.or).map((x) => `(${predicateSql(x, column, p)})`);
  return parts.join('and' in pred ? ' AND ' : ' OR ');
}

/**
 * The condition the scope's row rules put on rows of `resource` of one type, or undefined when there is none.
 * A document must meet its record's predicate; a list of documents (submission set, folder) is seen only when
 * every document it lists is, so that it never reveals one that is hidden.
 */
export function rowCondition(type: string, scope: Scope, p: SqlParams): string | undefined {
  if (!scope.rows) return undefined;
  const test = (g: RowRule) =>
    type === 'List'
      ? `(${predicateSql(g.listPredicate, 'tokens', p)}) AND NOT EXISTS (SELECT 1 FROM resource d WHERE d.patient_id = resource.patient_id AND d.resource_type = 'DocumentReference' AND NOT d.deleted
                       AND resource.tokens @> ARRAY['item=DocumentReference/' || d.id] AND NOT (${predicateSql(g.predicate, 'd.tokens', p)}))`
      : predicateSql(g.predicate, 'tokens', p);
  const groups = scope.rows.map((g) => (scope.rows!.length === 1 ? `(${test(g)})` : `(patient_id = ANY(${p.add(g.patientIds, '::text[]')}) AND (${test(g)}))`));
  return groups.length === 0 ? 'false' : `(${groups.join(' OR ')})`;
}

/** Collects positional parameters. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

export interface Compiled {
  /** Conditions for both tables. */
  where: string[];
  /** Subqueries of patient ids the criteria restrict to (chains on the owning patient). */
  patientSubqueries: string[];
}

const RANGE = `unnest(date_params, date_lo, date_hi) AS d(p, lo, hi)`;

function dateCondition(test: DateTest, lo: string, hi: string, p: SqlParams): string {
  const qlo = () => p.add(test.lo, '::timestamptz');
  const qhi = () => p.add(test.hi, '::timestamptz');
  switch (test.prefix) {
    case 'eq':
    case 'ne':
      return `${lo} >= ${qlo()} AND ${hi} <= ${qhi()}`;
    case 'lt':
      return `${lo} < ${qlo()}`;
    case 'gt':
      return `${hi} > ${qhi()}`;
    case 'le':
      return `${lo} < ${qhi()}`;
    case 'ge':
      return `${hi} > ${qlo()}`;
    case 'sa':
      return `${lo} >= ${qhi()}`;
    case 'eb':
      return `${hi} <= ${qlo()}`;
  }
}

function dateFilter(param: string, tests: DateTest[], p: SqlParams): string {
  const alternatives = tests.map((t) => {
    if (param === '_lastUpdated') {
      const cond = dateCondition(t, 'last_updated', `(last_updated + interval '1 millisecond')`, p);
      return t.prefix === 'ne' ? `NOT (${cond})` : `(${cond})`;
    }
    // ne: a value of the parameter outside the search range (a resource without the parameter does not match)
    const cond = dateCondition(t, 'd.lo', 'd.hi', p);
    return `EXISTS (SELECT 1 FROM ${RANGE} WHERE d.p = ${p.add(param)} AND ${t.prefix === 'ne' ? `NOT (${cond})` : cond})`;
  });
  return `(${alternatives.join(' OR ')})`;
}

function stringFilter(f: Extract<Filter, { kind: 'string' }>, p: SqlParams): string {
  if (f.anyOf.length === 0) return 'false';
  if (f.mode === 'exact') return `strings && ${p.add(f.anyOf.map((v) => `${f.param}:exact=${v}`), '::text[]')}`;
  if (f.mode === 'prefix') {
    const tests = f.anyOf.map((v) => `starts_with(s, ${p.add(`${f.param}=${v}`)})`);
    return `EXISTS (SELECT 1 FROM unnest(strings) AS s WHERE ${tests.join(' OR ')})`;
  }
  const prefix = `${f.param}=`;
  const tests = f.anyOf.map((v) => `strpos(substr(s, ${prefix.length + 1}), ${p.add(v)}) > 0`);
  return `EXISTS (SELECT 1 FROM unnest(strings) AS s WHERE starts_with(s, ${p.add(prefix)}) AND (${tests.join(' OR ')}))`;
}

/**
 * A tokens condition, written so that the GIN index serves it (useIndex) or so that it is only checked on
 * rows found otherwise: within a few patients' records the primary key finds a handful of rows, where the
 * index would intersect posting lists that grow with the whole store (every document of a common type).
 */
function tokensTest(cond: string, useIndex: boolean): string {
  return useIndex ? cond : `(${cond}) IS TRUE`;
}

function tokenFilter(f: Extract<Filter, { kind: 'token' }>, p: SqlParams, useIndex: boolean): string {
  const parts: string[] = [];
  if (f.anyOf.length) parts.push(tokensTest(`tokens && ${p.add(f.anyOf, '::text[]')}`, useIndex));
  if (f.systems.length) {
    parts.push(`EXISTS (SELECT 1 FROM unnest(tokens) AS t WHERE ${f.systems.map((s) => `starts_with(t, ${p.add(s)})`).join(' OR ')})`);
  }
  const any = `(${parts.join(' OR ')})`;
  return f.not ? `NOT ${any}` : any;
}

export interface Branch {
  shared: boolean;
  where: string[];
}

/**
 * The tables a search reaches and the conditions on each: the patient table within the patients the scope and
 * the criteria leave, and the shared table when the scope includes it and the criteria do not name a patient.
 */
export function searchBranches(type: string, filters: Filter[], scope: Scope, scopeFor: (type: string) => Scope, p: SqlParams, since?: string): Branch[] {
  const base = [`resource_type = ${p.add(type)}`, 'NOT deleted', ...(since ? [`last_updated >= ${p.add(since, '::timestamptz')}`] : [])];
  const named = criteriaPatients(filters);
  const branches: Branch[] = [];
  const patients = patientRestriction(scope.patientIds, named);
  if (patients !== null) {
    const c = compile(filters, p, scopeFor, patients === 'all');
    const own = [...base, ...c.where, ...c.patientSubqueries.map((s) => `patient_id = ANY(ARRAY(${s}))`)];
    if (patients !== 'all') own.push(patients.length === 1 ? `patient_id = ${p.add(patients[0])}` : `patient_id = ANY(${p.add(patients, '::text[]')})`);
    const rows = rowCondition(type, scope, p);
    if (rows) own.push(rows);
    branches.push({ shared: false, where: own });
  }
  // criteria on the owning patient never match shared data
  const onOwner = filters.some((f) => f.kind === 'chain' && f.owner);
  if (scope.shared && !named && !onOwner) branches.push({ shared: true, where: [...base, ...compile(filters, p, scopeFor, true).where] });
  return branches;
}

/** A query of the current resources matching filters within a scope, selecting the given columns. */
function matchingRows(type: string, filters: Filter[], scope: Scope, p: SqlParams, scopeFor: (type: string) => Scope, columns: string): string {
  const branches = searchBranches(type, filters, scope, scopeFor, p);
  if (branches.length === 0) return `SELECT ${columns} FROM resource WHERE false`;
  return branches.map((b) => `SELECT ${columns} FROM ${b.shared ? 'shared_resource' : 'resource'} WHERE ${b.where.join(' AND ')}`).join(' UNION ALL ');
}

/** The patients a scope and a criteria restriction leave: 'all', a list, or null for none. */
export function patientRestriction(scope: readonly string[] | 'all', criteria: string[] | undefined): readonly string[] | 'all' | null {
  let patients: readonly string[] | 'all' = scope;
  if (criteria) patients = patients === 'all' ? [...new Set(criteria)] : patients.filter((id) => criteria.includes(id));
  return patients !== 'all' && patients.length === 0 ? null : patients;
}

/** The patients the criteria restrict to: those named on the owning element by every such filter. */
function criteriaPatients(filters: Filter[]): string[] | undefined {
  let out: string[] | undefined;
  for (const f of filters) {
    if (f.kind === 'token' && f.patients) out = out ? out.filter((x) => f.patients!.includes(x)) : f.patients;
  }
  return out;
}

export function compile(filters: Filter[], p: SqlParams, scopeFor: (type: string) => Scope, useIndex = true): Compiled {
  const out: Compiled = { where: [], patientSubqueries: [] };
  for (const f of filters) {
    switch (f.kind) {
      case 'id':
        out.where.push(`id = ANY(${p.add(f.values, '::text[]')})`);
        break;
      case 'token':
        out.where.push(tokenFilter(f, p, useIndex));
        break;
      case 'missing':
        if (f.param === '_id' || f.param === '_lastUpdated') out.where.push(f.missing ? 'false' : 'true');
        else out.where.push(`${f.missing ? 'NOT ' : ''}${tokensTest(`tokens @> ${p.add([f.param], '::text[]')}`, useIndex)}`);
        break;
      case 'string':
        out.where.push(stringFilter(f, p));
        break;
      case 'date':
        out.where.push(dateFilter(f.param, f.anyOf, p));
        break;
      case 'chain': {
        const refs = f.targets.map((t) => matchingRows(t.type, t.filters, scopeFor(t.type), p, scopeFor, `${p.add(`${f.param}=`)} || resource_type || '/' || id`));
        out.where.push(tokensTest(`tokens && ARRAY(${refs.join(' UNION ALL ')})`, useIndex));
        if (f.owner) {
          out.patientSubqueries.push(matchingRows('Patient', f.targets[0]!.filters, scopeFor('Patient'), p, scopeFor, 'id'));
        }
        break;
      }
    }
  }
  return out;
}

/** A sort key as an SQL expression, its type (for casting a cursor value back), NULLs last in both directions. */
export function sortExpression(k: SortKey, p: SqlParams): { expr: string; cast: string } {
  switch (k.kind) {
    case 'id':
      return { expr: 'id', cast: '' };
    case 'lastUpdated':
      return { expr: 'last_updated', cast: '::timestamptz' };
    case 'date': {
      const agg = k.desc ? 'max(d.hi)' : 'min(d.lo)';
      return { expr: `COALESCE((SELECT ${agg} FROM ${RANGE} WHERE d.p = ${p.add(k.param)}), '${k.desc ? '-' : ''}infinity'::timestamptz)`, cast: '::timestamptz' };
    }
    case 'string':
    case 'token': {
      const col = k.kind === 'string' ? 'strings' : 'tokens';
      const prefix = `${k.param}=`;
      const value = `substr(v, ${prefix.length + 1}) COLLATE "C"`;
      const onlyCodes = k.kind === 'token' ? ` AND strpos(v, '|') = 0` : '';
      const agg = k.desc ? `max(${value})` : `min(${value})`;
      const none = k.desc ? `''` : `U&'\\+10FFFF'`;
      return { expr: `COALESCE((SELECT ${agg} FROM unnest(${col}) AS v WHERE starts_with(v, ${p.add(prefix)})${onlyCodes}), ${none} COLLATE "C")`, cast: '::text COLLATE "C"' };
    }
  }
}

/** Rows strictly after the cursor in the order of the keys (keyset paging). */
export function afterCursor(keys: { expr: string; cast: string; desc: boolean }[], values: string[], p: SqlParams): string {
  const alternatives = keys.map((k, i) => {
    const equal = keys.slice(0, i).map((e, j) => `${e.expr} = ${p.add(values[j], e.cast)}`);
    return [...equal, `${k.expr} ${k.desc ? '<' : '>'} ${p.add(values[i], k.cast)}`].join(' AND ');
  });
  return `(${alternatives.map((a) => `(${a})`).join(' OR ')})`;
}
