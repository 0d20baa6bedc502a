/**
 * Code systems and terminologies of the national directory (Annuaire Santé) that Carnet needs without a
 * database: the TRE_G15 professions (search form, labels when a line has none), the civilities, and the
 * identifier systems of the FHIR projection.
 */

/** TRE_G15-ProfessionSante (version 2024-12-13): code, label, and whether the code is still in use. */
export const PROFESSIONS: ReadonlyArray<{ readonly code: string; readonly label: string; readonly active: boolean }> = [
  { code: '10', label: 'Médecin', active: true },
  { code: '21', label: 'Pharmacien', active: true },
  { code: '26', label: 'Audioprothésiste', active: true },
  { code: '28', label: 'Opticien-Lunetier', active: true },
  { code: '31', label: 'Assistant dentaire', active: true },
  { code: '32', label: 'Physicien médical', active: true },
  { code: '35', label: 'Aide-soignant', active: false },
  { code: '36', label: 'Ambulancier', active: false },
  { code: '37', label: 'Auxiliaire de puériculture', active: false },
  { code: '38', label: 'Préparateur en pharmacie hospitalière', active: false },
  { code: '39', label: 'Préparateur en pharmacie', active: false },
  { code: '40', label: 'Chirurgien-Dentiste', active: true },
  { code: '50', label: 'Sage-Femme', active: true },
  { code: '60', label: 'Infirmier', active: true },
  { code: '69', label: 'Infirmier psychiatrique', active: true },
  { code: '70', label: 'Masseur-Kinésithérapeute', active: true },
  { code: '80', label: 'Pédicure-Podologue', active: true },
  { code: '81', label: 'Orthoprothésiste', active: true },
  { code: '82', label: 'Podo-Orthésiste', active: true },
  { code: '83', label: 'Orthopédiste-Orthésiste', active: true },
  { code: '84', label: 'Oculariste', active: true },
  { code: '85', label: 'Epithésiste', active: true },
  { code: '86', label: 'Technicien de labo médical', active: true },
  { code: '91', label: 'Orthophoniste', active: true },
  { code: '92', label: 'Orthoptiste', active: true },
  { code: '93', label: 'Psychologue', active: false },
  { code: '94', label: 'Ergothérapeute', active: true },
  { code: '95', label: 'Diététicien', active: true },
  { code: '96', label: 'Psychomotricien', active: true },
  { code: '98', label: 'Manipulateur ERM', active: true },
];

const PROFESSION_LABELS = new Map(PROFESSIONS.map((p) => [p.code, p.label]));

/** The TRE_G15 label of a profession code, or undefined for a code outside the terminology. */
export function professionLabel(code: string): string | undefined {
  return PROFESSION_LABELS.get(code);
}

/** Short forms of the civilities for display and FHIR name prefixes: practice civility first, then civility. */
const CIVILITY_PREFIX: Record<string, string> = { DR: 'Dr', PR: 'Pr', M: 'M.', MME: 'Mme', MLLE: 'Mlle' };

/** "Dr", "Pr", "M.", "Mme", or undefined, from the practice civility (DR, PR) or else the civility (M, MME). */
export function civilityPrefix(practiceCivilityCode: string | null | undefined, civilityCode: string | null | undefined): string | undefined {
  return (practiceCivilityCode && CIVILITY_PREFIX[practiceCivilityCode]) || (civilityCode && CIVILITY_PREFIX[civilityCode]) || undefined;
}

/** FHIR systems of the directory projection (FR Core). */
export const SYSTEMS = {
  /** IdNat_PS, the national identifier of a professional ('8' + RPPS, '0' + ADELI). */
  idNatPs: 'urn:oid:1.2.250.1.71.4.2.1',
  rpps: 'https://rpps.esante.gouv.fr',
  adeli: 'https://adeli.esante.gouv.fr',
  /** As in the demo world's Organizations (FR Core names https://finess.esante.gouv.fr). */
  finess: 'http://finess.sante.gouv.fr',
  siret: 'urn:oid:1.2.250.1.24.3.2',
  siren: 'urn:oid:1.2.250.1.24.3.1',
  /** Identifier types of FR Core (IDNPS, RPPS, ADELI, FINEG, FINEJ, SIRET, SIREN). */
  identifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  profession: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante',
  /** Spécialités ordinales (savoir-faire of type S: SMxx for médecins, SCDxx for dentists...). */
  specialty: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale',
  sector: 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite',
} as const;

/** Characters and length of a FHIR id. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
