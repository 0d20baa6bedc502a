import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_TYPE_CODES } from '../documents/codes.js';
import { DEFAULT_MATRIX, type Matrix, type MatrixRow } from '../documents/matrix.js';
import { documentPredicate, mayView, tokensOf, TOKENS, type DocumentFacts, type DocumentReader } from './documents.js';
import { documentReader } from './policy.js';
import type { Principal, Relation } from './principal.js';
import { matches } from './token-predicate.js';

/**
 * Who sees a document of a record (domain.md §2.6–2.9): the plain statement (`mayView`) and the same rules
 * as a condition on search tokens (`documentPredicate`, compiled to SQL by the repository) must agree on
 * every reader and document, and each rule holds — for who must NOT see a document as much as for who must.
 */

const J66 = ALL_TYPE_CODES.map((t) => t.code);
const RELATIONS: Relation[] = ['self', 'parent', 'legal-representative', 'carer'];
const PROFESSIONS = ['10', '21', '40', '50', '60', '70', '80', '99'];
const PRACTITIONERS = ['810001', '810002', '810003'];
const ORGANIZATIONS = ['ORG-A', 'ORG-B'];
/** Depositor references: the readers' own practitioners and structures, a patient, and strangers. */
const DEPOSITORS = [...PRACTITIONERS.map((p) => `Practitioner/${p}`), ...ORGANIZATIONS.map((o) => `Organization/${o}`), 'Patient/p-1', 'Practitioner/899999', 'Organization/ORG-Z'];

/** Evaluates both statements of the rules and asserts they agree; returns the decision. */
function sees(reader: DocumentReader, doc: DocumentFacts): boolean {
  const plain = mayView(reader, doc);
  expect(matches(documentPredicate(reader), tokensOf(doc)), `predicate and statement disagree for ${JSON.stringify({ reader: { ...reader, matrix: undefined }, doc })}`).toBe(plain);
  return plain;
}

function pro(o: Partial<Extract<DocumentReader, { kind: 'professional' }>> = {}): Extract<DocumentReader, { kind: 'professional' }> {
  return { kind: 'professional', practitionerId: '810001', organizationId: 'ORG-A', profession: '10', administrator: false, matrix: DEFAULT_MATRIX, ...o };
}
const patientSide = (relation: Relation): DocumentReader => ({ kind: 'patient-side', relation });

function doc(o: Partial<DocumentFacts> = {}): DocumentFacts {
  return { typeCode: '11502-2', masked: false, invisibleToPatient: false, invisibleToRepresentatives: false, depositors: ['Practitioner/899999', 'Organization/ORG-Z'], ...o };
}

// --- generators ------------------------------------------------------------------------------------------

const arbOptional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

function arbProfessional(matrix: fc.Arbitrary<Matrix>, professions: string[], specialties: string[]): fc.Arbitrary<DocumentReader> {
  return fc.record({
    kind: fc.constant('professional' as const),
    practitionerId: fc.constantFrom(...PRACTITIONERS, ''),
    organizationId: arbOptional(fc.constantFrom(...ORGANIZATIONS, '')),
    profession: fc.constantFrom(...professions, ''),
    specialty: arbOptional(fc.constantFrom(...specialties, '')),
    administrator: fc.boolean(),
    emergency: arbOptional(fc.record({ hiddenAllowed: fc.boolean() })),
    matrix,
  });
}

function arbReader(matrix: fc.Arbitrary<Matrix>, professions: string[], specialties: string[]): fc.Arbitrary<DocumentReader> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant<DocumentReader>({ kind: 'system' }) },
    { weight: 3, arbitrary: fc.constantFrom(...RELATIONS).map(patientSide) },
    { weight: 8, arbitrary: arbProfessional(matrix, professions, specialties) },
  );
}

