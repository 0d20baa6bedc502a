import { describe, expect, it } from 'vitest';
import {
  ALL_TYPE_CODES,
  canonicalSystem,
  CATEGORIES,
  categoryOf,
  classCodeOf,
  formatCodeOf,
  PATIENT_UPLOAD_TYPE,
  securityCodeOf,
  SYSTEMS,
  typeByCode,
  typeCodeOf,
  visibilityCoding,
} from './codes.js';
import { J57_CLASS_CODES, J66_TYPE_CODES } from './value-sets.js';

const TRE_A03_OID = 'urn:oid:1.2.250.1.213.1.1.4.1';
const LOINC_OID = 'urn:oid:2.16.840.1.113883.6.1';
const TRE_A05_OID = 'urn:oid:1.2.250.1.213.1.1.4.12';
const SIGNATURE_CLASS = 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1';

describe('classCodeOf (J57)', () => {
  it('has the 12 DMP classes', () => {
    expect(J57_CLASS_CODES.map((c) => c.code)).toEqual(['10', '11', '31', '42', '43', '44', '45', '52', '60', '90', '95', SIGNATURE_CLASS]);
  });

  it.each(J57_CLASS_CODES.map((c) => [c.code, c] as const))('finds class %s by its system URL and without system', (code, row) => {
    expect(classCodeOf({ system: row.system, code })).toBe(row);
    expect(classCodeOf({ code })).toBe(row);
  });

  it.each(J57_CLASS_CODES.filter((c) => c.code !== SIGNATURE_CLASS).map((c) => [c.code, c] as const))('finds class %s by the TRE_A03 OID', (code, row) => {
    expect(classCodeOf({ system: TRE_A03_OID, code })).toBe(row);
  });

  it('does not take the signature class for a TRE_A03 code', () => {
    // TRE_A10's OID is not in the reference data: the signature class is found by URL or bare code only.
    expect(classCodeOf({ system: TRE_A03_OID, code: SIGNATURE_CLASS })).toBeUndefined();
    expect(classCodeOf({ system: SYSTEMS.classCode, code: SIGNATURE_CLASS })).toBeUndefined();
  });

  it('refuses unknown codes and systems', () => {
    expect(classCodeOf({ system: SYSTEMS.classCode, code: '12' })).toBeUndefined();
    expect(classCodeOf({ system: 'http://example.org/classes', code: '10' })).toBeUndefined();
    expect(classCodeOf({ system: SYSTEMS.loinc, code: '10' })).toBeUndefined();
    expect(classCodeOf({ system: SYSTEMS.classCode })).toBeUndefined();
    expect(classCodeOf(undefined)).toBeUndefined();
  });
});

