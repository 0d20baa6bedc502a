import { J57_CLASS_CODES, J60_FORMAT_CODES, J66_TYPE_CODES, type ClassCodeRow, type FormatCodeRow, type TypeCodeRow } from './value-sets.js';

/**
 * The codes of DMP document metadata (domain.md §2.2-2.6, reference-data.md §2): class (J57), type (J66),
 * format (J60 and the CI-SIS J10 codes the DMP examples use), confidentiality and visibility (J08 + TRE_A07),
 * and the categories the patient sees. Lookups accept a code system as its canonical URL or as its OID.
 */

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export const SYSTEMS = {
  /** TRE_A03-ClasseDocument: the DMP class codes (J57). */
  classCode: 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument',
  loinc: 'http://loinc.org',
  /** TRE_A05-TypeDocComplementaire: the ANS type codes that LOINC lacks. */
  typeComplement: 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire',
  /** HL7 v3 Confidentiality (J08): N, R, V. */
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** TRE_A07-StatutVisibiliteDocument: MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX. */
  visibility: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument',
  /** IHE format codes as MHD carries them. */
  formatIhe: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
  /** TRE_A06-FormatCodeComplementaire: the ANS format codes. */
  formatAns: 'https://mos.esante.gouv.fr/NOS/TRE_A06-FormatCodeComplementaire/FHIR/TRE-A06-FormatCodeComplementaire',
  /** MHD list types: submissionset, folder. */
  listType: 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes',
  /** The INS (NIR or NIA of the insured person). */
  insNir: 'urn:oid:1.2.250.1.213.1.4.8',
  /** National identifiers of professionals (IdNat_PS). */
  idNatPs: 'urn:oid:1.2.250.1.71.4.2.1',
} as const;

/** Other names of the same code systems (OIDs, older URLs), mapped to the canonical URL above. */
const ALIASES: Record<string, string> = {
  'urn:oid:1.2.250.1.213.1.1.4.1': SYSTEMS.classCode,
  'urn:oid:2.16.840.1.113883.6.1': SYSTEMS.loinc,
  'urn:oid:1.2.250.1.213.1.1.4.12': SYSTEMS.typeComplement,
  'urn:oid:2.16.840.1.113883.5.25': SYSTEMS.confidentiality,
  'urn:oid:1.2.250.1.213.1.1.4.13': SYSTEMS.visibility,
};

export function canonicalSystem(system: string | undefined): string | undefined {
  return system === undefined ? undefined : Object.hasOwn(ALIASES, system) ? ALIASES[system]! : system;
}

const classes = new Map(J57_CLASS_CODES.map((c) => [c.code, c]));
const types = new Map(J66_TYPE_CODES.map((t) => [`${t.system}|${t.code}`, t]));
/** Codes outside the 2024 J66 snapshot that the DMP accepts since (reference-data.md §2.1 notes). */
const LATER_TYPES: readonly TypeCodeRow[] = [
  { code: '60568-3', system: SYSTEMS.loinc, oid: '2.16.840.1.113883.6.1', display: "CR d'anatomie et de cytologie pathologiques", classCode: '10', current: true },
];
for (const t of LATER_TYPES) types.set(`${t.system}|${t.code}`, t);

/** The J57 class of a coding, or undefined when it is not one. */
export function classCodeOf(coding: Coding | undefined): ClassCodeRow | undefined {
  if (!coding?.code) return undefined;
  const row = classes.get(coding.code);
  if (!row) return undefined;
  const system = canonicalSystem(coding.system);
  return system === undefined || system === row.system || system === 'urn:oid:1.2.250.1.213.1.1.4.1' ? row : undefined;
}

/** The J66 type of a coding (LOINC or TRE_A05), with the class it requires, or undefined. */
export function typeCodeOf(coding: Coding | undefined): TypeCodeRow | undefined {
  if (!coding?.code) return undefined;
  return types.get(`${canonicalSystem(coding.system) ?? ''}|${coding.code}`);
}

/** The type row of a bare code, whatever its system (LOINC and TRE_A05 codes never collide). */
export function typeByCode(code: string): TypeCodeRow | undefined {
  return types.get(`${SYSTEMS.loinc}|${code}`) ?? types.get(`${SYSTEMS.typeComplement}|${code}`) ?? LATER_TYPES.find((t) => t.code === code) ?? J66_TYPE_CODES.find((t) => t.code === code);
}

export const ALL_TYPE_CODES: readonly TypeCodeRow[] = [...types.values()];

/**
 * Format codes of the CI-SIS set J10 that the DMP's own FHIR examples use besides J60 (domain.md §2.5): the
 * MHD "mime type sufficient" code, and the IHE codes of unstructured documents.
 */