function arbDoc(types: string[]): fc.Arbitrary<DocumentFacts> {
  return fc.record({
    typeCode: arbOptional(fc.constantFrom(...types)),
    masked: fc.boolean(),
    invisibleToPatient: fc.boolean(),
    invisibleToRepresentatives: fc.boolean(),
    depositors: fc.subarray(DEPOSITORS, { maxLength: 3 }),
  });
}

/** Random matrices over a small pool of types (so that rows, documents and readers meet), malformed rows included. */
const TYPE_POOL = ['11502-2', '68599-0', '83901-9', 'ATTEST-RESID', '80788-3', 'PROT_ALD', 'DOCPAT03', '11488-4'];
const SPECIALTIES = ['SM42', 'SM99'];
const arbTypeList = fc.array(fc.constantFrom(...TYPE_POOL), { maxLength: 4 });
const arbRow: fc.Arbitrary<MatrixRow> = fc.record(
  {
    profession: fc.constantFrom(...PROFESSIONS),
    specialty: fc.constantFrom(...SPECIALTIES),
    otherTypes: fc.constantFrom<'allow' | 'deny'>('allow', 'deny'),
    allow: arbTypeList,
    deny: arbTypeList,
    source: fc.constant('random'),
  },
  { requiredKeys: ['profession', 'otherTypes', 'allow', 'deny', 'source'] },
);
const arbMatrix: fc.Arbitrary<Matrix> = fc.array(arbRow, { maxLength: 8 });

describe('documentPredicate states the same rules as mayView (property)', () => {
  it('with the default matrix, every J66 type, random readers and depositors', () => {
    fc.assert(
      fc.property(arbReader(fc.constant(DEFAULT_MATRIX), PROFESSIONS, SPECIALTIES), arbDoc([...J66, 'NOT-A-TYPE']), (reader, d) => {
        sees(reader, d);
      }),
      { numRuns: 5000 },
    );
  });

  it('with random matrices (otherTypes allow or deny, random allow and deny lists, specialty rows)', () => {
    fc.assert(
      fc.property(arbReader(arbMatrix, PROFESSIONS, [...SPECIALTIES, 'SZ00']), arbDoc([...TYPE_POOL, 'OTHER']), (reader, d) => {
        sees(reader, d);
      }),
      { numRuns: 5000 },
    );
  });

  it('a professional always sees what they or their structure deposited, whatever the type, matrix and labels', () => {
    fc.assert(
      fc.property(arbProfessional(arbMatrix, PROFESSIONS, SPECIALTIES), arbDoc([...TYPE_POOL, 'OTHER']), fc.boolean(), (reader, d, byStructure) => {
        const r = reader as Extract<DocumentReader, { kind: 'professional' }>;
        const own = byStructure && r.organizationId ? `Organization/${r.organizationId}` : `Practitioner/${r.practitionerId}`;
        expect(sees(r, { ...d, depositors: [...d.depositors, own] })).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a professional never sees a MASQUE_PS document of others unless administrator or in an emergency the patient opened to hidden documents', () => {
    fc.assert(
      fc.property(arbProfessional(arbMatrix, PROFESSIONS, SPECIALTIES), arbDoc([...TYPE_POOL, 'OTHER']), (reader, d) => {
        const r = reader as Extract<DocumentReader, { kind: 'professional' }>;
        const strangers = d.depositors.filter((x) => x !== `Practitioner/${r.practitionerId}` && !(r.organizationId && x === `Organization/${r.organizationId}`));
        const masked = { ...d, masked: true, depositors: strangers };
        if (!r.administrator && r.emergency?.hiddenAllowed !== true) expect(sees(r, masked)).toBe(false);
        // and lifting the mask never opens a type the matrix closes
        expect(sees(r, masked)).toBe(sees(r, { ...masked, masked: false }) && (r.administrator || r.emergency?.hiddenAllowed === true));
      }),
      { numRuns: 2000 },
    );
  });

  it('the patient side never sees a document not visible to the patient; only self sees one hidden from representatives', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RELATIONS), arbDoc([...J66]), (relation, d) => {
        expect(sees(patientSide(relation), d)).toBe(!d.invisibleToPatient && (relation === 'self' || !d.invisibleToRepresentatives));
      }),
      { numRuns: 1000 },
    );
  });

  it('Carnet itself sees everything', () => {
    fc.assert(
      fc.property(arbDoc([...J66]), (d) => {
        expect(sees({ kind: 'system' }, d)).toBe(true);
      }),
    );
  });
});

