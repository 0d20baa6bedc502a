import { PRO_READABLE_TYPES, PRO_WRITABLE_TYPES, type AccessStatus, type CareBasis } from './care.js';
import type { Principal, Relation } from './principal.js';
import { scopesAllow } from './scopes.js';
import { DOCUMENT_TYPES, documentPredicate, TOKENS as DOCUMENT_TOKENS, type DocumentReader } from './documents.js';
import { and, any, matches, not, type TokenPredicate } from './token-predicate.js';
import { MESSAGE_TYPES, messagePredicate } from './messages.js';
import { ADVANCE_DIRECTIVE_TYPE_CODE, closableSectionOf, isPatientWish, PROFILE_ROW_TYPES, profileRowPredicate } from './profile.js';
import { DEFAULT_MATRIX, type Matrix } from '../documents/matrix.js';
import { isShippedQuestionnaire } from './questionnaires.js';

/** Directory-like types any signed-in user may read when they sit outside a patient's record. */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Device',
  'Questionnaire',
]);

/** The lists of a record a professional reads and writes: the DMP's submission sets and folders. */
const PRO_LISTS: TokenPredicate = any(['code=submissionset', 'code=folder']);

export type Action = 'read' | 'search' | 'create' | 'update' | 'delete';

export interface AccessRequest {
  action: Action;
  resourceType: string;
  /** The patient compartment the resource belongs to, or null outside any patient's record. */
  patientId: string | null;
  /** For a professional and a patient record: their access status on it (domain/access/care.ts). */
  care?: AccessStatus;
  /** For an update or delete of a document: whether the reader (or their structure) deposited it. */
  ownDocument?: boolean;
  /** For a create or an update: the search tokens of the resource written (what it is, e.g. a wish among Consents). */
  tokens?: ReadonlySet<string>;
  /** The resource's id, when the request names one (a read, an update, a delete, a create with its id). */
  id?: string;
}

export type Decision = { allow: true; relation?: Relation; basis?: CareBasis } | { allow: false; reason: string };

/**
 * THE access decision, deny by default. Every read and write of /fhir goes through it, via the repository.
 *
 * - Carnet itself (system) may do anything; it never acts for an HTTP caller.
 * - A token of a third-party client carries SMART scopes (`user/*.read`...): nothing beyond them.
 * - Patient data: the patient, and the people who represent them (parents of a minor, legal
 *   representatives, carers), read and write the record. A professional reads and writes the types shared
 *   with professionals when their access status on the record (`req.care`, see care.ts) authorises them,
 *   and may record the patient's consent (a Consent) when it is needed; operators never read health data.
 * - Data outside any patient's record: directory types are readable by every signed-in user and administered
 *   (read and written) by operators; clinical types outside a record are read and written by Carnet only.
 */
