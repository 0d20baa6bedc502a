import type { Principal, Relation } from './principal.js';

/** Directory-like types any signed-in user may read when they sit outside a patient's record. */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Device',
  'Questionnaire',
]);

export type Action = 'read' | 'search' | 'create' | 'update' | 'delete';

export interface AccessRequest {
  action: Action;
  resourceType: string;
  /** The patient compartment the resource belongs to, or null outside any patient's record. */
  patientId: string | null;
}

export type Decision = { allow: true; relation?: Relation } | { allow: false; reason: string };

/**
 * THE access decision, deny by default. Every read and write of /fhir goes through it, via the repository.
 *
 * - Carnet itself (system) may do anything; it never acts for an HTTP caller.
 * - Patient data: the patient, and the people who represent them (parents of a minor, legal
 *   representatives, carers), read and write the record. Professionals and operators are refused until the
 *   professionals issue defines the habilitation matrix; operators never read health data.
 * - Data outside any patient's record: directory types are readable by every signed-in user and administered
 *   (read and written) by operators; clinical types outside a record are read and written by Carnet only.
 */
export function decide(principal: Principal, req: AccessRequest): Decision {
  if (principal.role === 'system') return { allow: true };
  if (req.resourceType === 'AuditEvent' && req.action !== 'read' && req.action !== 'search') {
    return { allow: false, reason: 'the audit trail is written by Carnet only' };
  }
  if (req.patientId !== null) {
    // links to records are a patient-space notion: a professional or operator account never gets in by one
    const link = principal.role === 'patient' ? principal.represents.find((r) => r.patientId === req.patientId) : undefined;
    if (link) return { allow: true, relation: link.relation };
    switch (principal.role) {
      case 'professional':
        return { allow: false, reason: 'professionals have no access to this patient record' };
      case 'operator':
        return { allow: false, reason: 'operators do not access health data' };
      default:
        return { allow: false, reason: 'this record is not yours, nor that of a person you represent' };
    }
  }
  if (DIRECTORY_TYPES.has(req.resourceType)) {
    if (principal.role === 'operator' || req.action === 'read' || req.action === 'search') return { allow: true };
  } else if (principal.role === 'operator') {
    // clinical types kept outside any record are still health data: not the operators' to read or write
    return { allow: false, reason: `operators administer the directory and reference data, not ${req.resourceType}` };
  }
  return {
    allow: false,
    reason:
      req.action === 'read' || req.action === 'search'
        ? `${req.resourceType} outside a patient record is not readable by a ${principal.role}`
        : `only operators write ${req.resourceType} outside a patient record`,
  };
}

/** What a search or a type history may return for this principal: the allowed compartments and shared data. */
export interface ReadScope {
  /** Patient compartments readable; 'all' for Carnet itself. */
  patientIds: readonly string[] | 'all';
  /** Whether resources outside any patient record are readable. */
  shared: boolean;
}

export function readScope(principal: Principal, resourceType: string): ReadScope {
  if (principal.role === 'system') return { patientIds: 'all', shared: true };
  return {
    patientIds: principal.role === 'patient' ? principal.represents.map((r) => r.patientId) : [],
    shared: decide(principal, { action: 'search', resourceType, patientId: null }).allow,
  };
}
