/** The code systems and extension URLs of the medical profile (docs/profile.md). */
export { PROFILE_CATEGORY_SYSTEM } from '../access/profile.js';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
/** CIP13 codes of drug presentations (ANSM), and CIS codes of drugs. */
export const CIP13_SYSTEM = 'urn:oid:1.2.250.1.213.2.3.2';
export const CIS_SYSTEM = 'urn:oid:1.2.250.1.213.2.3.1';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
/** Carnet's own code systems and extensions. */
export const CARNET_CS = 'https://carnet.example/fhir/CodeSystem';
export const CARNET_EXT = 'https://carnet.example/fhir/StructureDefinition';
/** The tag of a "non concerné" declaration (a List with emptyReason nilknown, code = the section). */
export const UNCONCERNED_LIST_CODE_SYSTEM = `${CARNET_CS}/profile-section`;
