import { PROFESSIONS } from '../directory/codes.js';
import { typeByCode } from './codes.js';

/**
 * The DMP habilitation matrix (matrice d'habilitations) as data: which document types (J66 typeCodes) a
 * professional of a profession (TRE_G15 code, optionally narrowed by a savoir-faire / specialty code) may read.
 * The legal source is the annex of the arrêté of 26 October 2023 (JORF n°0252 of 29 October 2023): 19
 * professions or disciplines × 87 document types (reference-data.md §1, domain.md §2.9). That annex is not
 * available as data; only a few cells are reported by secondary sources (reference-data.md §1.2). The default
 * matrix below therefore holds what is known, says in each row's `source` what is assumed, and the operator
 * replaces any row with a transcription of the Journal officiel (`mergeMatrix`, after `checkMatrix`).
 *
 * Decisions are deny by default: a profession without a row reads nothing, a type a row does not list follows
 * the row's `otherTypes`, and a type both allowed and denied (which `checkMatrix` refuses) is denied.
 */

export interface MatrixRow {
  /** TRE_G15 profession code ('10' médecin, '21' pharmacien, '40' chirurgien-dentiste, '60' infirmier...). */
  profession: string;
  /** A savoir-faire (specialty) code that narrows the row, e.g. 'SM42'; absent for the whole profession. */
  specialty?: string;
  /** What applies to a type the row does not list. */
  otherTypes: 'allow' | 'deny';
  /** Types allowed / denied explicitly (J66 codes: LOINC or TRE_A05). */
  allow: readonly string[];
  deny: readonly string[];
  /** Where the row comes from, e.g. "arrêté du 26 octobre 2023, annex, as summarised by information-dentaire.fr" or "assumed: ...". */
  source: string;
}

export type Matrix = readonly MatrixRow[];

const ARRETE = "arrêté du 26 octobre 2023 (JORF n°0252 du 29 octobre 2023), annex";
const INFORMATION_DENTAIRE = `${ARRETE}, as summarised by information-dentaire.fr, "Publication des règles d'accès aux DMP des professionnels de santé"`;
const INFIRMIERS_COM = `${ARRETE}, as summarised by infirmiers.com, "Dossier médical partagé : la liste des habilitations d'accès pour la profession"`;

/** Synthèse psychiatrique and bilan psychologique: denied to every non-physician profession whose column is known. */
const PSY_TYPES = ['68599-0', '83901-9'] as const;

/**
 * The default matrix (reference-data.md §1.2). Known cells and assumptions:
 *
 * - Médecin ('10'): every type except the attestation de résidence (ATTEST-RESID). Known [S].
 * - Chirurgien-dentiste ('40'): every type except the projet personnalisé d'accompagnement (80788-3), the demande
 *   d'acte de télémédecine (75496-0), the lettre de liaison à la sortie d'une structure sociale ou médico-sociale
 *   (83981-1), the bilan psychologique (83901-9) and the synthèse psychiatrique (68599-0). These exclusions are known
 *   [S]; that they are the only ones ("the majority of types") is how the source reads.
 * - Infirmier ('60'): denied 75496-0, 68599-0, 83901-9, 68817-6 (bilan de santé et de prévention de l'enfant) and
 *   89601-9 (certificat médical); explicitly allowed 83981-1, 56445-0 (bilan médicamenteux) and PROT_ALD. Known [S].
 *   The source also names comptes rendus (prévention, bilan fonctionnel, biologie, urgences, including the
 *   patient's), which the row allows through `otherTypes`. That every other type is allowed is an assumption
 *   ("slightly more restricted than physicians"), stated in the row's source.
 * - Pharmacien ('21'): no cell is published. Assumed: every type except the psychiatric / psychological types
 *   and ATTEST-RESID (what physicians and, for the first two, dentists and nurses cannot read).
 * - Sage-femme ('50'), masseur-kinésithérapeute ('70'), pédicure-podologue ('80'): "large access" is reported
 *   (the pédicures-podologues published their column as an image only). Assumed like the pharmacist.
 *
 * No row, hence no access, for every other profession, including the infirmier psychiatrique ('69'), the other
 * paramedical professions and the social and medico-social professionals (reported as "much more restricted";
 * they are not TRE_G15 professions anyway). No specialty row is needed: psychiatrists, for instance, are médecins.
 * Every assumed row must be replaced by the transcription of the annex before the access engine is complete.
 */
export const DEFAULT_MATRIX: Matrix = [
  {
    profession: '10',
    otherTypes: 'allow',
    allow: [],
    deny: ['ATTEST-RESID'],
    source: INFORMATION_DENTAIRE,
  },
  {
    profession: '40',
    otherTypes: 'allow',
    allow: [],
    deny: ['80788-3', '75496-0', '83981-1', '83901-9', '68599-0'],
    source: INFORMATION_DENTAIRE,
  },
  {
    profession: '60',
    otherTypes: 'allow',
    allow: ['83981-1', '56445-0', 'PROT_ALD'],
    deny: ['75496-0', '68599-0', '83901-9', '68817-6', '89601-9'],
    source: `${INFIRMIERS_COM} (allowed and denied types); assumed: the other types are allowed (information-dentaire.fr: nurses are "slightly more restricted than physicians")`,
  },
  {
    profession: '21',
    otherTypes: 'allow',
    allow: [],
    deny: [...PSY_TYPES, 'ATTEST-RESID'],
    source: 'assumed, to be replaced by the annex: no cell published for pharmacists ("slightly more restricted than physicians", information-dentaire.fr); psychiatric and psychological types and ATTEST-RESID denied',
  },
  {
    profession: '50',
    otherTypes: 'allow',
    allow: [],
    deny: [...PSY_TYPES, 'ATTEST-RESID'],
    source: 'assumed, to be replaced by the annex: no cell published for sages-femmes; psychiatric and psychological types and ATTEST-RESID denied',
  },
  {
    profession: '70',
    otherTypes: 'allow',
    allow: [],
    deny: [...PSY_TYPES, 'ATTEST-RESID'],
    source: 'assumed, to be replaced by the annex: no cell published for masseurs-kinésithérapeutes; psychiatric and psychological types and ATTEST-RESID denied',
  },
  {
    profession: '80',
    otherTypes: 'allow',
    allow: [],
    deny: [...PSY_TYPES, 'ATTEST-RESID'],
    source: 'assumed, to be replaced by the annex: "large access" reported by onpp.fr (column published as an image); psychiatric and psychological types and ATTEST-RESID denied',
  },
];