export function decide(principal: Principal, req: AccessRequest): Decision {
  if (principal.role === 'system') return { allow: true };
  // a third-party client (practice software, a connected app) does only what its token's scopes grant
  if (principal.scopes && !scopesAllow(principal.scopes, req.action, req.resourceType)) {
    return { allow: false, reason: `the token's scopes do not allow to ${req.action} ${req.resourceType}` };
  }
  if (req.resourceType === 'AuditEvent' && req.action !== 'read' && req.action !== 'search') {
    return { allow: false, reason: 'the audit trail is written by Carnet only' };
  }
  if (req.action !== 'read' && req.action !== 'search' && isShippedQuestionnaire(req.resourceType, req.id, req.tokens)) {
    return { allow: false, reason: "the key-age questionnaires are the files Carnet ships (data/prevention/questionnaires): Carnet alone writes them" };
  }
  if (req.patientId !== null) {
    // links to records are a patient-space notion: a professional or operator account never gets in by one
    const link = principal.role === 'patient' ? principal.represents.find((r) => r.patientId === req.patientId) : undefined;
    if (link) return { allow: true, relation: link.relation };
    switch (principal.role) {
      case 'professional':
        return decideForProfessional(req);
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

function decideForProfessional(req: AccessRequest): Decision {
  const care = req.care;
  const reading = req.action === 'read' || req.action === 'search';
  if (MESSAGE_TYPES.has(req.resourceType) && care && care.status !== 'no-profile' && care.status !== 'closed' && (reading || req.action === 'create')) {
    // secure messaging is not the shared record: a professional reads the messages they take part in
    // (messages.ts narrows each row) and writes to an open profile, whatever their access to its documents
    return { allow: true };
  }
  if (req.action === 'create' && req.tokens && isPatientWish(req.resourceType, req.tokens)) {
    // organ donation and advance directives are the patient's own words (profile.ts)
    return { allow: false, reason: "the patient's wishes (organ donation, advance directives) are recorded by the patient" };
  }
  if (req.action === 'create' && req.tokens && req.resourceType === 'List' && !matches(PRO_LISTS, req.tokens)) {
    // nor a "non concerné" declaration of the profile, or any list of the patient's
    return { allow: false, reason: 'of the lists of a record, a professional writes submission sets and folders' };
  }
  switch (care?.status) {
    case undefined:
      return { allow: false, reason: 'professionals have no access to this patient record' };
    case 'no-profile':
      return { allow: false, reason: 'this person has no profile' };
    case 'closed':
      return { allow: false, reason: 'this profile is closed' };
    case 'blocked':
      return { allow: false, reason: 'the patient has blocked this professional' };
    case 'consent-needed':
      if (req.action === 'create' && req.resourceType === 'Consent') return { allow: true };
      return { allow: false, reason: "the patient's consent is needed first" };
    case 'authorised':
      // the traces of the record: the médecin traitant and the administrator the patient named (R1111-43)
      if (reading && req.resourceType === 'AuditEvent') {
        if (care.basis === 'medecin-traitant' || care.administrator) return { allow: true, basis: care.basis };
        return { allow: false, reason: 'the traces of a record are read by the patient, their médecin traitant and its administrator; a professional reads their own actions in their activity' };
      }
      if (reading && care.closed?.includes(closableSectionOf(req.resourceType)!)) {
        return { allow: false, reason: 'the patient closed this section of their profile to professionals' };
      }
      if (reading ? PRO_READABLE_TYPES.has(req.resourceType) : req.action === 'create' && PRO_WRITABLE_TYPES.has(req.resourceType)) {
        return { allow: true, basis: care.basis };
      }
      if ((req.action === 'update' || req.action === 'delete') && req.resourceType === 'DocumentReference') {
        // the producer updates the metadata of, or deletes, what they deposited (domain.md §2.7)
        if (req.ownDocument) return { allow: true, basis: care.basis };
        return { allow: false, reason: `a professional may ${req.action} only the documents they deposited` };
      }
      if (req.action === 'update' || req.action === 'delete') {
        // what is in the record stays as its author wrote it
        return { allow: false, reason: `professionals add to a record; they do not ${req.action} what it holds` };
      }
      return { allow: false, reason: `${req.resourceType} is not shared with professionals${reading ? '' : ' for writing'}` };
  }
}

/**
 * What a search or a type history may return for this principal: the allowed compartments and shared data.
 * For a professional, `care` holds their access status on the records the request names.
 */
export interface ReadScope {
  /** Patient compartments readable; 'all' for Carnet itself. */
  patientIds: readonly string[] | 'all';
  /** Whether resources outside any patient record are readable. */
  shared: boolean;
  /**
   * For documents and lists of documents (DOCUMENT_TYPES): the condition each row of these records must meet
   * (documents.ts), grouped by records that share it. Every record of `patientIds` is in one group.
   */
  rows?: readonly RowRule[];
}

/** The document rules of some records: on a document's tokens, and on a list's own tokens. */
export interface RowRule {
  patientIds: readonly string[];
  /** What a document must meet (documents.ts); a list is seen when every document it lists meets it. */
  predicate: TokenPredicate;
  /** What a list must meet itself: a professional reads submission sets and folders, not the patient's other lists. */
  listPredicate: TokenPredicate;
}

/** The types whose rows are narrowed by a rule of their own: documents and lists of them, messages, wishes. */
export function hasRowRule(resourceType: string): boolean {
  return DOCUMENT_TYPES.has(resourceType) || MESSAGE_TYPES.has(resourceType) || PROFILE_ROW_TYPES.has(resourceType);
}

/** The row rule of one record for one principal and type, whatever the type of request (read, search, include). */
export function rowRule(principal: Principal, resourceType: string, patientId: string, care: AccessStatus | undefined, matrix: Matrix = DEFAULT_MATRIX): Omit<RowRule, 'patientIds'> {
  if (MESSAGE_TYPES.has(resourceType)) return { predicate: messagePredicate(principal), listPredicate: true };
  if (PROFILE_ROW_TYPES.has(resourceType)) {
    // the patient side reads its whole profile; a professional no wish of a closed "entourage et volontés"
    const closed = principal.role === 'professional' && care?.status === 'authorised' ? care.closed : undefined;
    return { predicate: principal.role === 'professional' ? profileRowPredicate(closed) : true, listPredicate: true };
  }
  return documentRule(principal, patientId, care, matrix);
}

/** The document rule of one record for one principal, whatever the type of request (read, search, include). */
export function documentRule(principal: Principal, patientId: string, care: AccessStatus | undefined, matrix: Matrix = DEFAULT_MATRIX): Omit<RowRule, 'patientIds'> {
  // advance directives belong to "entourage et volontés": closed to professionals with it (profile.ts)
  const wishesClosed = principal.role === 'professional' && care?.status === 'authorised' && care.closed?.includes('entourage');
  return {
    predicate: and(documentPredicate(documentReader(principal, patientId, care, matrix)), wishesClosed ? not(any([DOCUMENT_TOKENS.type(ADVANCE_DIRECTIVE_TYPE_CODE)])) : true),
    listPredicate: principal.role === 'professional' ? PRO_LISTS : true,
  };
}

export function readScope(principal: Principal, resourceType: string, care?: ReadonlyMap<string, AccessStatus>, matrix: Matrix = DEFAULT_MATRIX): ReadScope {
  if (principal.role === 'system') return { patientIds: 'all', shared: true };
  // a professional reads the records named in the request where their access status lets them
  const professional = () =>
    [...(care ?? [])].filter(([patientId, status]) => decide(principal, { action: 'search', resourceType, patientId, care: status }).allow).map(([id]) => id);
  const patientIds = principal.role === 'patient' ? principal.represents.map((r) => r.patientId) : principal.role === 'professional' ? professional() : [];
  const scope: ReadScope = { patientIds, shared: decide(principal, { action: 'search', resourceType, patientId: null }).allow };
  if (!hasRowRule(resourceType) || patientIds.length === 0) return scope;
  const groups = new Map<string, RowRule & { patientIds: string[] }>();
  for (const id of patientIds) {
    const rule = rowRule(principal, resourceType, id, care?.get(id), matrix);
    const key = JSON.stringify(rule);
    const group = groups.get(key) ?? groups.set(key, { patientIds: [], ...rule }).get(key)!;
    group.patientIds.push(id);
  }
  return { ...scope, rows: [...groups.values()] };
}

/**
 * The principal as a reader of one record's documents (documents.ts). A professional without an authorised
 * status, or without a practice situation, reads as a professional of no profession: nothing.
 */
export function documentReader(principal: Principal, patientId: string, care: AccessStatus | undefined, matrix: Matrix = DEFAULT_MATRIX): DocumentReader {
  if (principal.role === 'system') return { kind: 'system' };
  if (principal.role === 'patient') {
    const link = principal.represents.find((r) => r.patientId === patientId);
    return { kind: 'patient-side', relation: link?.relation ?? 'carer' };
  }
  const authorised = care?.status === 'authorised' ? care : undefined;
  const practice = principal.practice;
  return {
    kind: 'professional',
    practitionerId: principal.practitionerId ?? '',
    organizationId: practice?.organizationId,
    profession: principal.role === 'professional' && practice ? practice.professionCode : '',
    specialty: practice?.skillCode,
    administrator: authorised?.administrator === true,
    emergency: authorised?.emergency ? { hiddenAllowed: authorised.emergency.hiddenAllowed } : undefined,
    matrix,
  };
}