describe('the habilitation matrix', () => {
  it('a médecin sees every J66 type but the attestation de résidence', () => {
    for (const code of J66) expect(sees(pro({ profession: '10' }), doc({ typeCode: code })), code).toBe(code !== 'ATTEST-RESID');
  });

  it('a médecin of any specialty too (no specialty row in the default matrix)', () => {
    expect(sees(pro({ profession: '10', specialty: 'SM42' }), doc({ typeCode: '68599-0' }))).toBe(true);
    expect(sees(pro({ profession: '10', specialty: 'SM42' }), doc({ typeCode: 'ATTEST-RESID' }))).toBe(false);
  });

  it.each([
    ['40', '68599-0', false, 'dentist, synthèse psychiatrique'],
    ['40', '80788-3', false, "dentist, projet personnalisé d'accompagnement"],
    ['40', '83901-9', false, 'dentist, bilan psychologique'],
    ['40', '11502-2', true, 'dentist, biologie'],
    ['40', 'ATTEST-RESID', true, 'dentist, attestation de résidence (not in its known exclusions)'],
    ['60', '68599-0', false, 'nurse, synthèse psychiatrique'],
    ['60', '89601-9', false, 'nurse, certificat médical'],
    ['60', 'PROT_ALD', true, 'nurse, protocole ALD'],
    ['21', 'ATTEST-RESID', false, 'pharmacist (assumed row)'],
    ['99', '11502-2', false, 'a profession without a row'],
    ['69', '11502-2', false, 'infirmier psychiatrique: no row'],
  ])('profession %s, type %s → %s (%s)', (profession, typeCode, allowed) => {
    expect(sees(pro({ profession }), doc({ typeCode }))).toBe(allowed);
  });

  it('a document without a type code: seen under an "every type except" row, not under an "only these" row nor without a row', () => {
    expect(sees(pro({ profession: '10' }), doc({ typeCode: undefined }))).toBe(true);
    expect(sees(pro({ profession: '99' }), doc({ typeCode: undefined }))).toBe(false);
    const only: Matrix = [{ profession: '91', otherTypes: 'deny', allow: ['11502-2'], deny: [], source: 'test' }];
    expect(sees(pro({ profession: '91', matrix: only }), doc({ typeCode: undefined }))).toBe(false);
    expect(sees(pro({ profession: '91', matrix: only }), doc({ typeCode: '11502-2' }))).toBe(true);
  });

  it('a specialty row narrows the profession; another specialty follows the profession row', () => {
    const m: Matrix = [
      { profession: '10', otherTypes: 'allow', allow: [], deny: ['ATTEST-RESID'], source: 'test' },
      { profession: '10', specialty: 'SM99', otherTypes: 'deny', allow: ['11488-4'], deny: [], source: 'test' },
    ];
    expect(sees(pro({ matrix: m, specialty: 'SM99' }), doc({ typeCode: '11502-2' }))).toBe(false);
    expect(sees(pro({ matrix: m, specialty: 'SM99' }), doc({ typeCode: '11488-4' }))).toBe(true);
    expect(sees(pro({ matrix: m, specialty: 'SM42' }), doc({ typeCode: '11502-2' }))).toBe(true);
    expect(sees(pro({ matrix: m, specialty: '' }), doc({ typeCode: '11502-2' }))).toBe(true);
  });

  it('a type both allowed and denied by a malformed row is denied', () => {
    const m: Matrix = [
      { profession: '91', otherTypes: 'deny', allow: ['11502-2'], deny: ['11502-2'], source: 'test' },
      { profession: '92', otherTypes: 'allow', allow: ['11502-2'], deny: ['11502-2'], source: 'test' },
    ];
    expect(sees(pro({ profession: '91', matrix: m }), doc())).toBe(false);
    expect(sees(pro({ profession: '92', matrix: m }), doc())).toBe(false);
  });
});