const J10_EXTRA: readonly FormatCodeRow[] = [
  { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', terminology: 'TRE_A11-IheFormatCode', display: 'Format défini par le type MIME' },
  { code: 'urn:ihe:iti:dsg:enveloping:2014', terminology: 'TRE_A11-IheFormatCode', display: 'Signature enveloppante' },
  { code: 'urn:ihe:pcc:xds-ms:2007', terminology: 'TRE_A11-IheFormatCode', display: 'Medical Summaries' },
  { code: 'urn:ans:ci-sis:img-da:2022', terminology: 'TRE_A06-FormatCodeComplementaire', display: "Demande d'actes d'imagerie" },
];
const formats = new Map([...J60_FORMAT_CODES, ...J10_EXTRA].map((f) => [f.code, f]));

/** The format (J60, or J10 as far as known) of a coding, or undefined. Format codes are URNs: the code decides. */
export function formatCodeOf(coding: Coding | undefined): FormatCodeRow | undefined {
  return coding?.code ? formats.get(coding.code) : undefined;
}

/** The confidentiality (J08) and visibility (TRE_A07) codes of DocumentReference.securityLabel. */
export const CONFIDENTIALITY_CODES = ['N', 'R', 'V'] as const;
export const VISIBILITY_CODES = ['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'] as const;
export type Visibility = (typeof VISIBILITY_CODES)[number];
export type SecurityCode = (typeof CONFIDENTIALITY_CODES)[number] | Visibility;

/** The security label a coding carries, or undefined when Carnet does not know it. */
export function securityCodeOf(coding: Coding | undefined): SecurityCode | undefined {
  if (!coding?.code) return undefined;
  const system = canonicalSystem(coding.system);
  if ((system === SYSTEMS.confidentiality || system === undefined) && (CONFIDENTIALITY_CODES as readonly string[]).includes(coding.code)) {
    return coding.code as SecurityCode;
  }
  if ((system === SYSTEMS.visibility || system === undefined) && (VISIBILITY_CODES as readonly string[]).includes(coding.code)) {
    return coding.code as SecurityCode;
  }
  return undefined;
}

/** The coding Carnet writes for a visibility code. */
export function visibilityCoding(code: Visibility): Required<Coding> {
  const display: Record<Visibility, string> = {
    MASQUE_PS: 'Masqué aux professionnels de santé',
    INVISIBLE_PATIENT: 'Non visible par le patient',
    INVISIBLE_REPRESENTANTS_LEGAUX: 'Non visible par les représentants légaux du patient',
  };
  return { system: SYSTEMS.visibility, code, display: display[code] };
}

/**
 * The categories of documents the patient sees (Mon espace santé, domain.md §2.7), in display order. The
 * mapping from type to category is not published: it follows the class, with biology reports apart.
 */
export const CATEGORIES = ['SYNTHESE', 'ORD_SOIN', 'RADIO_SC', 'BIOLOGIE', 'CPT_REND', 'DEPISTAG', 'CERT_MED', 'AUTR_DOC', 'DOC_ADM'] as const;
export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** Types that the class alone would file elsewhere. */
const CATEGORY_OF_TYPE: Record<string, Category> = {
  '11502-2': 'BIOLOGIE',
  DOCPAT05: 'BIOLOGIE',
  '51969-4': 'BIOLOGIE',
  '18748-4': 'RADIO_SC',
  '75482-0': 'DEPISTAG',
  '75492-9': 'DEPISTAG',
  '68817-6': 'DEPISTAG',
  DOCPAT06: 'DEPISTAG',
  '96173-0': 'DEPISTAG',
  '11369-6': 'DEPISTAG',
  '87273-9': 'DEPISTAG',
  '96874-3': 'DEPISTAG',
};

const CATEGORY_OF_CLASS: Record<string, Category> = {
  '10': 'CPT_REND',
  '11': 'SYNTHESE',
  '31': 'RADIO_SC',
  '42': 'ORD_SOIN',
  '43': 'ORD_SOIN',
  '44': 'ORD_SOIN',
  '45': 'ORD_SOIN',
  '52': 'CERT_MED',
  '60': 'DOC_ADM',
  '90': 'AUTR_DOC',
  '95': 'DOC_ADM',
};

/** The patient's category of a document, from its type (first) and its class. */
export function categoryOf(typeCode: string | undefined, classCode: string | undefined): Category {
  if (typeCode && Object.hasOwn(CATEGORY_OF_TYPE, typeCode)) return CATEGORY_OF_TYPE[typeCode]!;
  const cls = typeCode ? (typeByCode(typeCode)?.classCode ?? classCode) : classCode;
  return cls && Object.hasOwn(CATEGORY_OF_CLASS, cls) ? CATEGORY_OF_CLASS[cls]! : 'AUTR_DOC';
}

/** The type (TRE_A05 DOCPATxx, EXPPAT_2) of a document the patient uploads in a category. */
export const PATIENT_UPLOAD_TYPE: Record<Category, string> = {
  SYNTHESE: 'DOCPAT01',
  ORD_SOIN: 'DOCPAT02',
  CPT_REND: 'DOCPAT03',
  RADIO_SC: 'DOCPAT04',
  BIOLOGIE: 'DOCPAT05',
  DEPISTAG: 'DOCPAT06',
  CERT_MED: 'DOCPAT07',
  DOC_ADM: 'DOCPAT09',
  AUTR_DOC: 'EXPPAT_2',
};
