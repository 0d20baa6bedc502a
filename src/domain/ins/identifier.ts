/**
 * The matricule INS as a FHIR `Identifier`, per FR Core Patient-INS.
 * Rules: /work/shared/reference/domain.md §1.2 (OID table: type code, system, use).
 */
import { INS_OID, insSystem, type InsOid } from './ins.js';
import { parseMatricule } from './matricule.js';

/** The code system of FR Core identifier types. */
export const INS_TYPE_SYSTEM = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';

export type InsTypeCode = 'INS-NIR' | 'INS-NIA' | 'INS-NIR-TEST' | 'INS-NIR-DEMO';

/** The FR Core identifier type code of each INS OID. */
export const INS_TYPE_CODE: Readonly<Record<InsOid, InsTypeCode>> = {
  [INS_OID.NIR]: 'INS-NIR',
  [INS_OID.NIA]: 'INS-NIA',
  [INS_OID.TEST]: 'INS-NIR-TEST',
  [INS_OID.DEMO]: 'INS-NIR-DEMO',
};

/** A FHIR R4 Identifier (the subset this module fills), structurally compatible with `@medplum/fhirtypes`. */
export interface InsIdentifier {
  readonly use: 'official' | 'temp' | 'old';
  readonly type: { readonly coding: ReadonlyArray<{ readonly system: string; readonly code: InsTypeCode }> };
  readonly system: `urn:oid:${InsOid}`;
  readonly value: string;
}

export interface InsIdentifierOptions {
  /** The INS was deactivated (e.g. after a duplicate merge): use `old`. Default false. */
  readonly deactivated?: boolean;
}

/**
 * The FHIR Identifier of a matricule INS: use `temp` for a NIA, `official` otherwise (`old` when deactivated),
 * the FR Core type code, system `urn:oid:<oid>` and the 15 characters without spaces.
 * Throws a RangeError if the matricule is not valid under that OID.
 */
export function insIdentifier(matricule: string, oid: InsOid, options: InsIdentifierOptions = {}): InsIdentifier {
  const parsed = parseMatricule(matricule, oid);
  if (!parsed.ok) throw new RangeError(parsed.error);
  const code = INS_TYPE_CODE[oid];
  const use = options.deactivated ? 'old' : parsed.nir.temporary ? 'temp' : 'official';
  return {
    use,
    type: { coding: [{ system: INS_TYPE_SYSTEM, code }] },
    system: insSystem(oid),
    value: parsed.nir.value,
  };
}
