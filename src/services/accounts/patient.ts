import { insIdentifier, type InsOid } from '../../domain/ins/index.js';
import type { InsuredRow } from './context.js';

const GENDER = { M: 'male', F: 'female', I: 'unknown' } as const;

/**
 * The Patient resource of an opened profile, id = the insured person's id. The identity comes from the
 * insurers' file, that is from the INS's own authority: it is recorded as qualifiée (QUAL), so the matricule
 * INS is carried (domain.md §1.2).
 */
export function patientResource(i: InsuredRow): Record<string, unknown> {
  const given = i.given_names.split(/\s+/).filter(Boolean);
  return {
    resourceType: 'Patient',
    id: i.id,
    extension: [
      {
        url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
        extension: [
          {
            url: 'identityStatus',
            valueCoding: { system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-identity-status', code: 'QUAL', display: 'Identité qualifiée' },
          },
        ],
      },
      { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { extension: [{ url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code', valueCoding: { system: 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM', code: i.birth_place } }] } },
    ],
    identifier: [insIdentifier(i.nir, i.ins_oid as InsOid)],
    active: true,
    name: [
      { use: 'official', family: i.birth_name, given: [i.first_given_name], extension: [{ url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-birth-list-given-name', valueString: given.join(' ') }] },
      ...(i.used_name ? [{ use: 'usual', family: i.used_name, given: [given[0] ?? i.first_given_name] }] : []),
    ],
    gender: GENDER[i.sex],
    birthDate: i.birth_date,
    ...(i.email || i.phone
      ? {
          telecom: [
            ...(i.email ? [{ system: 'email', value: i.email }] : []),
            ...(i.phone ? [{ system: 'phone', value: i.phone, use: 'mobile' }] : []),
          ],
        }
      : {}),
    ...(i.address ? { address: [{ use: 'home', line: [i.address.line], postalCode: i.address.postalCode, city: i.address.city, country: 'FR' }] } : {}),
  };
}