describe('typeCodeOf and typeByCode (J66)', () => {
  it('finds 11502-2 (LOINC) with class 10, by URL and by OID', () => {
    for (const system of [SYSTEMS.loinc, LOINC_OID]) {
      expect(typeCodeOf({ system, code: '11502-2' })).toMatchObject({ code: '11502-2', system: SYSTEMS.loinc, classCode: '10' });
    }
  });

  it('finds ATTEST-RESID (TRE_A05) with class 95, by URL and by OID', () => {
    for (const system of [SYSTEMS.typeComplement, TRE_A05_OID]) {
      expect(typeCodeOf({ system, code: 'ATTEST-RESID' })).toMatchObject({ code: 'ATTEST-RESID', system: SYSTEMS.typeComplement, classCode: '95' });
    }
  });

  it('finds every J66 type by its system', () => {
    for (const t of J66_TYPE_CODES) expect(typeCodeOf({ system: t.system, code: t.code })).toEqual(t);
    expect(J66_TYPE_CODES).toHaveLength(103);
    expect(ALL_TYPE_CODES.length).toBeGreaterThanOrEqual(103);
  });

  it('refuses unknown codes, wrong systems and a missing system', () => {
    expect(typeCodeOf({ system: SYSTEMS.loinc, code: '99999-9' })).toBeUndefined();
    expect(typeCodeOf({ system: SYSTEMS.typeComplement, code: '11502-2' })).toBeUndefined();
    expect(typeCodeOf({ system: SYSTEMS.loinc, code: 'ATTEST-RESID' })).toBeUndefined();
    expect(typeCodeOf({ system: 'http://snomed.info/sct', code: '11502-2' })).toBeUndefined();
    expect(typeCodeOf({ code: '11502-2' })).toBeUndefined();
    expect(typeCodeOf({ system: SYSTEMS.loinc })).toBeUndefined();
    expect(typeCodeOf(undefined)).toBeUndefined();
  });

  const byCode: ReadonlyArray<[string, string, string]> = [
    ['11502-2', SYSTEMS.loinc, '10'],
    ['18748-4', SYSTEMS.loinc, '31'],
    ['57833-6', SYSTEMS.loinc, '42'],
    ['60568-3', SYSTEMS.loinc, '10'],
    ['11526-1', SYSTEMS.loinc, '10'],
    ['ATTEST-RESID', SYSTEMS.typeComplement, '95'],
    ['DOCPAT08', SYSTEMS.typeComplement, '11'],
    ['REMB', SYSTEMS.typeComplement, '60'],
    ['E1762', 'https://mos.esante.gouv.fr/NOS/TRE_A12-NomenclatureASTM/FHIR/TRE-A12-NomenclatureASTM', SIGNATURE_CLASS],
  ];
  it.each(byCode)('typeByCode(%s) → %s, class %s', (code, system, classCode) => {
    expect(typeByCode(code)).toMatchObject({ code, system, classCode });
  });

  it('typeByCode refuses unknown codes', () => {
    for (const code of ['', '99999-9', 'attest-resid', 'PIECE-IDENTITE', 'constructor']) expect(typeByCode(code)).toBeUndefined();
  });
});