describe('MASQUE_PS: hidden from professionals', () => {
  const depositor = { practitionerId: '810002', organizationId: 'ORG-B' };
  const masked = doc({ masked: true, depositors: [`Practitioner/${depositor.practitionerId}`, `Organization/${depositor.organizationId}`] });

  it('is hidden from a professional who did not deposit it, whatever their profession', () => {
    for (const profession of PROFESSIONS) expect(sees(pro({ profession }), masked), profession).toBe(false);
  });

  it('stays visible to the practitioner who deposited it, even where the matrix denies its type', () => {
    expect(sees(pro(depositor), masked)).toBe(true);
    expect(sees(pro({ ...depositor, profession: '40' }), { ...masked, typeCode: '68599-0' })).toBe(true);
    expect(sees(pro({ ...depositor, profession: '' }), masked)).toBe(true);
  });

  it("stays visible to a colleague of the depositor's structure (deposited by the organisation)", () => {
    expect(sees(pro({ practitionerId: '810003', organizationId: 'ORG-B', profession: '60' }), masked)).toBe(true);
    expect(sees(pro({ practitionerId: '810003', organizationId: 'ORG-B', profession: '60' }), { ...masked, typeCode: '68599-0' })).toBe(true);
  });

  it('a colleague of another structure, or one without a structure, does not see it', () => {
    expect(sees(pro({ practitionerId: '810003', organizationId: 'ORG-A' }), masked)).toBe(false);
    expect(sees(pro({ practitionerId: '810003', organizationId: undefined }), masked)).toBe(false);
    expect(sees(pro({ practitionerId: '810003', organizationId: '' }), masked)).toBe(false);
  });

  it('the administrator the patient named sees it, within the matrix', () => {
    expect(sees(pro({ administrator: true }), masked)).toBe(true);
    expect(sees(pro({ administrator: true, profession: '40' }), masked)).toBe(true);
    expect(sees(pro({ administrator: true, profession: '40' }), { ...masked, typeCode: '68599-0' })).toBe(false);
    expect(sees(pro({ administrator: true, profession: '99' }), masked)).toBe(false);
  });

  it('in an emergency, only when the patient allowed hidden documents, and within the matrix', () => {
    expect(sees(pro({ emergency: { hiddenAllowed: false } }), masked)).toBe(false);
    expect(sees(pro({ emergency: { hiddenAllowed: true } }), masked)).toBe(true);
    expect(sees(pro({ emergency: { hiddenAllowed: true }, profession: '60' }), { ...masked, typeCode: '68599-0' })).toBe(false);
    expect(sees(pro({ emergency: { hiddenAllowed: false } }), { ...masked, masked: false })).toBe(true);
  });

  it('does not hide anything from the patient side', () => {
    for (const r of RELATIONS) expect(sees(patientSide(r), masked)).toBe(true);
  });
});

