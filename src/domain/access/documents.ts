import { matrixAllows, matrixFilter, type Matrix } from '../documents/matrix.js';
import type { Relation } from './principal.js';
import { and, any, not, or, type TokenPredicate } from './token-predicate.js';

/**
 * Which documents of a record a reader sees, once the record itself is open to them (policy.ts): the
 * document-level rules of the DMP (domain.md §2.6, §2.8, §2.9).
 *
 * - The patient and those who act for them: a document "not visible to the patient" (INVISIBLE_PATIENT) is
 *   held back from all of them until it is released; one "not visible to the legal representatives"
 *   (INVISIBLE_REPRESENTANTS_LEGAUX) is seen by the patient alone.
 * - A professional sees the types the habilitation matrix allows their profession (and specialty), and not
 *   the documents the patient hid from professionals (MASQUE_PS), except:
 *   - what they (or their structure) deposited, which stays theirs whatever the matrix and the mask say;
 *   - the administrator professional the patient named, who sees hidden documents;
 *   - in an emergency (break the glass, SAMU), hidden documents when the patient allowed it.
 *
 * `mayView` states the rules on plain facts; `documentPredicate` states them on search tokens, so that the
 * repository applies them in SQL to searches, totals and includes. Property tests hold the two equal.
 */

export type DocumentReader =
  | { kind: 'system' }
  | { kind: 'patient-side'; relation: Relation }
  | {
      kind: 'professional';
      practitionerId: string;
      /** The structure of the professional's practice situation. */
      organizationId?: string | undefined;
      profession: string;
      specialty?: string | undefined;
      /** The patient named this professional administrator of their record. */
      administrator: boolean;
      /** Set while the professional has broken the glass (or regulates a SAMU call) on this record. */
      emergency?: { hiddenAllowed: boolean } | undefined;
      matrix: Matrix;
    };

/** What the rules need of one document. */
export interface DocumentFacts {
  typeCode?: string | undefined;
  masked: boolean;
  invisibleToPatient: boolean;
  invisibleToRepresentatives: boolean;
  /** Who deposited it: 'Practitioner/<id>', 'Organization/<id>' or 'Patient/<id>' references. */
  depositors: readonly string[];
}

/** The plain statement of the rules. */
export function mayView(reader: DocumentReader, doc: DocumentFacts): boolean {
  switch (reader.kind) {
    case 'system':
      return true;
    case 'patient-side':
      if (doc.invisibleToPatient) return false;
      return reader.relation === 'self' || !doc.invisibleToRepresentatives;
    case 'professional': {
      const own = doc.depositors.some((d) => ownReferences(reader).includes(d));
      if (own) return true;
      if (doc.typeCode === undefined ? matrixFilter(reader.matrix, reader.profession, reader.specialty).mode === 'only' : !matrixAllows(reader.matrix, reader.profession, reader.specialty, doc.typeCode)) {
        return false;
      }
      return !doc.masked || reader.administrator || reader.emergency?.hiddenAllowed === true;
    }
  }
}

/** The search tokens that carry the facts (see the SearchParameters type, security-label and depositor). */
export const TOKENS = {
  type: (code: string) => `type=${code}`,
  masked: 'security-label=MASQUE_PS',
  invisibleToPatient: 'security-label=INVISIBLE_PATIENT',
  invisibleToRepresentatives: 'security-label=INVISIBLE_REPRESENTANTS_LEGAUX',
  depositor: (reference: string) => `depositor=${reference}`,
} as const;

/** The tokens a document with these facts is indexed with (for tests, and the reader of `mayView`). */
export function tokensOf(doc: DocumentFacts): Set<string> {
  const out = new Set<string>();
  if (doc.typeCode !== undefined) out.add(TOKENS.type(doc.typeCode));
  if (doc.masked) out.add(TOKENS.masked);
  if (doc.invisibleToPatient) out.add(TOKENS.invisibleToPatient);
  if (doc.invisibleToRepresentatives) out.add(TOKENS.invisibleToRepresentatives);
  for (const d of doc.depositors) out.add(TOKENS.depositor(d));
  return out;
}

/** The rules for one reader as a condition on a document's tokens. */
export function documentPredicate(reader: DocumentReader): TokenPredicate {
  switch (reader.kind) {
    case 'system':
      return true;
    case 'patient-side':
      return not(any(reader.relation === 'self' ? [TOKENS.invisibleToPatient] : [TOKENS.invisibleToPatient, TOKENS.invisibleToRepresentatives]));
    case 'professional': {
      const f = matrixFilter(reader.matrix, reader.profession, reader.specialty);
      const types = f.types.map(TOKENS.type);
      const typeAllowed = f.mode === 'except' ? not(any(types)) : any(types);
      const maskLifted = reader.administrator || reader.emergency?.hiddenAllowed === true;
      return or(any(ownReferences(reader).map(TOKENS.depositor)), and(typeAllowed, maskLifted ? true : not(any([TOKENS.masked]))));
    }
  }
}

function ownReferences(reader: Extract<DocumentReader, { kind: 'professional' }>): string[] {
  return [`Practitioner/${reader.practitionerId}`, ...(reader.organizationId ? [`Organization/${reader.organizationId}`] : [])];
}

/** The types whose rows the document rules filter: documents, and the lists (submission sets, folders) of documents. */
export const DOCUMENT_TYPES: ReadonlySet<string> = new Set(['DocumentReference', 'List']);
