/** The code systems and extension URLs of the medical profile and the measures (docs/profile.md). */
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

/** The HL7 terminology code systems the profile's resources use (http://terminology.hl7.org/CodeSystem/...). */
const HL7 = 'http://terminology.hl7.org/CodeSystem';
export const TERMINOLOGY = {
  observationCategory: `${HL7}/observation-category`,
  conditionClinical: `${HL7}/condition-clinical`,
  allergyClinical: `${HL7}/allergyintolerance-clinical`,
  consentScope: `${HL7}/consentscope`,
  listEmptyReason: `${HL7}/list-empty-reason`,
  roleCode: `${HL7}/v3-RoleCode`,
  actCode: `${HL7}/v3-ActCode`,
} as const;