/** An empty specialty means none. */
function norm(specialty: string | undefined): string | undefined {
  return specialty === undefined || specialty === '' ? undefined : specialty;
}

function sameKey(a: MatrixRow, profession: string, specialty: string | undefined): boolean {
  return a.profession === profession && norm(a.specialty) === norm(specialty);
}

/** The row that applies: profession + specialty first, then profession alone; undefined when the profession has none (deny). */
export function matrixRow(matrix: Matrix, profession: string, specialty?: string): MatrixRow | undefined {
  const s = norm(specialty);
  if (s !== undefined) {
    const narrowed = matrix.find((r) => sameKey(r, profession, s));
    if (narrowed) return narrowed;
  }
  return matrix.find((r) => sameKey(r, profession, undefined));
}

/** Whether a professional of this profession/specialty may read a document of this type. Deny by default. */
export function matrixAllows(matrix: Matrix, profession: string, specialty: string | undefined, typeCode: string): boolean {
  const row = matrixRow(matrix, profession, specialty);
  if (!row) return false;
  if (row.deny.includes(typeCode)) return false;
  if (row.allow.includes(typeCode)) return true;
  return row.otherTypes === 'allow';
}

/**
 * The same decision as a set test, for SQL: either "every type except these" or "only these types".
 * matrixAllows(m,p,s,t) === (f.mode === 'except' ? !f.types.includes(t) : f.types.includes(t)) for every t.
 */
export function matrixFilter(matrix: Matrix, profession: string, specialty?: string): { mode: 'except' | 'only'; types: readonly string[] } {
  const row = matrixRow(matrix, profession, specialty);
  if (!row) return { mode: 'only', types: [] };
  if (row.otherTypes === 'allow') return { mode: 'except', types: [...new Set(row.deny)] };
  const denied = new Set(row.deny);
  return { mode: 'only', types: [...new Set(row.allow)].filter((t) => !denied.has(t)) };
}

const PROFESSION_CODES = new Set(PROFESSIONS.map((p) => p.code));

/** Checks operator-supplied rows: known profession codes, J66 type codes (codes.ts typeByCode), no type both allowed and denied, no duplicate (profession, specialty). Returns human-readable problems (empty when fine). */
export function checkMatrix(rows: readonly MatrixRow[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const where = `row ${i + 1} (profession ${JSON.stringify(row.profession)}${row.specialty !== undefined ? `, specialty ${JSON.stringify(row.specialty)}` : ''})`;
    if (!PROFESSION_CODES.has(row.profession)) problems.push(`${where}: unknown profession code (TRE_G15)`);
    if (row.specialty !== undefined && (typeof row.specialty !== 'string' || row.specialty.trim() !== row.specialty || row.specialty === '')) {
      problems.push(`${where}: the specialty must be a non-empty code without surrounding spaces, or absent`);
    }
    if (row.otherTypes !== 'allow' && row.otherTypes !== 'deny') problems.push(`${where}: otherTypes must be 'allow' or 'deny'`);
    if (typeof row.source !== 'string' || row.source.trim() === '') problems.push(`${where}: the source is missing`);
    const allow = Array.isArray(row.allow) ? row.allow : [];
    const deny = Array.isArray(row.deny) ? row.deny : [];
    if (!Array.isArray(row.allow) || !Array.isArray(row.deny)) problems.push(`${where}: allow and deny must be lists of type codes`);
    for (const [list, codes] of [['allow', allow], ['deny', deny]] as const) {
      for (const code of codes) {
        if (typeof code !== 'string' || !typeByCode(code)) problems.push(`${where}: ${list} holds ${JSON.stringify(code)}, which is not a DMP type code (J66)`);
      }
    }
    const denied = new Set(deny);
    for (const code of new Set(allow)) {
      if (denied.has(code)) problems.push(`${where}: type ${JSON.stringify(code)} is both allowed and denied`);
    }
    const key = `${row.profession}|${norm(row.specialty) ?? ''}`;
    if (seen.has(key)) problems.push(`${where}: duplicate row for this profession and specialty`);
    seen.add(key);
  });
  return problems;
}

/** Merges operator rows over the defaults: an operator row replaces the default row with the same (profession, specialty). */
export function mergeMatrix(defaults: Matrix, overrides: Matrix): Matrix {
  const merged: MatrixRow[] = [...defaults];
  for (const row of overrides) {
    const i = merged.findIndex((r) => sameKey(r, row.profession, row.specialty));
    if (i >= 0) merged[i] = row;
    else merged.push(row);
  }
  return merged;
}
