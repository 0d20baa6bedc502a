import type { SectionInputs } from '../../../contract/profile.js';
import { allergyFromFhir, allergyToFhir, parseAllergy } from './allergies.js';
import type { Json, ListSection } from './common.js';
import { contactFromFhir, contactToFhir, parseContact } from './contacts.js';
import { disabilityFromFhir, disabilityToFhir, parseDisability } from './disabilities.js';
import { diseaseFromFhir, diseaseToFhir, parseDisease } from './diseases.js';
import { familyHistoryFromFhir, familyHistoryToFhir, parseFamilyHistory } from './family-history.js';
import { habitFromFhir, habitToFhir, parseHabit } from './habits.js';
import { hospitalisationFromFhir, hospitalisationToFhir, parseHospitalisation } from './hospitalisations.js';
import { parseTreatment, treatmentFromFhir, treatmentToFhir } from './treatments.js';
import { parseVaccination, vaccinationFromFhir } from './vaccinations.js';
import './singletons.js';

export * from './common.js';

/** How one list section is read from the web app and stored as FHIR (docs/profile.md). */
export interface SectionMapping<S extends ListSection> {
  section: S;
  resourceType: string;
  /** Checks the web app's input, naming every field at fault (links to other entries are checked by the service). */
  parse(body: Json, now: Date): SectionInputs[S];
  /** The resource of an entry (vaccinations: see vaccinations.ts, which needs the vaccine of the reference list). */
  toFhir?(input: SectionInputs[S], patientId: string, extension: Json[]): Json;
  fromFhir(resource: Json): Omit<SectionViewFacts[S], never>;
  /** Every resource of the type is an entry (vaccinations), rather than those carrying the section's tag. */
  wholeType?: boolean;
}

/** What a view holds beyond the input, read from the resource itself (the vaccine's label and diseases...). */
export type SectionViewFacts = { [S in ListSection]: S extends 'vaccinations' ? ReturnType<typeof vaccinationFromFhir> : SectionInputs[S] };

export const SECTIONS: { [S in ListSection]: SectionMapping<S> } = {
  diseases: { section: 'diseases', resourceType: 'Condition', parse: parseDisease, toFhir: diseaseToFhir, fromFhir: diseaseFromFhir },
  treatments: { section: 'treatments', resourceType: 'MedicationStatement', parse: parseTreatment, toFhir: treatmentToFhir, fromFhir: treatmentFromFhir },
  allergies: { section: 'allergies', resourceType: 'AllergyIntolerance', parse: parseAllergy, toFhir: allergyToFhir, fromFhir: allergyFromFhir },
  hospitalisations: { section: 'hospitalisations', resourceType: 'Encounter', parse: parseHospitalisation, toFhir: hospitalisationToFhir, fromFhir: hospitalisationFromFhir },
  'family-history': { section: 'family-history', resourceType: 'FamilyMemberHistory', parse: parseFamilyHistory, toFhir: familyHistoryToFhir, fromFhir: familyHistoryFromFhir },
  disabilities: { section: 'disabilities', resourceType: 'Condition', parse: parseDisability, toFhir: disabilityToFhir, fromFhir: disabilityFromFhir },
  vaccinations: { section: 'vaccinations', resourceType: 'Immunization', parse: parseVaccination, fromFhir: vaccinationFromFhir, wholeType: true },
  habits: { section: 'habits', resourceType: 'Observation', parse: parseHabit, toFhir: habitToFhir, fromFhir: habitFromFhir },
  contacts: { section: 'contacts', resourceType: 'RelatedPerson', parse: parseContact, toFhir: contactToFhir, fromFhir: contactFromFhir },
};