describe('formatCodeOf', () => {
  it('finds J60 codes and the J10 codes the DMP examples use', () => {
    expect(formatCodeOf({ code: 'urn:ihe:iti:xds-sd:pdf:2008' })).toMatchObject({ terminology: 'TRE_A11-IheFormatCode' });
    expect(formatCodeOf({ system: SYSTEMS.formatAns, code: 'urn:asip:ci-sis:vsm:2012' })).toMatchObject({ display: 'Synthèse médicale' });
    expect(formatCodeOf({ code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' })).toMatchObject({ display: 'Format défini par le type MIME' });
  });

  it('refuses unknown format codes', () => {
    expect(formatCodeOf({ code: 'urn:ihe:iti:xds-sd:docx:2024' })).toBeUndefined();
    expect(formatCodeOf({ system: SYSTEMS.formatIhe })).toBeUndefined();
    expect(formatCodeOf(undefined)).toBeUndefined();
  });
});

describe('securityCodeOf', () => {
  const cases: ReadonlyArray<[string | undefined, string, string | undefined]> = [
    [SYSTEMS.confidentiality, 'N', 'N'],
    ['urn:oid:2.16.840.1.113883.5.25', 'N', 'N'],
    [undefined, 'N', 'N'],
    [SYSTEMS.confidentiality, 'R', 'R'],
    [SYSTEMS.confidentiality, 'V', 'V'],
    ...(['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'] as const).flatMap((code): Array<[string | undefined, string, string | undefined]> => [
      [SYSTEMS.visibility, code, code],
      ['urn:oid:1.2.250.1.213.1.1.4.13', code, code],
      [undefined, code, code],
      [SYSTEMS.confidentiality, code, undefined],
    ]),
    [SYSTEMS.visibility, 'N', undefined],
    [SYSTEMS.confidentiality, 'MASQUE_PSOCIAL', undefined],
    [SYSTEMS.visibility, 'MASQUE_PSOCIAL', undefined],
    ['http://example.org', 'N', undefined],
    [undefined, 'n', undefined],
  ];
  it.each(cases)('system %s, code %s → %s', (system, code, expected) => {
    expect(securityCodeOf({ system, code })).toBe(expected);
  });

  it('refuses codings without a code', () => {
    expect(securityCodeOf({ system: SYSTEMS.confidentiality })).toBeUndefined();
    expect(securityCodeOf(undefined)).toBeUndefined();
  });

  it('writes visibility codings in the TRE_A07 system', () => {
    expect(visibilityCoding('MASQUE_PS')).toEqual({ system: SYSTEMS.visibility, code: 'MASQUE_PS', display: 'Masqué aux professionnels de santé' });
    expect(securityCodeOf(visibilityCoding('INVISIBLE_PATIENT'))).toBe('INVISIBLE_PATIENT');
  });
});

describe('canonicalSystem', () => {
  it('maps OIDs to canonical URLs and keeps other systems', () => {
    expect(canonicalSystem(TRE_A03_OID)).toBe(SYSTEMS.classCode);
    expect(canonicalSystem(LOINC_OID)).toBe(SYSTEMS.loinc);
    expect(canonicalSystem(TRE_A05_OID)).toBe(SYSTEMS.typeComplement);
    expect(canonicalSystem(SYSTEMS.loinc)).toBe(SYSTEMS.loinc);
    expect(canonicalSystem('http://example.org')).toBe('http://example.org');
    expect(canonicalSystem(undefined)).toBeUndefined();
  });

  it('returns a string for names of Object.prototype members', () => {
    for (const s of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(canonicalSystem(s)).toBe(s);
  });
});

describe('categoryOf', () => {
  const cases: ReadonlyArray<[string | undefined, string | undefined, string]> = [
    ['11502-2', undefined, 'BIOLOGIE'],
    ['18748-4', undefined, 'RADIO_SC'],
    ['57833-6', undefined, 'ORD_SOIN'],
    ['11488-4', undefined, 'CPT_REND'],
    ['ATTEST-RESID', undefined, 'DOC_ADM'],
    ['60591-5', undefined, 'SYNTHESE'],
    ['89601-9', undefined, 'CERT_MED'],
    ['11369-6', undefined, 'DEPISTAG'],
    ['REMB', undefined, 'DOC_ADM'],
    ['EXPPAT_3', undefined, 'AUTR_DOC'],
    // The type decides over a contradicting class.
    ['11488-4', '95', 'CPT_REND'],
    // Unknown type: the class decides; neither: AUTR_DOC.
    ['99999-9', '42', 'ORD_SOIN'],
    ['99999-9', undefined, 'AUTR_DOC'],
    [undefined, '31', 'RADIO_SC'],
    [undefined, undefined, 'AUTR_DOC'],
    [undefined, '99', 'AUTR_DOC'],
    ['E1762', undefined, 'AUTR_DOC'],
    [undefined, 'constructor', 'AUTR_DOC'],
    [undefined, '__proto__', 'AUTR_DOC'],
    ['toString', 'hasOwnProperty', 'AUTR_DOC'],
  ];
  it.each(cases)('type %s, class %s → %s', (type, cls, expected) => {
    expect(categoryOf(type, cls)).toBe(expected);
  });

  it('gives a category to every J66 type', () => {
    for (const t of ALL_TYPE_CODES) expect(CATEGORIES).toContain(categoryOf(t.code, t.classCode));
  });
});

describe('PATIENT_UPLOAD_TYPE', () => {
  it('covers every category', () => {
    expect(Object.keys(PATIENT_UPLOAD_TYPE).sort()).toEqual([...CATEGORIES].sort());
  });

  it.each(Object.entries(PATIENT_UPLOAD_TYPE))('%s → %s is a J66 type filed under that category', (category, code) => {
    const type = typeByCode(code);
    expect(type).toBeDefined();
    expect(type!.system).toBe(SYSTEMS.typeComplement);
    expect(categoryOf(code, undefined)).toBe(category);
    expect(categoryOf(code, type!.classCode)).toBe(category);
  });
});