describe('INVISIBLE_PATIENT and INVISIBLE_REPRESENTANTS_LEGAUX', () => {
  it('a document not visible to the patient is hidden from self, parent, legal representative and carer', () => {
    for (const r of RELATIONS) expect(sees(patientSide(r), doc({ invisibleToPatient: true })), r).toBe(false);
    for (const r of RELATIONS) expect(sees(patientSide(r), doc({ invisibleToPatient: true, invisibleToRepresentatives: true })), r).toBe(false);
  });

  it('…even when the patient deposited it', () => {
    expect(sees(patientSide('self'), doc({ invisibleToPatient: true, depositors: ['Patient/p-1'] }))).toBe(false);
  });

  it('professionals still see it within the matrix', () => {
    expect(sees(pro(), doc({ invisibleToPatient: true }))).toBe(true);
    expect(sees(pro({ profession: '40' }), doc({ invisibleToPatient: true, typeCode: '68599-0' }))).toBe(false);
  });

  it('a document not visible to the representatives is hidden from parent and legal representative (and carer), not from self', () => {
    const d = doc({ invisibleToRepresentatives: true });
    expect(sees(patientSide('self'), d)).toBe(true);
    expect(sees(patientSide('parent'), d)).toBe(false);
    expect(sees(patientSide('legal-representative'), d)).toBe(false);
    expect(sees(patientSide('carer'), d)).toBe(false);
    expect(sees(pro(), d)).toBe(true);
  });
});

describe('a professional without a practice situation (profession "")', () => {
  const nobody = pro({ profession: '', organizationId: undefined });

  it('sees nothing of others, of any type, with or without labels, administrator or in an emergency', () => {
    for (const typeCode of [...J66, undefined]) {
      expect(sees(nobody, doc({ typeCode }))).toBe(false);
      expect(sees({ ...nobody, administrator: true, emergency: { hiddenAllowed: true } }, doc({ typeCode, masked: true }))).toBe(false);
    }
  });

  it('but their own deposits', () => {
    for (const typeCode of ['11502-2', '68599-0', 'ATTEST-RESID', undefined]) {
      expect(sees(nobody, doc({ typeCode, masked: true, depositors: ['Practitioner/810001'] }))).toBe(true);
    }
  });

  it('is how documentReader reads a professional principal with no practice, or without an authorised status', () => {
    const principal: Principal = { userId: 'u', login: 'pro', role: 'professional', displayName: 'Dr X', practitionerId: '810001', represents: [] };
    const reader = documentReader(principal, 'p-1', { status: 'authorised', basis: 'care-team', administrator: true });
    expect(reader).toMatchObject({ kind: 'professional', practitionerId: '810001', profession: '', administrator: true });
    expect(sees(reader, doc())).toBe(false);
    expect(sees(reader, doc({ depositors: ['Practitioner/810001'] }))).toBe(true);
    const withPractice: Principal = { ...principal, practice: { roleId: 'r', practitionerId: '810001', professionCode: '10', organizationId: 'ORG-A' } };
    // blocked (or any status but authorised): neither administrator nor emergency carries over
    const blocked = documentReader(withPractice, 'p-1', { status: 'blocked', since: new Date() });
    expect(blocked).toMatchObject({ administrator: false, emergency: undefined });
    expect(sees(blocked, doc({ masked: true }))).toBe(false);
    const emergency = documentReader(withPractice, 'p-1', { status: 'authorised', basis: 'emergency', emergency: { since: new Date(), hiddenAllowed: false } });
    expect(sees(emergency, doc({ masked: true }))).toBe(false);
    const allowed = documentReader(withPractice, 'p-1', { status: 'authorised', basis: 'emergency', emergency: { since: new Date(), hiddenAllowed: true } });
    expect(allowed).toMatchObject({ emergency: { hiddenAllowed: true } });
    expect(sees(allowed, doc({ masked: true }))).toBe(true);
  });
});

describe('tokensOf', () => {
  it('carries exactly the facts the rules read', () => {
    expect([...tokensOf(doc({ masked: true, invisibleToPatient: true, invisibleToRepresentatives: true, depositors: ['Practitioner/1'] }))].sort()).toEqual(
      [TOKENS.type('11502-2'), TOKENS.masked, TOKENS.invisibleToPatient, TOKENS.invisibleToRepresentatives, TOKENS.depositor('Practitioner/1')].sort(),
    );
    expect([...tokensOf(doc({ typeCode: undefined, depositors: [] }))]).toEqual([]);
  });
});
