/**
 * INS (identité nationale de santé): the matricule INS (a NIR or NIA, 15 digits with the key), the OID
 * of its assigning authority, and the traits INS returned by the INSi teleservice.
 * Rules: /work/shared/reference/domain.md §1.2.
 */

/** OIDs of the INS assigning authorities (FR Core identifier types, fr-core-cs-v2-0203). */
export const INS_OID = {
  /** INS-NIR: a real NIR. FHIR identifier use `official` (`old` once deactivated). */
  NIR: '1.2.250.1.213.1.4.8',
  /** INS-NIA: a temporary number (numéro d'identification d'attente). FHIR identifier use `temp`. */
  NIA: '1.2.250.1.213.1.4.9',
  /** INS-NIR-TEST: fictitious test patients. */
  TEST: '1.2.250.1.213.1.4.10',
  /** INS-NIR-DEMO: demonstration patients. */
  DEMO: '1.2.250.1.213.1.4.11',
} as const;

export type InsOid = (typeof INS_OID)[keyof typeof INS_OID];

/** The FHIR `Identifier.system` of an INS OID, e.g. "urn:oid:1.2.250.1.213.1.4.8". */
export function insSystem<O extends InsOid>(oid: O): `urn:oid:${O}` {
  return `urn:oid:${oid}`;
}

/**
 * Identity confidence status (RNIV, exigence EXI SI 07): every stored identity has exactly one.
 * - `PROV`  identité provisoire: not obtained from INSi, not checked against a high-trust ID document.
 * - `VALI`  identité validée: not obtained from INSi, checked against a high-trust ID document.
 * - `RECUP` identité récupérée: obtained from INSi, not checked against a high-trust ID document.
 * - `QUAL`  identité qualifiée: obtained from INSi and checked against a high-trust ID document
 *           (an identity read through the Application carte Vitale also counts as qualifiée).
 */
export type IdentityStatus = 'PROV' | 'VALI' | 'RECUP' | 'QUAL';

export const IDENTITY_STATUSES: readonly IdentityStatus[] = ['PROV', 'VALI', 'RECUP', 'QUAL'];

/** The matricule INS may only be carried in exchanges when the identity is qualifiée. */
export function carriesIns(status: IdentityStatus): boolean {
  return status === 'QUAL';
}

/** Sex as a trait INS: M male, F female, I indeterminate (FHIR gender male | female | unknown). */
export type InsSex = 'M' | 'F' | 'I';

/** The strict traits INS ("traits stricts") that go with a matricule INS and its OID. */
export interface InsTraits {
  /** Nom de naissance. */
  readonly birthName: string;
  /** Premier prénom de naissance. */
  readonly firstGivenName: string;
  /** Liste des prénoms de naissance, in civil-registry order (the first is `firstGivenName`). */
  readonly givenNames: readonly string[];
  /** Date of birth, YYYY-MM-DD. */
  readonly birthDate: string;
  readonly sex: InsSex;
  /** Lieu de naissance: INSEE COG code of the commune, or of the country (99xxx) if born abroad. */
  readonly birthPlaceCode: string;
}
