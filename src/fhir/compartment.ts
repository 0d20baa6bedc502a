import { AppError } from '../errors.js';
import { parseReference } from './reference.js';

type Json = Record<string, unknown>;

/**
 * Where each type records the patient it is about, in order of preference (from the R4 Patient
 * CompartmentDefinition, narrowed to the element that makes the patient the record's owner).
 * Each path is a list of property names walked through objects and arrays.
 */
const OWNER_PATHS: Record<string, string[][]> = {
  AllergyIntolerance: [['patient']],
  Appointment: [['participant', 'actor']],
  AuditEvent: [['entity', 'what'], ['agent', 'who']],
  Binary: [['securityContext']],
  Communication: [['subject']],
  Composition: [['subject']],
  Condition: [['subject']],
  Consent: [['patient']],
  Device: [['patient']],
  DocumentReference: [['subject']],
  Encounter: [['subject']],
  FamilyMemberHistory: [['patient']],
  Goal: [['subject']],
  Immunization: [['patient']],
  List: [['subject']],
  MedicationStatement: [['subject']],
  Observation: [['subject']],
  Procedure: [['subject']],
  QuestionnaireResponse: [['subject'], ['source']],
  RelatedPerson: [['patient']],
};

/** Types whose resources belong to a patient's record (when they name the patient). */
export const COMPARTMENT_TYPES: ReadonlySet<string> = new Set(['Patient', 'Bundle', ...Object.keys(OWNER_PATHS)]);

/**
 * The FHIRPath of the element that first places a resource of this type in a patient's record
 * ("Observation.subject"), or undefined for types outside the compartment and for Patient and Bundle.
 */
export function ownerPath(type: string): string | undefined {
  const first = Object.hasOwn(OWNER_PATHS, type) ? OWNER_PATHS[type]![0] : undefined;
  return first ? `${type}.${first.join('.')}` : undefined;
}

function collect(node: unknown, path: string[], out: unknown[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => collect(n, path, out));
    return;
  }
  if (path.length === 0) {
    out.push(node);
    return;
  }
  if (node && typeof node === 'object') collect((node as Json)[path[0]!], path.slice(1), out);
}

const FOREIGN_PATIENT = /^https?:\/\/.+\/Patient\/[A-Za-z0-9\-.]{1,64}(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** The local patients named at a path, and whether a patient is named there that Carnet cannot place. */
function patientsAt(resource: Json, path: string[], fhirBase?: string): { ids: string[]; unplaced: boolean } {
  const refs: unknown[] = [];
  collect(resource, path, refs);
  const ids: string[] = [];
  let unplaced = false;
  for (const r of refs) {
    const ref = r as Json | undefined;
    const parsed = parseReference(ref?.reference, fhirBase);
    if (parsed?.type === 'Patient' && !ids.includes(parsed.id)) ids.push(parsed.id);
    // a patient on another server, or named by identifier only: it is someone's health data all the same
    if (!parsed && typeof ref?.reference === 'string' && FOREIGN_PATIENT.test(ref.reference)) unplaced = true;
    if (ref?.reference === undefined && ref?.type === 'Patient' && ref.identifier !== undefined) unplaced = true;
  }
  return { ids, unplaced };
}

/**
 * The patient whose compartment a resource belongs to, computed at write time, or null for data outside any
 * patient's record (directory, questionnaires...). A resource belongs to one patient at most: one that
 * names several owners is refused with 422, because it could not be shown to one without the other.
 */
export function patientCompartment(resource: Json, fhirBase?: string): string | null {
  const type = resource.resourceType as string;
  if (type === 'Patient') return typeof resource.id === 'string' ? resource.id : null;
  if (type === 'Bundle') return bundleCompartment(resource, fhirBase);
  let unplaced = false;
  for (const path of Object.hasOwn(OWNER_PATHS, type) ? OWNER_PATHS[type]! : []) {
    const { ids, unplaced: here } = patientsAt(resource, path, fhirBase);
    unplaced ||= here;
    if (ids.length > 1) {
      throw new AppError(422, 'business-rule', `${type}.${path.join('.')} names several patients; a resource belongs to one patient at most`, [`${type}.${path.join('.')}`]);
    }
    if (ids.length === 1) return ids[0]!;
  }
  if (unplaced) {
    // kept outside any record, it would be readable by operators: refuse rather than misfile it
    throw new AppError(422, 'business-rule', `${type} names its patient by a reference Carnet cannot resolve (another server, or an identifier only); use Patient/<id>`);
  }
  return null;
}

/** A stored Bundle (a document, a collection) belongs to the one patient its entries are about, if any. */
function bundleCompartment(bundle: Json, fhirBase?: string): string | null {
  const owners = new Set<string>();
  for (const entry of (bundle.entry as Json[] | undefined) ?? []) {
    const r = entry?.resource as Json | undefined;
    if (!r || typeof r.resourceType !== 'string') continue;
    const owner = patientCompartment(r, fhirBase);
    if (owner) owners.add(owner);
  }
  if (owners.size > 1) {
    throw new AppError(422, 'business-rule', 'The Bundle holds resources of several patients; a stored Bundle belongs to one patient at most', ['Bundle.entry']);
  }
  return owners.size === 1 ? [...owners][0]! : null;
}
